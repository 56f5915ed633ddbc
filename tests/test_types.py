"""The type check passes: mypy with the configuration in pyproject.toml ([tool.mypy], strict on
the public modules). Here rather than only as a CI step, so that `pytest` alone covers it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from needs import module

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_mypy_passes():
    module("mypy")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # mypy's own incremental cache (.mypy_cache, git-ignored): ~50 s cold, seconds after
    run = subprocess.run(
        [sys.executable, "-m", "mypy"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "Success: no issues found" in run.stdout


def test_public_signatures_name_the_real_classes():
    """No public analysis, chart or export function takes the journey or evidence as Any."""
    import inspect

    import cjm_widgets as cjm

    checked = 0
    for name in ("emotion_curve", "pain_points", "opportunities", "coverage", "compare"):
        sig = inspect.signature(getattr(cjm, name))
        assert "Journey" in str(sig.parameters["journey"].annotation)
        assert "Evidence" in str(sig.parameters["evidence"].annotation)
        # journey and evidence positional, every option keyword-only
        kinds = [p.kind for p in sig.parameters.values()]
        assert kinds[:2] == [inspect.Parameter.POSITIONAL_OR_KEYWORD] * 2
        assert all(k is inspect.Parameter.KEYWORD_ONLY for k in kinds[2:])
        checked += 1
    for fn in (cjm.export.html_report, cjm.export.to_excel, cjm.export.to_markdown):
        sig = inspect.signature(fn)
        assert "Journey" in str(sig.parameters["journey"].annotation)
        assert "Evidence" in str(sig.parameters["evidence"].annotation)
        checked += 1
    assert checked == 8


def test_widgets_take_journey_first_and_options_by_keyword():
    import inspect

    import cjm_widgets as cjm

    named = {inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD}
    for widget in (cjm.EvidenceTagger, cjm.EmotionCurve, cjm.Workspace):
        params = list(inspect.signature(widget.__init__).parameters.values())[1:]
        assert [p.name for p in params[:2]] == ["journey", "evidence"], widget
        assert all(p.kind in named for p in params[2:]), widget
