"""Behaviour charts render offline to SVG with the marks and labels a reader looks for."""

from __future__ import annotations

import pandas as pd
from needs import module
from test_charts import tagged

import cjm_widgets as cjm
from cjm_widgets.charts import to_svg
from cjm_widgets.charts.behaviour import (
    emotion_reach_chart,
    flow_chart,
    funnel_chart,
    transition_heatmap_chart,
)

module("duckdb")


def grocery_events():
    journey, ev = tagged()
    tps = [tp.id for tp in journey.touchpoints]
    rows = []
    for case in range(30):
        # every case starts at the first touchpoint; fewer go further (a drop-off each step)
        for step, tp in enumerate(tps[: 1 + case % len(tps)]):
            rows.append((f"c{case}", tp, f"2024-01-01T{step:02d}:{case:02d}:00Z"))
    rows.append(("c1", tps[0], "2024-01-01T05:00:00Z"))  # one case goes back
    frame = pd.DataFrame(rows, columns=["case", "act", "ts"])
    events = cjm.Events(frame, case="case", activity="act", time="ts")
    return journey, ev, events.map_to(journey, lambda a: a)


def test_funnel_flow_and_heatmap_render_with_labels():
    journey, _, events = grocery_events()
    funnel = cjm.funnel(journey, events)
    svg = to_svg(funnel_chart(funnel))
    assert "mark-rect" in svg and "mark-rule" in svg
    assert journey.stages[0].name in svg and "100.0" in svg  # every case enters
    flows = cjm.flows(journey, events)
    svg = to_svg(flow_chart(flows, journey))
    assert "mark-trail" in svg and journey.touchpoints[0].name in svg
    assert "#e45756" in svg  # the backward flow is drawn below, in red
    svg = to_svg(transition_heatmap_chart(flows, journey))
    assert "mark-rect" in svg and str(int(flows["count"].max())) in svg


def test_emotion_curve_with_reach_and_drop_off_on_one_axis():
    journey, ev, events = grocery_events()
    curve = cjm.emotion_curve(journey, ev, min_n=1)
    reach = cjm.reach(journey, events)
    funnel = cjm.funnel(journey, events, level="touchpoint")
    chart = emotion_reach_chart(curve, reach, funnel)
    spec = chart.to_dict()
    top, bottom = spec["vconcat"]
    assert top["width"] == bottom["width"]  # the same touchpoint axis, aligned
    svg = to_svg(chart)
    assert "Reach" in svg and "Cases reaching" in svg and "#e45756" in svg  # drop-off ticks
    assert journey.touchpoints[-1].name in svg
