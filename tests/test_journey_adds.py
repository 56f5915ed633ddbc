"""add_touchpoint records its undo step as an operation (linear adds, issue 14 case 10):
the journey must behave exactly as with whole-journey snapshots."""

from __future__ import annotations

import copy
import pickle

import pytest

import cjm_widgets as cjm
from cjm_widgets.errors import JourneyError


def test_undo_and_redo_of_adds_mixed_with_other_edits_restore_each_state():
    j = cjm.Journey("Mixed")
    j.add_stage("Buy")
    j.add_stage("Use")
    states = [j.to_dict()]
    j.add_touchpoint("Buy", "Cart")
    states.append(j.to_dict())
    j.rename_touchpoint("Cart", "Basket")
    states.append(j.to_dict())
    j.add_touchpoint("Buy", "Pay", position=0, channel="web")
    states.append(j.to_dict())
    with j.batch("two"):
        j.add_touchpoint("Use", "Open")
        j.rename_stage("Use", "Usage")
    states.append(j.to_dict())
    for want in reversed(states[:-1]):
        j.undo()
        assert j.to_dict()["stages"] == want["stages"]
    for want in states[1:]:
        j.redo()
        assert j.to_dict()["stages"] == want["stages"]
    assert [t.name for t in j.stage("Buy").touchpoints] == ["Pay", "Basket"]


def test_names_stay_unique_across_adds_renames_and_undo():
    # an add of a name already there returns that touchpoint (idempotent), never a second one
    j = cjm.Journey("Names")
    j.add_stage("Buy")
    cart = j.add_touchpoint("Buy", "Cart")
    assert j.add_touchpoint("Buy", "cart") is cart
    j.rename_touchpoint("Cart", "Basket")
    assert j.add_touchpoint("Buy", "BASKET") is cart
    with pytest.raises(JourneyError, match="already has a touchpoint named 'Basket'"):
        j.rename_touchpoint(j.add_touchpoint("Buy", "Bag"), "basket")
    j.undo()  # "Bag" goes
    j.undo()  # "Basket" is "Cart" again
    assert [t.name for t in j.stage("Buy").touchpoints] == ["Cart"]
    assert len({_t.id for _t in j.touchpoints}) == len(j.touchpoints)


def test_ids_are_never_reused_after_an_undone_add():
    j = cjm.Journey("Ids")
    j.add_stage("Buy")
    first = j.add_touchpoint("Buy", "A").id
    j.undo()
    second = j.add_touchpoint("Buy", "A").id
    assert second != first
    seen: list[cjm.JourneyChange] = []
    j.observe(seen.append)
    tp = j.add_touchpoint("Buy", "B")
    assert seen[-1].kind == "touchpoint_added" and seen[-1].ids[0] == tp.id
    assert j.count_references(touchpoints=[tp.id]) == 0


def test_a_journey_from_mermaid_of_many_tasks_round_trips():
    j = cjm.Journey("Many")
    j.add_stage("One")
    j.add_stage("Two")
    for i in range(300):
        j.add_touchpoint("One" if i % 3 else "Two", f"Task {i}")
    back = cjm.Journey.from_mermaid(j.to_mermaid())
    assert [[t.name for t in s.touchpoints] for s in back.stages] == [
        [t.name for t in s.touchpoints] for s in j.stages
    ]
    with pytest.raises(JourneyError, match="appears twice"):
        cjm.Journey.from_mermaid("journey\n  section A\n    x: 3\n    X: 4\n")


@pytest.mark.parametrize("clone", [copy.deepcopy, lambda j: pickle.loads(pickle.dumps(j))])
def test_a_copy_undoes_its_own_adds(clone):
    j = cjm.Journey("Copy")
    j.add_stage("Buy")
    j.add_touchpoint("Buy", "Cart")
    j2 = clone(j)
    j2.undo()
    assert [t.name for t in j2.touchpoints] == [] and [t.name for t in j.touchpoints] == ["Cart"]
    j2.redo()
    assert [t.name for t in j2.touchpoints] == ["Cart"]
