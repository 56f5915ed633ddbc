"""Latency under load (issue 17): face click -> curve repainted and -> table repainted, in a
real JupyterLab Workspace, while a second process keeps one of the machine's cores busy.

Two evidence sets: the real British Airways reviews (3,911 reviews split into sentences, plus
their aspect ratings; ``../shared/data``) and the airline survey as 1,454,656 evidence rows
(generated data of the same shape when the real file is absent). For each, a
``cjm.Workspace(journey, ev)`` is shown, the tagger is filtered to rows tagged to one
touchpoint, and each of 40 clicks (also with ``--quick``: the p95 of 10 is one click)
on an emotion face re-tags the row selected just before (alternating -2 / +2: always a real
change). Timed in the page from the click event: the curve's ``data-version`` changes (curve
repainted) and the row's emotion cell shows the new value (table repainted). Reported: p50
and p95 of both (targets p95 <= 100 ms curve, <= 150 ms table); baseline: the same clicks
measured with the machine idle. Printed too: when the kernel's message reached the page, which
splits each figure into kernel + wire and the browser's repaint.

Usage: ``python benchmarks/bench_latency.py [--quick] [--only reviews|survey]``
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._data import airline_csv, data_dir  # noqa: E402
from benchmarks._report import result  # noqa: E402

REVIEWS = "ba_reviews_airlinequality_markphamm.csv.gz"

SETUP_REVIEWS = """
import re
import pandas as pd
import cjm_widgets as cjm

reviews = pd.read_csv({path!r}).drop_duplicates().reset_index(drop=True)
reviews.insert(0, "review_id", [f"r{{i:04d}}" for i in range(len(reviews))])
body = reviews["review_bodies"].str.replace(r"^\\s*[^|]{{0,25}}\\|", "", regex=True).str.strip()
sentences = body.str.split(r"(?<=[.!?])\\s+")
quotes = pd.DataFrame({{"review_id": reviews["review_id"], "quote": sentences}})
quotes = quotes.explode("quote", ignore_index=True).dropna()
quotes = quotes[quotes["quote"].str.len() > 0].reset_index(drop=True)
journey = cjm.Journey.from_template("current_state", stages="five_stage", title="BA")
for stage, tp in [("Awareness", "Fare and value"), ("Purchase", "Check-in and ground staff"),
                  ("Retention", "Seat"), ("Retention", "Cabin crew"),
                  ("Retention", "Food and drink")]:
    journey.add_touchpoint(stage, tp)
RATINGS = {{"Value For Money": "Fare and value", "Ground Service": "Check-in and ground staff",
           "Seat Comfort": "Seat", "Cabin Staff Service": "Cabin crew",
           "Food & Beverages": "Food and drink"}}
