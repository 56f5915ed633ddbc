"""Browser benchmarks (issue 5): the tagger and the live curve in real JupyterLab + Chromium.

An isolated JupyterLab and headless Chromium (the test recipe, ``tests/browser/lab.py``) run a
notebook whose kernel loads the airline survey as ~1.45M evidence rows (generated data of the
same shape when the real file is absent), then:

- ``cjm.EvidenceTagger(journey, ev)``: first paint, from the click on the toolbar's run button
  to the first table row in the DOM (target <= 1 s), and the bytes the browser received for it
  (every WebSocket frame received from that click until the cell has finished and the kernel is
  idle: widget state with its JS/CSS, the first window, the static HTML snapshot, kernel status
  and execute messages; target <= 1 MB);
- ``cjm.EmotionCurve(journey, ev, by="Class")`` beside it: click on an emotion button in the
  tagger -> the curve repainted (its ``.cjm-curve`` root gets a new ``data-version``), timed in
  the page from the click event to that DOM change; median and p95 over 20 tags (10 with
  ``--quick``; target p95 <= 100 ms). Each click is a real change: the selected row's emotion
  alternates between -2 and +2. Baseline: click on a row -> the tagger shows it selected.
- the same frame (``ev.frame``) shown by itables in offline mode (no CDN) and, on its first
  100,000 rows, by ipydatagrid (when installed): first paint and bytes measured the same way.

Every request to a non-local URL is recorded and reported. Exit 0 whenever it ran (a missed
target is reported, not an error); prints "skipped" with the reason when Chromium, Playwright
or a table library is missing.

Usage: ``python benchmarks/bench_browser.py [--quick]``
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._report import result  # noqa: E402
from tests.browser.lab import (  # noqa: E402
    CHROMIUM_ARGS,
    browser_unavailable_reason,
    chromium_path,
    is_local_url,
    open_notebook,
    run_python,
    start_lab,
    write_notebook,
)

GRID_ROWS = 100_000  # ipydatagrid sends every row as JSON: the full frame would be ~290 MB

SETUP = """
import time as _time
_t0 = _time.perf_counter()
import cjm_widgets as cjm
import cjm_widgets.widgets  # the widget layer's imports (altair, anywidget) before timing
_import_s = _time.perf_counter() - _t0
from benchmarks._data import airline_csv
data_path, data_what = airline_csv()
journey = cjm.datasets.airline_journey()
ev = cjm.Evidence.from_survey(
    data_path, items=cjm.datasets.AIRLINE_ITEMS, missing=(0,), respondent="id",
    segments=["Class"], journey=journey,
)
frame = ev.frame
print(f"{data_what}; {len(ev):,} evidence rows; widgets import {_import_s:.2f} s")
"""
TAGGER = "tagger = cjm.EvidenceTagger(journey, ev)\ntagger"
CURVE = 'curve = cjm.EmotionCurve(journey, ev, by="Class")\ncurve'
ITABLES_INIT = "import itables\nitables.init_notebook_mode(all_interactive=False, connected=False)"
ITABLES_SHOW = "itables.show(frame)"
GRID = f"from ipydatagrid import DataGrid\nDataGrid(frame.head({GRID_ROWS}))"

#: What "first paint" waits for in each cell's output.
TAGGER_DONE = ".cjm-tagger tbody tr"
CURVE_DONE = ".cjm-curve[data-version]"
ITABLES_DONE = "table.dataTable tbody tr"
GRID_DONE = "canvas"


class Wire:
    """Counts the bytes of WebSocket frames the page receives while ``on``; records non-local
    requests and sockets."""

    def __init__(self) -> None:
        self.on = False
        self.bytes = 0
        self.frames = 0
        self.external: list[str] = []

    def frame(self, payload: Any) -> None:
        if self.on:
            self.bytes += len(payload.encode() if isinstance(payload, str) else payload)
            self.frames += 1

    def websocket(self, ws: Any) -> None:
        if not is_local_url(ws.url):
            self.external.append(f"WEBSOCKET {ws.url}")
        ws.on("framereceived", self.frame)

    def request(self, request: Any) -> None:
        if not is_local_url(request.url):
            self.external.append(f"{request.method} {request.url}")


ARM_JS = """([index, selector]) => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  nb.activeCellIndex = index;
  nb.deselectAll();
  nb.mode = 'command';
  window.__cjm_t0 = null;
  window.__cjm_lat = null;
  const cell = nb.widgets[index].node;
  const done = () => {
    const hit = cell.querySelector('.jp-OutputArea ' + selector);
    return !!hit && (hit.tagName !== 'CANVAS' || hit.width > 0);
  };
  const stamp = () => { if (window.__cjm_t0 === null) window.__cjm_t0 = performance.now(); };
  window.addEventListener('click', stamp, {capture: true, once: true});
  const obs = new MutationObserver(() => {
    if (window.__cjm_t0 !== null && done()) {
      window.__cjm_lat = performance.now() - window.__cjm_t0;
      obs.disconnect();
    }
  });
  obs.observe(document.body, {subtree: true, childList: true, attributes: true});
}"""

CELL_DONE_JS = """(index) => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const cell = w.content.widgets[index];
  const prompt = cell.node.querySelector('.jp-InputPrompt');
  return !!k && k.status === 'idle' && cell.model.executionCount !== null
    && !(prompt && prompt.textContent.includes('*'));
}"""

RUN_BUTTON = '.jp-NotebookPanel-toolbar [data-command="notebook:run-cell-and-select-next"]'


def run_cell(page: Any, wire: Wire, index: int, selector: str | None) -> tuple[float, int]:
    """Click the toolbar's run button on cell ``index``; return (ms from the click to the
    first ``selector`` in its output, bytes received until the cell finished)."""
    page.evaluate(ARM_JS, [index, selector or "*"])
    wire.bytes = wire.frames = 0
    wire.on = True
    page.locator(RUN_BUTTON).first.click()
    if selector:
        page.wait_for_function("() => window.__cjm_lat !== null", timeout=180_000, polling="raf")
    page.wait_for_function(CELL_DONE_JS, arg=index, timeout=300_000, polling=50)
    errors = page.evaluate(
        """(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].model.outputs
               .toJSON().filter(o => o.output_type === 'error')
               .map(o => o.ename + ': ' + o.evalue)""",
        index,
    )
    if errors:
        raise RuntimeError(f"cell {index} raised: {errors}")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
    wire.on = False
    ms = page.evaluate("() => window.__cjm_lat") if selector else float("nan")
    return ms, wire.bytes


TIMED_JS = """(src) => {
  const done = (0, eval)(src);
  window.__cjm_t0 = null;
  window.__cjm_lat = null;
  const stamp = () => { if (window.__cjm_t0 === null) window.__cjm_t0 = performance.now(); };
  window.addEventListener('click', stamp, {capture: true, once: true});
  const obs = new MutationObserver(() => {
    if (window.__cjm_t0 !== null && done()) {
      window.__cjm_lat = performance.now() - window.__cjm_t0;
      obs.disconnect();
    }
  });
  obs.observe(document.body, {subtree: true, childList: true, attributes: true});
}"""

ITABLES_INFO_JS = """() => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[4].node;
  const table = cell.querySelector('table.dataTable');
  const text = (sel) => [...cell.querySelectorAll(sel)].map(n => n.innerText.trim()).join(' | ');
  return {
    columns_shown: table ? table.querySelectorAll('thead th').length : 0,
    rows_in_dom: table ? table.querySelectorAll('tbody tr').length : 0,
    info: text('.dt-info, .dataTables_info'),
    notes: text('caption, .itables-warning, .dt-warning, div.dt-container > div:first-child')
      .slice(0, 400),
  };
}"""

KERNEL_IDLE_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle';
}"""


