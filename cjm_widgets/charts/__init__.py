"""Altair charts of aggregated analysis frames, and offline SVG/PNG rendering.

Every builder is a pure function returning an ``alt.Chart``/``LayerChart`` from an analysis
frame (or a ``(journey, evidence)`` pair it aggregates first): the data in the spec is inline
and already aggregated, so there is no MaxRowsError and nothing loads from the network.

Usage::

    chart = cjm.charts.emotion_curve_chart(cjm.emotion_curve(journey, ev, by="Class"))
    cjm.charts.save(chart, "curve.svg")
"""

from cjm_widgets.charts.behaviour import (
    emotion_reach_chart,
    flow_chart,
    funnel_chart,
    transition_heatmap_chart,
)
from cjm_widgets.charts.compare import compare_chart
from cjm_widgets.charts.coverage import coverage_chart
from cjm_widgets.charts.emotion_curve import emotion_curve_chart
from cjm_widgets.charts.matrix import channel_matrix_chart, opportunity_matrix_chart
from cjm_widgets.charts.render import save, spec, to_png, to_svg

__all__ = [
    "channel_matrix_chart",
    "compare_chart",
    "coverage_chart",
    "emotion_curve_chart",
    "emotion_reach_chart",
    "flow_chart",
    "funnel_chart",
    "opportunity_matrix_chart",
    "save",
    "spec",
    "to_png",
    "to_svg",
    "transition_heatmap_chart",
]
