"""cjm.fill_lanes: lanes filled from the evidence, marked as generated, one undo step."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import cjm_widgets as cjm
from cjm_widgets.model.generated import generated_items
from cjm_widgets.model.render import journey_html
from cjm_widgets.widgets import JourneyEditor

XSS = "<script>alert('q')</script> the fee came as a surprise at the very end of it"


@pytest.fixture
def journey():
    j = cjm.Journey.from_template("current_state", stages="five_stage")
    j.add_touchpoint("Awareness", "Ad")
    j.add_touchpoint("Purchase", "Checkout")
    j.add_opportunity("Show the fee early", touchpoints=["Checkout"], impact=5, effort=1)
    j.set_lane("Purchase", "thoughts_feelings", ["My own note"])
    return j


@pytest.fixture
def ev(journey):
    texts = [
        "ok",  # too short to be telling
        XSS,
        "Paying took forever and the page froze twice before the order went through",
        "I liked the checkout but it is fine I guess, nothing special to say",
        "The ad was cheerful and made me want to try the service straight away",
        "Nice",
    ] + [f"filler {i}" for i in range(6)]
    frame = pd.DataFrame({"text": texts, "who": [f"P{i}" for i in range(12)]})
    ev = cjm.Evidence.from_frame(frame, participant="who", source="interview")
    ids = list(ev.frame["evidence_id"])
    ev.tag(ids[0:3] + ids[6:9], journey, touchpoint="Checkout", emotion=-2)
    ev.tag(ids[3:4], journey, touchpoint="Checkout", emotion=1)
    ev.tag(ids[4:6] + ids[9:12], journey, touchpoint="Ad", emotion=2)
    ev.tag(ids[1:2], journey, labels="quote")
    return ev


def cell(journey, stage, lane):
    return journey.cell(stage, lane)


def test_fill_lanes_fills_three_lanes_in_one_undo_step(journey, ev):
    before = journey.to_dict()
    counts = cjm.fill_lanes(journey, ev)
    assert counts == {"thoughts_feelings": 2, "pain_points": 1, "what_to_change": 1}
    thoughts = cell(journey, "Purchase", "thoughts_feelings")
    assert thoughts[0] == "My own note"  # the researcher's own item stays, first
    # the row labelled "quote" wins over stronger, longer rows; its source is given
    assert thoughts[1].startswith("Checkout: \u201c<script>alert('q')</script> the fee")
    assert thoughts[1].endswith("\u201d (P1, interview)")
    ad = cell(journey, "Awareness", "thoughts_feelings")
    assert ad == ["Ad: \u201cThe ad was cheerful and made me want to try the service straight "
                  "away\u201d (P4, interview)"]  # fmt: skip
    (pain,) = cell(journey, "Purchase", "pain_points")  # the lane was added
    assert pain.startswith("Checkout: 86% of 7 rows report a pain (score ")
    assert cell(journey, "Purchase", "what_to_change") == [
        "Show the fee early (impact 5/5, effort 1/5, quick win)"
    ]
    made = generated_items(journey)
    assert set(made["s3"]) == {"thoughts_feelings", "pain_points", "what_to_change"}
    assert made["s3"]["thoughts_feelings"][thoughts[1]]["evidence"] == [ev.frame["evidence_id"][1]]
    assert "My own note" not in made["s3"]["thoughts_feelings"]
    journey.undo()
    assert journey.to_dict() == before


def test_running_again_changes_nothing_and_keeps_edits(journey, ev):
    cjm.fill_lanes(journey, ev)
    after_first = journey.to_dict()
    depth = len(journey._undo_stack)
    cjm.fill_lanes(journey, ev)
    assert journey.to_dict() == after_first and len(journey._undo_stack) == depth
    (pain,) = cell(journey, "Purchase", "pain_points")
    journey.set_lane("Purchase", "pain_points", ["Fee shown late (my words)"])
    assert "pain_points" not in generated_items(journey).get("s3", {})  # edited: theirs now
    cjm.fill_lanes(journey, ev, lanes="pain_points")
    assert cell(journey, "Purchase", "pain_points") == ["Fee shown late (my words)", pain]


def test_bad_arguments_say_what_is_allowed(journey, ev):
    before = journey.to_dict()
    with pytest.raises(ValueError, match="thoughts_feelings, pain_points, what_to_change"):
        cjm.fill_lanes(journey, ev, lanes=["feelings"])
    with pytest.raises(ValueError, match="top"):
        cjm.fill_lanes(journey, ev, top=0)
    assert journey.to_dict() == before


def test_static_map_marks_generated_items_and_escapes(journey, ev):
    cjm.fill_lanes(journey, ev)
    html = journey_html(journey)
    assert "<script>alert" not in html
    assert re.search(r"&lt;script&gt;alert\((&#x27;|&#39;)q(&#x27;|&#39;)\)&lt;/script&gt;", html)
    assert html.count('class="cjm-gen"') == 4
    journey.set_lane("Purchase", "what_to_change", ["Rewritten"])
    assert journey_html(journey).count('class="cjm-gen"') == 3


def test_board_button_fills_and_marks(journey, ev):
    editor = JourneyEditor(journey, evidence=ev)
    shown = []
    editor.on_evidence_click(lambda tp, ids: shown.append((tp, ids)))
    assert editor._journey["can_fill"] is True
    reply = editor._dispatch({"type": "call", "id": "v1-1", "method": "fill_lanes", "args": {}})
    assert reply["ok"], reply
    gen = editor._journey["generated"]["s3"]["pain_points"]
    ((_text, info),) = gen.items()
    assert info["n"] >= 1 and info["how"] == "cjm.pain_points"
    args = {"stage": "s3", "lane": "pain_points", "index": 0}
    reply = editor._dispatch(
        {"type": "call", "id": "v1-2", "method": "show_evidence", "args": args}
    )
    assert reply["ok"], reply
    tp = journey.touchpoint("Checkout").id
    assert shown[0][0] == tp and editor.selected == tp
    editor.close()
    assert JourneyEditor(journey)._journey["can_fill"] is False
