"""The tagger stays responsive while its suggestions re-train: click → new window, p95.

Usage: ``python benchmarks/bench_tagger_suggest.py`` (``--quick``: fewer rounds)

Also: the search's hit counts per filter option (the tagger's "facets") over 1.45M rows (the
airline survey store's size; texts drawn from the same sentences, as the survey's rating rows
have none to search), against the search filter itself in the same run.

An ``EvidenceTagger(journey, ev, suggest=True)`` over 15,000 short texts (BA review
sentences; generated ones without ../shared/data) with 300 tags. Each round tags one more
row (which starts a re-train of the Suggester in its background thread) and then clicks rows
at once, as a person goes on clicking: the ``select`` call through the widget's message
dispatch, as the front end sends it, plus the JSON of the new window it sends back (the
kernel's part of click → repaint; the browser's drawing of one window is measured in
bench_browser.py). Only clicks made while a re-train was running count. Baseline, same run:
the same clicks with the model idle. Target: p95 ≤ 100 ms (issue 16).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from ba_coding import journey  # noqa: E402

import cjm_widgets as cjm  # noqa: E402
from benchmarks._report import result  # noqa: E402
from benchmarks.bench_suggest import TAGS, short_texts  # noqa: E402
from cjm_widgets.widgets.evidence_tagger import EvidenceTagger  # noqa: E402

QUICK = "--quick" in sys.argv
ROUNDS = 10 if QUICK else 30
CLICKS = 6


def click(tagger: EvidenceTagger, row: int) -> float:
    """One click on a row, as the front end sends it; seconds until the window is JSON."""
    start = time.perf_counter()
    reply = tagger._dispatch(
        {"type": "call", "id": "c", "method": "select", "args": {"row": row, "mode": "one"}}
    )
    json.dumps(tagger._window, default=str)
    took = time.perf_counter() - start
    assert reply["ok"], reply
    return took


def p95(values: list[float]) -> float:
    return float(np.percentile(np.asarray(values) * 1000, 95))


def main() -> None:
    texts, what = short_texts(15_000)
    j = journey()
    ev = cjm.Evidence.from_frame(
        __import__("pandas").DataFrame({"text": texts}), text="text", source="review"
    )
    rng = np.random.default_rng(0)
    names = [tp.name for tp in j.touchpoints]
    picked = rng.choice(len(texts), TAGS + ROUNDS, replace=False)
    ids = ev.frame["evidence_id"].to_numpy()
    for row, tp in zip(picked[:TAGS], rng.choice(names, TAGS), strict=True):
        ev.tag([ids[row]], journey=j, touchpoint=tp)
    start = time.perf_counter()
    tagger = EvidenceTagger(j, ev, page_size=50, suggest=True, coder="bench")
    made = time.perf_counter() - start
    s = tagger.suggester
    assert s is not None
    page = [r[0] for r in tagger._window["rows"]]
    # idle model: the baseline clicks
    idle = [click(tagger, page[i % len(page)]) for i in range(ROUNDS * CLICKS)]
    busy: list[float] = []
    retrain: list[float] = []
    for k, row in enumerate(picked[TAGS:]):
        s.wait()
        ev.tag([ids[row]], journey=j, touchpoint=names[k % len(names)])  # starts a re-train
        began = time.perf_counter()
        for i in range(CLICKS):
            if s._thread is None:
                break
            busy.append(click(tagger, page[(k + i) % len(page)]))
        s.wait()
        retrain.append(time.perf_counter() - began)
    tagger.close()
    note = (
        f"{len(texts):,} {what}, {TAGS} tags; {len(busy)} clicks during {ROUNDS} re-trains "
        f"(median re-train {np.median(retrain) * 1000:.0f} ms); tagger with suggestions made "
        f"in {made:.1f} s; kernel side of the click (dispatch + window JSON)"
    )
    print(note)
    result(
        "Tagger click → window p95 while suggestions re-train (15,000 texts)",
        p95(busy),
        "ms",
        target=100,
        baseline=p95(idle),
        baseline_label="the same clicks, model idle",
        note=note,
    )


def facets() -> None:
    """Counts per filter option with a search in force, 1.45M rows; baseline: the filter."""
    import pandas as pd

    texts, what = short_texts(15_000)
    n = 1_454_656  # the airline survey store's size
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "text": np.asarray(texts, dtype=object)[rng.integers(0, len(texts), n)],
            "Class": rng.choice(["Business", "Eco", "Eco Plus"], n, p=[0.48, 0.45, 0.07]),
            "Type": rng.choice(["Business travel", "Personal Travel"], n),
        }
    )
    ev = cjm.Evidence.from_frame(frame, text="text", source="review", segments=["Class", "Type"])
    j = journey()
    hits = ev.search_rows("seat")
    some = np.zeros(len(ev), dtype=bool)
    some[hits[:: max(1, len(hits) // 5000)]] = True
    ev.tag(some, journey=j, touchpoint=j.touchpoints[0].id)
    tagger = EvidenceTagger(j, ev)
    filters = {"search": "seat", "Class": "Business"}
    tagger.filter(**filters)  # builds the search index and the value masks once
    counts, base = [], []
    for _ in range(3 if QUICK else 7):
        start = time.perf_counter()
        tagger._last_search = None  # the filter as a new search asks for it
        tagger._compute(filters)
        base.append(time.perf_counter() - start)
        tagger._facet_cache = None
        start = time.perf_counter()
        tagger._facets()
        counts.append(time.perf_counter() - start)
    note = (
        f"{len(ev):,} rows ({what} repeated, 3 classes, 2 travel types); search 'seat' and "
        f"Class = Business: {tagger.matching_count:,} rows"
    )
    print(note)
    result(
        "Hit counts per filter option, search in force (1.45M rows)",
        float(np.median(counts) * 1000),
        "ms",
        baseline=float(np.median(base) * 1000),
        baseline_label="the search filter itself",
        note=note,
    )


if __name__ == "__main__":
    main()
    facets()
