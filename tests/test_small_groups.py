"""Honest statistics on small groups (issue 13): intervals, bands and the axis stay on the
−2…+2 scale, points under min_n get no interval, rows without a segment value are an explicit
choice, pain points rank by certainty, and counts mean what they say."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from needs import real_data
from scipy import stats

import cjm_widgets as cjm
from cjm_widgets.analysis import emotion_curve, pain_points
from cjm_widgets.analysis.curve import missing_note
from cjm_widgets.charts import emotion_curve_chart, to_svg
from cjm_widgets.evidence import Evidence

#: Rows per touchpoint of each group: three tiny groups whose values span −2…+2, one large.
TINY = {"One": [2], "Two": [-2, 2], "Three": [-2, 0, 2]}
BIG = [-2, -1, 0, 1, 2, 1, 0, -1] * 5  # 40 rows
NO_VALUE = 4  # rows per touchpoint without a segment value


def study(*, tiny: bool = True) -> tuple[cjm.Journey, Evidence]:
    """A journey of three touchpoints; per touchpoint a 40-row group "Big", the groups of TINY
    (or, with ``tiny=False``, the same groups at 40 rows each) and rows without a segment."""
    journey = cjm.Journey(title="Small groups")
    journey.add_stage("Book")
    journey.add_touchpoint("Book", "Search")
    journey.add_touchpoint("Book", "Pay")
    journey.add_stage("Fly")
    journey.add_touchpoint("Fly", "Seat")
    rows = []
    for tp in journey.touchpoints:
        groups = {"Big": BIG, **({k: v if tiny else BIG for k, v in TINY.items()})}
        for group, values in groups.items():
            rows += [(tp.id, group, v) for v in values]
        rows += [(tp.id, None, -1)] * NO_VALUE
    frame = pd.DataFrame(rows, columns=["tp", "seg", "emotion"])
    frame["text"] = [f"quote {i}" for i in range(len(frame))]
    frame["who"] = [f"P{i}" for i in range(len(frame))]
    ev = Evidence.from_frame(frame[["text", "who", "seg"]], text="text", participant="who")
    ids = ev.frame["evidence_id"].tolist()
    for (tp, value), part in frame.groupby(["tp", "emotion"]):
        ev.tag([ids[i] for i in part.index], journey=journey, touchpoint=tp, emotion=value)
    return journey, ev


def on_scale(values) -> bool:
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return all(-2.0 <= float(v) <= 2.0 for v in values)


def svg_size(svg: str) -> tuple[float, float]:
    """Width and height of the first <svg> in ``svg``."""
    svg = svg[svg.index("<svg") :]
    head = svg[: svg.index(">")]
    return float(re.search(r'width="([\d.]+)"', head)[1]), float(
        re.search(r'height="([\d.]+)"', head)[1]
    )


# ----------------------------------------------------------------------------- the curve
@pytest.mark.parametrize("min_n", [1, 2, 3, 5])
def test_curve_intervals_stay_on_the_scale(min_n: int) -> None:
    journey, ev = study()
    cur = emotion_curve(journey, ev, by="seg", min_n=min_n)
    assert on_scale(cur["ci_low"]) and on_scale(cur["ci_high"]) and on_scale(cur["mean"])
    weak = cur["n"] < min_n
    assert cur.loc[weak, "ci_low"].isna().all() and cur.loc[weak, "ci_high"].isna().all()
    assert not cur.loc[weak, "supported"].any() and cur.loc[~weak, "supported"].all()
    two = cur[cur["series"] == "Two"].iloc[0]  # −2 and +2: the t interval is ±25.4
    if min_n <= 2:
        assert (two["ci_low"], two["ci_high"]) == (-2.0, 2.0)
    big = cur[cur["series"] == "Big"].iloc[0]  # far from the edges: the plain t interval
    half = stats.t.ppf(0.975, 39) * np.std(BIG, ddof=1) / math.sqrt(40)
    assert big["ci_low"] == pytest.approx(np.mean(BIG) - half)
    assert big["ci_high"] == pytest.approx(np.mean(BIG) + half)


def test_rows_without_a_segment_value_are_dropped_and_said_or_named() -> None:
    journey, ev = study()
    cur = emotion_curve(journey, ev, by="seg")
    assert sorted(cur["series"].unique()) == ["Big", "One", "Three", "Two"]
    assert cur.attrs["dropped_rows"] == 3 * NO_VALUE
    assert missing_note(cur) == f"{3 * NO_VALUE} rows without a seg not shown"
    named = emotion_curve(journey, ev, by="seg", missing="label")
    assert list(named["series"].unique()) == ["Big", "One", "Three", "Two", "not given"]
    assert (named[named["series"] == "not given"]["n"] == NO_VALUE).all()
    agg = cjm.EmotionAggregate(journey, ev, by="seg", missing="label")
    pd.testing.assert_frame_equal(agg.frame, named)
    ev.tag(ev.frame["evidence_id"].iloc[-1], touchpoint=journey.touchpoints[0].id, emotion=2)
    pd.testing.assert_frame_equal(agg.frame, emotion_curve(journey, ev, by="seg", missing="label"))
    agg.close()
    # a comparison can name the rows without a value as a group (one moved to Search above)
    cmp = cjm.compare(journey, ev, by="seg", a="Big", b="not given")
    assert cmp["n_b"].tolist() == [NO_VALUE + 1, NO_VALUE, NO_VALUE - 1]


# ----------------------------------------------------------------------------- the charts
def test_chart_keeps_its_height_and_draws_nothing_off_the_scale() -> None:
    journey, ev = study()
    normal = to_svg(emotion_curve_chart(emotion_curve(*study(tiny=False), by="seg", min_n=2)))
    for min_n in (2, 5):
        frame = emotion_curve(journey, ev, by="seg", min_n=min_n)
        chart = emotion_curve_chart(frame)
        values = chart.to_dict()["data"]["values"]
        assert on_scale([p["ci_low"] for p in values]) and on_scale([p["ci_high"] for p in values])
        for p in values:
            if p["n"] and p["n"] < min_n:
                assert p["ci_low"] is None and p["ci_high"] is None
                assert p["n_label"] == f"{p['n']}, too few" and not p["supported"]
        svg = to_svg(chart)
        assert svg_size(svg)[1] == pytest.approx(svg_size(normal)[1], abs=2)
        # the bands' paths stay inside the plot (0 … 260 px high, its default height)
        areas = re.findall(r'<g class="mark-area[^"]*"[^>]*>(.*?)</g>', svg, flags=re.S)
        ys = [float(y) for a in areas for y in re.findall(r"[ML,][\d.-]+,([\d.-]+)", a)]
        assert ys and min(ys) >= -0.5 and max(ys) <= 260.5


def test_chart_of_a_foreign_frame_is_held_to_the_scale() -> None:
    """A frame computed elsewhere (wide intervals) still draws within −2…+2."""
    journey, ev = study()
    frame = emotion_curve(journey, ev, by="seg", min_n=1)
    frame["ci_low"], frame["ci_high"] = frame["mean"] - 20, frame["mean"] + 20
    chart = emotion_curve_chart(frame)
    values = chart.to_dict()["data"]["values"]
    assert on_scale([p["ci_low"] for p in values]) and on_scale([p["ci_high"] for p in values])
    spec = chart.to_dict()
    scales = [
        layer["encoding"]["y"]["scale"]
        for layer in spec["layer"]
        if "y" in layer.get("encoding", {}) and "scale" in layer["encoding"]["y"]
    ]
    assert scales and all(s["domain"] == [-2, 2] and s["clamp"] for s in scales)


def test_compare_intervals_are_cut_and_absent_for_too_few() -> None:
    journey, ev = study()
    cmp = cjm.compare(journey, ev, by="seg", a="Big", b="Two", min_n=2)
    assert (cmp["ci_low"].dropna() >= -4).all() and (cmp["ci_high"].dropna() <= 4).all()
    assert cmp["ci_low"].notna().any()
    few = cjm.compare(journey, ev, by="seg", a="Big", b="Two")  # min_n 5 > n = 2
    assert few["ci_low"].isna().all() and few["ci_high"].isna().all()
    chart = cjm.charts.compare_chart(cmp)
    spec = chart.to_dict()
    domain = [
        layer["encoding"]["x"]["scale"]["domain"]
        for layer in spec["layer"]
        if "scale" in layer.get("encoding", {}).get("x", {})
    ]
    assert domain and all(d[0] >= -4 and d[1] <= 4 for d in domain)


# ----------------------------------------------------------------------------- widget
def test_live_curve_is_sent_only_honest_points() -> None:
    journey, ev = study()
    w = cjm.EmotionCurve(journey, ev, by="seg")
    try:
        assert on_scale([p["ci_low"] for p in w._values])
        assert on_scale([p["ci_high"] for p in w._values])
        few = [p for p in w._values if 0 < p["n"] < 5]
        assert few and all(p["ci_low"] is None and p["n_label"].endswith("too few") for p in few)
        assert f"{3 * NO_VALUE} rows without a seg not shown" in w._summary
        assert {p["series"] for p in w._values} == {"Big", "One", "Three", "Two"}
        height = svg_size(w._static_html())[1]
        normal = cjm.EmotionCurve(*study(tiny=False), by="seg")
        try:
            assert height == pytest.approx(svg_size(normal._static_html())[1], abs=2)
        finally:
            normal.close()
        with pytest.raises(ValueError, match="missing must be"):
            cjm.EmotionCurve(journey, ev, by="seg", missing="keep")
    finally:
        w.close()


# ----------------------------------------------------------------------------- report
def quoted_intervals(text: str) -> list[tuple[float, float]]:
    number = r"([+−-]?\d+(?:\.\d+)?)"
    found = re.findall(rf"{number} to {number}", text) + re.findall(
        rf"\[{number}, {number}\]", text
    )
    return [(float(a.replace("−", "-")), float(b.replace("−", "-"))) for a, b in found]


def test_report_quotes_no_interval_off_the_scale() -> None:
    journey, ev = study()
    page = cjm.export.report_html(journey, ev, by="seg", generated="now")
    summary = page[page.index('<section id="summary"') : page.index('<section id="map"')]
    curve = page[page.index('<section id="curve"') : page.index('<section id="pain-points"')]
    for part in (summary, curve):
        pairs = quoted_intervals(re.sub(r"<[^>]+>", " ", part))
        assert all(-2 <= a <= b <= 2 for a, b in pairs), pairs
    assert "n = 1, too few" in curve and "n = 2, too few" in curve and "n = 3, too few" in curve
    assert "(missing)" not in page and "not given" not in page
    assert f"{3 * NO_VALUE} rows without a seg not shown" in curve
    svg = curve[curve.index("<svg") :]
    height = svg_size(svg)[1]
    assert height < 500  # 260 px of plot plus headers and axis labels (was 2,489 px)
    methods = page[page.index('<section id="methods"') :]
    assert "compare()" not in page and "pass a=" not in page
    assert "No comparison of two groups: “seg” has 4 values" in methods
    assert "cut to the scale" in methods and "Wilson" in methods
    assert f"{3 * NO_VALUE} rated rows without a seg" in methods


def test_report_findings_take_supported_points_and_quote_none_for_too_few() -> None:
    """With only tiny groups the key findings still quote no interval."""
    journey, ev = study()
    small = ev.frame["seg"].isin(["Two"]).to_numpy()
    only = Evidence.from_frame(
        ev.frame.loc[small, ["text", "participant", "seg"]].reset_index(drop=True),
        text="text",
        participant="participant",
    )
    rows = ev.frame.loc[small].reset_index(drop=True)
    ids = only.frame["evidence_id"].tolist()
    for i, r in rows.iterrows():
        only.tag(ids[i], journey=journey, touchpoint=r["touchpoint_id"], emotion=r["emotion"])
    page = cjm.export.report_html(journey, only, generated="now")
    summary = page[page.index('<section id="summary"') : page.index('<section id="map"')]
    text = re.sub(r"<[^>]+>", " ", summary)
    assert "95% CI" not in text and "too few for an interval" in text
    md = cjm.export.to_markdown(journey, only)
    assert "too few rows" in md and "-2.00 to" not in md


# ----------------------------------------------------------------------------- pain points
def test_pain_ranking_weighs_certainty_n8_vs_n686() -> None:
    """8 rows with a higher score than 686 rows do not outrank them on noise."""
    journey = cjm.Journey(title="Ranking")
    journey.add_stage("Trip")
    few = journey.add_touchpoint("Trip", "Baggage reclaim")
    many = journey.add_touchpoint("Trip", "Wifi")
    few_values = [-2] * 7 + [1]  # frequency 7/8, severity 14/8: score 1.53
    many_values = [-2] * 412 + [1] * 274  # frequency 0.6, severity 1.2: score 0.72
    frame = pd.DataFrame({"text": [f"q{i}" for i in range(8 + 686)]})
    frame["who"] = [f"P{i}" for i in range(len(frame))]
    ev = Evidence.from_frame(frame, text="text", participant="who")
    ids = ev.frame["evidence_id"].tolist()
    for start, tp, values in ((0, few, few_values), (8, many, many_values)):
        for value in (-2, 1):
            rows = [ids[start + i] for i, v in enumerate(values) if v == value]
            ev.tag(rows, journey=journey, touchpoint=tp.id, emotion=value)
    pp = pain_points(journey, ev).set_index("touchpoint")
    assert pp.loc["Baggage reclaim", "score"] > pp.loc["Wifi", "score"]
    assert list(pp.sort_values("rank").index) == ["Wifi", "Baggage reclaim"]
    # the interval it ranked by, from scipy's Wilson intervals at 97.5% per factor
    for name, k_pain, k_hurt, n in (("Baggage reclaim", 7, 7, 8), ("Wifi", 412, 412, 686)):
        f = stats.binomtest(k_pain, n).proportion_ci(0.975, method="wilson")
        s = stats.binomtest(k_hurt, n).proportion_ci(0.975, method="wilson")  # severity / 2
        row = pp.loc[name]
        assert row["score_low"] == pytest.approx(f.low * 2 * s.low)
        assert row["score_high"] == pytest.approx(f.high * 2 * s.high)
        assert row["score_low"] <= row["score"] <= row["score_high"]
    page = cjm.export.report_html(journey, ev, generated="now")
    pains = page[page.index('<section id="pain-points"') : page.index('<section id="opport')]
    assert pains.index("Wifi") < pains.index("Baggage reclaim")
    low, high = pp.loc["Wifi", ["score_low", "score_high"]]
    assert f"(95% interval {low:.2f} to {high:.2f})" in pains


# ----------------------------------------------------------------------------- counts
def test_rating_rows_without_a_rating_are_not_tagged() -> None:
    journey = cjm.Journey(title="Survey")
    journey.add_stage("Flight")
    journey.add_touchpoint("Flight", "Seat")
    journey.add_touchpoint("Flight", "Wifi")
    survey = pd.DataFrame(
        {"id": range(6), "seat": [1, 5, 4, 0, 3, 2], "wifi": [0, 0, np.nan, 2, 0, 0]}
    )
    ev = Evidence.from_survey(
        survey, items={"seat": "Seat", "wifi": "Wifi"}, scale=(1, 5), missing=(0,),
        respondent="id", journey=journey,
    )  # fmt: skip
    assert len(ev) == 12
    rated = int((~np.isnan(ev._tag_arrays().emotion)).sum())
    assert rated == 6  # seat: 5 ratings (one 0), wifi: one rating
    assert int(ev.evidence_mask.sum()) == rated
    assert "12 rows, 6 tagged" in repr(ev)
    assert int(ev.summary()["tagged"].sum()) == rated
    page = cjm.export.report_html(journey, ev, generated="now")
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "12 evidence rows, 6 tagged to the journey" in text
    assert "6 rating rows have no rating" in text
    facts = cjm.export._findings.method_facts(ev)
    assert facts["sources"]["tagged"].tolist() == [6] and facts["empty_answers"] == 6
    assert cjm.coverage(journey, ev)["n"].sum() == 6


# ----------------------------------------------------------------------------- real data
def test_real_ba_reviews_by_type_of_traveller() -> None:
    path = real_data("ba_reviews_airlinequality_markphamm.csv.gz")
    reviews = pd.read_csv(path).drop_duplicates().reset_index(drop=True)
    reviews.insert(0, "review_id", [f"r{i:04d}" for i in range(len(reviews))])
    journey = cjm.Journey(title="BA")
    journey.add_stage("Trip")
    for name in ("Seat", "Wifi", "Baggage"):
        journey.add_touchpoint("Trip", name)
    ratings = cjm.Evidence.from_survey(
        reviews, items={"Seat Comfort": "Seat", "Wifi & Connectivity": "Wifi"}, scale=(1, 5),
        missing=(0,), respondent="review_id", segments=["Type Of Traveller"], journey=journey,
    )  # fmt: skip
    quotes = cjm.Evidence.from_frame(
        reviews[["review_id", "review_bodies", "Type Of Traveller"]], text="review_bodies",
        id="review_id", participant="review_id", source="review",
    )  # fmt: skip
    ev = cjm.Evidence.concat([quotes, ratings])
    lost = ev.search('"lost luggage"')
    assert 0 < len(lost) < 60
    ev.tag(lost, journey=journey, touchpoint="Baggage", emotion=-2, labels="pain point")
    cur = emotion_curve(journey, ev, by="Type Of Traveller")
    assert on_scale(cur["ci_low"]) and on_scale(cur["ci_high"])
    assert "(missing)" not in set(cur["series"]) and "not given" not in set(cur["series"])
    baggage = cur[cur["touchpoint"] == "Baggage"]
    assert (baggage["n"] < 5).any()  # small groups, as in the issue
    assert baggage.loc[baggage["n"] < 5, "ci_low"].isna().all()
    no_type = reviews["Type Of Traveller"].isna()
    assert cur.attrs["dropped_rows"] > 0 and no_type.any()
    # a blank Wifi rating (82% of reviews) is not a tagged row
    wifi_rated = reviews["Wifi & Connectivity"].between(1, 5).sum()
    assert cjm.coverage(journey, ev).set_index("touchpoint").loc["Wifi", "n"] == wifi_rated
    page = cjm.export.report_html(journey, ev, by="Type Of Traveller", generated="now")
    curve = page[page.index('<section id="curve"') : page.index('<section id="pain-points"')]
    assert svg_size(curve[curve.index("<svg") :])[1] < 500
    assert all(-2 <= a <= b <= 2 for a, b in quoted_intervals(re.sub(r"<[^>]+>", " ", curve)))
    assert "rows without a Type Of Traveller not shown" in curve
    assert "(missing)" not in page and "compare()" not in page