def timed_click(page: Any, locator: Any, done_js: str) -> float:
    """ms from the click event (capture phase) to ``done_js`` (a JS arrow function) being
    true, measured in the page by a MutationObserver; then waits for an idle kernel."""
    page.evaluate(TIMED_JS, done_js)
    locator.click()
    page.wait_for_function("() => window.__cjm_lat !== null", timeout=30_000, polling="raf")
    page.wait_for_function(KERNEL_IDLE_JS, timeout=30_000, polling=20)
    return page.evaluate("() => window.__cjm_lat")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def tag_loop(page: Any, n: int) -> tuple[list[float], list[float]]:
    """``n`` emotion clicks -> curve repaint, each after a row click -> row selected."""
    tagger = page.locator(".cjm-tagger")
    rows = tagger.locator("tbody tr")
    tags, selects = [], []
    for i in range(n):
        row = rows.nth(i % 2)
        row_id = row.get_attribute("data-row")
        selects.append(
            timed_click(
                page,
                row,
                f"() => !!document.querySelector('.cjm-tagger tbody tr.cjm-selected"
                f'[data-row="{row_id}"]\')',
            )
        )
        current = row.locator("td.cjm-tagger-emotion").get_attribute("data-value")
        emotion = 2 if current in ("-2", "-2.0") else -2  # always a real change
        version = int(page.locator(".cjm-curve").get_attribute("data-version") or 0)
        tags.append(
            timed_click(
                page,
                tagger.locator(f'.cjm-tagger-emo[data-emotion="{emotion}"]'),
                f"() => Number(document.querySelector('.cjm-curve').dataset.version) > {version}",
            )
        )
        page.wait_for_function(
            "([id, v]) => { const td = document.querySelector("
            '`.cjm-tagger tbody tr[data-row="${id}"] td.cjm-tagger-emotion`);'
            " return td && Number(td.dataset.value) === v; }",
            arg=[row_id, emotion],
        )
    return tags, selects


