"""JourneyEditor driven as the front end drives it: call messages in, replies and state out."""

from __future__ import annotations

import json
import logging

import pytest

import cjm_widgets as cjm
from cjm_widgets.widgets import CJMWidget, JourneyEditor
from cjm_widgets.widgets._base import handler

XSS_STAGE = "<img src=x onerror=\"window.__cjm_pwned('stage')\">"


@pytest.fixture
def journey():
    j = cjm.Journey(title="Grocery order", scope="From ad to first delivery")
    j.add_stage("Discover")
    j.add_stage("Order")
    j.add_stage("Delivery")
    j.add_touchpoint("Order", "Checkout", channel="web", phase="purchase", owner="E-commerce")
    j.add_touchpoint("Order", "Basket", channel="mobile app")
    j.set_lane("Order", "pain_points", ["Delivery fee shown late"])
    return j


@pytest.fixture
def editor(journey):
    ed = JourneyEditor(journey)
    yield ed
    ed.close()


class Calls:
    """Sends call messages the way the front end does and returns the replies."""

    def __init__(self, widget):
        self.widget = widget
        self.n = 0

    def __call__(self, method, **args):
        self.n += 1
        msg = {"type": "call", "id": f"v1-{self.n}", "method": method, "args": args}
        reply = self.widget._dispatch(msg)
        assert reply["type"] == "reply" and reply["id"] == msg["id"]
        json.dumps(reply)  # what goes back to the browser is plain JSON
        return reply


def ids(journey):
    return [s.id for s in journey.stages]


def names(journey):
    return [s.name for s in journey.stages]


def state_names(editor):
    return [s["name"] for s in editor._journey["journey"]["stages"]]


# ----------------------------------------------------------------------------- construction


def test_unknown_keyword_arguments_are_rejected(journey):
    with pytest.raises(TypeError, match=r"'evidnce'.*Allowed keyword arguments: .*evidence"):
        JourneyEditor(journey, evidnce=None)


def test_needs_a_journey():
    with pytest.raises(TypeError, match=r"needs a cjm_widgets\.Journey"):
        JourneyEditor({"title": "x"})


def test_initial_state_is_the_journey(editor, journey):
    state = editor._journey
    assert editor.journey is journey
    assert state_names(editor) == ["Discover", "Order", "Delivery"]
    order = state["journey"]["stages"][1]
    assert [t["name"] for t in order["touchpoints"]] == ["Checkout", "Basket"]
    assert order["lanes"] == {"pain_points": ["Delivery fee shown late"]}
    assert state["can_undo"] is True and state["can_redo"] is False
    assert [c["value"] for c in state["channels"]] == list(cjm.CHANNELS)
    assert [p["value"] for p in state["phases"]] == list(cjm.PHASES)
    assert all(c["label"] for c in state["channels"] + state["phases"])
    assert state["state_label"]
    assert editor.error == "" and editor.selected == ""


def test_state_is_json_and_small(editor, journey):
    text = json.dumps(editor.get_state())
    assert len(json.dumps(editor._journey)) < 2 * len(json.dumps(journey.to_dict())) + 2000
    # Everything but the front-end code is small; the code itself is shipped once per widget.
    code = len(editor._esm) + len(editor._css)
    assert len(text) - code < 10_000
    assert len(text) < 250_000


# ----------------------------------------------------------------------------- calls


def test_add_rename_move_remove_stage(editor, journey):
    call = Calls(editor)
    reply = call("add_stage")
    assert reply["ok"] and reply["error"] is None
    new_id = reply["result"]
    assert journey.stages[-1].id == new_id and journey.stages[-1].name == "New stage"
    assert state_names(editor)[-1] == "New stage"

    reply = call("add_stage", after=journey.stage("Discover").id)
    assert reply["ok"]
    assert names(journey)[1] == "New stage 2"

    assert call("rename_stage", stage=new_id, name="Unboxing")["ok"]
    assert journey.stage(new_id).name == "Unboxing"
    assert state_names(editor)[-1] == "Unboxing"

    assert call("move_stage", stage=new_id, position=0)["ok"]
    assert ids(journey)[0] == new_id and state_names(editor)[0] == "Unboxing"

    assert call("update_stage", stage=new_id, description="Opening the box")["ok"]
    assert editor._journey["journey"]["stages"][0]["description"] == "Opening the box"

    reply = call("remove_stage", stage=new_id)
    assert reply["ok"] and reply["result"] == {"evidence_rows": 0}
    assert new_id not in ids(journey) and "Unboxing" not in state_names(editor)


