"""The shared file binding behind Journey.open and Evidence.open_tags (model/_openfile.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import cjm_widgets as cjm
from cjm_widgets.errors import EvidenceError, JourneyError
from cjm_widgets.evidence.tags_open import TagsFile
from cjm_widgets.model._openfile import FileBinding, check_json_name
from cjm_widgets.model.open import JourneyFile


class Note:
    """A tiny observable object: text that changes."""

    def __init__(self) -> None:
        self.text = ""
        self.observers: list[Any] = []

    def observe(self, callback: Any) -> Any:
        self.observers.append(callback)
        return callback

    def unobserve(self, callback: Any) -> None:
        self.observers = [c for c in self.observers if c != callback]

    def set(self, text: str) -> None:
        self.text = text
        for callback in list(self.observers):
            callback(text)


class NoteFile(FileBinding[Note]):
    what = "note"

    def _save_to(self, path: Path) -> None:
        path.write_text(self.target.text, encoding="utf-8")


class StampedNoteFile(NoteFile):
    by_stamp = True


@pytest.mark.parametrize("kind", [NoteFile, StampedNoteFile])
def test_changes_are_saved_and_outside_edits_are_noticed(tmp_path: Path, kind: type) -> None:
    note, path = Note(), tmp_path / "n.json"
    binding = kind(note, path).register()
    try:
        note.set("one")
        binding.flush()
        assert path.read_text(encoding="utf-8") == "one" and binding.holds_file()
        assert kind.find(note) is binding and kind.find(path) is binding
        path.write_text("changed outside, longer", encoding="utf-8")
        assert not binding.holds_file()
        path.unlink()
        assert not binding.holds_file()
    finally:
        binding.close(save=False)
    assert kind.find(path) is None and note.observers == [] and binding.closed


def test_each_kind_has_its_own_registry(tmp_path: Path) -> None:
    note, path = Note(), tmp_path / "n.json"
    binding = NoteFile(note, path).register()
    try:
        assert StampedNoteFile.find(path) is None and JourneyFile.find(path) is None
        assert TagsFile.find(path) is None and NoteFile.find(path) is binding
    finally:
        binding.close(save=False)


def test_a_failed_write_warns_keeps_going_and_recovers(tmp_path: Path) -> None:
    note, folder = Note(), tmp_path / "gone"
    binding = NoteFile(note, folder / "n.json")
    try:
        with pytest.warns(RuntimeWarning, match="Could not save the note to"):
            assert binding.save() is False
        assert binding.last_error and "gone" in binding.last_error
        folder.mkdir()
        note.set("back")
        binding.flush()
        assert binding.last_error is None and (folder / "n.json").read_text() == "back"
        assert repr(binding).startswith("NoteFile(") and "saves" in repr(binding)
    finally:
        binding.close(save=False)


def test_check_json_name_names_the_problem(tmp_path: Path) -> None:
    with pytest.raises(JourneyError, match=r"Journey\.open needs a \.json file name"):
        check_json_name("x.txt", opener="Journey.open", example="a.json", error=JourneyError)
    (tmp_path / "d.json").mkdir()
    with pytest.raises(EvidenceError, match="is a folder"):
        check_json_name(
            tmp_path / "d.json", opener="open_tags", example="t.json", error=EvidenceError
        )
    assert check_json_name(os.fspath(tmp_path / "ok.json"), opener="o", example="e", error=KeyError)


def test_journey_file_is_a_file_binding(tmp_path: Path) -> None:
    journey = cjm.Journey.open(tmp_path / "j.journey.json", stages="five_stage")
    binding = JourneyFile.find(journey)
    try:
        assert isinstance(binding, FileBinding) and binding.journey is journey
        journey.add_stage("Extra")
        binding.flush()
        assert cjm.Journey.load(tmp_path / "j.journey.json").stage("Extra")
    finally:
        binding.close(save=False)
