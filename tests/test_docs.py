"""The API reference builds from the docstrings, offline, without a warning."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from needs import module

ROOT = Path(__file__).resolve().parents[1]

module("pdoc")


@pytest.mark.slow
def test_api_reference_builds_without_warnings(tmp_path):
    out = tmp_path / "api"
    run = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "build_api.py"), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    for page in (
        "cjm_widgets.html",
        "cjm_widgets/model.html",
        "cjm_widgets/evidence.html",
        "cjm_widgets/analysis.html",
        "cjm_widgets/widgets.html",
        "cjm_widgets/export.html",
    ):
        assert page in pages
    analysis = (out / "cjm_widgets" / "analysis.html").read_text(encoding="utf-8")
    # the docstring is the documentation: the curve's method and its usage line are there
    assert "Student t interval" in analysis
    assert "cjm.emotion_curve(journey, ev, by=" in analysis
    widgets = (out / "cjm_widgets" / "widgets.html").read_text(encoding="utf-8")
    assert "EvidenceTagger" in widgets
    # offline: no page loads a script or stylesheet from the network
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?://", text), page


def test_build_reports_a_pdoc_warning(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import build_api
    finally:
        sys.path.pop(0)
    monkeypatch.setattr(build_api, "MODULES", ["cjm_widgets.no_such_module"])
    assert build_api.main(["-o", str(tmp_path)]) == 1
