"""Faults: a kernel killed mid-session, files edited into nonsense, several views at once.

- SIGKILL at random moments of a tagging session with autosave on (60 kills, a third of them
  while a file is being written): the files always load, and every edit older than the
  autosave delay plus a 0.5 s margin is in them.
- Running the notebook again after a crash resumes from the autosave files instead of
  overwriting them; a hand-edited nonsense file stops autosave with the JSON path, untouched.
- Two Workspaces over one journey and evidence, plus edits from Python, interleaved: nothing is
  lost and every view ends showing the model.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

import fault_session
import numpy as np
import pytest

import cjm_widgets as cjm
from cjm_widgets.widgets.autosave import tags_path_for

DELAY = 0.5  # the Workspace's default autosave delay
MARGIN = 0.5  # scheduling and the write itself


# ----------------------------------------------------------------------------- helpers


def call(widget: Any, method: str, **args: Any) -> Any:
    """A call message as the front end sends it; returns the handler's result."""
    reply = widget._dispatch({"type": "call", "id": "t", "method": method, "args": args})
    assert reply["ok"], reply["error"]
    return reply["result"]


def tag_table(ev: Any) -> dict[str, tuple[Any, Any]]:
    """evidence_id -> (touchpoint_id, emotion or None) for every tagged row."""
    frame = ev.frame
    tagged = frame[frame["touchpoint_id"].notna()]
    return {
        str(i): (str(t), None if e != e else float(e))
        for i, t, e in zip(
            tagged["evidence_id"], tagged["touchpoint_id"], tagged["emotion"], strict=True
        )
    }


def drain(conn: Any, events: list[tuple], until: float | None, stop_on: str | None = None) -> bool:
    """Collect events until ``until`` (monotonic) or until an event of kind ``stop_on``;
    True when ``stop_on`` was seen."""
    while True:
        left = None if until is None else until - time.monotonic()
        if left is not None and left <= 0:
            return False
        if not conn.poll(left if left is not None else 0):
            if until is None:
                return False
            continue
        try:
            event = conn.recv()
        except EOFError:
            return False
        events.append(event)
        if stop_on is not None and event[0] == stop_on:
            return True


# ----------------------------------------------------------------------------- SIGKILL


