"""Emotion curve benchmarks (issue 4): full recompute vs the incremental aggregate.

On the real airline survey (../shared/data or $CJM_DATA_DIR) as ~1.45M evidence rows, by Class:
- full ``emotion_curve`` (target <= 300 ms);
- ``EmotionAggregate`` update after tagging one row (target <= 5 ms) and after a 100k-row bulk
  tag (target <= 150 ms), each measured from the tag call to a fresh ``.frame``, against a full
  recompute measured in the same run. Falls back to generated data of the same shape.

Usage: ``python benchmarks/bench_curve.py [--quick]``
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

import cjm_widgets as cjm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._data import airline_csv
from benchmarks._report import result


def source() -> tuple[object, str]:
    return airline_csv()


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(quick: bool) -> None:
    data, what = source()
    journey = cjm.datasets.airline_journey()
    ev = cjm.Evidence.from_survey(
        data,
        items=cjm.datasets.AIRLINE_ITEMS,
        missing=(0,),
        respondent="id",
        segments=["Class"],
        journey=journey,
    )
    print(f"data: {what}; {len(ev):,} evidence rows")
    repeat = 3 if quick else 7

    full = median_ms(lambda: cjm.emotion_curve(journey, ev, by="Class"), repeat)
    print(f"full emotion_curve by Class:        {full:8.1f} ms  (target <= 300 ms)")
    result(f"Full emotion_curve by Class ({len(ev):,} rows)", full, "ms", target=300)

    start = time.perf_counter()
    agg = cjm.EmotionAggregate(journey, ev, by="Class")
    agg.frame  # noqa: B018
    print(f"EmotionAggregate build (once):      {(time.perf_counter() - start) * 1000:8.1f} ms")

    ids = ev.column("evidence_id")
    rng = np.random.default_rng(7)
    tp_names = [tp.name for tp in journey.touchpoints]

    def one_row() -> None:
        ev.tag(
            ids.iloc[int(rng.integers(len(ids)))],
            touchpoint=rng.choice(tp_names),
            emotion=int(rng.integers(-2, 3)),
        )
        agg.frame  # noqa: B018

    ev.tag(ids.iloc[0], emotion=0)  # builds the id index outside the timing
    one = median_ms(one_row, 20 if quick else 100)
    print(
        f"one-row tag -> aggregate frame:     {one:8.2f} ms  (target <= 5 ms; "
        f"full recompute {full:.1f} ms, {full / one:,.0f}x faster)"
    )
    result(
        "Curve after a one-row tag (EmotionAggregate)", one, "ms", target=5,
        baseline=full, baseline_label="full recompute",
    )  # fmt: skip

    def bulk() -> None:
        mask = np.zeros(len(ev), dtype=bool)
        mask[rng.choice(len(ev), 100_000, replace=False)] = True
        ev.tag(mask, touchpoint=rng.choice(tp_names), emotion=int(rng.integers(-2, 3)))
        agg.frame  # noqa: B018

    many = median_ms(bulk, 3 if quick else 5)
    print(
        f"100k-row tag -> aggregate frame:    {many:8.1f} ms  (target <= 150 ms; "
        f"full recompute {full:.1f} ms, ratio {many / full:.2f})"
    )
    result(
        "Curve after a 100k-row tag", many, "ms", target=150,
        baseline=full, baseline_label="full recompute",
    )  # fmt: skip
    same = agg.frame.equals(cjm.emotion_curve(journey, ev, by="Class"))
    print(f"aggregate frame == full recompute:  {same}")
    if not same:
        raise SystemExit("the incremental curve differs from a full recompute")
    agg.close()

    from cjm_widgets import analysis

    journey.add_opportunity("Faster wifi", ["Inflight wifi service"], impact=4, effort=2)
    others = {
        "pain_points": lambda: analysis.pain_points(journey, ev),
        "opportunities": lambda: analysis.opportunities(journey, ev),
        "coverage": lambda: analysis.coverage(journey, ev),
        "compare Class Eco vs Business": lambda: analysis.compare(
            journey, ev, by="Class", a="Eco", b="Business"
        ),
        "emotion_curve level=stage": lambda: cjm.emotion_curve(journey, ev, level="stage"),
    }
    for name, fn in others.items():
        fn()  # first call fills per-store caches (text, source codes)
        took = median_ms(fn, repeat)
        print(f"{name + ':':36s}{took:8.1f} ms")
        result(name, took, "ms", baseline=full, baseline_label="full curve")


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
