"""The journey model: editing operations, ids, validation, undo/redo and change events."""

from __future__ import annotations

import pytest

import cjm_widgets as cjm
from cjm_widgets import JourneyError, NotFoundError


@pytest.fixture
def journey() -> cjm.Journey:
    j = cjm.Journey(title="Grocery", scope="First order")
    for name in ("Discover", "Order", "Delivery"):
        j.add_stage(name)
    j.add_touchpoint("Order", "Checkout", channel="web", phase="purchase", owner="E-commerce")
    j.add_touchpoint("Order", "Slot picker", channel="mobile app")
    j.add_touchpoint("Delivery", "Courier", channel="in person", phase="post-purchase")
    return j


def names(j: cjm.Journey) -> list[str]:
    return [s.name for s in j.stages]


def tp_names(j: cjm.Journey, stage: str) -> list[str]:
    return [t.name for t in j.stage(stage).touchpoints]


# ---------------------------------------------------------------- ids and lookup
def test_ids_are_short_unique_and_never_reused(journey):
    ids = [s.id for s in journey.stages]
    assert ids == ["s1", "s2", "s3"]
    removed = journey.stage("Delivery").id
    journey.remove_stage("Delivery")
    new = journey.add_stage("Delivery again")
    assert new.id not in ids and new.id != removed
    journey.undo()  # undo the add: the id is still not handed out again
    again = journey.add_stage("Third try")
    assert again.id not in {*ids, new.id}


def test_lookup_by_id_name_and_folded_name(journey):
    order = journey.stage("Order")
    assert journey.stage(order.id) is order
    assert journey.stage("order") is order
    tp = journey.touchpoint("Checkout")
    assert journey.touchpoint(tp.id) is tp
    assert journey.touchpoint("CHECKOUT") is tp
    assert journey.stage_of("Checkout") is order


def test_unknown_names_list_the_valid_ones(journey):
    with pytest.raises(NotFoundError) as err:
        journey.stage("Oder")
    message = str(err.value)
    assert "Unknown stage 'Oder'" in message
    assert "Did you mean 'Order'?" in message
    assert "'Discover' (s1)" in message and "'Delivery' (s3)" in message
    with pytest.raises(NotFoundError, match="Touchpoints: 'Checkout'"):
        journey.touchpoint("Nope")


def test_ambiguous_touchpoint_name_asks_for_the_stage(journey):
    journey.add_touchpoint("Delivery", "Checkout", channel="in person")
    with pytest.raises(NotFoundError, match="several stages"):
        journey.touchpoint("Checkout")
    assert journey.touchpoint("Checkout", stage="Delivery").channel == "in person"


# ---------------------------------------------------------------- stages
def test_add_stage_positions(journey):
    journey.add_stage("Think", after="Discover")
    journey.add_stage("Hear", before="Discover")
    journey.add_stage("Return")
    assert names(journey) == ["Hear", "Discover", "Think", "Order", "Delivery", "Return"]


def test_rename_stage_keeps_id_and_touchpoints(journey):
    sid = journey.stage("Order").id
    journey.rename_stage("Order", "Buy")
    assert journey.stage(sid).name == "Buy"
    assert tp_names(journey, "Buy") == ["Checkout", "Slot picker"]


def test_move_stage_by_position_and_anchor(journey):
    journey.move_stage("Delivery", 0)
    assert names(journey) == ["Delivery", "Discover", "Order"]
    journey.move_stage("Delivery", after="Order")
    assert names(journey) == ["Discover", "Order", "Delivery"]
    journey.move_stage("Discover", before="Delivery")
    assert names(journey) == ["Order", "Discover", "Delivery"]
    journey.move_stage("Order", -1)
    assert names(journey) == ["Discover", "Delivery", "Order"]


def test_remove_stage_returns_what_was_removed(journey):
    tp_ids = tuple(t.id for t in journey.stage("Order").touchpoints)
    removal = journey.remove_stage("Order")
    assert removal.stage_ids == ("s2",)
    assert removal.touchpoint_ids == tp_ids
    assert removal.evidence_rows == 0
    assert names(journey) == ["Discover", "Delivery"]


