"""HTML report benchmark (issue 6): size and build time for the airline journey.

On the real airline survey (../shared/data or $CJM_DATA_DIR; ~1.45M evidence rows, 14
touchpoints) with series by "Type of Travel" (two groups, so the comparison is included):

- size of the report file (target <= 2 MB);
- build time of ``cjm.export.html_report`` (target <= 3 s): the first report in the process
  (imports Altair, starts vl-convert) and the median of the next ones;
- baseline in the same run: ``emotion_curve`` by the same column + ``to_svg`` of its chart,
  i.e. the cheapest useful static output; the report costs a small multiple of it.

Falls back to generated data of the same shape when the file is absent.

Usage: ``python benchmarks/bench_report.py [--quick]``
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import cjm_widgets as cjm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._data import airline_csv
from benchmarks._report import result

BY = "Type of Travel"


def source() -> tuple[object, str]:
    return airline_csv()


def seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(quick: bool) -> None:
    data, what = source()
    journey = cjm.datasets.airline_journey()
    start = time.perf_counter()
    ev = cjm.Evidence.from_survey(
        data,
        items=cjm.datasets.AIRLINE_ITEMS,
        missing=(0,),
        respondent="id",
        segments=[BY, "Class"],
        journey=journey,
    )
    print(f"data: {what}; {len(ev):,} evidence rows (read in {time.perf_counter() - start:.1f} s)")
    journey.add_opportunity("Fix the inflight wifi", ["Inflight wifi service"], impact=4, effort=2)
    journey.add_opportunity(
        "Online booking in three steps", ["Ease of Online booking"], impact=4, effort=3
    )
    repeat = 2 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "airline_report.html"
        first = seconds(lambda: cjm.export.html_report(journey, ev, out, by=BY))
        runs = [
            seconds(lambda: cjm.export.html_report(journey, ev, out, by=BY)) for _ in range(repeat)
        ]
        size = out.stat().st_size
        text = out.read_text(encoding="utf-8")

    def baseline() -> None:
        curve = cjm.emotion_curve(journey, ev, by=BY)
        cjm.charts.to_svg(cjm.charts.emotion_curve_chart(curve))

    base = statistics.median(seconds(baseline) for _ in range(repeat))
    from cjm_widgets.export._findings import collect

    analyses = statistics.median(
        seconds(lambda: collect(journey, ev, by=BY)) for _ in range(repeat)
    )
    warm = statistics.median(runs)
    print(
        f"report size:                     {size / 1e6:8.3f} MB  (target <= 2 MB) "
        f"{'ok' if size <= 2e6 else 'MISSED'}"
    )
    print(
        f"  {text.count('<svg')} inline SVG charts, {text.count('<table')} tables, "
        f"{text.count('<script')} scripts, {text.count('http://') + text.count('https://')} URLs"
    )
    print(f"first report in this process:    {first:8.2f} s   (imports Altair, starts vl-convert)")
    print(
        f"report build, median of {repeat}:      {warm:8.2f} s   (target <= 3 s) "
        f"{'ok' if warm <= 3 else 'MISSED'}"
    )
    print(f"  of which analyses (collect):   {analyses:8.2f} s")
    print(f"baseline curve + one SVG:        {base:8.2f} s   (same data, same run)")
    print(f"report / baseline:               {warm / base:8.1f} x")
    result("HTML report size (airline journey)", size / 1e6, "MB", target=2)
    result(
        "HTML report build (warm, median)", warm, "s", target=3, baseline=base,
        baseline_label="curve + one SVG",
    )  # fmt: skip
    result("HTML report, first in a fresh process", first, "s", note="includes imports")
    big_map()


def big_map() -> None:
    """The static map of a 40-stage, 200-touchpoint journey (HTML and frame), best of 5,
    against ``DataFrame.to_html`` of a frame of the same cells (same run)."""
    import pandas as pd

    from cjm_widgets.model.render import journey_frame, journey_html

    j = cjm.Journey(title="Big map")
    for s in range(40):
        j.add_stage(f"Stage {s}")
        for t in range(5):
            j.add_touchpoint(f"Stage {s}", f"Touchpoint {s}.{t}", channel="web")
        j.set_lane(f"Stage {s}", "actions", [f"Item {s}.a", f"Item {s}.b"])
    html = min(seconds(lambda: journey_html(j)) for _ in range(5)) * 1000
    frame = journey_frame(j)
    plain = pd.DataFrame(frame.astype(str).to_numpy())
    base = min(seconds(plain.to_html) for _ in range(5)) * 1000
    frame_ms = min(seconds(lambda: journey_frame(j)) for _ in range(5)) * 1000
    print(f"40-stage map: HTML {html:.1f} ms, frame {frame_ms:.1f} ms; to_html {base:.1f} ms")
    result("Static map HTML, 40 stages x 200 touchpoints", html, "ms", target=50, baseline=base,
           baseline_label="DataFrame.to_html, same cells")  # fmt: skip
    result("Static map frame, 40 stages x 200 touchpoints", frame_ms, "ms", target=50)


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