@pytest.mark.slow
def test_sigkill_mid_session_never_corrupts_and_loses_nothing_older_than_the_delay(
    tmp_path, monkeypatch
):
    # The forkserver imports (and warms up) the session module once; every session forks from
    # it. It does not get our sys.path (Python 3.11 ignores it), so it gets PYTHONPATH.
    here = str(Path(__file__).resolve().parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([here, os.environ.get("PYTHONPATH", "")]))
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["fault_session"])
    rng = random.Random(20261123)
    journey0, ev0 = fault_session.build()
    tps = [t.id for t in journey0.touchpoints]
    ids = ev0.frame["evidence_id"].tolist()
    pretagged = tag_table(ev0)
    kills = mid_write = checked_ops = runs_checked = resumed = 0
    for run in range(60):
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        slow_disk = run % 3 == 0
        receiver, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=fault_session.run, args=(str(folder), sender, run, slow_disk))
        proc.start()
        sender.close()
        events: list[tuple] = []
        assert drain(receiver, events, time.monotonic() + 60, stop_on="ready"), events
        wait = rng.uniform(0.05, 2.5)
        drain(receiver, events, time.monotonic() + wait)
        if slow_disk:  # kill on the next write, between the temp file and the rename
            assert drain(receiver, events, time.monotonic() + 5, stop_on="writing")
        os.kill(proc.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        proc.join(10)
        assert proc.exitcode == -signal.SIGKILL
        drain(receiver, events, None)
        receiver.close()
        kills += 1
        leftovers = list(folder.glob(".*.tmp"))
        mid_write += bool(leftovers)

        # the files always load: never truncated, never half-written
        path = folder / fault_session.JOURNEY_FILE
        journey = cjm.Journey.load(path)
        _, ev = fault_session.build()
        ev.load_tags(tags_path_for(path))
        saved_tags = tag_table(ev)
        stages = {s.name for s in journey.stages}

        # every edit older than the autosave delay (+ margin) is in the files
        old_ops = [e[1] for e in events if e[0] == "op" and e[2] < killed_at - DELAY - MARGIN]
        for i in old_ops:
            if fault_session.is_stage_op(i):
                assert f"Added {i}" in stages, f"run {run}: stage op {i} lost"
            else:
                row, tp, emotion = fault_session.expected_tag(i, tps)
                assert saved_tags.get(ids[row]) == (tp, float(emotion)), f"run {run}: op {i} lost"
        checked_ops += len(old_ops)
        runs_checked += bool(old_ops)
        # and nothing invented: rows never touched keep their pre-session tags. The edit in
        # flight at the kill ("begin" without "op") may be saved: the first change after a
        # quiet spell is saved inside the edit, before it reports back.
        begun = {e[1] for e in events if e[0] == "begin"}
        for key, value in saved_tags.items():
            row = ids.index(key)
            if row not in begun:
                assert pretagged.get(key) == value, f"run {run}: row {row} tagged by nobody"

        if run % 6 == 0:  # running the notebook again resumes from the killed session's files
            journey2, ev2 = fault_session.build()
            ws = cjm.Workspace(journey2, ev2, autosave=path)
            assert {s.name for s in journey2.stages} == stages
            assert tag_table(ev2) == saved_tags
            assert not list(folder.glob(".*.tmp"))  # the killed save's temp file is cleared
            ws.close()
            resumed += 1
    print(
        f"{kills} kills, {mid_write} mid-write, {checked_ops} edits checked in {runs_checked} "
        f"runs, {resumed} resumed"
    )
    assert kills >= 50
    assert mid_write >= 15  # a third of the runs kill on a write
    # not vacuous: many runs had edits old enough to be checked (how many edits a run makes
    # depends on the machine's speed, so the count of edits itself is not asserted)
    assert runs_checked >= 10


# ----------------------------------------------------------------------------- resume


@pytest.fixture
def demo():
    return cjm.datasets.demo()


def test_running_again_resumes_instead_of_overwriting(demo, tmp_path):
    path = tmp_path / "grocery.journey.json"
    journey, ev = demo.journey, demo.evidence()
    ws = cjm.Workspace(journey, ev, autosave=path)
    stage = call(ws.editor, "add_stage", name="Returns")
    call(ws.tagger, "select", row=3)
    tp = journey.touchpoints[1]
    call(ws.tagger, "tag", touchpoint=tp.id, emotion=-2)
    ws.autosave.flush()
    saved = tag_table(ev)
    del ws  # the kernel died: nothing closed, nothing flushed beyond autosave

    again = cjm.datasets.demo()  # the notebook runs again, building the same start
    journey2, ev2 = again.journey, again.evidence()
    assert "Returns" not in [s.name for s in journey2.stages]
    ws2 = cjm.Workspace(journey2, ev2, autosave=path)
    assert [s.id for s in journey2.stages][-1] == stage
    assert "Returns" in [s.name for s in journey2.stages]
    assert tag_table(ev2) == saved
    status = ws2._status.value
    assert "Restored from grocery.journey.json and grocery.tags.json" in status
    # views show the restored state
    assert "Returns" in [s["name"] for s in ws2.editor._journey["journey"]["stages"]]
    # one undo each goes back to what the notebook built
    journey2.undo()
    assert "Returns" not in [s.name for s in journey2.stages]
    ev2.undo()
    assert tag_table(ev2) == tag_table(cjm.datasets.demo().evidence())
    ws2.close()


def test_resume_false_starts_afresh(demo, tmp_path):
    path = tmp_path / "g.journey.json"
    journey = demo.journey
    journey.add_stage("Only in the file")
    journey.save(path)
    fresh = cjm.datasets.demo()
    ws = cjm.Workspace(fresh.journey, fresh.evidence(), autosave=path, autosave_resume=False)
    assert "Only in the file" not in [s.name for s in cjm.Journey.load(path).stages]
    ws.close()


def _nonsense_journeys(good: dict) -> list[tuple[str, str, str]]:
    """(label, file text, the JSON path or phrase the error must name)."""
    wrong_type = json.loads(json.dumps(good))
    wrong_type["stages"][1]["touchpoints"][0]["name"] = 42
    no_stages = json.loads(json.dumps(good))
    no_stages["stages"] = "several"
    text = json.dumps(good, indent=1)
    return [
        ("name is a number", json.dumps(wrong_type), "$.stages[1].touchpoints[0].name"),
        ("stages is text", json.dumps(no_stages), "$.stages"),
        ("truncated", text[: len(text) // 2], "not valid JSON"),
        ("empty", "", "not valid JSON"),
        ("a list", "[1, 2, 3]", "$"),
    ]


@pytest.mark.parametrize("case", range(5))
def test_nonsense_journey_file_stops_autosave_and_stays_untouched(demo, tmp_path, case):
    path = tmp_path / "g.journey.json"
    demo.journey.save(path)
    label, text, where = _nonsense_journeys(json.loads(path.read_text(encoding="utf-8")))[case]
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    fresh = cjm.datasets.demo()
    journey, ev = fresh.journey, fresh.evidence()
    state = journey.to_dict()
    with pytest.raises(cjm.SchemaError, match=r"g\.journey\.json") as direct:
        cjm.Journey.load(path)
    assert where in str(direct.value), label
    with pytest.raises(cjm.AutosaveError) as err:
        cjm.Workspace(journey, ev, autosave=path)
    message = str(err.value)
    assert where in message and "g.journey.json" in message, label
    assert "left" in message and "untouched" in message  # and the way out
    assert path.read_bytes() == before  # byte for byte
    assert not tags_path_for(path).exists()  # nothing written beside it either
    assert journey.to_dict() == state and not journey.can_undo
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d, k: d["tags"][k].update(emotion="lots"), ".emotion"),
        (lambda d, k: d["tags"][k].update(labels="pain point"), ".labels"),
        (lambda d, k: d["tags"].update({k: ["t1", -2]}), '$.tags["'),
        (lambda d, k: d.update(tags=[1, 2]), "$.tags"),
        (lambda d, k: d.update(schema_version="2"), "$.schema_version"),
    ],
)
def test_nonsense_tags_file_stops_autosave_restores_nothing(demo, tmp_path, edit, where):
    path = tmp_path / "g.journey.json"
    journey, ev = demo.journey, demo.evidence()
    ws = cjm.Workspace(journey, ev, autosave=path)
    call(ws.editor, "add_stage", name="Returns")  # the journey file differs from a fresh start
    call(ws.tagger, "select", row=0)
    call(ws.tagger, "tag", touchpoint=journey.touchpoints[0].id, emotion=1)
    ws.autosave.flush()
    ws.close()
    tags = tags_path_for(path)
    data = json.loads(tags.read_text(encoding="utf-8"))
    edit(data, next(iter(data["tags"])))
    tags.write_text(json.dumps(data), encoding="utf-8")
    files = {p: p.read_bytes() for p in (path, tags)}

    fresh = cjm.datasets.demo()
    journey2, ev2 = fresh.journey, fresh.evidence()
    state, tagged = journey2.to_dict(), tag_table(ev2)
    with pytest.raises(cjm.AutosaveError) as err:
        cjm.Workspace(journey2, ev2, autosave=path)
    assert where in str(err.value) and "g.tags.json" in str(err.value)
    assert err.value.file == str(tags)
    assert {p: p.read_bytes() for p in files} == files  # both files untouched
    assert journey2.to_dict() == state  # the journey was put back: nothing half-restored
    assert tag_table(ev2) == tagged


