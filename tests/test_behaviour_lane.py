"""The behaviour lane and its link in the Workspace (Python side; the browser test clicks)."""

from __future__ import annotations

import json

from needs import module
from test_behaviour_charts import grocery_events

import cjm_widgets as cjm

module("duckdb")


def test_lane_shows_reach_and_the_flows_of_the_selected_touchpoint():
    journey, _, events = grocery_events()
    from cjm_widgets.widgets import BehaviourLane

    lane = BehaviourLane(journey, events)
    reach = cjm.reach(journey, events)
    assert [p["touchpoint"] for p in lane.points] == [tp.name for tp in journey.touchpoints]
    assert [p["cases"] for p in lane.points] == reach["cases"].tolist()
    assert lane.flows == []
    second = journey.touchpoints[1]
    lane.selected = second.id
    flows = cjm.flows(journey, events)
    into = flows[flows["target_id"] == second.id]["count"].sum()
    assert sum(f["count"] for f in lane.flows if f["direction"] == "in") == into
    assert {f["direction"] for f in lane.flows} == {"in", "out"}
    json.dumps(lane.get_state(), default=str)  # the state crosses to the browser as JSON


def test_workspace_with_events_links_lane_curve_and_tagger():
    journey, ev, events = grocery_events()
    ws = cjm.Workspace(journey, ev, events=events)
    try:
        assert [k for k, _ in ws._pane_list] == ["editor", "curve", "behaviour", "tagger"]
        tp = journey.touchpoints[2].id
        ws.behaviour.selected = tp
        assert ws.tagger.filters.get("touchpoint") == tp
        ws.behaviour.selected = ""
        assert "touchpoint" not in ws.tagger.filters
        ws.curve.select(journey.touchpoints[0])
        assert ws.behaviour.selected == journey.touchpoints[0].id and ws.behaviour.flows
    finally:
        ws.close()
    plain = cjm.Workspace(journey, ev)
    assert plain.behaviour is None and len(plain._panes) == 3  # map, curve, tagger
    plain.close()
