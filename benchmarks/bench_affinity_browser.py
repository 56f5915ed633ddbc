"""The affinity board in a real JupyterLab with 5,000 quote cards: first paint and drag.

Usage: ``python benchmarks/bench_affinity_browser.py`` (``--quick``: 5 drags instead of 15)

Needs Chromium (/usr/bin/chromium) and Playwright; prints "skipped" otherwise.

Figures (measured in the page: a capture-phase listener stamps the click or the drop, a
MutationObserver stops the clock when the expected DOM is there):
- run click → the board's first card painted, 5,000 cards in 10 themes (target ≤ 1 s;
  the themes are grouped in the setup cell, so this is the widget: cards to the browser and
  the windowed paint); baseline in the same run: the EvidenceTagger's first paint of the
  same evidence; and how many cards are in the page (windowed: only those in view);
- drop → the card shown in its new column after the kernel's model moved it (median and
  p95 over the drags; target p95 ≤ 100 ms); baseline: a theme header click → selected
  outline (a trait round trip with no model edit).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._report import result  # noqa: E402
from benchmarks.bench_browser import KERNEL_IDLE_JS, Wire, p95, run_cell  # noqa: E402
from tests.browser.lab import (  # noqa: E402
    CHROMIUM_ARGS,
    browser_unavailable_reason,
    chromium_path,
    open_notebook,
    run_python,
    start_lab,
    write_notebook,
)

SETUP = """
import numpy as np, pandas as pd
import cjm_widgets as cjm
rng = np.random.default_rng(0)
words = ["".join(rng.choice(list("abcdefghijklmnop"), 6)) for _ in range(400)]
texts = [" ".join(rng.choice(words[(i % 10) * 40:(i % 10) * 40 + 40], 12)) for i in range(5000)]
ev = cjm.Evidence.from_frame(pd.DataFrame({"text": texts}))
journey = cjm.Journey("Bench")
model = cjm.Themes(ev, journey, rows="all", n_themes=10)
print([len(t["ids"]) for t in model.themes])
"""
BOARD = "board = cjm.AffinityBoard(journey, ev, themes=model)\nboard"
TAGGER = "tagger = cjm.EvidenceTagger(ev, journey)\ntagger"

DROP_JS = """([theme, id]) => {
  window.__cjm_t0 = null;
  window.__cjm_lat = null;
  const stamp = () => { if (window.__cjm_t0 === null) window.__cjm_t0 = performance.now(); };
  window.addEventListener('drop', stamp, {capture: true, once: true});
  const done = () => !!document.querySelector(
    `.cjm-ab-column[data-theme="${theme}"] .cjm-ab-card[data-id="${id}"]`);
  const obs = new MutationObserver(() => {
    if (window.__cjm_t0 !== null && done()) {
      window.__cjm_lat = performance.now() - window.__cjm_t0;
      obs.disconnect();
    }
  });
  obs.observe(document.body, {subtree: true, childList: true, attributes: true});
}"""

SELECT_JS = """(theme) => {
  window.__cjm_t0 = null;
  window.__cjm_lat = null;
  const stamp = () => { if (window.__cjm_t0 === null) window.__cjm_t0 = performance.now(); };
  window.addEventListener('click', stamp, {capture: true, once: true});
  const done = () => !!document.querySelector(
    `.cjm-ab-column.cjm-ab-selected[data-theme="${theme}"]`);
  const obs = new MutationObserver(() => {
    if (window.__cjm_t0 !== null && done()) {
      window.__cjm_lat = performance.now() - window.__cjm_t0;
      obs.disconnect();
    }
  });
  obs.observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


def wait_latency(page) -> float:
    page.wait_for_function("() => window.__cjm_lat !== null", timeout=30_000, polling="raf")
    page.wait_for_function(KERNEL_IDLE_JS, timeout=30_000, polling=20)
    return page.evaluate("() => window.__cjm_lat")


def drags(page, n: int) -> list[float]:
    out = []
    columns = page.locator(".cjm-ab-column")
    for i in range(n):
        source, target = columns.nth(i % 2), columns.nth(2 + i % 2)  # all in view
        card = source.locator(".cjm-ab-card").first
        card_id = card.get_attribute("data-id")
        page.evaluate(DROP_JS, [target.get_attribute("data-theme"), card_id])
        card.drag_to(target.locator(".cjm-ab-list"), target_position={"x": 40, "y": 5})
        out.append(wait_latency(page))
    return out


def selects(page, n: int) -> list[float]:
    out = []
    columns = page.locator(".cjm-ab-column")
    for i in range(n):
        col = columns.nth(i % 4)
        theme = col.get_attribute("data-theme")
        page.evaluate(SELECT_JS, theme)
        col.locator(".cjm-ab-stats").click()
        out.append(wait_latency(page))
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 30)))")
    return out


def main(quick: bool) -> int:
    reason = browser_unavailable_reason()
    if reason:
        print(f"skipped: {reason}")
        return 0
    from playwright.sync_api import sync_playwright

    n = 5 if quick else 15
    home = Path(tempfile.mkdtemp(prefix="cjm-bench-affinity-"))
    lab = start_lab(home)
    wire = Wire()
    try:
        write_notebook(lab.root_dir, "bench.ipynb", [SETUP, TAGGER, BOARD])
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
            open_notebook(page, lab, "bench.ipynb")
            start = time.perf_counter()
            run_cell(page, wire, 0, None)
            print(f"setup cell (grouping 5,000 texts): {time.perf_counter() - start:.1f} s")
            t_ms, _ = run_cell(page, wire, 1, ".cjm-tagger tbody tr")
            print(f"tagger painted in {t_ms:.0f} ms", flush=True)
            b_ms, b_bytes = run_cell(page, wire, 2, ".cjm-ab-card")
            print(f"board painted in {b_ms:.0f} ms", flush=True)
            in_page = page.locator(".cjm-ab-card").count()
            page.locator(".cjm-ab").scroll_into_view_if_needed()
            moved = drags(page, n)
            print(f"{n} drags done", flush=True)
            clicked = selects(page, n)
            check = run_python(page, "print(board.model.can_undo, len(board.columns))")
            context.close()
            browser.close()
    finally:
        lab.stop()
        shutil.rmtree(home, ignore_errors=True)
    print(f"board first paint {b_ms:.0f} ms ({b_bytes / 1e6:.2f} MB), tagger {t_ms:.0f} ms")
    print(f"cards in the page: {in_page} of 5,000; kernel after the drags: {check.strip()}")
    print("drop -> moved (ms): " + ", ".join(f"{v:.0f}" for v in moved))
    print("header click -> selected (ms): " + ", ".join(f"{v:.0f}" for v in clicked))
    result(
        "AffinityBoard first paint, 5,000 cards", b_ms, "ms", target=1000,
        baseline=t_ms, baseline_label="EvidenceTagger first paint",
    )  # fmt: skip
    result("AffinityBoard cards in the page (of 5,000)", in_page, "cards")
    result(
        "AffinityBoard drop -> model moved -> shown (median)", statistics.median(moved), "ms",
        baseline=statistics.median(clicked), baseline_label="theme click -> selected",
    )  # fmt: skip
    result(
        "AffinityBoard drop -> model moved -> shown (p95)", p95(moved), "ms", target=100,
        baseline=p95(clicked), baseline_label="theme click -> selected",
    )  # fmt: skip
    if wire.external:
        print("NON-LOCAL REQUESTS:\n  " + "\n  ".join(dict.fromkeys(wire.external)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main("--quick" in sys.argv[1:]))