def test_touchpoint_calls(editor, journey):
    call = Calls(editor)
    order, delivery = journey.stage("Order"), journey.stage("Delivery")
    reply = call("add_touchpoint", stage=order.id)
    assert reply["ok"]
    tp_id = reply["result"]
    assert journey.touchpoint(tp_id).name == "New touchpoint"
    assert journey.stage_of(tp_id).id == order.id

    assert call(
        "update_touchpoint", touchpoint=tp_id, channel="email", phase="post-purchase", owner="CRM"
    )["ok"]
    tp = journey.touchpoint(tp_id)
    assert (tp.channel, tp.phase, tp.owner) == ("email", "post-purchase", "CRM")
    card = editor._journey["journey"]["stages"][1]["touchpoints"][-1]
    assert card == {**card, "channel": "email", "phase": "post-purchase", "owner": "CRM"}

    # Across stages (Alt+ArrowRight) and within a stage (Alt+ArrowUp).
    assert call("move_touchpoint", touchpoint=tp_id, stage=delivery.id, position=0)["ok"]
    assert [t.id for t in journey.stage("Delivery").touchpoints] == [tp_id]
    assert call("move_touchpoint", touchpoint=tp_id, stage=order.id, position=2)["ok"]
    assert call("move_touchpoint", touchpoint=tp_id, stage=order.id, position=1)["ok"]
    assert [t.name for t in journey.stage("Order").touchpoints] == [
        "Checkout",
        "New touchpoint",
        "Basket",
    ]
    assert [t["name"] for t in editor._journey["journey"]["stages"][1]["touchpoints"]] == [
        "Checkout",
        "New touchpoint",
        "Basket",
    ]

    reply = call("remove_touchpoint", touchpoint=tp_id)
    assert reply["ok"] and reply["result"] == {"evidence_rows": 0}
    with pytest.raises(cjm.NotFoundError):
        journey.touchpoint(tp_id)


def test_lane_items_are_set_as_a_whole_list(editor, journey):
    call = Calls(editor)
    order = journey.stage("Order")
    reply = call(
        "set_lane",
        stage=order.id,
        lane="pain_points",
        items=["Delivery fee shown late", "No guest checkout"],
    )
    assert reply["ok"] and reply["result"] == ["Delivery fee shown late", "No guest checkout"]
    assert journey.cell("Order", "pain_points") == ["Delivery fee shown late", "No guest checkout"]
    assert editor._journey["journey"]["stages"][1]["lanes"]["pain_points"][1] == (
        "No guest checkout"
    )
    assert call("set_lane", stage=order.id, lane="pain_points", items=[])["ok"]
    assert journey.cell("Order", "pain_points") == []


def test_title_and_scope(editor, journey):
    call = Calls(editor)
    assert call("update", title="First order")["ok"]
    assert journey.title == "First order" and journey.scope == "From ad to first delivery"
    assert call("update", scope="Web shop")["ok"]
    assert editor._journey["journey"]["scope"] == "Web shop"


def test_undo_redo_and_flags(editor, journey):
    call = Calls(editor)
    call("add_stage")
    assert editor._journey["can_undo"] and not editor._journey["can_redo"]
    reply = call("undo")
    assert reply["ok"] and reply["result"] == "stage_added"
    assert "New stage" not in names(journey) and "New stage" not in state_names(editor)
    assert editor._journey["can_redo"]
    assert call("redo")["ok"]
    assert "New stage" in names(journey) and not editor._journey["can_redo"]
    while journey.can_undo:
        journey.undo()
    assert editor._journey["can_undo"] is False
    reply = call("undo")
    assert reply["ok"] is True and reply["result"] is None


def test_count_references_for_the_confirmation(editor, journey):
    call = Calls(editor)
    order = journey.stage("Order")
    checkout = journey.touchpoint("Checkout")

    def counter(stage_ids, tp_ids):
        return 3 * (checkout.id in tp_ids)

    journey.add_reference_counter(counter)
    assert call("count_references", touchpoints=[checkout.id])["result"] == 3
    assert call("count_references", stages=[order.id])["result"] == 3
    assert call("count_references", stages=[journey.stage("Discover").id])["result"] == 0
    reply = call("remove_touchpoint", touchpoint=checkout.id)
    assert reply["result"] == {"evidence_rows": 3}


