"""Benchmark: building large journeys is linear (``add_touchpoint``, ``Journey.from_mermaid``).

Usage::

    python benchmarks/bench_journey.py [--quick]

Times adding n touchpoints one by one (each its own undo step) and reading a Mermaid diagram of
n tasks, for n = 1,000 and 2,000, spread over 10 stages and all in one stage. A linear
operation takes about twice as long for twice the touchpoints: the figure is the ratio
t(2,000) / t(1,000) (target ≤ 2.5; a quadratic one gives ≈ 4). Before the change: 1,000
touchpoints ≈ 3 s, 2,000 ≈ 11 s.

On the 2,000-touchpoint journey (10 stages) it also times 20 undo + redo of a batch (each
restores a snapshot of the whole journey; baseline: 40 deep copies of the journey's data) and
the static map (``journey._repr_html_()``; baseline: ``DataFrame.to_html`` of the map's cells),
best of ``repeat``.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

import cjm_widgets as cjm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._report import result


def build(n: int, stages: int) -> cjm.Journey:
    journey = cjm.Journey("Large")
    for s in range(stages):
        journey.add_stage(f"Stage {s}")
    for i in range(n):
        journey.add_touchpoint(f"Stage {i % stages}", f"Touchpoint {i}")
    return journey


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str]) -> int:
    repeat = 2 if "--quick" in argv else 5
    for stages in (10, 1):
        where = f"{stages} stages" if stages > 1 else "one stage"
        t_add = {n: best(lambda n=n, k=stages: build(n, k), repeat) for n in (1000, 2000)}
        texts = {n: build(n, stages).to_mermaid() for n in (1000, 2000)}
        t_md = {
            n: best(lambda text=text: cjm.Journey.from_mermaid(text), repeat)
            for n, text in texts.items()
        }
        for label, t in (("add_touchpoint", t_add), ("from_mermaid", t_md)):
            ratio = t[2000] / t[1000]
            print(
                f"{label}, {where}: 1,000 touchpoints {t[1000] * 1e3:.0f} ms, 2,000 "
                f"{t[2000] * 1e3:.0f} ms -> ratio {ratio:.2f} (linear: 2; target <= 2.5)"
            )
            result(
                f"{label} 2,000 vs 1,000 touchpoints ({where})", t[2000] * 1e3, "ms",
                target=2.5, target_is_ratio=True, baseline=t[1000] * 1e3,
                baseline_label="1,000 touchpoints",
            )  # fmt: skip
    large(repeat)
    return 0


def large(repeat: int) -> None:
    """Undo/redo and the static map on a 2,000-touchpoint journey (see the module doc)."""
    import copy

    import pandas as pd

    journey = build(2000, 10)
    with journey.batch("three edits"):
        journey.add_stage("Extra")
        journey.add_touchpoint("Extra", "New touchpoint")
        journey.rename_stage("Stage 0", "Stage zero")

    def undo_redo() -> None:
        for _ in range(20):
            journey.undo()
            journey.redo()

    data = journey.to_dict()
    t_undo = best(undo_redo, repeat) * 1e3
    t_copy = best(lambda: [copy.deepcopy(data) for _ in range(40)], repeat) * 1e3
    print(f"20 undo + redo of a batch, 2,000 touchpoints: {t_undo:.0f} ms (copies {t_copy:.0f})")
    result(
        "20 undo + redo of a batch (2,000 touchpoints)", t_undo, "ms", baseline=t_copy,
        baseline_label="40 deep copies of its data",
    )  # fmt: skip
    t_map = best(journey._repr_html_, repeat) * 1e3
    cells = pd.DataFrame(journey.to_frame().astype(str).to_numpy())
    t_html = best(cells.to_html, repeat) * 1e3
    print(f"static map, 2,000 touchpoints: {t_map:.1f} ms (DataFrame.to_html {t_html:.1f} ms)")
    result(
        "Static map HTML (2,000 touchpoints)", t_map, "ms", baseline=t_html,
        baseline_label="DataFrame.to_html, same cells",
    )  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
