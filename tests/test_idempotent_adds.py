"""Re-running a cell changes nothing the second time: each add returns the existing item when
the arguments match, names the differing field when they do not, and ``update=True`` applies
the call's values as one undo step."""

from __future__ import annotations

import pytest

import cjm_widgets as cjm
from cjm_widgets import JourneyError


@pytest.fixture
def journey():
    j = cjm.Journey.from_template("current_state", stages="five_stage", title="Shop")
    j.add_touchpoint("Purchase", "Checkout", channel="web", phase="purchase", owner="Web")
    return j


def _watch(journey):
    seen = []
    journey.observe(seen.append)
    return seen


def _same_twice(journey, add):
    """Run ``add`` twice; the second run returns the same item and changes nothing."""
    first = add()
    before, depth = journey.to_dict(), len(journey._undo_stack)
    seen = _watch(journey)
    again = add()
    assert again is first
    assert journey.to_dict() == before
    assert len(journey._undo_stack) == depth  # no undo step
    assert seen == []  # no change event (so nothing is autosaved)
    return first


def test_add_stage_twice_returns_the_same_stage(journey):
    stage = _same_twice(journey, lambda: journey.add_stage("Delivery", after="Purchase"))
    assert [s.name for s in journey.stages].count("Delivery") == 1
    assert stage.id == journey.stage("Delivery").id


def test_add_stage_ignores_case_and_accents_and_keeps_the_board_position(journey):
    stage = journey.add_stage("Délivery", after="Purchase")
    journey.move_stage(stage, 0)  # e.g. dragged on the board
    assert journey.add_stage("delivery", after="Purchase") is stage
    assert journey.stages[0] is stage


def test_add_touchpoint_twice_returns_the_same_touchpoint(journey):
    tp = _same_twice(
        journey,
        lambda: journey.add_touchpoint("Retention", "Loyalty email", channel="app", owner="CRM"),
    )
    assert tp.channel == "mobile app"  # the alias matched its channel on the second run too
    assert [t.name for t in journey.stage("Retention").touchpoints] == ["Loyalty email"]


def test_add_opportunity_twice_makes_one_opportunity(journey):
    _same_twice(
        journey,
        lambda: journey.add_opportunity("Show fees up front", ["Checkout"], impact=5, effort=1),
    )
    assert [o.text for o in journey.opportunities] == ["Show fees up front"]


def test_add_persona_twice_makes_one_persona(journey):
    _same_twice(
        journey,
        lambda: journey.add_persona("Busy parent", goals=["Order fast"], segment={"Kids": "yes"}),
    )
    assert [p.name for p in journey.personas] == ["Busy parent"]


def test_add_lane_and_lane_item_twice_change_nothing(journey):
    _same_twice(journey, lambda: journey.add_lane("backstage"))
    cell = journey.add_lane_item("Purchase", "actions", "Delivery fee shown late")
    assert cell == ["Delivery fee shown late"]
    depth, seen = len(journey._undo_stack), _watch(journey)
    assert journey.add_lane_item("Purchase", "actions", "delivery fee shown LATE") == cell
    assert journey.set_lane("Purchase", "actions", cell) == cell  # same items: no edit
    assert len(journey._undo_stack) == depth and seen == []
    assert journey.cell("Purchase", "actions") == ["Delivery fee shown late"]


def test_defaults_never_conflict_with_values_set_elsewhere(journey):
    # the board (or another cell) set an owner; a call that gives no owner still matches
    tp = journey.touchpoint("Checkout")
    journey.update_touchpoint(tp, description="Pay and confirm")
    assert journey.add_touchpoint("Purchase", "Checkout", channel="web") is tp
    assert tp.description == "Pay and confirm"


@pytest.mark.parametrize(
    ("add", "field", "current", "given"),
    [
        (lambda j: j.add_stage("Purchase", description="Buy"), "description", "''", "'Buy'"),
        (
            lambda j: j.add_touchpoint("Purchase", "Checkout", channel="mobile app"),
            "channel",
            "'web'",
            "'mobile app'",
        ),
        (
            lambda j: j.add_opportunity("Fees up front", ["Checkout"], impact=2),
            "impact",
            "5",
            "2",
        ),
        (lambda j: j.add_persona("Busy parent", description="Other"), "description", "''", ""),
        (lambda j: j.add_lane("actions", kind="touchpoints"), "kind", "'text'", ""),
    ],
)
def test_a_differing_argument_is_an_error_naming_the_field(journey, add, field, current, given):
    journey.add_opportunity("Fees up front", ["Checkout"], impact=5, effort=1)
    journey.add_persona("Busy parent")
    before, depth = journey.to_dict(), len(journey._undo_stack)
    with pytest.raises(JourneyError) as err:
        add(journey)
    message = str(err.value)
    assert f"with {field}={current}" in message
    assert f"this call gives {field}=" in message
    assert given in message
    assert "update=True" in message  # the way out
    assert journey.to_dict() == before and len(journey._undo_stack) == depth


