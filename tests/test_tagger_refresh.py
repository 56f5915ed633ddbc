"""The tagger after a tag: the page re-sent in one message, its text read once a row (and
again after participants are edited), the matching rows recomputed only when a tag can
change them."""

from __future__ import annotations

import ipywidgets
import numpy as np
import pytest

import cjm_widgets as cjm
from cjm_widgets.widgets.evidence_tagger import EvidenceTagger


@pytest.fixture()
def setup():
    demo = cjm.datasets.demo()
    ev = demo.evidence()
    tagger = EvidenceTagger(demo.journey, ev, page_size=20)
    yield tagger, ev, demo.journey
    tagger.close()


def call(w, method, **args):
    return w._dispatch({"type": "call", "id": "t1", "method": method, "args": args})


def col(w, name):
    i = w._window["columns"].index(name)
    return [r[i] for r in w._window["rows"]]


def test_a_tag_sends_the_page_and_the_status_line_in_one_message(setup, monkeypatch):
    w, _ev, _j = setup
    sent = []
    original = ipywidgets.Widget.send_state

    def spy(widget, key=None):
        if widget is w:
            sent.append(sorted(key) if isinstance(key, (list, set, tuple)) else key)
        return original(widget, key)

    monkeypatch.setattr(ipywidgets.Widget, "send_state", spy)
    call(w, "select", row=int(w._window["rows"][0][0]))
    sent.clear()
    assert call(w, "tag", emotion=-2)["ok"]
    assert col(w, "emotion")[0] == -2
    assert w._notice["text"].startswith("Tagged")
    assert len(sent) == 1 and {"_window", "_notice"} <= set(sent[0])


def test_page_text_is_read_once_and_again_after_a_participant_edit(setup):
    w, ev, _j = setup
    first = int(w._window["rows"][0][0])
    before = col(w, "participant")[0]
    expected = ev.column("participant").take([first]).tolist()[0]
    assert before == str(expected)
    call(w, "select", row=first)
    call(w, "tag", emotion=2)
    assert col(w, "emotion")[0] == 2 and col(w, "participant")[0] == before
    ev.rename_participant(before, "Maria")  # the raw columns changed: read again
    assert col(w, "participant")[0] == "Maria"
    texts = ev.column("text").take(np.asarray([r[0] for r in w._window["rows"]])).tolist()
    assert col(w, "text") == [t[: len(c)] for t, c in zip(texts, col(w, "text"), strict=True)]


def test_filters_a_tag_cannot_change_keep_their_rows(setup):
    w, _ev, j = setup
    w.filter(search="slot")
    rows = list(w._match)
    w.select(rows=rows[:2])
    tp = j.stages[0].touchpoints[0].id
    assert call(w, "tag", touchpoint=tp, emotion=-1)["ok"]
    assert list(w._match) == rows  # the same rows match "slot"
    assert col(w, "touchpoint")[:2] == [j.stages[0].touchpoints[0].name] * 2


def test_a_touchpoint_filter_follows_tags_and_keeps_the_selected_rows(setup):
    w, ev, j = setup
    first, second = j.stages[0].touchpoints[0], j.stages[1].touchpoints[0]
    w.filter(touchpoint=first.id)
    before = w.matching_count
    assert before > 2
    rows = [int(r) for r in w._match[:2]]
    w.select(rows=rows)
    assert call(w, "tag", touchpoint=second.id)["ok"]
    assert w.matching_count == before  # moved away, but kept while selected
    assert set(rows) <= set(w._match.tolist())
    ev.tag(ev._ids_of(np.asarray([rows[0]])).tolist(), journey=j, touchpoint=first.id)
    w.select(rows=[])
    other = ev._tag_arrays().touchpoint
    code = ev.touchpoint_ids.index(first.id)
    assert w.matching_count == before  # one moved back, the other still selected until now
    w.filter(touchpoint=first.id)  # applied again: exactly the rows tagged to it
    assert w._match.tolist() == np.flatnonzero(other == code).tolist()
    assert w.matching_count == before - 1
