"""EmotionCurve and Workspace driven as the front end would: traits set, tags and edits made."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import threading

import pandas as pd
import pytest
import traitlets

import cjm_widgets as cjm
from cjm_widgets.analysis import emotion_curve
from cjm_widgets.widgets.autosave import tags_path_for


@pytest.fixture()
def demo():
    d = cjm.datasets.demo()
    return d.journey, d.evidence()


@pytest.fixture()
def curve(demo):
    journey, ev = demo
    w = cjm.EmotionCurve(journey, ev, by="household")
    yield w
    w.close()


def point_of(w, tp: str, series: str) -> dict:
    return next(r for r in w._values if r["touchpoint_id"] == tp and r["series"] == series)


def test_values_are_the_curve_and_state_is_small(curve, demo):
    journey, ev = demo
    expected = emotion_curve(journey, ev, by="household")
    pd.testing.assert_frame_equal(curve.frame, expected)
    assert len(curve._values) == len(expected)  # aggregated points, never evidence rows
    row = expected[(expected["touchpoint_id"] == "t4") & (expected["series"] == "Family")].iloc[0]
    assert point_of(curve, "t4", "Family")["n"] == row["n"]
    state = curve.get_state()
    text = json.dumps(state)  # everything synced is plain JSON
    assert len(text) - len(state["_esm"]) < 60_000
    assert state["_spec"]["data"] == {"name": "curve"}  # values travel apart from the spec
    assert "9 touchpoints · 2 series" in curve._summary


def test_front_end_module_is_offline(curve):
    esm = curve._esm
    assert "point_store" in esm and len(esm) < 100_000  # Vega is the shared runtime's
    assert len(curve._runtime.bundle) > 500_000  # (tests/test_vega_runtime.py), not fetched
    assert not re.search(r"""\bimport\s*(?:[\w{},*\s]+from\s*)?\(?\s*["']https?:""", esm)
    assert not re.search(r"""\bimport\s*\(\s*["']https?:""", esm)


def test_tag_updates_values_but_not_spec_and_keeps_selection(curve, demo):
    journey, ev = demo
    spec_before = curve._spec
    curve._point = {"touchpoint_id": "t4", "series": "Family"}  # a click in the browser
    n_before = curve.selected["n"]
    assert curve.selected["touchpoint"] == "Delivery slot picker"
    pushes = []
    curve.observe(lambda c: pushes.append(c), names="_values")
    rows = ev.rows_of(ev.search("evening slot"))
    family = ev.column("household").iloc[rows].eq("Family").sum()
    ev.tag(ev.search("evening slot"), journey=journey, touchpoint="t4", emotion=-2)
    assert len(pushes) == 1  # one tag, one update: no feedback loop
    assert curve._spec is spec_before  # the view is kept, so its selection survives
    assert curve._point == {"touchpoint_id": "t4", "series": "Family"}
    assert curve.selected["n"] == n_before + family
    assert point_of(curve, "t4", "Family")["n"] == n_before + family
    ev.undo()
    assert curve.selected["n"] == n_before


def test_journey_edit_sends_new_spec_and_keeps_or_drops_selection(curve, demo):
    journey, _ev = demo
    curve.select("Delivery slot picker", series="Single")
    spec_before = curve._spec
    journey.rename_touchpoint("t4", "Slot picker")
    assert curve._spec is not spec_before  # the axis labels changed
    assert "Slot picker" in json.dumps(curve._spec)
    assert curve.selected["touchpoint"] == "Slot picker" and curve.selected["series"] == "Single"
    journey.remove_touchpoint("t4")
    assert curve.selected is None and curve._point == {}
    assert all(r["touchpoint_id"] != "t4" for r in curve._values)


def test_series_dropdown_and_errors(curve):
    values = [c["value"] for c in curve._choices]
    assert values[:3] == ["", "household", "age_band"]
    assert "Busy parent" in values  # personas are offered too
    curve.select("t4", "Family")
    curve.by = "age_band"  # what the dropdown sets
    assert set(curve.frame["series"]) == set(curve.evidence.column("age_band").unique())
    assert curve.selected is None  # the old series is gone
    with pytest.raises(traitlets.TraitError, match="neither a segment column"):
        curve.by = "nope"
    assert curve.by == "age_band"  # nothing half-applied
    curve.by = None
    assert list(curve.frame["series"].unique()) == ["All"]
    with pytest.raises(cjm.CJMError, match="No series 'Family'"):
        curve.select("t4", "Family")


def test_persona_series_follows_a_rename(demo):
    journey, ev = demo
    journey.add_persona("Evening shopper", segment={"household": "Family"})
    w = cjm.EmotionCurve(journey, ev, by="Evening shopper")
    assert list(w.frame["series"].unique()) == ["Evening shopper"]
    journey.update_persona("Evening shopper", name="Late shopper")
    assert w.by == "Late shopper"
    assert list(w.frame["series"].unique()) == ["Late shopper"]
    assert {"value": "Late shopper", "label": "Persona: Late shopper"} in w._choices
    w.close()


def test_two_curves_stay_consistent_and_close_stops_updates(demo):
    journey, ev = demo
    a = cjm.EmotionCurve(journey, ev)
    b = cjm.EmotionCurve(journey, ev)
    ev.tag(ev.search("courier"), journey=journey, touchpoint="t6", emotion=2)
    assert a._values == b._values
    b.close()
    version = b._version
    ev.tag(ev.search("evening slot"), journey=journey, touchpoint="t4", emotion=-2)
    assert b._version == version and a._values != b._values
    a.close()


def test_second_curve_reuses_the_spec_and_a_new_axis_builds_one(demo):
    from cjm_widgets.charts import emotion_curve_chart
    from cjm_widgets.widgets import emotion_curve as module

    journey, ev = demo
    module._specs.clear()
    a = cjm.EmotionCurve(journey, ev, by="household")
    b = cjm.EmotionCurve(journey, ev, by="household")
    assert len(module._specs) == 1  # built once
    assert b._spec == a._spec and b._spec is not a._spec  # equal, not one shared dict
    fresh = emotion_curve_chart(a.frame, height=260, width=a._chart_width(a._values))
    expected = fresh.to_dict(validate=False)
    expected.pop("$schema", None)
    assert a._spec == {**expected, "data": {"name": "curve"}}  # what a build gives
    b.by = None  # another series, the same axis and stage bands: not built again
    assert len(module._specs) == 1 and b._spec == a._spec
    journey.rename_touchpoint("t4", "Slot picker")  # the axis changed: built again
    assert "Slot picker" in json.dumps(a._spec) and "Slot picker" in json.dumps(b._spec)
    assert "Delivery slot picker" not in json.dumps(a._spec)
    a.close()
    b.close()


def test_workspace_draws_the_curve_svg_ahead(demo):
    """Outside an event loop (a script) the SVG is drawn at once, in the worker thread."""
    journey, ev = demo

    def session():
        ws = cjm.Workspace(journey, ev)
        ws._ipython_display_()  # the snapshot shows the curve's SVG
        assert ws.curve._draw_ahead
        ev.tag(ev.search("evening slot"), journey=journey, touchpoint="t4", emotion=-2)
        running = ws.curve._svg._running
        if running is not None:  # drawn in the worker thread, not when the snapshot is sent
            running[1].result(timeout=60)
        done = ws.curve._svg._done
        assert done is not None and done[0] == ws.curve._snap and done[1].startswith("<svg")
        ws.close()

    # in a thread of its own: with Playwright's sync loop running in this thread (a worker
    # that ran a browser test) the drawing would wait for a loop that never turns
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(session).result(timeout=120)


def test_in_the_kernel_loop_the_svg_is_drawn_after_the_click(demo):
    """In the kernel's event loop the SVG is drawn AHEAD_DELAY s after a change, so that it
    does not compete with the rest of the click; then it is ready before the snapshot."""
    from cjm_widgets.widgets import emotion_curve as module

    journey, ev = demo

    async def session():
        ws = cjm.Workspace(journey, ev)
        ws._ipython_display_()
        await asyncio.sleep(module.AHEAD_DELAY + 0.2)
        ev.tag(ev.search("evening slot"), journey=journey, touchpoint="t4", emotion=-2)
        ev.tag(ev.search("courier"), journey=journey, touchpoint="t6", emotion=2)
        svg, version = ws.curve._svg, ws.curve._snap
        for started in (svg._done, svg._running, svg._wanted):  # not yet
            assert started is None or started[0] < version
        await asyncio.sleep(module.AHEAD_DELAY + 0.2)
        running = ws.curve._svg._running
        if running is not None:
            await asyncio.wrap_future(running[1])
        done = ws.curve._svg._done
        assert done is not None and done[0] == ws.curve._snap  # both tags, drawn once
        ws.close()

    # in a thread of its own: on a worker that ran a browser test, Playwright's sync API keeps
    # an event loop running in this thread, and asyncio.run refuses to start another
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, session()).result(timeout=120)