def test_update_true_applies_the_differing_fields_as_one_undo_step(journey):
    opp = journey.add_opportunity("Fees up front", ["Checkout"], impact=5, effort=1)
    depth = len(journey._undo_stack)
    again = journey.add_opportunity("fees up front", ["Checkout"], impact=4, update=True)
    assert again is opp and opp.impact == 4 and opp.effort == 1
    assert len(journey._undo_stack) == depth + 1
    journey.undo()
    assert journey.opportunity("Fees up front").impact == 5
    tp = journey.add_touchpoint("Purchase", "Checkout", channel="app", update=True)
    assert tp.channel == "mobile app" and tp.owner == "Web"


def test_a_renamed_item_is_found_by_its_former_name(journey):
    tp = journey.touchpoint("Checkout")
    journey.rename_touchpoint(tp, "Payment")  # e.g. on the board
    stage = journey.rename_stage("Purchase", "Buy")
    # the cells that added them run again: they get the renamed items, nothing new
    with pytest.warns(UserWarning, match="'Purchase' has been renamed to 'Buy'"):
        again = journey.add_touchpoint("Purchase", "Checkout", channel="web")
    assert again is tp
    assert journey.add_stage("Purchase") is stage
    assert [s.name for s in journey.stages].count("Buy") == 1
    assert len(journey.touchpoints) == 1
    with pytest.warns(UserWarning, match="'Checkout' has been renamed to 'Payment' \\(t"):
        assert journey.touchpoint("Checkout") is tp
    # a name in use now wins over a former name
    new = journey.add_touchpoint("Retention", "Checkout")
    assert new is not tp and journey.touchpoint("Checkout") is new


def test_former_names_are_saved_and_undone_with_the_rename(journey, tmp_path):
    journey.rename_touchpoint("Checkout", "Payment")
    journey.save(tmp_path / "j.json")
    loaded = cjm.Journey.load(tmp_path / "j.json")
    with pytest.warns(UserWarning, match="renamed"):
        assert loaded.touchpoint("Checkout").name == "Payment"
    loaded.undo()  # nothing to undo in a loaded journey; the record stays
    journey.undo()
    assert journey.touchpoint("Checkout").name == "Checkout"
    assert "former_names" not in journey.metadata


def test_survey_mapping_finds_a_touchpoint_renamed_on_the_board(journey):
    import pandas as pd

    journey.rename_touchpoint("Checkout", "Check-out page")
    survey = pd.DataFrame({"id": [1, 2], "Q4": [1, 5]})
    with pytest.warns(UserWarning, match="renamed to 'Check-out page'"):
        ev = cjm.Evidence.from_survey(
            survey, items={"Q4": "Checkout"}, scale=(1, 5), respondent="id", journey=journey
        )
    tp_id = journey.touchpoint("Check-out page").id
    assert set(ev.frame["touchpoint_id"]) == {tp_id}


def test_a_rename_run_again_changes_nothing_and_says_nothing(journey):
    import warnings

    stage = journey.rename_stage("Purchase", "Checkout stage")
    tp = journey.rename_touchpoint("Checkout", "Payment")
    depth, seen = len(journey._undo_stack), _watch(journey)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert journey.rename_stage("Purchase", "Checkout stage") is stage
        assert journey.rename_touchpoint("Checkout", "Payment") is tp
        assert journey.update_touchpoint(tp, channel="web") is tp  # already web
    assert len(journey._undo_stack) == depth and seen == []
    with pytest.raises(cjm.NotFoundError):  # a name that never existed is still an error
        journey.rename_stage("Purchse", "Buy")


def test_a_touchpoint_moved_to_another_stage_is_found_by_the_cell_that_added_it(journey):
    tp = journey.touchpoint("Checkout")
    journey.move_touchpoint(tp, stage="Retention")  # dragged on the board
    depth = len(journey._undo_stack)
    assert journey.add_touchpoint("Purchase", "Checkout", channel="web") is tp
    assert journey.stage_of(tp).name == "Retention" and len(journey.touchpoints) == 1
    assert len(journey._undo_stack) == depth
    journey.undo()  # the move undone: the record goes with it
    assert "moved_from" not in journey.metadata
