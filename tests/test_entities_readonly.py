"""A journey's parts are read-only from outside: every change goes through the journey."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

import cjm_widgets as cjm
from cjm_widgets.errors import JourneyError, ReadOnlyError
from cjm_widgets.model.entities import Stage, Touchpoint
from cjm_widgets.model.open import journey_file


@pytest.fixture
def journey() -> cjm.Journey:
    j = cjm.Journey.from_template("current_state", stages="five_stage", persona="Busy parent")
    j.add_touchpoint("Purchase", "Checkout", channel="web")
    j.set_lane("Purchase", "what_to_change", ["Fee shown late"])
    j.update_persona("Busy parent", goals=["Order fast"], segment={"Class": ["A", "B"]})
    j.add_opportunity("Show fees early", ["Checkout"], impact=5, effort=1)
    return j


POKES = [
    ("stage name", lambda j: setattr(j.stages[0], "name", "X"), "rename_stage"),
    ("stage description", lambda j: setattr(j.stages[0], "description", "X"), "update_stage"),
    ("touchpoint list", lambda j: j.stage("Purchase").touchpoints.clear(), "remove_touchpoint"),
    ("touchpoint append", lambda j: j.stages[0].touchpoints.append(None), "add_touchpoint"),
    ("lane cell", lambda j: j.stage("Purchase").lanes["what_to_change"].append("x"), "set_lane"),
    ("lane dict", lambda j: j.stage("Purchase").lanes.pop("what_to_change"), "set_lane"),
    ("touchpoint channel", lambda j: setattr(j.touchpoints[0], "channel", "x"), "update_touch"),
    ("touchpoint name", lambda j: setattr(j.touchpoints[0], "name", "x"), "rename_touchpoint"),
    ("lane name", lambda j: setattr(j.lanes[0], "name", "x"), "rename_lane"),
    ("persona goals", lambda j: j.persona.goals.append("x"), "update_persona"),
    ("persona segment", lambda j: j.persona.segment["Class"].append("C"), "update_persona"),
    ("opportunity", lambda j: setattr(j.opportunities[0], "impact", 1), "update_opportunity"),
    ("opp links", lambda j: j.opportunities[0].touchpoints.pop(), "update_opportunity"),
    ("delete field", lambda j: delattr(j.stages[0], "name"), "rename_stage"),
]


@pytest.mark.parametrize(("what", "poke", "method"), POKES, ids=[p[0] for p in POKES])
def test_a_direct_change_raises_naming_the_method_and_changes_nothing(
    journey: cjm.Journey, what: str, poke: object, method: str
) -> None:
    before, depth, seen = journey.to_dict(), len(journey._undo_stack), []
    journey.observe(seen.append)
    with pytest.raises(ReadOnlyError, match=method) as err:
        poke(journey)  # type: ignore[operator]
    assert isinstance(err.value, JourneyError) and isinstance(err.value, AttributeError)
    assert journey.to_dict() == before and len(journey._undo_stack) == depth and seen == []


def test_the_named_methods_do_the_change_undoably(journey: cjm.Journey) -> None:
    seen: list[str] = []
    journey.observe(lambda c: seen.append(c.kind))
    journey.rename_stage(journey.stages[0], "Heard of it")
    journey.set_lane("Purchase", "what_to_change", ["Fee shown late", "x"])
    journey.update_persona("Busy parent", goals=["Order fast", "x"])
    assert journey.stages[0].name == "Heard of it"
    assert journey.cell("Purchase", "what_to_change") == ["Fee shown late", "x"]
    assert seen == ["stage_renamed", "lane_set", "persona_updated"]
    journey.undo()
    journey.undo()
    journey.undo()
    assert journey.persona.goals == ["Order fast"] and journey.stages[0].name != "Heard of it"


def test_reads_copies_and_free_standing_parts_still_work(journey: cjm.Journey) -> None:
    tp = journey.touchpoint("Checkout")
    moved = dataclasses.replace(tp, name="Pay")  # a free-standing changed copy
    assert moved.name == "Pay" and tp.name == "Checkout"
    assert journey.persona.segment == {"Class": ["A", "B"]} and "Class" in journey.persona.segment
    data = journey.to_dict()  # plain data: the caller may change it freely
    data["personas"][0]["segment"]["Class"].append("C")
    data["stages"][0]["touchpoints"].append({})
    assert type(data["personas"][0]["segment"]) is dict
    for clone in (copy.deepcopy(journey), pickle.loads(pickle.dumps(journey)), journey.copy()):
        assert clone == journey
        clone.rename_stage(clone.stages[0], "Elsewhere")
        assert journey.stages[0].name != "Elsewhere"
        with pytest.raises(ReadOnlyError):
            clone.stages[0].touchpoints.append(tp)
    fresh = Stage("s9", "New", touchpoints=[Touchpoint("t9", "Card")])
    with pytest.raises(ReadOnlyError, match=r"dataclasses\.replace"):
        fresh.name = "Renamed"


def test_autosave_and_the_board_still_save_edits(tmp_path: object) -> None:
    from cjm_widgets.widgets import JourneyEditor

    path = tmp_path / "shop.journey.json"  # type: ignore[operator]
    journey = cjm.Journey.open(path, stages="five_stage", title="First order")
    editor = JourneyEditor(journey)
    try:
        with pytest.raises(ReadOnlyError):
            journey.stages[0].name = "Poked"
        stage = journey.stages[1]
        reply = editor._dispatch(
            {
                "type": "call",
                "id": "v1-1",
                "method": "rename_stage",
                "args": {"stage": stage.id, "name": "Checkout"},
            }
        )
        assert reply["ok"] is True
        journey.add_touchpoint("Checkout", "Card form", channel="web")
        journey_file(journey).flush()
        on_disk = cjm.Journey.load(path)
        assert on_disk.stage(stage.id).name == "Checkout"
        assert [t.name for t in on_disk.stage(stage.id).touchpoints] == ["Card form"]
        assert "Poked" not in path.read_text(encoding="utf-8")
    finally:
        editor.close()
        journey_file(journey).close(save=False)