def test_removal_reports_rows_from_reference_counters(journey):
    calls = []

    class Store:
        def count(self, stage_ids, tp_ids):
            calls.append((stage_ids, tp_ids))
            return 7 if tp_ids else 0

    store = Store()
    journey.add_reference_counter(store.count)
    assert journey.remove_touchpoint("Checkout").evidence_rows == 7
    assert calls[-1][1] == frozenset({"t1"})
    del store  # held weakly: a dropped store no longer counts
    assert journey.remove_touchpoint("Courier").evidence_rows == 0


# ---------------------------------------------------------------- touchpoints
def test_add_touchpoint_fields_and_position(journey):
    tp = journey.add_touchpoint(
        "Order", "Basket", channel="Mobile", phase="Pre purchase", owner="App team", position=0
    )
    assert (tp.channel, tp.phase, tp.owner) == ("mobile app", "pre-purchase", "App team")
    assert tp_names(journey, "Order") == ["Basket", "Checkout", "Slot picker"]


def test_update_touchpoint(journey):
    journey.update_touchpoint(
        "Checkout", channel="email", phase=None, owner="CRM", description="Order confirmation"
    )
    tp = journey.touchpoint("Checkout")
    assert (tp.channel, tp.phase, tp.owner, tp.description) == (
        "email",
        None,
        "CRM",
        "Order confirmation",
    )
    journey.rename_touchpoint("Checkout", "Pay")
    assert journey.touchpoint(tp.id).name == "Pay"


def test_move_touchpoint_within_and_across_stages(journey):
    journey.move_touchpoint("Slot picker", position=0)
    assert tp_names(journey, "Order") == ["Slot picker", "Checkout"]
    journey.move_touchpoint("Slot picker", stage="Delivery")
    assert tp_names(journey, "Order") == ["Checkout"]
    assert tp_names(journey, "Delivery") == ["Courier", "Slot picker"]
    journey.move_touchpoint("Slot picker", before="Courier")
    assert tp_names(journey, "Delivery") == ["Slot picker", "Courier"]
    journey.move_touchpoint("Slot picker", after="Checkout")
    assert tp_names(journey, "Order") == ["Checkout", "Slot picker"]


def test_remove_touchpoint_unlinks_opportunities(journey):
    opp = journey.add_opportunity("Show fees", ["Checkout", "Courier"], impact=5, effort=1)
    journey.remove_touchpoint("Checkout")
    assert journey.opportunity(opp.id).touchpoints == ["t3"]
    journey.undo()
    assert journey.opportunity(opp.id).touchpoints == ["t1", "t3"]


# ---------------------------------------------------------------- lanes
def test_set_lane_and_cells(journey):
    journey.set_lane("Order", "actions", ["Fills basket", "  ", "Pays"])
    assert journey.cell("Order", "actions") == ["Fills basket", "Pays"]
    assert journey.cell("Order", "touchpoints") == ["Checkout", "Slot picker"]
    journey.set_lane("Order", "Actions", [])
    assert journey.cell("Order", "actions") == []
    with pytest.raises(JourneyError, match="add_touchpoint"):
        journey.set_lane("Order", "touchpoints", ["x"])
    with pytest.raises(NotFoundError, match="Lanes: 'Actions' \\(actions\\)"):
        journey.set_lane("Order", "nope", ["x"])


def test_add_rename_move_remove_lane(journey):
    lane = journey.add_lane("Backstage notes")
    assert lane.id.startswith("lane") and lane.kind == "text"
    journey.set_lane("Order", lane, ["Picker app"])
    journey.rename_lane(lane, "Backstage")
    journey.move_lane("Backstage", 0)
    assert journey.lanes[0].name == "Backstage"
    journey.remove_lane("Backstage")
    assert "Backstage" not in [ln.name for ln in journey.lanes]
    journey.undo()
    assert journey.cell("Order", "Backstage") == ["Picker app"]