ev = cjm.Evidence.concat([
    cjm.Evidence.from_frame(quotes, text="quote", participant="review_id", source="review"),
    cjm.Evidence.from_survey(reviews, items=RATINGS, scale=(1, 5), missing=(0,),
                             respondent="review_id", segments=["Seat Type"], journey=journey),
])
ev.tag(ev.search("seat")[:200], journey=journey, touchpoint="Seat", emotion=-1)
TP = "Seat"
print(f"{{len(ev):,}} evidence rows from {{len(reviews):,}} reviews")
"""

SETUP_SURVEY = """
import cjm_widgets as cjm
journey = cjm.datasets.airline_journey()
ev = cjm.Evidence.from_survey(
    {path!r}, items=cjm.datasets.AIRLINE_ITEMS, missing=(0,), respondent="id",
    segments=["Class"], journey=journey,
)
TP = journey.touchpoints[0].name
print(f"{{len(ev):,}} evidence rows")
"""

SHOW = "ws = cjm.Workspace(journey, ev)\nws.tagger.filter(touchpoint=TP)\nws"

# Where the time goes: the page stamps (performance.now()) each kernel message that carries
# the curve's new points (`_values`) or the tagger's new page (`_window`), so that each
# repaint splits into "message arrived" (kernel + wire) and "repainted" (the browser).
WS_STAMP_JS = r"""() => {
  window.__cjm_ws = [];
  const decoder = new TextDecoder();
  const seen = (event) => {
    const d = event.data;
    let text = '';
    if (typeof d === 'string') text = d;
    else if (d instanceof ArrayBuffer)
      text = decoder.decode(new Uint8Array(d, 0, Math.min(d.byteLength, 4096)));
    else return;
    const t = performance.now();
    // the message's header date (kernel sent it) and its parent's (the page sent the call),
    // on the page's clock: the first two dates (v1 protocol: header, then parent header)
    const dates = [...text.matchAll(/"date":\s*"([^"]+)"/g)].slice(0, 2).map(
      (m) => Date.parse(m[1].replace(/(\.\d{3})\d+/, '$1')) - performance.timeOrigin);
    const [sent, asked] = dates.length === 2 ? dates : [null, null];
    if (text.includes('"_values"')) window.__cjm_ws.push({t, sent, asked, kind: 'curve'});
    if (text.includes('"_window"')) window.__cjm_ws.push({t, sent, asked, kind: 'table'});
  };
  const Orig = window.WebSocket;
  window.WebSocket = class extends Orig {
    constructor(...args) { super(...args); this.addEventListener('message', seen); }
  };
}"""

ARM_JS = """([rowId, emotion, version]) => {
  window.__cjm_lat = {t0: null, curve: null, table: null};
  window.__cjm_ws = [];
  const lat = window.__cjm_lat;
  const stamp = () => { if (lat.t0 === null) lat.t0 = performance.now(); };
  window.addEventListener('click', stamp, {capture: true, once: true});
  const check = () => {
    if (lat.t0 === null) return;
    const now = performance.now() - lat.t0;
    const curve = document.querySelector('.cjm-ws .cjm-curve');
    if (lat.curve === null && curve && Number(curve.dataset.version) > version) lat.curve = now;
    const td = document.querySelector(
      `.cjm-ws .cjm-tagger tbody tr[data-row="${rowId}"] td.cjm-tagger-emotion`);
    if (lat.table === null && td && Number(td.dataset.value) === emotion) lat.table = now;
    if (lat.curve !== null && lat.table !== null) obs.disconnect();
  };
  const obs = new MutationObserver(check);
  obs.observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


ARRIVED_JS = """() => {
  const lat = window.__cjm_lat;
  const first = (kind) => window.__cjm_ws.find((m) => m.kind === kind && m.t >= lat.t0);
  const out = {};
  for (const kind of ['curve', 'table']) {
    const m = first(kind);
    out[kind] = m ? m.t - lat.t0 : null;
    out[kind + '_sent'] = m && m.sent !== null ? m.sent - lat.t0 : null;
    out[kind + '_asked'] = m && m.asked !== null ? m.asked - lat.t0 : null;
  }
  return out;
}"""


def clicks(
    page: Any, n: int, arrived: dict[str, list[float]] | None = None
) -> tuple[list[float], list[float]]:
    """``n`` face clicks; ms from each to the curve and to the table repainted. ``arrived``
    collects, per click, ms from the click to the kernel's message reaching the page."""
    from benchmarks.bench_browser import KERNEL_IDLE_JS

    tagger = page.locator(".cjm-ws .cjm-tagger")
    rows = tagger.locator("tbody tr")
    curve_ms, table_ms = [], []
    for i in range(n):
        row = rows.nth(i % 2)
        row_id = row.get_attribute("data-row")
        row.click()
        page.wait_for_selector(f'.cjm-ws .cjm-tagger tbody tr.cjm-selected[data-row="{row_id}"]')
        page.wait_for_function(KERNEL_IDLE_JS, timeout=30_000, polling=20)
        current = row.locator("td.cjm-tagger-emotion").get_attribute("data-value")
        emotion = 2 if current in ("-2", "-2.0") else -2
        version = int(page.locator(".cjm-ws .cjm-curve").get_attribute("data-version") or 0)
        page.evaluate(ARM_JS, [row_id, emotion, version])
        tagger.locator(f'.cjm-tagger-emo[data-emotion="{emotion}"]').click()
        page.wait_for_function(
            "() => window.__cjm_lat.curve !== null && window.__cjm_lat.table !== null",
            timeout=30_000,
            polling="raf",
        )
        lat = page.evaluate("() => window.__cjm_lat")
        curve_ms.append(lat["curve"])
        table_ms.append(lat["table"])
        if arrived is not None:
            came = page.evaluate(ARRIVED_JS)
            for key, value in came.items():
                if value is not None:
                    arrived.setdefault(key, []).append(value)
        page.wait_for_function(KERNEL_IDLE_JS, timeout=30_000, polling=20)
    return curve_ms, table_ms


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def measure(setup: str, n: int) -> dict[str, list[float]]:
    """Idle and loaded clicks on one Workspace."""
    from playwright.sync_api import sync_playwright

    from benchmarks.bench_browser import Wire, run_cell
    from tests.browser.lab import (
        CHROMIUM_ARGS,
        chromium_path,
        open_notebook,
        start_lab,
        write_notebook,
    )

    home = Path(tempfile.mkdtemp(prefix="cjm-bench-latency-"))
    lab = start_lab(home)
    out: dict[str, list[float]] = {}
    try:
        write_notebook(lab.root_dir, "latency.ipynb", [setup, SHOW])
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(
                executable_path=chromium_path(), args=list(CHROMIUM_ARGS), headless=True
            )
            context = chromium.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            page.add_init_script(script=f"({WS_STAMP_JS})()")
            open_notebook(page, lab, "latency.ipynb")
            wire = Wire()
            page.on("websocket", wire.websocket)
            run_cell(page, wire, 0, None)
            run_cell(page, wire, 1, ".cjm-ws .cjm-curve[data-version]")
            page.locator(".cjm-ws .cjm-tagger tbody tr").first.wait_for(timeout=60_000)
            page.locator(".cjm-ws .cjm-tagger").scroll_into_view_if_needed()
            clicks(page, 2)  # warm-up
            idle_came: dict[str, list[float]] = {}
            out["idle_curve"], out["idle_table"] = clicks(page, n, idle_came)
            busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
            load_came: dict[str, list[float]] = {}
            try:
                out["load_curve"], out["load_table"] = clicks(page, n, load_came)
            finally:
                busy.kill()
                busy.wait()
            context.close()
            chromium.close()
            for key, came in (("idle", idle_came), ("load", load_came)):
                for what, values in came.items():
                    out[f"{key}_{what}_arrived"] = values
    finally:
        lab.stop()
        shutil.rmtree(home, ignore_errors=True)
    return out


def main(quick: bool, only: str = "") -> int:
    from tests.browser.lab import browser_unavailable_reason

    reason = browser_unavailable_reason()
    if reason:
        print(f"skipped: {reason}")
        return 0
    n = 40  # p95 of 40 is the 3rd slowest click; of 10 it was one click (the slowest but one)
    sets = []
    reviews = data_dir() / REVIEWS
    if reviews.exists():
        sets.append(("reviews", SETUP_REVIEWS.format(path=str(reviews))))
    else:
        print(f"reviews skipped: {reviews} not found")
    survey, what = airline_csv()
    print(f"survey: {what}")
    sets.append(("survey 1.45M rows", SETUP_SURVEY.format(path=str(survey))))
    for name, setup in sets:
        if only and only not in name:
            continue
        m = measure(setup, n)
        for kind, target in (("curve", 100), ("table", 150)):
            idle, load = m[f"idle_{kind}"], m[f"load_{kind}"]
            print(f"{name} {kind}: idle p50 {statistics.median(idle):.0f} p95 {p95(idle):.0f}; "
                  f"loaded p50 {statistics.median(load):.0f} p95 {p95(load):.0f} ms")  # fmt: skip
            for when in ("idle", "load"):
                # the split, ms after the click: the page sent the call, the kernel sent the
                # new state (header dates: ms resolution), it reached the page, repainted
                parts = [("call sent", "asked"), ("kernel sent", "sent"), ("arrived", "")]
                line = []
                for label, suffix in parts:
                    came = m.get(f"{when}_{kind}{'_' + suffix if suffix else ''}_arrived")
                    if came:
                        line.append(f"{label} {statistics.median(came):.0f}/{p95(came):.0f}")
                if line:
                    print(f"  {when} p50/p95: " + ", ".join(line) + " ms")
            label = f"Face click -> {kind} repainted, {name}, one core busy"
            result(f"{label} (p50)", statistics.median(load), "ms",
                   baseline=statistics.median(idle), baseline_label="idle p50")  # fmt: skip
            result(f"{label} (p95)", p95(load), "ms", target=target,
                   baseline=p95(idle), baseline_label="idle p95")  # fmt: skip
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    only = args[args.index("--only") + 1] if "--only" in args[:-1] else ""
    raise SystemExit(main("--quick" in args, only))
