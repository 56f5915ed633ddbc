"""Benchmark: ingest the real airline survey vs a plain pandas.read_csv of the same file.

Usage::

    python benchmarks/bench_ingest.py            # data from ../shared/data or $CJM_DATA_DIR

Prints best-of-3 timings, each with its ratio to ``pandas.read_csv`` measured in the same run:

- ``Evidence.from_survey`` (the store a researcher works with; target ≤ 1.5). Its long table
  is built column by column when used and its evidence ids are derived on demand;
- ``read_survey`` (the reader's result; its ``frame`` is built on first read) and
  ``read_survey(...).frame`` (the whole long table, 1.45M evidence ids included), for
  information;

then the number of rows and the memory of the evidence frame vs a plain ``pandas.melt`` long
frame of the same items (target ≤ 2).
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

import pandas as pd

from cjm_widgets.datasets import AIRLINE_ITEMS, airline_journey
from cjm_widgets.evidence import Evidence
from cjm_widgets.evidence.readers import read_survey

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._data import airline_csv
from benchmarks._report import result

ITEMS = list(AIRLINE_ITEMS)


def interleaved(fns, rounds=3):
    """Best time of each function over ``rounds`` rounds; each round runs every function once,
    in turn, so that a busy spell of the machine hits all of them alike."""
    best = dict.fromkeys(fns, float("inf"))
    results = dict.fromkeys(fns)
    for _ in range(rounds):
        for name, fn in fns.items():
            results[name] = None
            gc.collect()
            t0 = time.perf_counter()
            results[name] = fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    return best, results


def main() -> int:
    path, what = airline_csv()
    print(f"data: {what}")
    journey = airline_journey(title="Flight")

    def store() -> Evidence:
        return Evidence.from_survey(path, items=ITEMS, missing=(0,), journey=journey)

    # warm up the page cache and the process's memory once, then interleave the readers
    warm = read_survey(path, items=ITEMS, missing=(0,))
    assert len(warm.frame) == len(warm)
    best, results = interleaved(
        {
            "csv": lambda: pd.read_csv(path),
            "store": store,
            "reader": lambda: read_survey(path, items=ITEMS, missing=(0,)),
            "frame": lambda: read_survey(path, items=ITEMS, missing=(0,)).frame,
        }
    )
    t_csv, t_store, t_ev, t_full = best["csv"], best["store"], best["reader"], best["frame"]
    df, frame = results["csv"], results["frame"]
    ratio = t_store / t_csv
    melt = df.drop(columns=["Unnamed: 0"]).melt(
        id_vars=[c for c in df.columns if c not in ITEMS and c != "Unnamed: 0"],
        value_vars=ITEMS,
        var_name="item",
        value_name="rating",
    )
    mem_ev = frame.memory_usage(deep=True).sum()
    mem_melt = melt.memory_usage(deep=True).sum()
    print(f"pandas.read_csv            best of 3: {t_csv * 1000:8.1f} ms")
    print(f"Evidence.from_survey       best of 3: {t_store * 1000:8.1f} ms")
    print(f"read_survey                best of 3: {t_ev * 1000:8.1f} ms  ({t_ev / t_csv:.2f}x)")
    print(f"read_survey(...).frame     best of 3: {t_full * 1000:8.1f} ms  ({t_full / t_csv:.2f}x)")
    print(
        f"ratio Evidence.from_survey/read_csv: {ratio:5.2f}  (target <= 1.5) "
        f"{'OK' if ratio <= 1.5 else 'OVER'}"
    )
    print(f"rows: {len(frame):,} ({len(df):,} respondents x {len(ITEMS)} items)")
    print(f"memory evidence frame: {mem_ev / 1e6:8.1f} MB")
    print(f"memory plain melt:     {mem_melt / 1e6:8.1f} MB")
    print(
        f"memory ratio:          {mem_ev / mem_melt:8.2f}  (target <= 2) "
        f"{'OK' if mem_ev / mem_melt <= 2 else 'OVER'}"
    )
    result(
        f"Ingest the survey (Evidence.from_survey, {len(frame):,} rows)", t_store * 1000, "ms",
        target=1.5, target_is_ratio=True, baseline=t_csv * 1000, baseline_label="pandas.read_csv",
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
