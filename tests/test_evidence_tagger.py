"""EvidenceTagger driven as the front end would: call messages, the window trait, the store."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest
import traitlets

import cjm_widgets as cjm
from cjm_widgets.widgets.evidence_tagger import EvidenceTagger


@pytest.fixture()
def setup():
    demo = cjm.datasets.demo()
    ev = demo.evidence()
    tagger = EvidenceTagger(demo.journey, ev, page_size=20)
    return tagger, ev, demo.journey


def call(w, method, **args):
    return w._dispatch({"type": "call", "id": "t1", "method": method, "args": args})


def rows_of_window(w):
    return [r[0] for r in w._window["rows"]]


def col(w, name):
    i = w._window["columns"].index(name)
    return [r[i] for r in w._window["rows"]]


def test_window_shape_and_counts(setup):
    w, ev, _ = setup
    win = w._window
    assert win["total"] == len(ev) == win["matching"]
    assert len(win["rows"]) == 20
    # what tagging is about first: a narrow output area scrolls the rest into view
    assert win["columns"][:10] == [
        "row", "id", "selected", "text", "touchpoint", "emotion", "labels", "stage",
        "participant", "source",
    ]  # fmt: skip
    for seg in ev.segments:
        assert seg in win["columns"]
    reply = call(w, "page", start=40)
    assert reply["ok"] and w._window["start"] == 40
    assert rows_of_window(w) == list(range(40, 60))


def test_state_is_small(setup):
    w, _, _ = setup
    # the data a notebook saves and the wire carries: one window and the picker (the front
    # end's code, _esm and _css, is the same for every tagger and grows with its features)
    data = {k: v for k, v in w.get_state().items() if k not in ("_esm", "_css")}
    assert len(json.dumps(data, default=str)) < 20_000
    assert "_window" in w.get_state()


def test_sort(setup):
    w, _ev, _ = setup
    call(w, "page", start=0, sort="participant", desc=True)
    parts = col(w, "participant")
    assert parts == sorted(parts, reverse=True)
    assert call(w, "page", sort="nope")["ok"] is False


def test_filters(setup):
    w, ev, _j = setup
    n = w.filter(source="interview")
    assert n == int((ev.column("source") == "interview").sum()) == w.matching_count
    assert set(col(w, "source")) == {"interview"}
    n_search = w.filter(search="delivery")
    assert n_search == len(ev.search("delivery")) > 0
    seg = ev.segments[0]
    value = str(ev.column(seg).dropna().iloc[0])
    assert w.filter(**{seg: value}) == int((ev.column(seg).astype(str) == value).sum())
    untagged = w.filter(untagged=True)
    assert untagged == int((~ev.tagged_mask).sum())
    with pytest.raises(cjm.CJMError):
        w.filter(no_such_column="x")
    assert w.clear_filter() == len(ev)
    # through the front end
    assert call(w, "filter", untagged=True, search="delivery")["ok"]
    assert w.matching_count == int((~ev.tagged_mask)[ev.search_rows("delivery")].sum())


def test_filter_by_touchpoint_and_label(setup):
    w, _ev, j = setup
    tp = j.stages[1].touchpoints[0]
    w.select(rows=[3, 4])
    assert call(w, "tag", touchpoint=tp.id, add_labels=["quote"])["ok"]
    assert w.filter(touchpoint=tp.name) >= 2
    assert w.filter(stage=j.stages[1].id) >= 2
    assert w.filter(label="quote") >= 2
    assert w.filter(label="quote", touchpoint=tp.id) >= 2


def test_selection_click_shift_ctrl_all(setup):
    w, ev, _ = setup
    call(w, "select", row=2)
    call(w, "select", row=5, mode="range")
    assert w.selected_rows.tolist() == [2, 3, 4, 5]
    call(w, "select", row=9, mode="toggle")
    call(w, "select", row=3, mode="toggle")
    assert w.selected_rows.tolist() == [2, 4, 5, 9]
    assert w.selected_ids == ev._ids_of(np.array([2, 4, 5, 9])).tolist()
    assert col(w, "selected")[:6] == [False, False, True, False, True, True]
    w.filter(source="survey")
    call(w, "select", matching=True)
    assert len(w.selected_ids) == w.matching_count > w.page_size
    call(w, "select", mode="none")
    assert w.selected_ids == []
    with pytest.raises(traitlets.TraitError):
        w.selected_ids = ["x"]  # read-only


def test_shift_range_follows_sort(setup):
    w, _, _ = setup
    call(w, "page", sort="participant", desc=True)
    shown = rows_of_window(w)
    call(w, "select", row=shown[1])
    call(w, "select", row=shown[4], mode="range")
    assert sorted(w.selected_rows.tolist()) == sorted(shown[1:5])


def test_tag_untag_undo_change_store(setup):
    w, ev, j = setup
    tp = j.stages[2].touchpoints[0]
    call(w, "select", row=0)
    call(w, "select", row=2, mode="range")
    w.coder = "anna"
    assert call(w, "tag", touchpoint=tp.id)["ok"]
    assert call(w, "tag", emotion=-2)["ok"]
    f = ev.frame.iloc[[0, 1, 2]]
    assert (f["touchpoint_id"] == tp.id).all() and (f["emotion"] == -2).all()
    assert (f["coder"] == "anna").all()
    assert col(w, "emotion")[:3] == [-2, -2, -2]
    assert col(w, "touchpoint")[:3] == [tp.name] * 3
    assert w._window["can_undo"]
    assert call(w, "undo")["ok"]
    assert ev.frame["emotion"].iloc[:3].isna().all()
    assert (ev.frame["touchpoint_id"].iloc[:3] == tp.id).all()
    assert call(w, "untag")["ok"]
    assert ev.frame["touchpoint_id"].iloc[:3].isna().all()
    assert col(w, "touchpoint")[:3] == ["", "", ""]


def test_errors_leave_store_unchanged(setup):
    w, ev, _ = setup
    before = ev.frame[["touchpoint_id", "emotion"]].copy()
    reply = call(w, "tag", emotion=-2)  # nothing selected
    assert reply["ok"] is False and "Select" in w.error
    call(w, "select", row=1)
    reply = call(w, "tag", emotion=7)
    assert reply["ok"] is False and w.error
    reply = call(w, "tag", touchpoint="No such touchpoint")
    assert reply["ok"] is False and w.error
    pd.testing.assert_frame_equal(ev.frame[["touchpoint_id", "emotion"]], before)
    assert call(w, "tag", emotion=1)["ok"] and w.error == ""


def test_selected_rows_stay_visible_under_untagged_filter(setup):
    w, _ev, j = setup
    w.filter(untagged=True)
    before = w.matching_count
    shown = rows_of_window(w)[:3]
    w.select(rows=shown)
    assert call(w, "tag", touchpoint=j.stages[0].touchpoints[0].id)["ok"]
    assert rows_of_window(w)[:3] == shown and w.matching_count == before
    w.filter(untagged=True)
    assert w.matching_count == before - 3


def test_store_change_from_python_refreshes(setup):
    w, ev, j = setup
    ev.tag(ev._ids_of(np.array([0])).tolist(), journey=j, emotion=2)
    assert col(w, "emotion")[0] == 2


def test_journey_rename_updates_picker_and_cells(setup):
    w, _ev, j = setup
    tp = j.stages[0].touchpoints[0]
    w.select(rows=[0])
    call(w, "tag", touchpoint=tp.id)
    j.rename_touchpoint(tp.id, "Renamed <b>tp</b>")
    names = [t["name"] for s in w._meta["stages"] for t in s["touchpoints"]]
    assert "Renamed <b>tp</b>" in names
    assert col(w, "touchpoint")[0] == "Renamed <b>tp</b>"


def test_static_html_escaped(setup):
    w, ev, j = setup
    tp = j.stages[0].touchpoints[0]
    w.select(rows=[0])
    call(w, "tag", touchpoint=tp.id)
    j.rename_touchpoint(tp.id, "<img src=x onerror=alert(1)>")
    data, _ = w._repr_mimebundle_()
    html = data["text/html"]
    assert f"{len(ev):,} of {len(ev):,} rows" in html
    assert "<table" in html and "<img" not in html and "&lt;img" in html


def test_unknown_kwargs_and_types():
    demo = cjm.datasets.demo()
    with pytest.raises(TypeError):
        EvidenceTagger(demo.journey, demo.evidence(), pagesize=3)
    with pytest.raises(TypeError):
        EvidenceTagger(demo.journey, "x")


def test_shipped_assets_have_no_network_imports():
    esm = EvidenceTagger._esm  # the esbuild bundle (its sources are type-checked by tsc)
    assert esm.startswith("// Generated from cjm_widgets/widgets/static/src/evidence_tagger/")
    assert "innerHTML" not in esm
    for bad in ("import('http", 'from "http', "from 'http", "@import url(http"):
        assert bad not in esm and bad not in EvidenceTagger._css


def test_million_rows_window():
    n = 1_000_000
    rng = np.random.default_rng(1)
    words = np.array(["late", "gate", "seat", "food", "crew", "bag", "delay"])
    df = pd.DataFrame(
        {
            "rid": [f"r{i}" for i in range(n)],
            "who": (np.arange(n) // 10).astype(str),
            "text": words[rng.integers(0, len(words), n)],
            "Class": np.array(["Eco", "Business"])[rng.integers(0, 2, n)],
        }
    )
    ev = cjm.Evidence.from_frame(df, text="text", participant="who", id="rid", source="survey")
    journey = cjm.datasets.demo().journey
    t0 = time.perf_counter()
    w = EvidenceTagger(journey, ev)
    first = time.perf_counter() - t0
    assert len(w._window["rows"]) == 50
    call(w, "filter", Class="Business", search="delay")
    call(w, "page", start=100, sort="participant", desc=True)
    assert w._window["start"] == 100 and w.matching_count > 1000
    call(w, "select", matching=True)
    assert len(w.selected_ids) == w.matching_count
    assert len(json.dumps(w._window, default=str)) < 1_000_000
    print(f"1M rows: first window {first:.2f}s")


def test_label_buttons_toggle_and_redo(setup):
    w, ev, _ = setup
    call(w, "select", row=0)
    call(w, "select", row=2, mode="range")
    ids = list(w.selected_ids)
    assert w._window["labels_on"] == []
    assert call(w, "toggle_label", label="pain point")["ok"]
    assert w._window["labels_on"] == ["pain point"]  # the button now removes it
    assert all("pain point" in ev.frame.set_index("evidence_id").loc[i, "labels"] for i in ids)
    # one row without the label: the button adds it to all again (nothing removed)
    ev.untag([ids[0]], labels=["pain point"])
    assert w._window["labels_on"] == []
    call(w, "toggle_label", label="pain point")
    assert w._window["labels_on"] == ["pain point"]
    call(w, "toggle_label", label="pain point")  # every row had it: removed from all
    assert not any(ev.has_label("pain point"))
    # undo puts it back, redo removes it again, with the buttons in step
    assert w._window["can_redo"] is False
    call(w, "undo")
    assert w._window["labels_on"] == ["pain point"] and w._window["can_redo"] is True
    call(w, "redo")
    assert w._window["labels_on"] == [] and not any(ev.has_label("pain point"))
    reply = call(w, "redo")
    assert not reply["ok"] and reply["error"] == "Nothing to redo." == w.error


def test_journey_first_and_old_order_deprecated():
    demo = cjm.datasets.demo()
    ev = demo.evidence()
    new = EvidenceTagger(demo.journey, ev, page_size=10)
    assert new.journey is demo.journey and new.evidence is ev
    with pytest.warns(DeprecationWarning, match=r"EvidenceTagger\(journey, evidence\)"):
        old = EvidenceTagger(ev, demo.journey, page_size=10)
    assert old.journey is demo.journey and old.evidence is ev
    assert old._window["rows"] == new._window["rows"]
    with pytest.raises(TypeError, match=r"needs a cjm_widgets\.Journey as journey"):
        EvidenceTagger(ev, ev)
    with pytest.raises(TypeError, match="positional"):
        EvidenceTagger(demo.journey, ev, 10)  # options are keyword-only


def test_handlers_of_the_mixins_are_registered():
    # the @handler methods live in the TaggerHandlers mixin; CJMWidget must still find them
    assert EvidenceTagger._handlers == {
        "page": "_h_page",
        "filter": "_h_filter",
        "unlink": "_h_unlink",
        "deselect_hidden": "_h_deselect_hidden",
        "select": "_h_select",
        "tag": "_h_tag",
        "untag": "_h_untag",
        "toggle_label": "_h_toggle_label",
        "undo": "_h_undo",
        "redo": "_h_redo",
        "set_coder": "_h_coder",
        "quote": "_h_quote",  # TaggerQuotes
        "new_label": "_h_new_label",
        "rename_label": "_h_rename_label",
        "merge_labels": "_h_merge_labels",
        "set_label_colour": "_h_label_colour",
        "accept_suggestions": "_h_accept",
        "reject_suggestions": "_h_reject",
    }
