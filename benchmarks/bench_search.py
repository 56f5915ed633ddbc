"""Search: one 200 MB transcript and the 10,000 real Swedish reviews.

Usage: ``python benchmarks/bench_search.py`` (``--quick``: a 50 MB text)

Figures:
- first search over one 200 MB text (builds the normalised copy) and later searches
  (target ≤ 1 s each), peak memory added by the first search (issue 14 saw 60 s and 4.4 GB);
- baseline in the same run: Python's ``str.lower`` + ``in`` over the same text (what a
  researcher would write by hand), the floor for a substring scan in Python;
- whole-word search ("kö") over the Swedish reviews, and its baseline: Python ``re`` per review.
"""

from __future__ import annotations

import re
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._data import data_dir
from benchmarks._report import result
from cjm_widgets import Evidence

QUICK = "--quick" in sys.argv


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def huge_text() -> None:
    mb = 50 if QUICK else 200
    para = (
        "Interviewer: How was the trip?\nParticipant: Mostly fine, the queue at check-in "
        "was long and the café was closed. Kö vid incheckningen! "
    )
    text = para * (mb * 1_000_000 // len(para.encode()))
    text += "The bag never arrived at the belt."
    ev = Evidence.from_frame(pd.DataFrame({"text": [text, "short", "bag"]}))
    before = _rss_mb()
    t0 = time.perf_counter()
    hits = ev.search("never arrived")
    first = time.perf_counter() - t0
    grown = _rss_mb() - before
    assert hits == ["review:0"], hits
    times = []
    for query, kw in [
        ("belt", {}),
        ('"bag never arrived"', {}),
        ("queue", {"match": "words"}),
        ("The bag", {"match": "exact"}),
    ]:
        t0 = time.perf_counter()
        ev.search(query, **kw)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    assert "never arrived" in text.lower()
    py = time.perf_counter() - t0
    print(
        f"{mb} MB text: first search {first:.2f} s (+{grown:.0f} MB peak RSS); "
        f"later searches {', '.join(f'{t:.2f}' for t in times)} s; python lower+in {py:.2f} s"
    )
    result(
        f"Search one {mb} MB text: first search (builds index)",
        first,
        "s",
        baseline=py,
        baseline_label="str.lower() + in",
    )
    result(
        f"Search one {mb} MB text: later search (worst of 4)",
        max(times),
        "s",
        target=1.0,
        baseline=py,
        baseline_label="str.lower() + in",
    )
    result(
        f"Search one {mb} MB text: peak memory added",
        max(grown, 0.0),
        "MB",
        note=f"text itself {len(text.encode()) / 1e6:.0f} MB",
    )


def swedish() -> None:
    path = data_dir() / "swedish_customer_reviews_sentiment.csv.gz"
    if not path.exists():
        print(f"skipped: {path} not found")
        return
    df = pd.read_csv(path)
    ev = Evidence.from_frame(df[["text"]])
    ev.search("x")  # index built
    t0 = time.perf_counter()
    n = len(ev.search("kö", match="words"))
    ours = time.perf_counter() - t0
    pattern = re.compile(r"(?<!\w)kö(?!\w)")
    t0 = time.perf_counter()
    m = sum(1 for t in df["text"].astype(str) if pattern.search(t.lower()))
    base = time.perf_counter() - t0
    assert n == m, (n, m)
    print(f"Swedish reviews: 'kö' as a word in {n} of {len(df)} (python re: {m})")
    result(
        "Whole-word search, 10k Swedish reviews",
        ours * 1000,
        "ms",
        baseline=base * 1000,
        baseline_label="python re per review",
    )


if __name__ == "__main__":
    huge_text()
    swedish()