def test_static_snapshot_is_svg(curve):
    data, _ = curve._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    html = data["text/html"]
    assert html.startswith('<div class="cjm-curve-static"><svg')
    assert "Delivery slot picker" in html and "Family" in html


def test_bad_arguments():
    demo = cjm.datasets.demo()
    with pytest.raises(TypeError, match="Journey first"):
        cjm.EmotionCurve(demo.evidence(), demo.journey)
    with pytest.raises(TypeError, match="'colour'"):
        cjm.EmotionCurve(demo.journey, demo.evidence(), colour="red")


# ----------------------------------------------------------------------------- Workspace
def test_workspace_links_point_to_tagger(demo):
    journey, ev = demo
    ws = cjm.Workspace(journey, ev, by="household")
    assert [type(w).__name__ for w in (ws.editor, ws.curve, ws.tagger)] == [
        "JourneyEditor", "EmotionCurve", "EvidenceTagger",
    ]  # fmt: skip
    ws.curve._point = {"touchpoint_id": "t4", "series": "Family"}  # click on the point
    assert ws.tagger.filters == {"touchpoint": "t4", "household": "Family"}
    frame = ev.frame
    behind = ((frame["touchpoint_id"] == "t4") & (frame["household"] == "Family")).sum()
    assert ws.tagger.matching_count == behind
    ws.curve._point = {}  # click on the background
    assert ws.tagger.filters == {} and ws.tagger.matching_count == len(ev)
    # a filter the person set themselves is left alone when the point is cleared
    ws.curve.select("t4", "Single")
    ws.tagger.filter(search="slot")
    ws.curve.select()
    assert ws.tagger.filters == {"search": "slot"}
    data = ws._repr_mimebundle_()  # nbconvert / GitHub: the map and the curve, static
    assert "application/vnd.jupyter.widget-view+json" in data
    assert "cjm-map" in data["text/html"] and "<svg" in data["text/html"]
    ws.show("editor", False)
    assert ws._panes["editor"].layout.display == "none" and not ws._toggles["editor"].value
    ws._toggles["editor"].value = True
    assert ws._panes["editor"].layout.display is None
    ws.close()


