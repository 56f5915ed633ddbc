"""Linked state stays visible (issue 13, items 5 and 7), driven as the front end would.

A filter from a curve point or a board card shows as a chip in the tagger's filter bar, and the
bar's controls show the filter Python applies; selected rows a new filter hides are kept and
counted ("6 selected, 4 hidden"), and a tag on them says so; a face with a touchpoint chosen
tags both; a tag always leaves a status line, which says when rows need a touchpoint before
they count on the curve.
"""

from __future__ import annotations

import numpy as np
import pytest

import cjm_widgets as cjm
from cjm_widgets.widgets._tagger_text import link_label, tag_feedback


@pytest.fixture()
def demo():
    d = cjm.datasets.demo()
    return d.journey, d.evidence()


@pytest.fixture()
def ws(demo):
    journey, ev = demo
    w = cjm.Workspace(journey, ev, by="household")
    yield w
    w.close()


def call(w, method, **args):
    reply = w._dispatch({"type": "call", "id": "t1", "method": method, "args": args})
    return reply


def behind(ev, tp: str, **segments) -> int:
    frame = ev.frame
    mask = frame["touchpoint_id"] == tp
    for col, value in segments.items():
        mask &= frame[col] == value
    return int(mask.sum())


# ----------------------------------------------------------------------------- curve point
def test_point_click_shows_a_chip_and_the_bar_shows_the_applied_filter(ws, demo):
    journey, ev = demo
    tagger = ws.tagger
    tagger.filter(search="slot", household="Single")  # the person's own filter first
    assert tagger._window["bar"]["search"] == "slot"
    ws.curve._point = {"touchpoint_id": "t4", "series": "Family"}  # a click on the point
    name = journey.touchpoint("t4").name
    assert tagger.linked["label"] == f"From curve: {name} · Family"
    assert tagger.linked["origin"] == "curve"
    bar = tagger._window["bar"]
    # the bar shows exactly what Python applies: no stale search, the point's segment value
    assert tagger.filters == {"touchpoint": "t4", "household": "Family"}
    assert bar["search"] == "" and bar["place"] == "t:t4"
    assert bar["segments"] == {"household": "Family"}
    assert bar["linked"] == tagger.linked["label"]
    assert tagger.matching_count == behind(ev, "t4", household="Family")

    # the person narrows it down (the front end sends every control): the chip stays
    tagger.filter(touchpoint="t4", household="Family", search="evening")
    assert tagger.linked is not None and tagger._window["bar"]["search"] == "evening"
    assert ws.curve.selected["touchpoint_id"] == "t4"

    # the person picks another segment value: the curve's filter no longer holds, the chip
    # goes and so does the curve's point (the curve marks no point the tagger is not showing)
    tagger.filter(touchpoint="t4", household="Single")
    assert tagger.linked is None and tagger._window["bar"]["linked"] is None
    assert ws.curve.selected is None
    assert tagger.filters == {"touchpoint": "t4", "household": "Single"}


def test_removing_the_chip_clears_that_filter_and_the_point(ws, demo):
    _journey, ev = demo
    tagger = ws.tagger
    ws.curve.select("t4", series="Family")
    tagger.filter(touchpoint="t4", household="Family", untagged=True)
    assert tagger.linked is not None
    assert call(tagger, "unlink")["ok"]  # the chip's ×
    assert tagger.filters == {"untagged": True}  # the person's own filter stays
    assert tagger.linked is None and ws.curve.selected is None
    assert tagger.matching_count == int((~ev.tagged_mask).sum())
    # clearing the point on the curve removes its chip too
    ws.curve.select("t4", series="Single")
    assert tagger.linked["filters"] == {"touchpoint": "t4", "household": "Single"}
    ws.curve.select()
    assert tagger.linked is None and tagger.filters == {}


def test_chip_follows_a_rename_and_is_escaped_in_the_snapshot(ws, demo):
    journey, _ev = demo
    ws.curve.select("t4", series="Family")
    journey.rename_touchpoint("t4", "Slot <b>picker</b>")
    assert ws.tagger.linked["label"] == "From curve: Slot <b>picker</b> · Family"
    snapshot = ws.tagger._static_html()
    assert "Slot &lt;b&gt;picker&lt;/b&gt;" in snapshot and "<b>picker" not in snapshot


