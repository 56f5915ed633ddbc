"""Analysis formulas checked against values computed independently in the test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import cjm_widgets as cjm
from cjm_widgets.analysis import emotion_curve
from cjm_widgets.analysis.curve import COLUMNS, missing_note
from cjm_widgets.evidence import Evidence


def make_ev(n: int = 12) -> Evidence:
    df = pd.DataFrame(
        {
            "evidence_id": [f"e{i}" for i in range(n)],
            "source": "interview",
            "document": "doc.txt",
            "participant": [f"P{i % 3}" for i in range(n)],
            "position": np.arange(n),
            "text": [f"text {i}" for i in range(n)],
            "rating": np.nan,
            "household": ["Family", "Single"] * (n // 2) + ["Family"] * (n % 2),
        }
    )
    return Evidence(df)


@pytest.fixture
def journey() -> cjm.Journey:
    return cjm.datasets.grocery_journey()


def hand_stats(values: list[float]) -> tuple[float, float, float, float]:
    n = len(values)
    m = sum(values) / n
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    h = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return m, sd, m - h, m + h


def test_curve_formulas_and_layout(journey: cjm.Journey) -> None:
    ev = make_ev()
    ev.tag(["e0", "e1", "e2"], journey=journey, touchpoint="t3", emotion=-2)
    ev.tag(["e3"], journey=journey, touchpoint="t3", emotion=1)
    ev.tag(["e4", "e5"], journey=journey, touchpoint="t1", emotion=2)
    ev.tag(["e6"], journey=journey, stage="s5", emotion=-1)
    ev.tag(["e7"], journey=journey, touchpoint="t2")  # no emotion: excluded
    cur = emotion_curve(journey, ev)
    assert list(cur.columns) == COLUMNS
    assert list(cur["series"].unique()) == ["All"]
    tps = list(cur["touchpoint"])
    assert tps[tps.index("(whole stage)") + 1] == journey.touchpoint("t6").name
    assert len(cur) == len(journey.touchpoints) + 1
    row = cur[cur["touchpoint_id"] == "t3"].iloc[0]
    m, sd, lo, hi = hand_stats([-2, -2, -2, 1])
    assert row["n"] == 4 and row["mean"] == pytest.approx(m) and row["sd"] == pytest.approx(sd)
    # n = 4 < min_n = 5: too few for an interval (none is given, none drawn)
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    assert row["n_participants"] == 3 and not row["supported"]
    t2 = cur[cur["touchpoint_id"] == "t2"].iloc[0]
    assert t2["n"] == 0 and np.isnan(t2["mean"])
    one = cur[cur["touchpoint"] == "(whole stage)"].iloc[0]
    assert one["n"] == 1 and one["mean"] == -1 and np.isnan(one["ci_low"])
    assert list(cur["order"]) == list(range(len(cur)))
    four = emotion_curve(journey, ev, min_n=4).set_index("touchpoint_id").loc["t3"]
    assert four["supported"]
    # the t interval (lo = −3.64) is cut to the scale: a mean of −2…+2 values stays in it
    assert lo < -2 and four["ci_low"] == -2.0 and four["ci_high"] == pytest.approx(hi)


def test_curve_by_column_stage_level_and_unplaced(journey: cjm.Journey) -> None:
    ev = make_ev()
    ev.tag(["e0", "e1", "e2", "e3"], journey=journey, touchpoint="t3", emotion=-1)
    ev.tag(["e4"], journey=journey, touchpoint="t4", emotion=2)
    ev.tag(["e5"], journey=journey, stage="s3", emotion=1)
    cur = emotion_curve(journey, ev, by="household")
    assert sorted(cur["series"].unique()) == ["Family", "Single"]
    t3 = cur[cur["touchpoint_id"] == "t3"].set_index("series")
    assert t3.loc["Family", "n"] == 2 and t3.loc["Single", "n"] == 2
    both = emotion_curve(journey, ev, by="household", overall=True)
    assert list(both["series"].unique()) == ["Family", "Single", "All"]
    st = emotion_curve(journey, ev, level="stage").set_index("stage_id")
    assert len(st) == len(journey.stages)
    assert st.loc["s3", "n"] == 6
    assert st.loc["s3", "mean"] == pytest.approx((-4 + 2 + 1) / 6)
    journey.remove_touchpoint("t4")
    cur = emotion_curve(journey, ev)
    assert cur.attrs["unplaced_rows"] == 1
    assert "t4" not in set(cur["touchpoint_id"].dropna())


def test_curve_persona_filter(journey: cjm.Journey) -> None:
    ev = make_ev()
    ev.tag(["e0", "e1", "e2"], journey=journey, touchpoint="t1", emotion=1)
    p = journey.add_persona("Families", segment={"household": "Family"})
    cur = emotion_curve(journey, ev, by=p)
    assert list(cur["series"].unique()) == ["Families"]
    assert cur.set_index("touchpoint_id").loc["t1", "n"] == 2
    cur = emotion_curve(journey, ev, by="Families")
    assert cur.set_index("touchpoint_id").loc["t1", "n"] == 2


def test_interviewer_excluded(journey: cjm.Journey) -> None:
    df = (
        make_ev(4)
        .frame[["evidence_id", "source", "document", "participant", "position", "text", "rating"]]
        .copy()
    )
    df["role"] = ["interviewer", "participant", "participant", "participant"]
    ev = Evidence(df)
    ev.tag(["e0", "e1"], journey=journey, touchpoint="t1", emotion=2)
    assert emotion_curve(journey, ev).set_index("touchpoint_id").loc["t1", "n"] == 1
    assert (
        emotion_curve(journey, ev, include_interviewer=True)
        .set_index("touchpoint_id")
        .loc["t1", "n"]
        == 2
    )


# ----------------------------------------------------------------------------- exactness
def test_curve_exact_for_non_dyadic_scales(journey: cjm.Journey) -> None:
    """A 1–7 scale maps to multiples of 2/3: the curve still matches the hand formulas."""
    ev = make_ev(12)
    values = [(v - 1) / 6 * 4 - 2 for v in (1, 2, 3, 5, 6, 7, 7)]
    for i, v in enumerate(values):
        ev.tag(f"e{i}", journey=journey, touchpoint="t2", emotion=v)
    row = emotion_curve(journey, ev).set_index("touchpoint_id").loc["t2"]
    m, sd, lo, hi = hand_stats(values)
    assert row["n"] == 7
    assert row["mean"] == pytest.approx(m, abs=1e-14) and row["sd"] == pytest.approx(sd)
    assert row["ci_low"] == pytest.approx(lo) and row["ci_high"] == pytest.approx(hi)


def test_moments_are_independent_of_entry_order() -> None:
    from cjm_widgets.analysis._stats import moments

    rng = np.random.default_rng(3)
    table = np.array([2 / 3, -4 / 3, 0.4, 1.2, -2.0, 0.1])
    cell = rng.integers(0, 3, 200)
    code = rng.integers(0, len(table), 200)
    one = moments(cell, code, np.ones(200, np.int64), table, 3)
    perm = rng.permutation(200)
    # the same histogram, shuffled, with the table recoded in another order
    recode = rng.permutation(len(table))
    table2 = np.empty_like(table)
    table2[recode] = table
    two = moments(cell[perm], recode[code[perm]], np.ones(200, np.int64), table2, 3)
    for key in one:
        np.testing.assert_array_equal(one[key], two[key])
    for c in range(3):
        vals = table[code[cell == c]]
        assert one["mean"][c] == pytest.approx(vals.mean())
        assert one["sd"][c] == pytest.approx(vals.std(ddof=1))


# ----------------------------------------------------------------------------- pain points
def frame_ev(rows: list[dict]) -> Evidence:
    """Evidence from hand-written rows (evidence_id e0.. in order)."""
    base = {"source": "interview", "document": "d", "rating": np.nan, "text": ""}
    df = pd.DataFrame(
        [{**base, "evidence_id": f"e{i}", "position": i, **r} for i, r in enumerate(rows)]
    )
    return Evidence(df)


def test_pain_points_formulas_and_quotes(journey: cjm.Journey) -> None:
    rows = [
        {"participant": "P1", "text": "Awful fee surprise"},  # e0 t3 -2
        {"participant": "P1", "text": "Also bad, same person"},  # e1 t3 -2
        {"participant": "P2", "text": "Quite annoying"},  # e2 t3 -1
        {"participant": "P3", "text": "It was fine"},  # e3 t3 +1
        {"participant": "P4", "text": "Confusing, no rating"},  # e4 t3 pain label only
        {"participant": "P5", "text": ""},  # e5 t3 -1, no text: not a quote
        {"participant": "P6", "text": ""},  # e6 t3 tagged, nothing else: not evidence
        {"participant": "P7", "text": "slot gone", "role": "interviewer"},  # e7 interviewer
        {"participant": "P8", "text": "meh"},  # e8 t4 -1
        {"participant": "P9", "text": "great"},  # e9 t4 +2
    ]
    ev = frame_ev(rows)
    ev.tag(["e0", "e1"], journey=journey, touchpoint="t3", emotion=-2)
    ev.tag(["e2", "e5"], journey=journey, touchpoint="t3", emotion=-1)
    ev.tag("e3", journey=journey, touchpoint="t3", emotion=1)
    ev.tag("e4", journey=journey, touchpoint="t3", labels="pain point")
    ev.tag("e6", journey=journey, touchpoint="t3")
    ev.tag("e7", journey=journey, touchpoint="t4", emotion=-2)
    ev.tag("e8", journey=journey, touchpoint="t4", emotion=-1)
    ev.tag("e9", journey=journey, touchpoint="t4", emotion=2)
    pp = cjm.analysis.pain_points(journey, ev, min_n=3)
    assert list(pp["touchpoint_id"]) == ["t3", "t4"] and list(pp["rank"]) == [1, 2]
    t3 = pp.iloc[0]
    # counted: e0..e5 (e6 says nothing); rated: e0,e1,e2,e3,e5; pain: e0,e1,e2,e4,e5
    assert (t3["n"], t3["n_rated"], t3["n_pain"], t3["n_participants"]) == (6, 5, 5, 5)
    severity = (2 + 2 + 1 + 0 + 1) / 5
    assert t3["severity"] == pytest.approx(severity)
    assert t3["frequency"] == pytest.approx(5 / 6)
    assert t3["score"] == pytest.approx(severity * 5 / 6)
    assert t3["supported"]
    # most negative first, one per participant, unrated pain after rated, blank text skipped
    assert t3["quotes"] == ["Awful fee surprise", "Quite annoying", "Confusing, no rating"]
    assert t3["quote_ids"] == ["e0", "e2", "e4"]
    t4 = pp.iloc[1]  # the interviewer turn e7 is not counted
    assert (t4["n"], t4["n_pain"]) == (2, 1)
    assert t4["score"] == pytest.approx((1 + 0) / 2 * (1 / 2))
    assert not t4["supported"]
    both = cjm.analysis.pain_points(journey, ev, include_interviewer=True)
    assert both.set_index("touchpoint_id").loc["t4", "n"] == 3
    full = cjm.analysis.pain_points(journey, ev, all_touchpoints=True)
    assert len(full) == len(journey.touchpoints)


# ----------------------------------------------------------------------------- opportunities
def test_opportunities_formulas(journey: cjm.Journey) -> None:
    rows = [{"participant": f"P{i % 3}", "text": f"q{i}"} for i in range(8)]
    ev = frame_ev(rows)
    ev.tag(["e0", "e1", "e2"], journey=journey, touchpoint="t3", emotion=-2)  # pain
    ev.tag("e3", journey=journey, touchpoint="t3", emotion=1)  # not pain
    ev.tag("e4", journey=journey, touchpoint="t4", labels="pain point")  # pain, unrated
    ev.tag("e5", journey=journey, touchpoint="t7", emotion=-1)  # pain
    opp = cjm.analysis.opportunities(journey, ev, k=5).set_index("text")
    names = {o.text: o for o in journey.opportunities}
    for text, o in names.items():
        row = opp.loc[text]
        assert row["priority"] == o.impact * (6 - o.effort)
        assert row["quick_win"] == (o.impact >= 4 and o.effort <= 2)
    fee = opp.loc["Show delivery fee and minimum order on the product page"]  # t3
    assert fee["evidence_n"] == 3 and fee["n_participants"] == 3
    assert fee["pain_score"] == pytest.approx((2 + 2 + 2 + 0) / 4 * (3 / 4))
    assert fee["evidence_weight"] == pytest.approx(3 / 8)
    assert fee["weighted_impact"] == pytest.approx(5 * 3 / 8)
    slots = opp.loc["Reserve evening slots for families"]  # t4: labelled, no rating
    assert slots["evidence_n"] == 1 and np.isnan(slots["pain_score"])
    referral = opp.loc["Bigger referral reward"]
    assert referral["evidence_n"] == 0 and referral["weighted_impact"] == 0
    ranked = cjm.analysis.opportunities(journey, ev)
    assert list(ranked["priority"]) == sorted(ranked["priority"], reverse=True)
    assert list(ranked["rank"]) == list(range(1, len(ranked) + 1))
    bare = cjm.analysis.opportunities(journey)  # no evidence: zeros
    assert (bare["evidence_n"] == 0).all()


# ----------------------------------------------------------------------------- coverage
def test_coverage_counts_sources_and_flags(journey: cjm.Journey) -> None:
    rows = [{"participant": f"P{i % 2}", "text": f"q{i}"} for i in range(6)]
    rows[4]["source"] = "survey"
    rows[5]["source"] = "review"
    ev = frame_ev(rows)
    ev.tag(["e0", "e1", "e4"], journey=journey, touchpoint="t1", emotion=1)
    ev.tag(["e5"], journey=journey, touchpoint="t1", emotion=-1)
    ev.tag(["e2"], journey=journey, stage="s5", emotion=2)
    journey.add_stage("Empty")
    cov = cjm.analysis.coverage(journey, ev)
    t1 = cov.set_index("touchpoint_id").loc["t1"]
    assert (t1["n"], t1["interview"], t1["survey"], t1["review"]) == (4, 2, 1, 1)
    assert t1["n_participants"] == 2 and t1["mean"] == pytest.approx(0.5)
    assert t1["channel"] == journey.touchpoint("t1").channel
    whole = cov[cov["touchpoint"] == "(whole stage)"]
    assert set(whole["stage"]) == {journey.stage("s5").name, "Empty"}
    flagged = set(cov.loc[cov["stage_without_evidence"], "stage"])
    assert "Empty" in flagged and journey.stage("s1").name not in flagged
    assert journey.stage("s2").name in flagged  # tagged nothing
    assert cov.set_index("touchpoint_id").loc["t1", "stage_n"] == 4
    assert cov.attrs["untagged_rows"] == 1 and cov.attrs["sources"][:2] == ["interview", "survey"]
    assert list(cov["order"]) == list(range(len(cov)))


# ----------------------------------------------------------------------------- compare
def test_compare_welch_against_scipy(journey: cjm.Journey) -> None:
    a_vals = [-2, -1, -1, 0, 1, -2]
    b_vals = [1, 2, 0, 1, 2]
    rows = [{"participant": f"A{i}", "text": "x", "wave": "2025"} for i in range(6)]
    rows += [{"participant": f"B{i}", "text": "x", "wave": "2026"} for i in range(5)]
    ev = frame_ev(rows)
    for i, v in enumerate(a_vals + b_vals):
        ev.tag(f"e{i}", journey=journey, touchpoint="t3", emotion=v)
    cmp = cjm.analysis.compare(journey, ev, by="wave", a="2025", b="2026", min_n=5)
    row = cmp.set_index("touchpoint_id").loc["t3"]
    test = stats.ttest_ind(b_vals, a_vals, equal_var=False)
    assert row["t"] == pytest.approx(test.statistic) and row["p"] == pytest.approx(test.pvalue)
    na, nb = len(a_vals), len(b_vals)
    va, vb = np.var(a_vals, ddof=1), np.var(b_vals, ddof=1)
    diff = np.mean(b_vals) - np.mean(a_vals)
    se = math.sqrt(va / na + vb / nb)
    df = (va / na + vb / nb) ** 2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
    assert row["diff"] == pytest.approx(diff) and row["df"] == pytest.approx(df)
    half = stats.t.ppf(0.975, df) * se
    assert row["ci_low"] == pytest.approx(diff - half)
    assert row["ci_high"] == pytest.approx(diff + half)
    pooled = math.sqrt(((na - 1) * va + (nb - 1) * vb) / (na + nb - 2))
    assert row["hedges_g"] == pytest.approx(diff / pooled * (1 - 3 / (4 * (na + nb) - 9)))
    assert (row["n_a"], row["n_b"]) == (6, 5) and row["supported"]
    empty = cmp.set_index("touchpoint_id").loc["t1"]
    assert empty["n_a"] == 0 and np.isnan(empty["p"]) and not empty["supported"]
    assert cmp.attrs["a"] == "2025" and cmp.attrs["b"] == "2026"
    # two personas instead of a column
    journey.add_persona("Old wave", segment={"wave": "2025"})
    journey.add_persona("New wave", segment={"wave": "2026"})
    by_persona = cjm.analysis.compare(journey, ev, a="Old wave", b="New wave")
    assert by_persona.set_index("touchpoint_id").loc["t3", "p"] == pytest.approx(test.pvalue)
    with pytest.raises(cjm.EvidenceError):
        cjm.analysis.compare(journey, ev, by="wave", a="2025", b="1999")
    # a column with exactly two values: the groups may be left out (order of appearance)
    implied = cjm.compare(journey, ev, by="wave")
    assert (implied.attrs["a"], implied.attrs["b"]) == ("2025", "2026")
    assert implied.set_index("touchpoint_id").loc["t3", "p"] == pytest.approx(test.pvalue)
    assert cjm.compare(journey, ev, by="wave", b="2025").attrs["a"] == "2026"
    # three values: ambiguous, so the error lists them
    ev3 = frame_ev([*rows, {"participant": "C0", "text": "x", "wave": "2027"}])
    with pytest.raises(cjm.EvidenceError, match="'2025', '2026', '2027'"):
        cjm.compare(journey, ev3, by="wave")


# ----------------------------------------------------------------------------- agreement
NAN = float("nan")
#: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders × 12 units.
KRIPPENDORFF_EXAMPLE = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def alpha_by_pairs(data: list[list[float]], interval: bool) -> float:
    """Independent α: 1 − D_o/D_e over all pairable value pairs, weights 1/(m_u − 1)."""
    units = [[v for v in col if v == v] for col in zip(*data, strict=True)]
    units = [u for u in units if len(u) >= 2]

    def d(a: float, b: float) -> float:
        return (a - b) ** 2 if interval else float(a != b)

    n = sum(len(u) for u in units)
    d_o = (
        sum(
            d(u[i], u[j]) / (len(u) - 1)
            for u in units
            for i in range(len(u))
            for j in range(len(u))
            if i != j
        )
        / n
    )
    values = [v for u in units for v in u]
    d_e = sum(d(values[i], values[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    return 1 - d_o / d_e


def test_krippendorff_alpha_published_values() -> None:
    from cjm_widgets.analysis import krippendorff_alpha

    nominal = krippendorff_alpha(KRIPPENDORFF_EXAMPLE, "nominal")
    interval = krippendorff_alpha(KRIPPENDORFF_EXAMPLE, "interval")
    assert round(nominal, 3) == 0.743 and round(interval, 3) == 0.849
    assert nominal == pytest.approx(alpha_by_pairs(KRIPPENDORFF_EXAMPLE, False))
    assert interval == pytest.approx(alpha_by_pairs(KRIPPENDORFF_EXAMPLE, True))


def test_cohen_kappa_by_hand() -> None:
    from cjm_widgets.analysis import cohen_kappa

    x = ["a", "a", "b", "b", "a", "c", None]
    y = ["a", "b", "b", "b", "a", "c", "a"]
    # 6 units both coded; agree on 5. x: a3 b2 c1; y: a2 b3 c1
    p_o, p_e = 5 / 6, (3 * 2 + 2 * 3 + 1 * 1) / 36
    assert cohen_kappa(x, y) == pytest.approx((p_o - p_e) / (1 - p_e))
    assert np.isnan(cohen_kappa(["a", "a"], ["a", "a"]))


def test_agreement_on_codings(journey: cjm.Journey) -> None:
    ev = frame_ev([{"participant": f"P{i}", "text": f"q{i}"} for i in range(6)])
    ids = [f"e{i}" for i in range(6)]
    anna = ["t1", "t1", "t3", "t3", "t4", "t4"]
    ben = ["t1", "t2", "t3", "t3", "t4", "t3"]
    chen = ["t1", "t1", "t3", "t4", "t4", "t4"]
    emo = {"anna": [-2, -1, 0, 1, 2, 2], "ben": [-2, -1, 1, 1, 2, 1], "chen": [-1, -1, 0, 1, 2, 2]}
    for coder, tps in (("anna", anna), ("ben", ben), ("chen", chen)):
        for i, tp in zip(ids, tps, strict=True):
            ev.tag(i, journey=journey, touchpoint=tp, emotion=emo[coder][int(i[1:])], coder=coder)
    ev.tag("e5", journey=journey, touchpoint="t9", emotion=0)  # no coder: not a coding
    two = cjm.analysis.agreement(ev, coders=("anna", "ben")).set_index("field")
    assert two.loc["touchpoint", "statistic"] == "cohen_kappa"
    assert two.loc["touchpoint", "value"] == pytest.approx(cjm.analysis.cohen_kappa(anna, ben))
    assert two.loc["touchpoint", "percent_agreement"] == pytest.approx(4 / 6)
    assert two.loc["emotion", "cohen_kappa"] == pytest.approx(
        cjm.analysis.cohen_kappa(emo["anna"], emo["ben"])
    )
    three = cjm.analysis.agreement(ev).set_index("field")  # every coder
    assert three.loc["touchpoint", "statistic"] == "krippendorff_alpha"
    assert three.loc["touchpoint", "value"] == pytest.approx(
        alpha_by_pairs([[hash(t) for t in c] for c in (anna, ben, chen)], False)
    )
    assert three.loc["emotion", "level"] == "interval"
    assert three.loc["emotion", "value"] == pytest.approx(
        alpha_by_pairs([emo["anna"], emo["ben"], emo["chen"]], True)
    )
    assert three.loc["emotion", "n_units"] == 6
    with pytest.raises(cjm.EvidenceError):
        cjm.analysis.agreement(ev, coders=("anna", "zoe"))
    with pytest.raises(cjm.EvidenceError):
        cjm.analysis.agreement(ev, coders=("anna",))


def test_agreement_only_on_units_every_coder_coded(journey: cjm.Journey) -> None:
    ev = frame_ev([{"participant": f"P{i}", "text": f"q{i}"} for i in range(4)])
    ev.tag(["e0", "e1", "e2"], journey=journey, touchpoint="t1", coder="anna")
    ev.tag(["e0", "e1"], journey=journey, touchpoint="t1", coder="ben")
    ev.tag(["e2", "e3"], journey=journey, touchpoint="t2", coder="ben")
    res = cjm.analysis.agreement(ev, coders=["anna", "ben"], fields=["touchpoint"])
    assert res.loc[0, "n_units"] == 3
    assert res.loc[0, "percent_agreement"] == pytest.approx(2 / 3)


# ----------------------------------------------------------------------------- aggregate API
def test_aggregate_observe_version_close(journey: cjm.Journey) -> None:
    ev = make_ev()
    ev.link(journey)
    agg = cjm.analysis.EmotionAggregate(journey, ev, by="household", overall=True)
    seen: list[int] = []
    agg.observe(lambda a: seen.append(a.version))
    ev.tag(["e0", "e1"], touchpoint="t3", emotion=-2)
    journey.rename_touchpoint("t3", "Pay")
    assert seen == [1, 2]
    assert agg.frame.set_index(["touchpoint_id", "series"]).loc[("t3", "All"), "n"] == 2
    assert "Pay" in set(agg.frame["touchpoint"])
    agg.close()
    ev.tag(["e2"], touchpoint="t3", emotion=1)
    assert seen == [1, 2] and agg.version == 2


@pytest.mark.parametrize(
    ("values", "series"),
    [
        (pd.Categorical(["x", "y", None, "x"], categories=["z", "y", "x"]), ["x", "y"]),
        (pd.Series([2.5, np.nan, 1.0, 2.5]), ["1.0", "2.5"]),
        (pd.Series(["b", pd.NA, "a", "b"], dtype="string[pyarrow]"), ["a", "b"]),
        (pd.Series(["b", None, 1, "b"], dtype=object), ["1", "b"]),
    ],
)
def test_series_are_the_text_of_the_segment_values(values, series):
    """One line per distinct text of the column, whatever its dtype: unused categories give
    no line. The row without a value is dropped by default (and said so), or is the last
    series, "not given", with missing="label"; never a stray "(missing)" line."""
    journey = cjm.Journey(title="J")
    journey.add_stage("S")
    tp = journey.add_touchpoint("S", "T")
    frame = pd.DataFrame({"text": ["q1", "q2", "q3", "q4"], "who": ["a", "b", "c", "d"]})
    frame["seg"] = values
    ev = Evidence.from_frame(frame, text="text", participant="who", journey=journey)
    ev.tag(ev.frame["evidence_id"].tolist(), journey=journey, touchpoint=tp.id, emotion=1)
    curve = emotion_curve(journey, ev, by="seg", min_n=1)
    assert list(curve["series"].astype(str).unique()) == series
    assert int(curve["n"].sum()) == 3
    assert curve.attrs["dropped_rows"] == 1
    assert missing_note(curve) == "1 row without a seg not shown"
    labelled = emotion_curve(journey, ev, by="seg", min_n=1, missing="label")
    assert list(labelled["series"].astype(str).unique()) == [*series, "not given"]
    per = labelled.set_index(labelled["series"].astype(str))["n"].to_dict()
    assert sum(per.values()) == 4 and per["not given"] == 1
    assert labelled.attrs.get("dropped_rows", 0) == 0 and missing_note(labelled) == ""
    with_all = emotion_curve(journey, ev, by="seg", min_n=1, overall=True)
    assert with_all.set_index("series").loc["All", "n"] == 4  # "All" is all the evidence
    agg = cjm.EmotionAggregate(journey, ev, by="seg", min_n=1)
    pd.testing.assert_frame_equal(agg.frame, curve)
    assert agg.frame.attrs == curve.attrs
    agg.close()
    with pytest.raises(ValueError, match=r"'drop'.*'label'"):
        emotion_curve(journey, ev, by="seg", missing="(missing)")