def test_workspace_views_share_one_model(demo):
    journey, ev = demo
    ws = cjm.Workspace(journey, ev)
    journey.add_touchpoint("Retention", "Loyalty points", channel="mobile app")
    assert any(r["label"] == "Loyalty points" for r in ws.curve._values)
    names = [t["name"] for s in ws.tagger._meta["stages"] for t in s["touchpoints"]]
    assert "Loyalty points" in names
    ws.close()


def test_autosave_writes_within_the_delay(demo, tmp_path):
    journey, ev = demo
    path = tmp_path / "grocery.journey.json"

    async def session() -> tuple[int, int]:
        ws = cjm.Workspace(journey, ev, autosave=path, autosave_delay=0.3)
        ev.tag(ev.search("evening slot"), journey=journey, touchpoint="t4", emotion=-2)
        ev.tag(ev.search("courier"), journey=journey, touchpoint="t6", emotion=2)
        journey.add_stage("Returns", after="Usage")
        await asyncio.sleep(0.6)  # the kernel's loop is idle: the trailing save runs
        saved_tags = len(json.loads(tags_path_for(path).read_text(encoding="utf-8"))["tags"])
        stages = [s["name"] for s in json.loads(path.read_text(encoding="utf-8"))["stages"]]
        ws.close()
        return saved_tags, stages

    # an event loop of its own, as in a kernel (a thread: the browser tests' loop may be running)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(asyncio.run(session())))
    worker.start()
    worker.join(30)
    saved_tags, stages = result[0]
    tagged = ev.frame["touchpoint_id"].notna() & ev.frame["source"].eq("interview")
    assert saved_tags >= tagged.sum() > 0
    assert "Returns" in stages
    same = cjm.Journey.load(path)
    assert same == journey


def test_autosave_failure_is_shown_and_nothing_lost(demo, tmp_path):
    journey, ev = demo
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.warns(RuntimeWarning, match="Autosave failed"):
        ws = cjm.Workspace(journey, ev, autosave=blocker / "x.journey.json")
    assert "Autosave failed" in ws._status.value and "cjm-ws-failed" in ws._status.value
    ev.tag(ev.search("courier"), journey=journey, touchpoint="t6", emotion=2)  # still tags
    assert ev.frame["touchpoint_id"].eq("t6").any()
    with pytest.raises(ValueError, match=r"\.json path"):
        cjm.Workspace(journey, ev, autosave=tmp_path / "x.txt")
    ws.autosave.on_status = None
    with pytest.warns(RuntimeWarning):
        ws.close()


def test_series_per_document_and_participant(tmp_path):
    for k in range(3):
        (tmp_path / f"i{k}.txt").write_text(
            "Interviewer: How was it?\nInterviewee: Slow.\n", encoding="utf-8"
        )
    journey = cjm.Journey.from_template("current_state", stages="five_stage")
    journey.add_touchpoint(journey.stages[0].name, "Delivery")
    ev = cjm.Evidence.from_transcripts(sorted(tmp_path.glob("*.txt")), quiet=True)
    ev.tag(
        (ev.column("role") == "participant").to_numpy(),
        journey=journey,
        touchpoint="Delivery",
        emotion=-1,
    )
    w = cjm.EmotionCurve(journey, ev, by="participant")
    try:
        assert {c["value"] for c in w._choices} >= {"document", "participant"}
        assert {p["series"] for p in w._values if p["n"]} == {
            "i0/Interviewee",
            "i1/Interviewee",
            "i2/Interviewee",
        }
        ev.merge_participants(["i0/Interviewee", "i1/Interviewee"], into="Same person")
        assert {p["series"] for p in w._values if p["n"]} == {"Same person", "i2/Interviewee"}
        w.by = "document"
        pd.testing.assert_frame_equal(w.frame, emotion_curve(journey, ev, by="document"))
    finally:
        w.close()


def test_too_many_participants_for_lines_is_refused(demo):
    journey, ev = demo  # 500 survey respondents and 5 interviewees
    with pytest.raises(cjm.CJMError, match=r"by='participant' has 505 values: too many lines"):
        cjm.EmotionCurve(journey, ev, by="participant")
