"""Journey.open: create from the template when the file is missing, load it when it exists
(the file wins), keep every later edit saved there; the same path in the same kernel gives the
same journey."""

from __future__ import annotations

import json
import warnings

import pytest

import cjm_widgets as cjm
from cjm_widgets import JourneyError
from cjm_widgets.model.open import journey_file

ARGS = {"stages": "five_stage", "title": "First order", "persona": "Busy parent"}


@pytest.fixture
def path(tmp_path):
    yield tmp_path / "work" / "shop.journey.json"
    binding = journey_file(tmp_path / "work" / "shop.journey.json")
    if binding is not None:
        binding.close(save=False)


def _restart(path):
    """What a kernel restart does to the open file: the old journey object is gone."""
    binding = journey_file(path)
    if binding is not None:
        binding.close()


def test_creates_the_file_from_the_template_when_missing(path):
    journey = cjm.Journey.open(path, **ARGS)
    assert path.exists()  # the folder was made too
    on_disk = cjm.Journey.load(path)
    assert on_disk.title == "First order"
    assert [s.name for s in on_disk.stages] == [s.name for s in journey.stages]
    assert on_disk.stages[0].name == "Awareness"
    assert on_disk.persona.name == "Busy parent"
    assert on_disk.metadata["opened_with"]["stages"] == "five_stage"


def test_loads_the_file_with_its_edits_instead_of_the_template(path):
    journey = cjm.Journey.open(path, **ARGS)
    journey.rename_stage("Purchase", "Checkout")  # e.g. on the board
    journey.add_touchpoint("Checkout", "Basket", channel="web")
    journey.add_opportunity("Show fees early", ["Basket"], impact=5, effort=1)
    _restart(path)
    again = cjm.Journey.open(path, **ARGS)
    assert again is not journey
    assert [s.name for s in again.stages][2] == "Checkout"
    assert again.touchpoint("Basket").id == journey.touchpoint("Basket").id
    assert [o.text for o in again.opportunities] == ["Show fees early"]
    # the notebook's cells run again: nothing new, nothing lost
    with pytest.warns(UserWarning, match="renamed to 'Checkout'"):
        again.add_touchpoint("Purchase", "Basket", channel="web")  # the stage's former name
    again.add_opportunity("Show fees early", ["Basket"], impact=5, effort=1)
    assert len(again.touchpoints) == 1 and len(again.opportunities) == 1


def test_every_edit_after_open_is_written_to_the_file(path):
    journey = cjm.Journey.open(path, **ARGS, delay=0.2)
    binding = journey_file(journey)
    journey.add_stage("Delivery")
    binding.flush()  # a kernel's event loop does this within `delay`
    assert "Delivery" in path.read_text(encoding="utf-8")
    journey.add_touchpoint("Delivery", "Courier", channel="in person")
    journey.undo()
    journey.redo()
    binding.flush()  # a kernel's event loop does this within `delay`
    on_disk = cjm.Journey.load(path)
    assert [t.name for t in on_disk.touchpoints] == ["Courier"]
    assert on_disk.to_dict() == journey.to_dict()


def test_the_file_wins_and_differing_arguments_are_said_once(path):
    cjm.Journey.open(path, **ARGS)
    _restart(path)
    with pytest.warns(UserWarning) as said:
        journey = cjm.Journey.open(path, **{**ARGS, "title": "Second order"})
    message = str(said[0].message)
    assert len(said) == 1
    assert "the file wins" in message and "title: 'Second order'" in message
    assert "'First order'" in message and "journey.update(title=...)" in message
    assert journey.title == "First order"  # the file's value
    _restart(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once: not again for the same arguments
        again = cjm.Journey.open(path, **{**ARGS, "title": "Second order"})
    assert again.title == "First order"


def test_a_file_made_elsewhere_is_compared_by_its_fields(path):
    path.parent.mkdir(parents=True)
    cjm.Journey.from_template("current_state", stages="five_stage", language="fi").save(path)
    with pytest.warns(UserWarning, match="language: 'en' \\(file: 'fi'\\)"):
        journey = cjm.Journey.open(path, stages="five_stage")
    assert journey.language == "fi"


def test_same_path_in_the_same_kernel_gives_the_same_journey(path):
    journey = cjm.Journey.open(path, **ARGS)
    journey.add_opportunity("Fees up front")
    assert cjm.Journey.open(path, **ARGS) is journey  # Run All twice
    assert json.loads(path.read_text(encoding="utf-8"))["opportunities"][0]["text"] == (
        "Fees up front"
    )


def test_a_file_removed_from_outside_is_created_afresh(path):
    journey = cjm.Journey.open(path, **ARGS)
    journey.add_stage("Delivery")
    path.unlink()  # the researcher starts over
    fresh = cjm.Journey.open(path, **ARGS)
    assert fresh is not journey and "Delivery" not in [s.name for s in fresh.stages]
    journey.add_stage("Returns")  # the old object no longer writes the file
    assert "Returns" not in path.read_text(encoding="utf-8")


def test_bad_arguments_fail_even_when_the_file_exists(path):
    cjm.Journey.open(path, **ARGS)
    before = path.read_bytes()
    with pytest.raises(JourneyError, match="Unknown argument"):
        cjm.Journey.open(path, stages="five_stage", titel="Typo")
    with pytest.raises(JourneyError, match=r"\.json file name"):
        cjm.Journey.open(path.with_suffix(".txt"), **ARGS)
    assert path.read_bytes() == before


def test_a_broken_file_is_an_error_and_stays_untouched(path):
    path.parent.mkdir(parents=True)
    path.write_text('{"schema_version": 1, "title": 3}', encoding="utf-8")
    with pytest.raises(cjm.SchemaError, match=r"shop\.journey\.json"):
        cjm.Journey.open(path, **ARGS)
    assert path.read_text(encoding="utf-8") == '{"schema_version": 1, "title": 3}'


def test_board_edits_are_written_to_the_opened_file(path):
    from cjm_widgets.widgets import JourneyEditor

    journey = cjm.Journey.open(path, **ARGS)
    editor = JourneyEditor(journey)
    try:
        stage = journey.stage("Purchase")
        reply = editor._dispatch(  # what the board sends on a double-click rename
            {
                "type": "call",
                "id": "v1-1",
                "method": "rename_stage",
                "args": {"stage": stage.id, "name": "Checkout"},
            }
        )
        assert reply["ok"] is True
        journey_file(journey).flush()
        assert cjm.Journey.load(path).stage(stage.id).name == "Checkout"
    finally:
        editor.close()


def test_a_finished_cell_writes_what_is_pending(path, monkeypatch):
    from cjm_widgets import _debounce
    from cjm_widgets._debounce import flush_all

    monkeypatch.setattr(_debounce.time, "monotonic", lambda: 1000.0)  # no time passes
    journey = cjm.Journey.open(path, **ARGS)
    journey.add_stage("Delivery")  # within the delay of the first save: pending
    assert "Delivery" not in path.read_text(encoding="utf-8")
    flush_all()  # what IPython's post_execute runs after every cell
    assert "Delivery" in path.read_text(encoding="utf-8")
