"""Errors are narrow: an expected condition is handled, a bug or a user's callback error
reaches the user (raised or warned with its traceback), never turned into an empty result."""

from __future__ import annotations

import json

import numpy as np
import pytest

import cjm_widgets as cjm
from cjm_widgets.analysis._common import pain_mask
from cjm_widgets.errors import TagError
from cjm_widgets.widgets.autosave import Autosave
from cjm_widgets.widgets.journey_editor import JourneyEditor, _labels


def _tagged():
    demo = cjm.datasets.demo()
    ev = demo.evidence()
    journey = demo.journey
    tp = journey.touchpoints[0]
    ev.tag(
        list(ev.frame["evidence_id"][:6]),
        journey=journey,
        touchpoint=tp.id,
        emotion=-2,
        labels="pain point",
    )
    return journey, ev, tp


def test_pain_points_raise_a_store_bug_instead_of_reporting_no_pain(monkeypatch):
    journey, ev, tp = _tagged()
    assert tp.id in set(cjm.pain_points(journey, ev, min_n=1)["touchpoint_id"])

    def broken(label):
        raise RuntimeError("label index corrupted")

    monkeypatch.setattr(ev, "has_label", broken)
    with pytest.raises(RuntimeError, match="label index corrupted"):
        pain_mask(ev)
    ev.tag(list(ev.frame["evidence_id"][6:8]), journey=journey, touchpoint=tp.id, emotion=-1)
    with pytest.raises(RuntimeError, match="label index corrupted"):
        cjm.pain_points(journey, ev, min_n=1)  # not an empty "no pain points" table


def test_pain_mask_without_the_label_is_all_false(monkeypatch):
    _, ev, _ = _tagged()

    def unknown(label):
        raise TagError(f"Unknown label {label!r}.")

    monkeypatch.setattr(ev, "has_label", unknown)
    mask = pain_mask(ev)
    assert mask.dtype == bool and len(mask) == len(ev) and not mask.any()


def test_autosave_callback_error_is_warned_with_traceback(tmp_path):
    journey, ev, _ = _tagged()
    heard = []

    def on_status(text, ok):
        heard.append(text)
        raise ValueError("my status pane is gone")

    with pytest.warns(RuntimeWarning, match="on_status callback raised ValueError") as got:
        saver = Autosave(journey, ev, tmp_path / "p.journey.json", on_status=on_status)
    assert "Traceback" in str(got[0].message) and "my status pane is gone" in str(got[0].message)
    assert "ValueError: my status pane is gone" in saver.callback_error
    # the save itself went through, and the callback was told
    assert heard and heard[0].startswith("Saved")
    saved = json.loads((tmp_path / "p.journey.json").read_text(encoding="utf-8"))
    assert saved["title"] == journey.title
    saver.close()


def test_editor_redraw_bug_shows_in_widget_and_reaches_the_cell(monkeypatch):
    journey = cjm.Journey.from_template("current_state", stages="five_stage")
    editor = JourneyEditor(journey)

    def broken():
        raise KeyError("state builder bug")

    monkeypatch.setattr(editor, "_build_state", broken)
    with pytest.warns(RuntimeWarning, match="state builder bug"):
        journey.rename_stage(journey.stages[0].id, "Find out")
    assert journey.stages[0].name == "Find out"  # the edit is done
    assert "state builder bug" in editor.error
    assert "KeyError" in editor.last_traceback


def test_editor_labels_for_a_language_without_labels_fall_back_to_english():
    english = _labels("en")
    assert _labels("xx") == english
    assert np.all([isinstance(v, dict) for v in english.values()])