# ---------------------------------------------------------------- personas and opportunities
def test_personas_and_opportunities(journey):
    p = journey.add_persona(
        "Busy parent", goals=["Order in 5 minutes"], segment={"Class": ["Business", "Eco Plus"]}
    )
    journey.update_persona(p, description="Two kids")
    assert journey.persona.description == "Two kids"
    assert journey.persona.segment == {"Class": ["Business", "Eco Plus"]}
    opp = journey.add_opportunity("One-page checkout", "Checkout", impact=4, effort=2)
    assert opp.quick_win
    journey.update_opportunity(opp, effort=4)
    assert not journey.opportunity("One-page checkout").quick_win


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda j: j.add_stage(""), "stage name is empty"),
        (lambda j: j.add_stage("   "), "stage name is empty"),
        (lambda j: j.add_stage("order", description="New"), "already has the stage 'Order'"),
        (lambda j: j.rename_stage("Discover", "Delivery"), "already a stage named"),
        (
            lambda j: j.add_touchpoint("Order", "checkout", owner="Web"),
            "already has the touchpoint 'Checkout'",
        ),
        (lambda j: j.add_touchpoint("Order", "Fax", channel="fax"), "Unknown channel 'fax'"),
        (lambda j: j.add_touchpoint("Order", "Fax", phase="during"), "Unknown phase 'during'"),
        (lambda j: j.add_opportunity("X", impact=6), "Impact must be from 1 to 5"),
        (lambda j: j.add_opportunity("X", effort=0), "Effort must be from 1 to 5"),
        (lambda j: j.add_opportunity("X", effort=2.5), "whole number"),
        (lambda j: j.add_opportunity("X", ["Nope"]), "Unknown touchpoint 'Nope'"),
        (lambda j: j.move_touchpoint("Courier", stage="Order", position=9), "out of range"),
        (lambda j: j.move_stage("Order"), "give one of position"),
        (lambda j: j.update(state="past"), "Unknown journey state"),
        (lambda j: j.add_stage("x" * 600), "characters long"),
        (lambda j: j.add_persona("P", segment="Business"), "mapping of column"),
    ],
)
def test_rejected_edits_change_nothing(journey, edit, message):
    before = journey.to_dict()
    undo_depth = len(journey._undo_stack)
    with pytest.raises(JourneyError, match=message):
        edit(journey)
    assert journey.to_dict() == before
    assert len(journey._undo_stack) == undo_depth


def test_channel_error_lists_allowed_values(journey):
    with pytest.raises(JourneyError) as err:
        journey.add_touchpoint("Order", "Fax", channel="fax")
    for channel in cjm.CHANNELS:
        assert channel in str(err.value)


def test_move_touchpoint_into_stage_with_same_name_is_rejected(journey):
    journey.add_touchpoint("Delivery", "Checkout")
    before = journey.to_dict()
    with pytest.raises(JourneyError, match="already has a touchpoint named 'Checkout'"):
        journey.move_touchpoint(journey.touchpoint("Checkout", stage="Order"), stage="Delivery")
    assert journey.to_dict() == before


# ---------------------------------------------------------------- undo / redo
EDITS = [
    lambda j: j.add_stage("New", after="Discover"),
    lambda j: j.rename_stage("Order", "Buy"),
    lambda j: j.move_stage("Delivery", 0),
    lambda j: j.remove_stage("Order"),
    lambda j: j.add_touchpoint("Discover", "Ad", channel="social"),
    lambda j: j.update_touchpoint("Checkout", owner="Ops", channel="phone"),
    lambda j: j.move_touchpoint("Checkout", stage="Delivery", position=0),
    lambda j: j.remove_touchpoint("Courier"),
    lambda j: j.set_lane("Order", "actions", ["Pays"]),
    lambda j: j.add_opportunity("Faster", ["Courier"], impact=2, effort=5),
    lambda j: j.add_persona("Parent"),
    lambda j: j.add_lane("pain_points_extra", name="Extra"),
    lambda j: j.update(title="New title", scope="New scope", state="future"),
]


@pytest.mark.parametrize("edit", EDITS)
def test_every_edit_undoes_and_redoes(journey, edit):
    before = journey.to_dict()
    edit(journey)
    after = journey.to_dict()
    assert after != before
    journey.undo()
    assert journey.to_dict() | {"next_ids": None} == before | {"next_ids": None}
    journey.redo()
    assert journey.to_dict() | {"next_ids": None} == after | {"next_ids": None}