# ----------------------------------------------------------------------------- two views


def test_two_workspaces_and_python_edits_interleaved_converge(demo):
    journey, ev = demo.journey, demo.evidence()
    one, two = cjm.Workspace(journey, ev), cjm.Workspace(journey, ev)
    rng = random.Random(5)
    n_rows = len(ev)
    expected: dict[int, tuple[str, float]] = {}
    added: list[str] = []
    for step in range(150):
        source = rng.choice(["one", "two", "python"])
        ws = one if source == "one" else two
        kind = rng.random()
        tps = [t.id for t in journey.touchpoints]
        if kind < 0.6:  # tag a row
            row, tp, emotion = rng.randrange(n_rows), rng.choice(tps), rng.randint(-2, 2)
            if source == "python":
                ev.tag(ev.frame["evidence_id"].iloc[row], journey=journey, touchpoint=tp,
                       emotion=emotion)  # fmt: skip
            else:
                call(ws.tagger, "select", row=row)
                call(ws.tagger, "tag", touchpoint=tp, emotion=emotion)
            expected[row] = (tp, float(emotion))
        elif kind < 0.8:  # add a stage
            name = f"Stage {step}"
            if source == "python":
                journey.add_stage(name)
            else:
                call(ws.editor, "add_stage", name=name)
            added.append(name)
        else:  # rename a touchpoint (its tags follow the id)
            tp = rng.choice(journey.touchpoints)
            name = f"{tp.name.split(' #')[0]} #{step}"
            if source == "python":
                journey.rename_touchpoint(tp.id, name)
            else:
                call(ws.editor, "update_touchpoint", touchpoint=tp.id, name=name)
    # no lost update
    frame = ev.frame
    for row, (tp, emotion) in expected.items():
        got = (frame["touchpoint_id"].iloc[row], float(frame["emotion"].iloc[row]))
        assert got == (tp, emotion)
    assert [n for n in added if n not in {s.name for s in journey.stages}] == []
    # every view shows the model
    names = [s.name for s in journey.stages]
    tp_names = sorted(t.name for t in journey.touchpoints)
    curve = cjm.emotion_curve(journey, ev)
    for ws in (one, two):
        board = ws.editor._journey["journey"]
        assert [s["name"] for s in board["stages"]] == names
        assert sorted(t["name"] for s in board["stages"] for t in s["touchpoints"]) == tp_names
        assert ws.curve.frame.equals(curve)
        meta = ws.tagger._meta["stages"]
        assert [s["name"] for s in meta] == names
        shown = {r[1]: r for r in ws.tagger._window["rows"]}
        cols = ws.tagger._window["columns"]
        for evid, r in shown.items():
            row = int(np.flatnonzero(frame["evidence_id"].to_numpy() == evid)[0])
            emotion = frame["emotion"].iloc[row]
            cell = r[cols.index("emotion")]
            assert (cell is None and emotion != emotion) or cell == round(float(emotion), 2)
    one.close()
    two.close()