def test_evidence_is_counted_once(journey):
    class FakeEvidence:
        def count_tagged(self, stage_ids, tp_ids):
            return 2 * len(tp_ids)

    ev = FakeEvidence()
    journey.add_reference_counter(ev.count_tagged)  # already linked, e.g. by ev.tag(journey=…)
    editor = JourneyEditor(journey, evidence=ev)
    try:
        tp = journey.touchpoint("Checkout").id
        assert Calls(editor)("count_references", touchpoints=[tp])["result"] == 2
        assert editor.evidence is ev
    finally:
        editor.close()
    with pytest.raises(TypeError, match="count_tagged"):
        JourneyEditor(journey, evidence=object())


# ----------------------------------------------------------------------------- errors


def test_invalid_edit_shows_the_model_error_and_changes_nothing(editor, journey):
    call = Calls(editor)
    before_journey, before_state = journey.to_dict(), json.dumps(editor._journey)
    order = journey.stage("Order")
    reply = call("rename_stage", stage=order.id, name="discover")
    assert reply["ok"] is False and reply["result"] is None
    assert "already a stage named 'Discover'" in reply["error"]
    assert editor.error == reply["error"]
    assert "Traceback" not in editor.error and editor.last_traceback is None
    assert journey.to_dict() == before_journey
    assert json.dumps(editor._journey) == before_state

    reply = call(
        "update_touchpoint", touchpoint=journey.touchpoint("Basket").id, channel="carrier pigeon"
    )
    assert not reply["ok"] and "Unknown channel" in reply["error"]
    assert journey.to_dict() == before_journey

    # The next successful action clears the error.
    assert call("add_stage")["ok"]
    assert editor.error == ""


def test_unknown_methods_and_private_methods_are_not_callable(editor, journey):
    call = Calls(editor)
    for method in ["close", "_build_state", "send", "__init__", "nonsense"]:
        reply = call(method)
        assert reply["ok"] is False
        assert reply["error"].startswith(f"Unknown action {method!r}")
        assert "add_stage" in reply["error"]
    assert editor.last_traceback is None


def test_unexpected_errors_keep_a_traceback(editor, journey, caplog):
    call = Calls(editor)
    with caplog.at_level(logging.ERROR, logger="cjm_widgets.widgets"):
        reply = call("rename_stage", stage="s1", name="x", colour="red")
    assert reply["ok"] is False
    assert reply["error"].startswith("TypeError:")
    assert "last_traceback" in reply["error"]
    assert editor.error == reply["error"]
    assert "Traceback (most recent call last)" in editor.last_traceback
    assert "colour" in editor.last_traceback
    assert any("rename_stage" in r.getMessage() for r in caplog.records)


def test_non_call_messages_are_ignored(editor):
    assert editor._dispatch({"type": "something"}) is None
    assert editor._dispatch("text") is None


def test_replies_go_back_over_the_comm(editor, journey, monkeypatch):
    sent = []
    monkeypatch.setattr(editor, "send", lambda content, buffers=None: sent.append(content))
    # ipywidgets' own entry point for custom messages from the front end.
    editor._handle_custom_msg(
        {"type": "call", "id": "v9-1", "method": "add_stage", "args": {"name": "Pay"}}, []
    )
    assert sent == [
        {
            "type": "reply",
            "id": "v9-1",
            "ok": True,
            "error": None,
            "result": journey.stage("Pay").id,
        }
    ]


# ----------------------------------------------------------------------------- views


def test_python_edits_update_every_editor(journey):
    a, b = JourneyEditor(journey), JourneyEditor(journey)
    try:
        journey.add_stage("Support", after="Order")
        assert state_names(a) == state_names(b) == ["Discover", "Order", "Support", "Delivery"]
        # An edit made in one view shows in the other.
        Calls(a)("rename_stage", stage=journey.stage("Support").id, name="Help")
        assert state_names(b)[2] == "Help"
        journey.undo()
        assert state_names(b)[2] == "Support"
    finally:
        a.close()
        b.close()