def test_undo_redo_stack_semantics(journey):
    assert journey.can_undo and not journey.can_redo
    journey.add_stage("A")
    journey.add_stage("B")
    journey.undo()
    journey.undo()
    assert names(journey)[-1] == "Delivery"
    journey.redo()
    assert names(journey)[-1] == "A"
    journey.add_stage("C")  # a new edit clears the redo stack
    assert not journey.can_redo
    assert journey.redo() is None
    while journey.undo():
        pass
    assert journey.stages == ()
    assert journey.undo() is None


def test_batch_is_one_undo_step_and_rolls_back_on_error(journey):
    with journey.batch("delivery"):
        journey.add_stage("Return")
        journey.add_touchpoint("Return", "Return label", channel="print")
    assert tp_names(journey, "Return") == ["Return label"]
    journey.undo()
    assert "Return" not in names(journey)
    before = journey.to_dict()
    with pytest.raises(JourneyError), journey.batch():
        journey.add_stage("Half")
        journey.add_stage("Half", description="Other")  # conflict: the batch is rolled back
    assert journey.to_dict() | {"next_ids": None} == before | {"next_ids": None}


def test_title_setter_is_undoable(journey):
    journey.title = "Renamed"
    assert journey.title == "Renamed"
    journey.undo()
    assert journey.title == "Grocery"


# ---------------------------------------------------------------- events
def test_observe_delivers_kind_and_ids(journey):
    seen = []
    cb = journey.observe(seen.append)
    stage = journey.add_stage("Return")
    journey.rename_stage(stage, "Returns")
    tp = journey.add_touchpoint("Returns", "Label", channel="print")
    journey.move_touchpoint(tp, stage="Order")
    journey.remove_touchpoint(tp)
    journey.undo()
    journey.redo()
    journey.set_lane("Order", "actions", ["x"])
    kinds = [c.kind for c in seen]
    assert kinds == [
        "stage_added",
        "stage_renamed",
        "touchpoint_added",
        "touchpoint_moved",
        "touchpoint_removed",
        "undo",
        "redo",
        "lane_set",
    ]
    assert seen[0].ids == (stage.id,)
    assert seen[1].detail == {"old": "Return", "new": "Returns"}
    assert seen[2].ids[:2] == (tp.id, stage.id)
    assert seen[3].detail["from_stage"] == stage.id
    assert seen[5].detail["change"] == "touchpoint_removed" and tp.id in seen[5].ids
    journey.unobserve(cb)
    journey.add_stage("Quiet")
    assert len(seen) == 8


def test_failing_observer_does_not_break_the_edit(journey):
    def broken(change):
        raise RuntimeError("boom")

    journey.observe(broken)
    with pytest.warns(RuntimeWarning, match="boom"):
        journey.add_stage("Still added")
    assert "Still added" in names(journey)


def test_rejected_edit_emits_nothing(journey):
    seen = []
    journey.observe(seen.append)
    with pytest.raises(JourneyError):
        journey.add_stage("Order", description="A different one")
    assert seen == []


# ---------------------------------------------------------------- misc
def test_equality_copy_and_repr(journey):
    twin = journey.copy()
    assert twin == journey and twin is not journey
    twin.add_stage("Only in twin")
    assert twin != journey
    assert "stages=3" in repr(journey) and "touchpoints=3" in repr(journey)


def test_constructor_rejects_bad_fields():
    with pytest.raises(JourneyError, match="Unknown journey state"):
        cjm.Journey(state="someday")
    with pytest.raises(JourneyError, match="Unknown persona field"):
        cjm.Journey(personas=[{"name": "A", "age": 3}])


def test_replace_copies_another_journey_as_one_undo_step():
    Journey = cjm.Journey
    mine = Journey(title="Mine")
    mine.add_stage("Aware")
    other = Journey(title="Theirs")
    for name in ("One", "Two", "Three"):
        other.add_stage(name)
    heard = []
    mine.observe(heard.append)
    mine.replace(other)
    assert mine.to_dict()["stages"] == other.to_dict()["stages"] and mine.title == "Theirs"
    assert [c.kind for c in heard] == ["replaced"]
    fresh = mine.add_stage("Four").id
    assert fresh not in {s.id for s in other.stages}  # ids are never reused
    mine.undo()
    mine.undo()
    assert [s.name for s in mine.stages] == ["Aware"] and mine.title == "Mine"
    with pytest.raises(TypeError, match="takes a Journey"):
        mine.replace({"title": "x"})
