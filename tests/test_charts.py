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


# ----------------------------------------------------------------------------- other charts
import json  # noqa: E402
import re  # noqa: E402

from cjm_widgets.analysis import compare, coverage, opportunities  # noqa: E402
from cjm_widgets.charts import (  # noqa: E402
    channel_matrix_chart,
    compare_chart,
    coverage_chart,
    opportunity_matrix_chart,
    save,
    spec,
)


def mark_items(svg: str, kind: str, element: str = "path") -> list[str]:
    """The ``element`` items inside every data mark container of ``kind`` (not legends)."""
    blocks = re.findall(rf'<g class="mark-{kind} role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    return [item for b in blocks for item in re.findall(rf"<{element}\b[^>]*>", b)]


def offline(chart) -> None:
    """Inline data only: nothing in the spec points at the network."""
    text = json.dumps(spec(chart))
    assert "http" not in text and '"url"' not in text


def demo_pair():
    demo = cjm.datasets.demo()
    return demo.journey, demo.evidence()


def test_opportunity_matrix_chart_svg() -> None:
    j, ev = demo_pair()
    opp = opportunities(j, ev)
    chart = opportunity_matrix_chart(opp)
    offline(chart)
    svg = to_svg(chart)
    bubbles = mark_items(svg, "symbol")
    assert len(bubbles) == len(opp)
    quick = [b for b in bubbles if 'fill="#2ca02c"' in b]
    assert len(quick) == int(opp["quick_win"].sum())
    assert "Quick wins" in svg and "Effort (1 low – 5 high)" in svg
    for rank, text in zip(opp["rank"], opp["text"], strict=True):
        assert f">{rank}. {text[:20]}" in svg  # the numbered list beside the matrix
    names = [p["name"] for p in spec(chart).get("params", [])]  # Altair lifts params up
    assert "opportunity" in names
    assert to_svg(opportunity_matrix_chart(j)).startswith("<svg")  # journey alone works


def test_coverage_chart_svg() -> None:
    j, ev = demo_pair()
    j.add_stage("Nothing here")
    cov = coverage(j, ev)
    chart = coverage_chart(cov)
    offline(chart)
    svg = to_svg(chart)
    used = [s for s in cov.attrs["sources"] if cov[s].sum() > 0]
    cells = mark_items(svg, "rect")
    assert len(cells) == len(cov) * (len(used) + 1)  # sources used + participants
    assert "Nothing here (whole stage) ⚠ no evidence" in svg
    assert ">survey<" in svg and ">participants<" in svg
    numbers = mark_items(svg, "text", "text")
    assert len(numbers) == len(cells)


def test_channel_matrix_chart_svg() -> None:
    j, ev = demo_pair()
    chart = channel_matrix_chart((j, ev))
    offline(chart)
    svg = to_svg(chart)
    assert len(mark_items(svg, "symbol")) == len(j.touchpoints)  # one circle per touchpoint
    assert len(mark_items(svg, "rect")) == len(j.touchpoints) * len(cjm.CHANNELS)
    for channel in cjm.CHANNELS:
        assert f">{channel}<" in svg
    plain = to_svg(channel_matrix_chart(j))  # the journey alone: squares, no evidence
    assert len(mark_items(plain, "symbol")) == len(j.touchpoints)


def test_compare_chart_svg() -> None:
    j, ev = demo_pair()
    cmp = compare(j, ev, by="household", a="Single", b="Family")
    chart = compare_chart(cmp)
    offline(chart)
    svg = to_svg(chart)
    assert len(mark_items(svg, "symbol")) == int(cmp["diff"].notna().sum())
    assert len(mark_items(svg, "rule", "line")) == len(mark_items(svg, "symbol")) + 1  # CIs + 0
    assert "Family − Single" in svg
    significant = int((cmp["p"] < 0.05).sum())
    coloured = [p for p in mark_items(svg, "symbol") if 'fill="#7f7f7f"' not in p]
    assert len(coloured) == significant
    assert compare_chart((j, ev), by="household", a="Single", b="Family").to_dict()


def test_charts_never_take_raw_rows(tmp_path) -> None:
    """10k evidence rows: every chart gets aggregated data only (no MaxRowsError)."""
    j = cjm.datasets.grocery_journey()
    n = 10_000
    rng = np.random.default_rng(5)
    ev = Evidence(
        pd.DataFrame(
            {
                "evidence_id": [f"r{i}" for i in range(n)],
                "source": "survey",
                "document": "s",
                "participant": [f"R{i // 5}" for i in range(n)],
                "position": np.arange(n),
                "text": "",
                "rating": np.nan,
                "seg": rng.choice(["A", "B"], n),
            }
        )
    )
    tps = [tp.id for tp in j.touchpoints]
    for k, tp in enumerate(tps):
        ev.tag(np.arange(n) % len(tps) == k, journey=j, touchpoint=tp, emotion=k % 5 - 2)
    charts = [
        emotion_curve_chart((j, ev), by="seg"),
        opportunity_matrix_chart((j, ev)),
        coverage_chart((j, ev)),
        channel_matrix_chart((j, ev)),
        compare_chart((j, ev), by="seg", a="A", b="B"),
    ]
    for chart in charts:
        offline(chart)
        assert to_svg(chart).startswith("<svg")
    assert save(charts[0], tmp_path / "curve.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in save(charts[1], tmp_path / "opp.svg").read_text(encoding="utf-8")


def test_emotion_curve_chart_marks_given_pain_points() -> None:
    from cjm_widgets.analysis import pain_points

    j, ev = demo_pair()
    top = pain_points(j, ev).head(2)
    curve = emotion_curve(j, ev, by="household")
    svg = to_svg(emotion_curve_chart(curve, pain=top))
    rings = [p for p in mark_items(svg, "symbol") if 'stroke="#d62728"' in p]
    assert len(rings) == 2 * 2  # two touchpoints × two households
    hollow = emotion_curve(j, ev, by="household", min_n=10_000)  # nothing supported
    svg = to_svg(emotion_curve_chart(hollow))
    points = mark_items(svg, "symbol")
    assert not [p for p in points if 'fill-opacity="1"' in p]
    assert len([p for p in points if 'fill-opacity="0"' in p]) == int((hollow["n"] > 0).sum())


def test_every_chart_draws_an_empty_journey() -> None:
    """A journey without stages (just made) charts without error; coverage says why it is empty."""
    journey = cjm.Journey(title="Not mapped yet")
    ev = cjm.datasets.demo().evidence()
    charts = {
        "curve": cjm.charts.emotion_curve_chart((journey, ev)),
        "coverage": cjm.charts.coverage_chart((journey, ev)),
        "opportunities": cjm.charts.opportunity_matrix_chart((journey, ev)),
        "compare": cjm.charts.compare_chart(cjm.compare(journey, ev, by="household")),
        "channels": cjm.charts.channel_matrix_chart(journey),
    }
    for name, chart in charts.items():
        assert to_svg(chart).startswith("<svg"), name
    assert "nothing to cover" in to_svg(charts["coverage"])


def legend_labels(svg: str, title: str) -> list[str]:
    """The labels of the legend titled ``title``: the texts just before its title."""
    import re

    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    end = texts.index(title)
    start = end
    while start > 0 and re.fullmatch(r"[−\-0-9.,]+", texts[start - 1]):
        start -= 1
    return texts[start:end]


def test_count_legends_show_whole_numbers_only() -> None:
    """n counts rows or people: a size legend never reads "n 0.5" (small n gave halves)."""
    j, ev = tagged()
    ev2 = Evidence(ev.frame.iloc[:3].copy())
    ev2.tag(["e0"], journey=j, touchpoint="t1", emotion=1)
    ev2.tag(["e1", "e2"], journey=j, touchpoint="t3", emotion=-1)
    assert legend_labels(to_svg(emotion_curve_chart(emotion_curve(j, ev2))), "n") == [
        "0", "1", "2"
    ]  # fmt: skip
    j, ev = demo_pair()
    for chart, title in [
        (opportunity_matrix_chart(opportunities(j, ev)), "Pain evidence"),
        (channel_matrix_chart((j, ev)), "Evidence"),
    ]:
        labels = legend_labels(to_svg(chart), title)
        assert len(labels) >= 2 and all(label.isdigit() for label in labels), labels