# ----------------------------------------------------------------------------- board card
def test_card_click_filters_the_tagger_and_selects_the_point(demo):
    journey, ev = demo
    ws = cjm.Workspace(journey, ev)  # one line: the series is "All"
    tp = journey.touchpoint("Delivery slot picker")
    assert call(ws.editor, "touchpoint_click", touchpoint=tp.id)["ok"]
    assert ws.tagger.linked["label"] == "From map: Delivery slot picker"
    assert ws.tagger.filters == {"touchpoint": tp.id}
    assert ws.tagger._window["bar"]["place"] == f"t:{tp.id}"
    assert ws.tagger.matching_count == behind(ev, tp.id) > 0
    assert ws.curve.selected["touchpoint_id"] == tp.id
    assert ws.curve.selected["n"] == int(
        ((ev.frame["touchpoint_id"] == tp.id) & ev.frame["emotion"].notna()).sum()
    )
    # another card moves both; a card that is gone is a clear error that changes nothing
    other = journey.touchpoint("Price comparison")
    call(ws.editor, "touchpoint_click", touchpoint=other.id)
    assert ws.curve.selected["touchpoint_id"] == other.id
    assert ws.tagger.linked["label"] == "From map: Price comparison"
    reply = call(ws.editor, "touchpoint_click", touchpoint="t999")
    assert not reply["ok"] and "t999" in reply["error"]
    assert ws.tagger.filters == {"touchpoint": other.id}
    ws.close()


def test_card_click_keeps_the_series_of_the_selected_point(ws, demo):
    journey, ev = demo
    ws.curve.select("t4", series="Single")
    tp = journey.touchpoint("Price comparison")
    call(ws.editor, "touchpoint_click", touchpoint=tp.id)
    assert ws.tagger.linked["label"] == "From map: Price comparison · Single"
    assert (ws.curve.selected["touchpoint_id"], ws.curve.selected["series"]) == (tp.id, "Single")
    assert ws.tagger.matching_count == behind(ev, tp.id, household="Single")


def test_editor_card_callbacks(demo):
    journey, _ev = demo
    editor = cjm.JourneyEditor(journey)
    seen: list[str] = []
    editor.on_touchpoint_click(seen.append)
    editor.on_touchpoint_click(seen.append)  # registered once
    call(editor, "touchpoint_click", touchpoint="Price comparison")
    assert seen == [journey.touchpoint("Price comparison").id]
    editor.on_touchpoint_click(seen.append, remove=True)
    call(editor, "touchpoint_click", touchpoint="Price comparison")
    assert len(seen) == 1
    with pytest.raises(TypeError):
        editor.on_touchpoint_click("not callable")  # type: ignore[arg-type]
    editor.close()


# ----------------------------------------------------------------------------- selections
def test_hidden_selections_are_kept_counted_and_named_when_tagged(demo):
    journey, ev = demo
    tagger = cjm.EvidenceTagger(journey, ev, page_size=20)
    tagger.filter(search="slot")
    shown = [r[0] for r in tagger._window["rows"]][:6]
    for i, row in enumerate(shown):
        call(tagger, "select", row=row, mode="one" if i == 0 else "toggle")
    assert tagger._window["selected"] == 6 and tagger._window["hidden"] == 0
    households = ev.frame["household"].iloc[shown].astype(str).tolist()
    # a new filter that shows only some of the six
    value = next(h for h in households if 0 < households.count(h) < 6)
    keep = [r for r, h in zip(shown, households, strict=True) if h == value]
    tagger.filter(search="slot", household=value)
    hidden = 6 - len(keep)
    assert tagger._window["selected"] == 6 and tagger._window["hidden"] == hidden
    assert tagger.hidden_count == hidden and len(tagger.selected_ids) == 6
    assert call(tagger, "tag", emotion=1)["ok"]
    verb = "is" if hidden == 1 else "are"
    assert f"{hidden} of them {verb} hidden by the current filter" in tagger.status
    assert (ev.frame["emotion"].iloc[shown] == 1).all()  # all six, as the status says
    assert tagger._notice["kind"] == "warn"
    assert call(tagger, "deselect_hidden")["ok"]
    assert sorted(tagger.selected_ids) == sorted(ev._ids_of(np.asarray(keep)).tolist())
    assert tagger.hidden_count == 0


