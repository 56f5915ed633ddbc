"""Pickle and deepcopy of a linked journey and evidence (issue 14, case 6)."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import cjm_widgets as cjm


def linked() -> tuple[cjm.Journey, cjm.Evidence, list[Any]]:
    """A journey and evidence linked and observed, as a notebook holds them."""
    demo = cjm.datasets.demo()
    journey = demo.journey
    ev = demo.evidence().link(journey)
    seen: list[Any] = []
    journey.observe(seen.append)
    ev.observe(seen.append)
    cjm.EmotionAggregate(journey, ev)  # observes both (bound methods)
    ev.tag(ev.column("evidence_id").iloc[0], touchpoint=journey.touchpoints[0].id, emotion=-1)
    return journey, ev, seen


def by_pickle(obj: Any) -> Any:
    return pickle.loads(pickle.dumps(obj))


@pytest.mark.parametrize("clone", [copy.deepcopy, by_pickle], ids=["deepcopy", "pickle"])
def test_linked_journey_and_evidence_copy_and_stay_usable(clone: Callable[[Any], Any]) -> None:
    journey, ev, seen = linked()
    j2, ev2 = clone((journey, ev))
    assert ev2.journey is j2 and j2 is not journey
    assert j2.to_dict() == journey.to_dict()
    pd.testing.assert_frame_equal(ev2.frame, ev.frame)
    n_seen = len(seen)
    # observers were dropped: editing the copies reaches no callback of the originals
    tp = j2.touchpoints[1]
    base = j2.count_references(touchpoints=[tp.id])  # survey answers tagged there
    ev2.tag(ev2.column("evidence_id").iloc[1], touchpoint=tp.id, emotion=2)
    j2.rename_touchpoint(tp.id, "Renamed in the copy")
    assert len(seen) == n_seen
    # the originals are untouched
    assert journey.touchpoints[1].name != "Renamed in the copy" and len(ev.history) == 1
    # the copy observes, undoes and counts its own tags for removals
    got: list[Any] = []
    ev2.observe(got.append)
    j2.observe(got.append)
    assert j2.count_references(touchpoints=[tp.id]) == base + 1
    ev2.undo()
    assert j2.count_references(touchpoints=[tp.id]) == base
    j2.undo()
    assert [type(c).__name__ for c in got] == ["EvidenceChange", "JourneyChange"]
    assert journey.count_references(touchpoints=[tp.id]) == base  # one store counted once


def test_evidence_alone_pickles_with_its_journey() -> None:
    _, ev, _ = linked()
    ev2 = by_pickle(ev)
    assert ev2.journey is not None and len(ev2.history) == len(ev.history)
    tp = ev2.journey.touchpoints[0].id
    assert ev2.journey.count_references(touchpoints=[tp]) == ev.journey.count_references(
        touchpoints=[tp]
    )
