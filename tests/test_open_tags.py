"""ev.open_tags: tags loaded from their file when it exists (else it is created), every tag
change written to it, Run All hands the file to the new evidence; the same tag twice is a no-op
in history."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import cjm_widgets as cjm
from cjm_widgets.errors import EvidenceError, SchemaError
from cjm_widgets.evidence import Evidence
from cjm_widgets.evidence.tags_open import tags_file


def make_ev(journey: cjm.Journey) -> Evidence:
    df = pd.DataFrame(
        {
            "evidence_id": [f"e{i}" for i in range(6)],
            "source": "interview",
            "document": "doc.txt",
            "participant": [f"P{i % 3}" for i in range(6)],
            "position": np.arange(6),
            "text": ["fee late", "slots full", "fee hidden", "nice courier", "ok", "fine"],
            "rating": np.nan,
        }
    )
    return Evidence(df).link(journey)


@pytest.fixture
def journey() -> cjm.Journey:
    return cjm.datasets.grocery_journey()


@pytest.fixture
def path(tmp_path):
    yield tmp_path / "work" / "grocery.tags.json"
    binding = tags_file(tmp_path / "work" / "grocery.tags.json")
    if binding is not None:
        binding.close(save=False)


def _tags_on_disk(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["tags"]


def _a_touchpoint(journey) -> str:
    return journey.touchpoints[0].name


def test_open_creates_the_file_then_every_change_is_written(journey, path):
    ev = make_ev(journey).open_tags(path)
    assert path.exists() and _tags_on_disk(path) == {}
    ev.tag(["e0", "e2"], touchpoint=_a_touchpoint(journey), emotion=-2, labels="pain point")
    tags_file(ev).flush()  # the kernel's event loop does this within the delay
    on_disk = _tags_on_disk(path)
    assert sorted(on_disk) == ["e0", "e2"] and on_disk["e0"]["emotion"] == -2
    ev.undo()
    tags_file(ev).flush()
    assert _tags_on_disk(path) == {}


def test_run_all_again_loads_the_tags_into_the_new_evidence(journey, path):
    ev = make_ev(journey).open_tags(path)
    ev.tag("e1", touchpoint=_a_touchpoint(journey), emotion=1)  # not yet flushed
    again = make_ev(journey).open_tags(path)  # Run All: a new evidence object, same file
    assert again is not ev
    row = again.frame.set_index("evidence_id").loc["e1"]
    assert row["emotion"] == 1 and row["touchpoint_id"] == journey.touchpoints[0].id
    ev.tag("e3", emotion=2)  # the old object no longer writes the file
    tags_file(again).flush()
    assert "e3" not in _tags_on_disk(path)
    assert again.open_tags(path) is again  # the same cell run again: nothing changes
    assert again.history["action"].tolist() == ["load_tags"]  # one step: the load


def test_a_restarted_kernel_reads_the_same_tags(journey, path):
    ev = make_ev(journey).open_tags(path)
    ev.tag(["e0", "e4"], touchpoint=_a_touchpoint(journey), emotion=-1)
    tags_file(ev).close()  # what a kernel shutdown does (atexit)
    fresh = make_ev(journey).open_tags(path)
    assert tags_file(fresh).loaded["applied"] == 2
    assert fresh.frame.set_index("evidence_id").loc[["e0", "e4"], "emotion"].tolist() == [-1, -1]


def test_a_bad_tags_file_is_an_error_and_stays_untouched(journey, path):
    path.parent.mkdir(parents=True)
    path.write_text('{"tags": 3}', encoding="utf-8")
    with pytest.raises(SchemaError, match="grocery"):
        make_ev(journey).open_tags(path)
    assert path.read_text(encoding="utf-8") == '{"tags": 3}'
    with pytest.raises(EvidenceError, match=r"\.json file name"):
        make_ev(journey).open_tags(path.with_suffix(".txt"))


def test_one_evidence_keeps_one_tags_file(journey, path):
    ev = make_ev(journey).open_tags(path)
    with pytest.raises(EvidenceError, match="already keeps its tags"):
        ev.open_tags(path.with_name("other.tags.json"))


def test_the_same_tag_twice_is_a_no_op_in_history(journey, path):
    ev = make_ev(journey).open_tags(path)
    seen = []
    ev.observe(seen.append)
    tp = _a_touchpoint(journey)
    first = ev.tag(["e0", "e2"], touchpoint=tp, emotion=-2, labels="pain point", coder="ana")
    assert len(first) == 2
    binding = tags_file(ev)
    binding.flush()
    saves, steps, events = binding.saves, len(ev.history), len(seen)
    again = ev.tag(["e2", "e0"], touchpoint=tp, emotion=-2, labels="pain point", coder="ana")
    assert len(again) == 0  # nothing changed
    assert len(ev.history) == steps and len(seen) == events  # no history step, no event
    binding.flush()
    assert binding.saves == saves  # nothing to write
    ev.undo()  # one undo takes the one real tag back
    assert not ev.can_undo
    # a different value, or the same rows by another coder, is a real change
    assert len(ev.tag(["e0"], emotion=-1)) == 1
    assert len(ev.tag(["e0"], emotion=-1, coder="ben")) == 1


def test_workspace_autosave_on_opened_files_restores_nothing_twice(journey, path):
    from cjm_widgets.model.open import journey_file
    from cjm_widgets.widgets.autosave import Autosave

    journey_path = path.with_name("grocery.journey.json")
    opened = cjm.Journey.open(journey_path, stages="five_stage")
    ev = make_ev(opened).open_tags(path)
    ev.tag("e1", emotion=1)
    saver = Autosave(opened, ev, journey_path)
    try:
        assert saver.restored is None  # the files are the open ones: no second load
        assert ev.history["action"].tolist() == ["tag"]
    finally:
        saver.close()
        journey_file(opened).close(save=False)
