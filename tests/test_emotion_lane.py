"""The emotion lane: its data (the curve's numbers), the board's live lane, the static map."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import cjm_widgets as cjm
from cjm_widgets.analysis.lane import emotion_lane, lane_from_frame
from cjm_widgets.model.render import journey_html
from cjm_widgets.widgets import JourneyEditor

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def journey():
    j = cjm.Journey(title="Grocery order")
    j.add_stage("Discover")
    j.add_stage("Order")
    j.add_touchpoint("Discover", "Ad")
    j.add_touchpoint("Order", "Checkout")
    j.add_touchpoint("Order", XSS)
    return j


@pytest.fixture
def ev(journey):
    frame = pd.DataFrame(
        {
            "text": [f"quote {i}" for i in range(12)],
            "household": ["Family"] * 6 + ["Single"] * 6,
            "who": [f"p{i}" for i in range(12)],
        }
    )
    ev = cjm.Evidence.from_frame(frame, participant="who")
    ev.tag(rows(ev, list(range(0, 8))), journey, touchpoint="Checkout", emotion=-2)
    ev.tag(rows(ev, [8, 9]), journey, touchpoint="Ad", emotion=1)
    return ev


def rows(ev, positions):
    return [ev.frame["evidence_id"].iloc[i] for i in positions]


def point(lane, name, series="All"):
    return next(p for p in lane["points"] if p["touchpoint"] == name and p["series"] == series)


def test_lane_has_the_curves_numbers(journey, ev):
    lane = emotion_lane(journey, ev)
    curve = cjm.emotion_curve(journey, ev)
    json.dumps(lane)
    assert lane["series"] == ["All"]
    assert [p["touchpoint"] for p in lane["points"]] == ["Ad", "Checkout", XSS]
    checkout = point(lane, "Checkout")
    row = curve[curve["touchpoint"] == "Checkout"].iloc[0]
    assert checkout["n"] == 8 == row["n"]
    assert checkout["mean"] == -2.0 and checkout["pain"] is True
    assert checkout["supported"] is True
    assert checkout["ci_low"] == row["ci_low"] and checkout["ci_high"] == row["ci_high"]
    ad = point(lane, "Ad")  # n = 2 < min_n: hollow, no interval
    assert (ad["n"], ad["mean"], ad["supported"], ad["ci_low"]) == (2, 1.0, False, None)
    assert ad["pain"] is False
    empty = point(lane, XSS)  # no evidence: kept with n = 0 and no mean
    assert (empty["n"], empty["mean"]) == (0, None)


def test_lane_per_series_and_min_n(journey, ev):
    lane = emotion_lane(journey, ev, by="household", min_n=2)
    assert lane["series"] == ["Family", "Single"] and lane["min_n"] == 2
    assert point(lane, "Checkout", "Family")["n"] == 6
    assert point(lane, "Checkout", "Single")["n"] == 2
    assert point(lane, "Ad", "Single")["supported"] is True


def test_lane_never_leaves_the_scale():
    frame = pd.DataFrame(
        {
            "stage_id": ["s1"], "stage": ["S"], "touchpoint_id": ["t1"], "touchpoint": ["T"],
            "order": [0], "series": ["All"], "n": [9], "mean": [-1.9], "sd": [1.0],
            "ci_low": [-3.1], "ci_high": [math.nan], "n_participants": [9], "supported": [True],
        }
    )  # fmt: skip
    (p,) = lane_from_frame(frame)["points"]
    assert p["ci_low"] == -2.0 and p["ci_high"] is None


def test_level_is_refused(journey, ev):
    with pytest.raises(TypeError, match="level"):
        emotion_lane(journey, ev, level="stage")


def test_board_lane_is_live_and_follows_by(journey, ev):
    editor = JourneyEditor(journey, evidence=ev)
    try:
        assert point(editor._lane, "Ad")["n"] == 2
        ev.tag(rows(ev, [10, 11, 0, 1]), journey, touchpoint="Ad", emotion=2)  # rows move to Ad
        ad = point(editor._lane, "Ad")
        assert ad["n"] == 6 and ad["supported"] is True and ad["mean"] > 1
        assert point(editor._lane, "Checkout")["n"] == 6
        ev.undo()
        assert point(editor._lane, "Ad")["n"] == 2
        journey.rename_touchpoint("Ad", "Instagram ad")  # a journey edit re-lays the lane
        assert point(editor._lane, "Instagram ad")["n"] == 2
        editor.lane_by = "household"
        assert editor._lane["series"] == ["Family", "Single"]
        with pytest.raises(Exception, match="nope"):
            editor.lane_by = "nope"
        assert editor._lane["series"] == ["Family", "Single"]  # unchanged after a bad value
    finally:
        editor.close()
    before = json.dumps(editor._lane)
    ev.tag(rows(ev, [10]), journey, touchpoint="Checkout", emotion=0)  # closed: not followed
    assert json.dumps(editor._lane) == before


def test_board_without_evidence_or_with_lane_false_has_no_lane(journey, ev):
    for editor in (JourneyEditor(journey), JourneyEditor(journey, evidence=ev, lane=False)):
        assert editor._lane == {}
        with pytest.raises(ValueError, match="evidence=ev"):
            editor.lane_by = "household"
        editor.close()


def test_lane_click_selects_and_calls_back(journey, ev):
    editor = JourneyEditor(journey, evidence=ev)
    seen = []
    editor.on_lane_click(lambda tp, series: seen.append((tp, series)))
    tp = journey.touchpoint("Checkout").id
    reply = editor._dispatch(
        {"type": "call", "id": "v1-1", "method": "lane_click",
         "args": {"touchpoint": tp, "series": "All"}}
    )  # fmt: skip
    assert reply["ok"], reply
    assert seen == [(tp, "All")] and editor.selected == tp
    editor.close()


def test_workspace_lane_click_selects_the_curve_point_and_filters(journey, ev):
    ws = cjm.Workspace(journey, ev, by="household", min_n=2)
    try:
        assert ws.editor._lane["series"] == ["Family", "Single"]
        tp = journey.touchpoint("Checkout").id
        ws.editor._lane_click(touchpoint=tp, series="Single")
        assert ws.curve.selected["touchpoint_id"] == tp
        assert ws.curve.selected["series"] == "Single"
        assert ws.tagger.linked["origin"] == "curve"
        ws.curve.by = None  # the curve's Series dropdown: the lane follows
        assert ws.editor._lane["series"] == ["All"]
    finally:
        ws.close()


def test_static_map_draws_the_lane_escaped(journey, ev):
    lane = emotion_lane(journey, ev)
    html = journey_html(journey, lane=lane)
    assert html.count('class="cjm-elane-point"') == 3
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "mean emotion \u22122.00" in html and "pain point" in html
    assert "no evidence yet (n = 0)" in html
    row = html.index('class="cjm-l-emotion"')
    assert html.index('class="cjm-tps"') < row  # under the touchpoint cards
    assert "cjm-l-emotion" not in journey_html(journey)  # no lane data, no lane


def test_board_snapshot_has_the_lane(journey, ev):
    editor = JourneyEditor(journey, evidence=ev)
    assert "cjm-l-emotion" in editor._static_html()
    editor.close()


def test_html_report_map_has_the_lane(journey, ev, tmp_path):
    out = tmp_path / "report.html"
    cjm.export.html_report(journey, ev, out, by="household", min_n=2)
    text = out.read_text(encoding="utf-8")
    assert text.count('class="cjm-l-emotion"') == 1
    assert "The emotion lane under the touchpoints is the emotion curve below" in text
    assert "Checkout · Family: mean emotion \u22122.00" in text
