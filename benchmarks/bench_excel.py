"""Benchmark: ``cjm.export.to_excel`` of survey-size evidence (363,664 rows).

Usage::

    python benchmarks/bench_excel.py [--quick]   # data from ../shared/data or $CJM_DATA_DIR

The evidence is the real airline survey's first 25,976 respondents (the size of its public test
split) × 14 rated items = 363,664 evidence rows, read with ``Evidence.from_survey`` as the other
benchmarks do, tagged to the airline journey. Prints the time of ``to_excel`` (target ≤ 30 s;
the workbook is streamed in openpyxl's write-only mode) and, as the same-run baseline,
``ev.frame.to_csv`` of the same rows.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import cjm_widgets as cjm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._data import airline_csv
from benchmarks._report import result

RESPONDENTS = 25_976  # the size of the survey's public test split: 363,664 evidence rows


def main(argv: list[str]) -> int:
    path, what = airline_csv()
    print(f"data: {what}")
    journey = cjm.datasets.airline_journey(title="Flight")
    survey = pd.read_csv(path).head(RESPONDENTS)
    ev = cjm.Evidence.from_survey(
        survey, items=list(cjm.datasets.AIRLINE_ITEMS), scale=(1, 5), missing=(0,),
        journey=journey, segments=["Class", "Type of Travel"],
    )  # fmt: skip
    print(f"rows: {len(ev):,}")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        ev.frame.to_csv(Path(folder) / "evidence.csv", index=False)
        t_csv = time.perf_counter() - start
        start = time.perf_counter()
        out = cjm.export.to_excel(journey, ev, Path(folder) / "survey.xlsx")
        t_xlsx = time.perf_counter() - start
        size = out.stat().st_size
    print(
        f"to_excel of {len(ev):,} evidence rows: {t_xlsx:.1f} s ({size / 1e6:.1f} MB; target "
        f"<= 30 s); baseline ev.frame.to_csv of the same rows {t_csv:.1f} s"
    )
    result(
        f"to_excel ({len(ev):,} survey evidence rows)", t_xlsx, "s", target=30, baseline=t_csv,
        baseline_label="ev.frame.to_csv",
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
