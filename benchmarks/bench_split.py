"""Benchmark: sentence splitting and quotes on the real BA reviews.

Usage::

    python benchmarks/bench_split.py             # data from ../shared/data or $CJM_DATA_DIR

Figures (best of 3, interleaved so a busy spell of the machine hits all alike):

- ``sentence_spans`` over every review: sentences per second (goal ≥ 100,000), and its time as
  a ratio to a naive ``re.split`` on sentence ends over the same texts in the same run (the
  price of the abbreviation, quote and emoticon rules);
- ``Evidence.from_frame(..., split="sentence")`` vs ``from_frame`` without split (ratio);
- ``ev.add_quote`` on the split store (every row's columns are appended to) vs ``ev.tag`` of
  one row, as a ratio: what one quote costs compared with one tag.
"""

from __future__ import annotations

import gc
import re
import sys
import time
from pathlib import Path

import pandas as pd

from cjm_widgets.evidence import Evidence
from cjm_widgets.evidence.sentences import sentence_spans

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._data import data_dir
from benchmarks._report import result

_NAIVE = re.compile(r"(?<=[.!?])\s+")


def interleaved(fns, rounds=3):
    best = dict.fromkeys(fns, float("inf"))
    results = dict.fromkeys(fns)
    for _ in range(rounds):
        for name, fn in fns.items():
            gc.collect()
            t0 = time.perf_counter()
            results[name] = fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    return best, results


def main() -> int:
    path = data_dir() / "ba_reviews_airlinequality_markphamm.csv.gz"
    if not path.exists():
        print(f"skipped: no {path}")
        return 0
    df = pd.read_csv(path)
    texts = df["review_bodies"].dropna().astype(str).tolist()
    print(f"data: {len(texts):,} BA reviews")
    best, got = interleaved(
        {
            "rules": lambda: sum(len(sentence_spans(t)) for t in texts),
            "naive": lambda: sum(len(_NAIVE.split(t)) for t in texts),
        }
    )
    n = got["rules"]
    result(
        "sentence_spans: sentences per second",
        n / best["rules"],
        "sentences/s",
        target=100_000,
        higher_is_better=True,
        note=f"{n:,} sentences in {best['rules']:.3f} s",
    )
    result(
        "sentence_spans vs naive re.split",
        best["rules"],
        "s",
        baseline=best["naive"],
        baseline_label="re.split on .!? + space",
        note=f"naive finds {got['naive']:,}",
    )
    frame = df[["review_bodies", "Type Of Traveller"]]
    best, got = interleaved(
        {
            "split": lambda: Evidence.from_frame(frame, text="review_bodies", split="sentence"),
            "whole": lambda: Evidence.from_frame(frame, text="review_bodies"),
        }
    )
    result(
        "from_frame(split='sentence') vs whole reviews",
        best["split"],
        "s",
        baseline=best["whole"],
        baseline_label="from_frame without split",
        note=f"{len(got['split']):,} rows vs {len(got['whole']):,}",
    )
    ev = got["split"]
    ids = ev.frame["evidence_id"].tolist()
    t_quote = t_tag = float("inf")
    for i in range(5):
        pid = ids[i * 7]
        t0 = time.perf_counter()
        ev.add_quote(pid, 0, 5)
        t_quote = min(t_quote, time.perf_counter() - t0)
        t0 = time.perf_counter()
        ev.tag(pid, emotion=-1)
        t_tag = min(t_tag, time.perf_counter() - t0)
    result(
        "add_quote vs tag of one row",
        t_quote,
        "s",
        baseline=t_tag,
        baseline_label="ev.tag(one id)",
        note=f"on {len(ev):,} rows",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
