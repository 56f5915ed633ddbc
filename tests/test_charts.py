"""Charts render offline to SVG with the expected marks."""

from __future__ import annotations

import numpy as np
import pandas as pd

import cjm_widgets as cjm
from cjm_widgets.analysis import emotion_curve
from cjm_widgets.charts import emotion_curve_chart, to_png, to_svg
from cjm_widgets.evidence import Evidence


def tagged():
    j = cjm.datasets.grocery_journey()
    n = 12
    ev = Evidence(
        pd.DataFrame(
            {
                "evidence_id": [f"e{i}" for i in range(n)],
                "source": "interview",
                "document": "d",
                "participant": [f"P{i % 3}" for i in range(n)],
                "position": np.arange(n),
                "text": [f"t{i}" for i in range(n)],
                "rating": np.nan,
                "seg": ["A", "B"] * (n // 2),
            }
        )
    )
    ev.tag([f"e{i}" for i in range(6)], journey=j, touchpoint="t3", emotion=-2)
    ev.tag(["e6", "e7"], journey=j, touchpoint="t1", emotion=1)
    ev.tag(["e8"], journey=j, stage="s5", emotion=2)
    return j, ev


def test_emotion_curve_chart_svg() -> None:
    j, ev = tagged()
    chart = emotion_curve_chart(emotion_curve(j, ev, by="seg", min_n=3))
    spec = chart.to_dict()
    params = spec.get("params", []) + [
        p for layer in spec["layer"] for p in layer.get("params", [])
    ]
    assert any(
        p["name"] == "point" and p["select"]["fields"] == ["touchpoint_id", "series"]
        for p in params
    )
    svg = to_svg(chart)
    assert svg.startswith("<svg")
    assert "mark-rect" in svg and "mark-line" in svg and "mark-area" in svg
    assert "mark-symbol" in svg and "mark-text" in svg and "mark-rule" in svg
    assert j.stage("s3").name in svg
    assert to_png(emotion_curve_chart((j, ev)))[:4] == b"\x89PNG"


def test_chart_readable_at_30_touchpoints() -> None:
    rows = [
        {
            "stage_id": f"s{i // 5}",
            "stage": f"Stage {i // 5}",
            "touchpoint_id": f"t{i}",
            "touchpoint": f"A rather long touchpoint name {i}",
            "order": i,
            "series": "All",
            "n": 10,
            "mean": 0.1 * (i % 5) - 0.5,
            "sd": 1.0,
            "ci_low": -1.0,
            "ci_high": 1.0,
            "n_participants": 5,
            "supported": True,
        }
        for i in range(30)
    ]
    svg = to_svg(emotion_curve_chart(pd.DataFrame(rows)))
    assert "mark-symbol" in svg and "Stage 5" in svg


def test_each_series_is_drawn_in_its_own_colour_with_every_label() -> None:
    """What a person checks: both segments' lines and points are visible, in two colours."""
    import re

    demo = cjm.datasets.demo()
    curve = emotion_curve(demo.journey, demo.evidence(), by="household")
    svg = to_svg(emotion_curve_chart(curve))
    lines = re.findall(r'class="mark-line[^"]*".*?</g>', svg, flags=re.S)
    strokes = {
        c.lower() for block in lines for c in re.findall(r'stroke="(#[0-9a-fA-F]{6})"', block)
    }
    assert len(strokes) >= 2, f"series lines not drawn in distinct colours: {strokes}"
    # one filled point per touchpoint and series (9 touchpoints x 2 households)
    symbols = re.findall(r'class="mark-symbol[^"]*".*?</g>', svg, flags=re.S)
    filled = [p for block in symbols for p in re.findall(r"<path[^>]*fill=\"#[0-9a-f]{6}\"", block)]
    assert len(filled) >= 18
    for stage in demo.journey.stages:
        assert f">{stage.name}<" in svg
    for tp in demo.journey.touchpoints:
        assert f">{tp.name}<" in svg  # every touchpoint labelled on the axis
