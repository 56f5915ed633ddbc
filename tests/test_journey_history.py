"""Journey's undo/redo/batch/observe on the shared core (cjm_widgets/_history.py)."""

from __future__ import annotations

import pytest

import cjm_widgets as cjm
from cjm_widgets._history import History
from cjm_widgets.errors import JourneyError


@pytest.fixture
def journey() -> cjm.Journey:
    return cjm.Journey.from_template("current_state", stages="five_stage")


def test_journey_uses_the_shared_history(journey: cjm.Journey) -> None:
    assert isinstance(journey._history, History)
    journey.add_stage("Extra")
    assert journey.can_undo and len(journey._undo_stack) == 1
    journey._undo_stack.clear()  # older code clears the undo stack this way
    assert not journey.can_undo and journey.undo() is None


def test_a_batch_is_one_step_undone_with_one_event(journey: cjm.Journey) -> None:
    seen: list[cjm.JourneyChange] = []
    journey.observe(seen.append)
    before = journey.to_dict()
    with journey.batch("delivery"):
        journey.add_stage("Delivery")
        journey.add_touchpoint("Delivery", "Courier", channel="in person")
        with journey.batch("inner"):
            journey.rename_stage("Delivery", "Drop-off")
    assert len(journey._undo_stack) == 1
    undone = journey.undo()
    assert undone is not None and undone.kind == "batch"
    assert undone.detail["changes"] == ["stage_added", "touchpoint_added", "stage_renamed"]
    assert journey.to_dict()["stages"] == before["stages"]
    assert seen[-1].kind == "undo" and seen[-1].detail["change"] == "batch"
    journey.redo()
    assert journey.stage("Drop-off").touchpoints[0].name == "Courier"


def test_a_failing_inner_batch_rolls_back_only_itself(journey: cjm.Journey) -> None:
    seen: list[str] = []
    journey.observe(lambda c: seen.append(c.kind))
    with journey.batch("outer"):
        journey.add_stage("Kept")
        with pytest.raises(JourneyError), journey.batch("inner"):
            journey.add_stage("Dropped")
            journey.rename_stage("Dropped", "Kept")  # a duplicate name: the inner batch fails
        journey.add_touchpoint("Kept", "Card")
    names = [s.name for s in journey.stages]
    assert "Kept" in names and "Dropped" not in names
    assert journey.touchpoint("Card").name == "Card"
    journey.undo()
    assert "Kept" not in [s.name for s in journey.stages]


def test_a_failing_outer_batch_restores_everything_and_says_reverted(
    journey: cjm.Journey,
) -> None:
    seen: list[cjm.JourneyChange] = []
    before = journey.to_dict()
    journey.observe(seen.append)
    with pytest.raises(RuntimeError), journey.batch("b"):
        journey.add_stage("Gone")
        raise RuntimeError("stop")
    after = journey.to_dict()
    assert after.pop("next_ids") != before.pop("next_ids")  # ids are never handed out twice
    assert after == before and not journey.can_undo
    assert seen[-1].kind == "reverted" and seen[-1].detail["label"] == "b"


def test_undo_inside_a_batch_is_refused(journey: cjm.Journey) -> None:
    journey.add_stage("A")
    with journey.batch(), pytest.raises(JourneyError, match="finish the batch first"):
        journey.undo()
    assert journey.stage("A")


def test_undo_keeps_the_touchpoints_it_does_not_change(journey: cjm.Journey) -> None:
    stage = journey.stages[0].name
    kept = journey.add_touchpoint(stage, "Search")
    renamed = journey.add_touchpoint(stage, "Ads", channel="social")
    journey.update_touchpoint(renamed, name="Paid ads", owner="Marketing")
    journey.undo()
    # the untouched touchpoint is the same object; the changed one has its old fields back
    assert journey.touchpoint("Search") is kept
    back = journey.touchpoint("Ads")
    assert (back.name, back.channel, back.owner) == ("Ads", "social", "")
    with pytest.raises(cjm.ReadOnlyError):
        back.name = "Direct"  # type: ignore[misc]
    journey.redo()
    again = journey.touchpoint("Paid ads")
    assert again.owner == "Marketing" and journey.touchpoint("Search") is kept
    assert [tp.name for tp in journey.stage(stage).touchpoints][-2:] == ["Search", "Paid ads"]


def test_a_loaded_journey_fills_missing_touchpoint_fields() -> None:
    data = cjm.Journey.from_template("current_state", stages="five_stage").to_dict()
    data["stages"][0]["touchpoints"] = [{"id": "t90", "name": "Kiosk"}]
    loaded = cjm.Journey.from_dict(data, validate=False)
    kiosk = loaded.touchpoint("Kiosk")
    assert (kiosk.channel, kiosk.phase, kiosk.owner, kiosk.description) == ("other", None, "", "")