def text_of(page: Any, index: int) -> str:
    return page.evaluate(
        """(i) => {
          const c = window.jupyterapp.shell.currentWidget.content.widgets[i].node;
          const o = c.querySelector('.jp-OutputArea');
          return o ? o.innerText : '';
        }""",
        index,
    )


def mb(n: float) -> float:
    return n / 1e6


def main(quick: bool) -> int:
    reason = browser_unavailable_reason()
    if reason is None:
        try:
            import itables
        except ImportError:
            reason = "itables is not installed (pip install -e '.[dev]')"
    if reason:
        print(f"skipped: {reason}")
        return 0
    try:
        import ipydatagrid  # noqa: F401

        have_grid = True
    except ImportError:
        have_grid = False
    n_tags = 10 if quick else 20
    cells = [SETUP, TAGGER, CURVE, ITABLES_INIT, ITABLES_SHOW] + ([GRID] if have_grid else [])

    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="cjm-bench-browser-"))
    lab = start_lab(home)
    wire = Wire()
    try:
        print(f"JupyterLab started in {lab.startup_seconds:.1f} s")
        write_notebook(lab.root_dir, "bench.ipynb", cells)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium_path(), args=list(CHROMIUM_ARGS), headless=True
            )
            context = browser.new_context(
                viewport={"width": 1400, "height": 1000}, service_workers="block"
            )
            context.on("request", wire.request)
            page = context.new_page()
            page.on("websocket", wire.websocket)
            page.on("dialog", lambda d: d.accept())
            open_notebook(page, lab, "bench.ipynb")
            start = time.perf_counter()
            run_cell(page, wire, 0, None)
            print(f"setup cell: {time.perf_counter() - start:.1f} s; {text_of(page, 0).strip()}")

            t_ms, t_bytes = run_cell(page, wire, 1, TAGGER_DONE)
            c_ms, c_bytes = run_cell(page, wire, 2, CURVE_DONE)
            _, i0_bytes = run_cell(page, wire, 3, None)
            i_ms, i_bytes = run_cell(page, wire, 4, ITABLES_DONE)
            itables = page.evaluate(ITABLES_INFO_JS)
            g_ms = g_bytes = None
            if have_grid:
                g_ms, g_bytes = run_cell(page, wire, 5, GRID_DONE)

            page.locator(".cjm-curve").scroll_into_view_if_needed()
            tags, selects = tag_loop(page, n_tags)
            check = run_python(
                page, "print(int(ev.frame['emotion'].notna().sum()), curve._version)"
            )
            context.close()
            browser.close()
    finally:
        lab.stop()
        shutil.rmtree(home, ignore_errors=True)

    print(f"\n{'':34s}{'first paint':>12s}{'bytes received':>16s}")
    print(f"{'cjm EvidenceTagger (1.45M rows)':34s}{t_ms:10.0f} ms{mb(t_bytes):13.3f} MB")
    print(f"{'cjm EmotionCurve by Class':34s}{c_ms:10.0f} ms{mb(c_bytes):13.3f} MB")
    print(f"{'itables offline bundle (once)':34s}{'':>12s}{mb(i0_bytes):13.3f} MB")
    print(f"{'itables.show(frame)':34s}{i_ms:10.0f} ms{mb(i_bytes):13.3f} MB")
    if have_grid:
        print(f"{f'ipydatagrid ({GRID_ROWS:,} rows)':34s}{g_ms:10.0f} ms{mb(g_bytes):13.3f} MB")
    else:
        print("ipydatagrid: not installed (pip install ipydatagrid), not measured")
    print(f"itables: {itables}")
    print(f"kernel after the tags: {check}")

    result(
        "Tagger first paint (run click -> first row)", t_ms, "ms", target=1000,
        baseline=i_ms, baseline_label="itables.show",
    )  # fmt: skip
    result(
        "Tagger bytes to the browser", mb(t_bytes), "MB", target=1,
        baseline=mb(i_bytes), baseline_label="itables.show",
    )  # fmt: skip
    result("EmotionCurve first paint", c_ms, "ms", baseline=t_ms, baseline_label="tagger")
    result(
        "EmotionCurve bytes to the browser", mb(c_bytes), "MB",
        baseline=mb(t_bytes), baseline_label="tagger",
    )  # fmt: skip
    result("itables offline bundle bytes (once per notebook)", mb(i0_bytes), "MB")
    if have_grid:
        result(
            f"ipydatagrid first paint ({GRID_ROWS:,} rows)", g_ms, "ms",
            baseline=t_ms, baseline_label="tagger",
        )  # fmt: skip
        result(
            f"ipydatagrid bytes ({GRID_ROWS:,} rows)", mb(g_bytes), "MB",
            baseline=mb(t_bytes), baseline_label="tagger",
        )  # fmt: skip
    med_sel = statistics.median(selects)
    print(
        f"\nemotion click -> curve repainted over {n_tags} tags: median "
        f"{statistics.median(tags):.0f} ms, p95 {p95(tags):.0f} ms, max {max(tags):.0f} ms "
        f"(row click -> selected: median {med_sel:.0f} ms, p95 {p95(selects):.0f} ms)"
    )
    print("  each tag (ms): " + ", ".join(f"{t:.0f}" for t in tags))
    result(
        "Emotion click -> curve repainted (median)", statistics.median(tags), "ms",
        baseline=med_sel, baseline_label="row click -> selected",
    )  # fmt: skip
    result(
        "Emotion click -> curve repainted (p95)", p95(tags), "ms", target=100,
        baseline=p95(selects), baseline_label="row click -> selected",
    )  # fmt: skip
    if wire.external:
        print("NON-LOCAL REQUESTS:\n  " + "\n  ".join(dict.fromkeys(wire.external)))
    else:
        print("non-local requests: none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main("--quick" in sys.argv[1:]))
