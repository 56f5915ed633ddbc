"""Analysis formulas checked against values computed independently in the test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import cjm_widgets as cjm
from cjm_widgets.analysis import emotion_curve
from cjm_widgets.analysis.curve import COLUMNS
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
    assert row["ci_low"] == pytest.approx(lo) and row["ci_high"] == pytest.approx(hi)
    assert row["n_participants"] == 3 and not row["supported"]
    t2 = cur[cur["touchpoint_id"] == "t2"].iloc[0]
    assert t2["n"] == 0 and np.isnan(t2["mean"])
    one = cur[cur["touchpoint"] == "(whole stage)"].iloc[0]
    assert one["n"] == 1 and one["mean"] == -1 and np.isnan(one["ci_low"])
    assert list(cur["order"]) == list(range(len(cur)))
    assert emotion_curve(journey, ev, min_n=4).set_index("touchpoint_id").loc["t3", "supported"]


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