def test_a_real_filter_change_hides_selected_rows(demo):
    journey, ev = demo
    tagger = cjm.EvidenceTagger(journey, ev, page_size=20)
    tagger.filter(source="interview")
    tagger.select(matching=True)
    n = len(tagger.selected_ids)
    tagger.filter(search="delivery", source="interview")
    visible = tagger.matching_count
    assert 0 < visible < n
    assert tagger._window["selected"] == n and tagger._window["hidden"] == n - visible
    tagger.deselect_hidden()
    assert len(tagger.selected_ids) == visible and tagger._window["hidden"] == 0


# ----------------------------------------------------------------------------- faces, feedback
def test_face_with_a_chosen_touchpoint_sets_both(demo):
    journey, ev = demo
    tagger = cjm.EvidenceTagger(journey, ev, page_size=20)
    tagger.filter(untagged=True)
    rows = [r[0] for r in tagger._window["rows"]][:3]
    tagger.select(rows=rows)
    tp = journey.touchpoint("Price comparison")
    # key 2 (or the 😟 button) with "Price comparison" chosen in the dropdown
    assert call(tagger, "tag", emotion=-1, touchpoint=tp.id)["ok"]
    frame = ev.frame.iloc[rows]
    assert frame["touchpoint_id"].tolist() == [tp.id] * 3
    assert frame["emotion"].tolist() == [-1.0] * 3
    assert tagger.status == (
        "Tagged 3 rows: Price comparison · emotion −1 (negative). The curve counts them now."
    )
    assert tagger._notice["kind"] == "ok"


def test_emotion_without_touchpoint_says_it_needs_one(demo):
    journey, ev = demo
    tagger = cjm.EvidenceTagger(journey, ev, page_size=20)
    tagger.filter(untagged=True)
    row = tagger._window["rows"][0][0]
    tagger.select(rows=[row])
    assert call(tagger, "tag", emotion=2)["ok"]
    assert tagger._notice["kind"] == "warn"
    assert tagger.status.startswith("Tagged 1 row: emotion +2 (very positive).")
    assert "needs a touchpoint before it counts on the curve" in tagger.status
    # the row stays in view (untagged filter) and now carries the emotion, no touchpoint
    cols = tagger._window["columns"]
    shown = next(r for r in tagger._window["rows"] if r[0] == row)
    assert shown[cols.index("emotion")] == 2 and shown[cols.index("touchpoint")] == ""
    # giving it a touchpoint: the status says it counts now
    assert call(tagger, "tag", touchpoint="Price comparison")["ok"]
    assert tagger._notice["kind"] == "ok" and "need" not in tagger.status


def test_every_tag_action_leaves_a_status(demo):
    journey, ev = demo
    tagger = cjm.EvidenceTagger(journey, ev, page_size=20)
    assert tagger.status == ""
    tagger.select(rows=[0, 1])
    call(tagger, "toggle_label", label="pain point")
    assert tagger.status.startswith("Tagged 2 rows: pain point.")
    call(tagger, "toggle_label", label="pain point")
    assert tagger.status.startswith("Removed a label from 2 rows: pain point.")
    call(tagger, "untag")
    assert tagger.status == "Untagged 2 rows."
    call(tagger, "undo")
    assert tagger.status == "Undid the last change (2 rows)."
    call(tagger, "redo")
    assert tagger.status == "Redid the last change (2 rows)."
    # a failed tag changes no status line but shows the error
    tagger.select(rows=[])
    assert not call(tagger, "tag", emotion=1)["ok"]
    assert tagger.status == "Redid the last change (2 rows)." and "Select" in tagger.error


def test_filter_from_checks_its_arguments(demo):
    journey, ev = demo
    tagger = cjm.EvidenceTagger(journey, ev)
    with pytest.raises(cjm.CJMError, match="where the filter came from"):
        tagger.filter_from("", touchpoint="t4")
    with pytest.raises(cjm.CJMError, match="no_column"):
        tagger.filter_from("curve", no_column="x")
    with pytest.raises(cjm.CJMError):
        tagger.filter_from("curve", touchpoint="No such place")
    assert tagger.linked is None and tagger.filters == {}  # nothing half-applied


def test_words():
    assert tag_feedback(1, hidden=1) == (
        "Tagged 1 row. It is hidden by the current filter (still selected).",
        "warn",
    )
    text, kind = tag_feedback(5, needs_touchpoint=2, emotion=0)
    assert kind == "warn" and "2 of them need a touchpoint before they count" in text

    class J:
        def touchpoint(self, ident):
            raise KeyError(ident)

    assert link_label("map", {"touchpoint": "t9", "search": "late"}, J()) == "From map: t9 · “late”"
