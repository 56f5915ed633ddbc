"""Cold start and one Vega per notebook (issue 17), in fresh processes and in real JupyterLab.

Fresh Python processes (median of 5, 3 with ``--quick``), against ``python -c "import pandas"``
measured in the same run:

- ``import cjm_widgets`` and a ``JourneyEditor`` built and its display bundle made;
- ``import cjm_widgets`` and a ``Workspace`` on the demo (board, live curve, tagger);
- ``cjm-widgets report`` on the files ``cjm-widgets demo`` writes (target <= 4 s).

In JupyterLab + headless Chromium (the test recipe, ``tests/browser/lab.py``), each timed from
the click on the run button in a fresh kernel to the view in the DOM:

- the first ``JourneyEditor`` painted (its stage names shown; target <= 3 s);
- the first ``Workspace`` on the demo painted (its curve drawn; target <= 3 s);
- then a second ``EmotionCurve`` in the same page painted (target <= 300 ms; baseline: the
  Workspace's curve, which loaded Vega), and a third;
- the notebook with those three curves saved with widget state (target <= 1.5 MB; baseline:
  the Vega runtime it holds once).

Usage: ``python benchmarks/bench_startup.py [--quick]``
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._report import result  # noqa: E402

EDITOR = """
import cjm_widgets as cjm
journey = cjm.Journey.from_template("current_state", stages="seven_stage")
editor = cjm.JourneyEditor(journey)
editor._repr_mimebundle_()
"""
WORKSPACE = """
import cjm_widgets as cjm
demo = cjm.datasets.demo()
ws = cjm.Workspace(demo.journey, demo.evidence(), by="household")
ws._repr_mimebundle_()
"""


def fresh(code: str, repeat: int, cwd: Path = ROOT, argv: list[str] | None = None) -> float:
    """Median wall seconds of ``python -c code`` (or ``python argv``) in new processes."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, *(argv or ["-c", code])], cwd=cwd, env=env, check=True,
            capture_output=True,
        )  # fmt: skip
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def processes(repeat: int) -> None:
    pandas_s = fresh("import pandas", repeat)
    editor_s = fresh(EDITOR, repeat)
    ws_s = fresh(WORKSPACE, repeat)
    folder = Path(tempfile.mkdtemp(prefix="cjm-bench-startup-"))
    try:
        fresh("", 1, cwd=folder, argv=["-m", "cjm_widgets.cli", "demo", "d", "--no-open"])
        report = ["-m", "cjm_widgets.cli", "report", "demo.journey.json", "--evidence",
                  "demo_evidence.csv", "--by", "household", "-o", "report.html"]  # fmt: skip
        report_s = fresh("", repeat, cwd=folder / "d", argv=report)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    base = {"baseline": pandas_s, "baseline_label": "python -c 'import pandas'"}
    result("Fresh process: import + JourneyEditor", editor_s, "s", **base)
    result("Fresh process: import + Workspace on the demo", ws_s, "s", **base)
    result("CLI report on the demo files, fresh process", report_s, "s", target=4.0, **base)


SETUP_EDITOR = EDITOR.replace("editor._repr_mimebundle_()\n", "editor")
SETUP_WS = WORKSPACE.replace("ws._repr_mimebundle_()\n", "ws")
CURVE = "c{i} = cjm.EmotionCurve(demo.journey, ws.evidence, by={by!r})\nc{i}"


def browser(quick: bool) -> None:
    from benchmarks.bench_browser import Wire, run_cell
    from tests.browser.lab import (
        CHROMIUM_ARGS,
        _settings_file,
        browser_unavailable_reason,
        chromium_path,
        open_notebook,
        start_lab,
        write_notebook,
    )

    reason = browser_unavailable_reason()
    if reason:
        print(f"browser part skipped: {reason}")
        return
    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="cjm-bench-startup-lab-"))
    lab = start_lab(home)
    settings = _settings_file(lab.settings_dir, "@jupyter-widgets/jupyterlab-manager:plugin")
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('{"saveState": true}', encoding="utf-8")  # as the package's default
    wire = Wire()
    try:
        write_notebook(lab.root_dir, "editor.ipynb", [SETUP_EDITOR])
        cells = [SETUP_WS] + [CURVE.format(i=i, by=by) for i, by in ((2, None), (3, "age_band"))]
        write_notebook(lab.root_dir, "curves.ipynb", cells)
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(
                executable_path=chromium_path(), args=list(CHROMIUM_ARGS), headless=True
            )
            context = chromium.new_context(
                viewport={"width": 1400, "height": 1000}, service_workers="block"
            )
            context.on("request", wire.request)
            page = context.new_page()
            page.on("websocket", wire.websocket)
            open_notebook(page, lab, "editor.ipynb")
            editor_ms, _ = run_cell(page, wire, 0, ".cjm-editor .cjm-stage-name")
            page.goto("about:blank")
            open_notebook(page, lab, "curves.ipynb")
            ws_ms, _ = run_cell(page, wire, 0, ".cjm-ws .cjm-curve[data-version]")
            second_ms, _ = run_cell(page, wire, 1, ".cjm-curve[data-version]")
            third_ms, _ = run_cell(page, wire, 2, ".cjm-curve[data-version]")
            loads = page.evaluate("() => globalThis.__cjmVegaRuntime.size")
            page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
            page.wait_for_function(
                "() => !window.jupyterapp.shell.currentWidget.context.model.dirty",
                timeout=60_000,
            )
            size = (lab.root_dir / "curves.ipynb").stat().st_size
            context.close()
            chromium.close()
        if wire.external:
            print("non-local requests:", wire.external)
    finally:
        lab.stop()
        shutil.rmtree(home, ignore_errors=True)
    from cjm_widgets.widgets.vega_runtime import runtime_bundle

    runtime_mb = len(runtime_bundle()[1].encode()) / 1e6
    print(f"Vega runtime modules imported in the page: {loads} (three curves)")
    result("Cold start: JourneyEditor painted (fresh kernel)", editor_ms, "ms", target=3000)
    result("Cold start: Workspace on the demo painted (fresh kernel)", ws_ms, "ms", target=3000)
    result("Second EmotionCurve first paint", second_ms, "ms", target=300, baseline=ws_ms,
           baseline_label="first curve (Workspace, loads Vega)")  # fmt: skip
    result("Third EmotionCurve first paint", third_ms, "ms", target=300, baseline=ws_ms,
           baseline_label="first curve (Workspace, loads Vega)")  # fmt: skip
    result("Notebook with three curves saved with widget state", size / 1e6, "MB", target=1.5,
           baseline=runtime_mb, baseline_label="the Vega runtime, held once")  # fmt: skip


def main(quick: bool) -> int:
    processes(3 if quick else 5)
    browser(quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main("--quick" in sys.argv[1:]))
