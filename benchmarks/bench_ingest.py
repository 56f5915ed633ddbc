"""Benchmark: ingest the real airline survey with read_survey vs a plain pandas.read_csv.

Usage::

    python benchmarks/bench_ingest.py            # data from ../shared/data or $CJM_DATA_DIR

Prints the best of 3 timings, their ratio (target ≤ 1.5), the number of rows, and the memory of
the evidence frame vs a plain ``pandas.melt`` long frame of the same items (target ≤ 2).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

import pandas as pd

from cjm_widgets.datasets import AIRLINE_ITEMS
from cjm_widgets.evidence.readers import read_survey

ITEMS = list(AIRLINE_ITEMS)


def data_dir() -> Path:
    env = os.environ.get("CJM_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "data"


def best_of(fn, repeat=3):
    best, result = float("inf"), None
    for _ in range(repeat):
        result = None
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> int:
    path = data_dir() / "airline_passenger_satisfaction_train.csv.gz"
    if not path.exists():
        print(f"skipped: {path} not found (set CJM_DATA_DIR to the folder holding it)")
        return 0
    # warm up the page cache and the process's memory once, then interleave the two readers
    read_survey(path, items=ITEMS, missing=(0,))
    t_csv, df = best_of(lambda: pd.read_csv(path))
    t_ev, raw = best_of(lambda: read_survey(path, items=ITEMS, missing=(0,)))
    t_csv2, _ = best_of(lambda: pd.read_csv(path))
    t_csv = min(t_csv, t_csv2)
    ratio = t_ev / t_csv
    frame = raw.frame
    melt = df.drop(columns=["Unnamed: 0"]).melt(
        id_vars=[c for c in df.columns if c not in ITEMS and c != "Unnamed: 0"],
        value_vars=ITEMS,
        var_name="item",
        value_name="rating",
    )
    mem_ev = frame.memory_usage(deep=True).sum()
    mem_melt = melt.memory_usage(deep=True).sum()
    print(f"pandas.read_csv       best of 3: {t_csv * 1000:8.1f} ms")
    print(f"read_survey           best of 3: {t_ev * 1000:8.1f} ms")
    print(
        f"ratio read_survey/read_csv:      {ratio:8.2f}  (target <= 1.5) "
        f"{'OK' if ratio <= 1.5 else 'OVER'}"
    )
    print(f"rows: {len(frame):,} ({len(df):,} respondents x {len(ITEMS)} items)")
    print(f"memory evidence frame: {mem_ev / 1e6:8.1f} MB")
    print(f"memory plain melt:     {mem_melt / 1e6:8.1f} MB")
    print(
        f"memory ratio:          {mem_ev / mem_melt:8.2f}  (target <= 2) "
        f"{'OK' if mem_ev / mem_melt <= 2 else 'OVER'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
