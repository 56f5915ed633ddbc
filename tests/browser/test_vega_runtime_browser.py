"""One Vega per notebook, in real JupyterLab: three curves load Vega once, the notebook saved
with widget state stays small, and reopened without a kernel every curve draws from the one
saved copy of the runtime."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from .lab import LabServer, delete_sessions, open_notebook, run_all, write_notebook
from .test_reopen_browser import _server

pytestmark = pytest.mark.browser

SETUP = """
import cjm_widgets as cjm

demo = cjm.datasets.demo()
journey, ev = demo.journey, demo.evidence()
"""
CURVES = [
    f"c{i} = cjm.EmotionCurve(journey, ev, by={by!r})\nc{i}"
    for i, by in enumerate(("household", None, "age_band"))
]
MAX_BYTES = 1_500_000

DRAWN_JS = """(n) => {
  const curves = [...document.querySelectorAll('.cjm-curve')];
  return curves.length === n
    && curves.every(c => c.querySelectorAll('.points_marks path').length > 0);
}"""


@pytest.fixture(scope="module")
def lab_saving_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab with the package's settings default (widget state saved in the notebook)."""
    yield from _server(tmp_path_factory, "jupyterlab")


def test_three_curves_share_one_vega_and_reopen_from_it(lab_saving_state, bare_page):
    page, server, name = bare_page, lab_saving_state, "three_curves.ipynb"
    write_notebook(server.root_dir, name, [SETUP, *CURVES])
    open_notebook(page, server, name)
    run_all(page)
    page.wait_for_function(DRAWN_JS, arg=3, timeout=90_000)
    # one runtime module imported in the page, whatever the number of curves
    assert page.evaluate("() => globalThis.__cjmVegaRuntime.size") == 1

    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000
    )
    path = server.root_dir / name
    size = path.stat().st_size
    saved = json.loads(path.read_text(encoding="utf-8"))
    states = saved["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    runtimes = [m for m in states.values() if "bundle" in m["state"]]
    curves = [m for m in states.values() if "_runtime" in m["state"]]
    assert len(runtimes) == 1 and len(curves) == 3
    assert {c["state"]["_runtime"] for c in curves} == {
        "IPY_MODEL_" + next(k for k, m in states.items() if "bundle" in m["state"])
    }
    assert size <= MAX_BYTES, f"{size / 1e6:.2f} MB saved"

    delete_sessions(server)  # the kernel goes away; the notebook is opened again
    page.goto("about:blank")
    open_notebook(page, server, name)
    page.wait_for_function(DRAWN_JS, arg=3, timeout=90_000)
    assert "model not found" not in page.locator("body").inner_text()
    assert page.evaluate("() => globalThis.__cjmVegaRuntime.size") == 1