def test_no_feedback_loop(editor, journey, monkeypatch):
    events = []
    journey.observe(events.append)
    updates = []
    original = editor.send_state

    def count_state(key=None):
        updates.append(key)
        return original(key)

    monkeypatch.setattr(editor, "send_state", count_state)
    call = Calls(editor)
    call("add_stage", name="Pay")
    assert [e.kind for e in events] == ["stage_added"]  # one journey edit per UI action
    assert len(updates) == 1  # one state push to the front end
    call("rename_stage", stage=journey.stage("Pay").id, name="Payment")
    assert [e.kind for e in events] == ["stage_added", "stage_renamed"]
    # The front end echoing the state back (as ipywidgets does) does not edit the journey.
    editor.set_state({"_journey": dict(editor._journey)})
    editor.set_state({"selected": journey.stage("Payment").id})
    assert len(events) == 2
    assert editor.selected == journey.stage("Payment").id


def test_selection_follows_the_journey(editor, journey):
    tp = journey.touchpoint("Basket").id
    editor.selected = tp
    journey.update_touchpoint(tp, owner="Apps")
    assert editor.selected == tp
    journey.remove_touchpoint(tp)
    assert editor.selected == ""


def test_close_stops_updates(journey):
    editor = JourneyEditor(journey)
    before = json.dumps(editor._journey)
    editor.close()
    journey.add_stage("After close")
    assert json.dumps(editor._journey) == before
    editor.close()  # twice is fine


def test_observer_errors_show_in_the_widget(editor, journey, monkeypatch):
    def boom():
        raise RuntimeError("state builder broke")

    monkeypatch.setattr(editor, "_build_state", boom)
    journey.add_stage("Anything")  # the edit itself is not broken by a failing view
    assert "Anything" in names(journey)
    assert "state builder broke" in editor.error
    assert "RuntimeError" in editor.last_traceback


# ----------------------------------------------------------------------------- static output


def test_mimebundle_carries_the_static_map(journey):
    journey.rename_stage("Discover", XSS_STAGE)
    editor = JourneyEditor(journey)
    try:
        data, _meta = editor._repr_mimebundle_()
        assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == editor.model_id
    finally:
        editor.close()
    page = data["text/html"]
    assert "Checkout" in page and "Delivery" in page and "Grocery order" in page
    assert XSS_STAGE not in page and "&lt;img src=x" in page
    assert data["text/plain"].startswith("JourneyEditor(")


def test_language_labels():
    from cjm_widgets.model.templates import labels as template_labels

    fi = cjm.Journey.from_template("current_state", stages="five_stage", language="fi")
    editor = JourneyEditor(fi)
    try:
        state = editor._journey
    finally:
        editor.close()
    words = template_labels("fi")
    assert {c["value"]: c["label"] for c in state["channels"]} == words["channels"]
    assert {p["value"]: p["label"] for p in state["phases"]} == words["phases"]
    assert state["state_label"] == words["ui"]["current_state"]
    assert state["template_label"] == words["templates"]["current_state"]["name"]
    assert [s["name"] for s in state["journey"]["stages"]] == [s.name for s in fi.stages]


# ----------------------------------------------------------------------------- base class


def test_base_class_collects_only_marked_handlers():
    class Tiny(CJMWidget):
        @handler("hello")
        def _hello(self, name: str) -> str:
            if name == "":
                raise cjm.JourneyError("Give a name.")
            return f"hi {name}"

        def not_exposed(self):  # pragma: no cover - never called
            raise AssertionError

    class Tinier(Tiny):
        @handler("bye")
        def _bye(self) -> str:
            return "bye"

    assert Tiny._handlers == {"hello": "_hello"}
    assert Tinier._handlers == {"hello": "_hello", "bye": "_bye"}
    w = Tinier()
    try:
        call = Calls(w)
        assert call("hello", name="Ann")["result"] == "hi Ann"
        assert call("bye")["result"] == "bye"
        reply = call("hello", name="")
        assert reply == {**reply, "ok": False, "error": "Give a name."}
        assert w.error == "Give a name." and w.last_traceback is None
        assert not call("not_exposed")["ok"]
        assert "text/html" not in w._repr_mimebundle_()[0]
    finally:
        w.close()
    with pytest.raises(TypeError):
        handler("")
