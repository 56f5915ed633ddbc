"""A tagging session with autosave on, run in a forked process that the tests kill (SIGKILL).

Not a test module: ``tests/test_crash_and_resume.py`` runs :func:`run` through a
``multiprocessing`` forkserver that preloads this module, so each session starts in
milliseconds with cjm-widgets already imported and warmed up.

The session works the way a kernel does: an asyncio loop, and every edit arrives as a widget
message — the tagger's ``select`` and ``tag`` calls, the editor's ``add_stage`` call — between
short pauses. Before each edit it reports ``("begin", i, monotonic time)`` and after it
``("op", i, monotonic time)`` on the pipe: an edit killed in flight may or may not be saved
(the first change after a quiet spell is saved at once, inside the edit).
"""

from __future__ import annotations

import asyncio
import os
import random
import stat
import time
from typing import Any

import numpy as np
import pandas as pd

import cjm_widgets as cjm
import cjm_widgets.widgets  # the widget layer, preloaded by the forkserver

N_ROWS = 3000
PRETAGGED = 1500  # rows tagged before the session: every tags save writes at least these
JOURNEY_FILE = "study.journey.json"
STAGE_EVERY = 10  # op i with i % STAGE_EVERY == 5 adds a stage; the others tag a row


def build() -> tuple[Any, Any]:
    """The same journey and evidence in every process (deterministic)."""
    journey = cjm.Journey(title="Fault study")
    for s in range(3):
        journey.add_stage(f"Stage {s}")
        for t in range(3):
            journey.add_touchpoint(f"Stage {s}", f"Touchpoint {s}.{t}")
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(
        {
            "text": [f"Quote {i}: the courier was late" for i in range(N_ROWS)],
            "who": [f"P{i % 40}" for i in range(N_ROWS)],
            "segment": rng.choice(["A", "B"], size=N_ROWS),
        }
    )
    ev = cjm.Evidence.from_frame(frame, text="text", participant="who", journey=journey)
    tps = [t.id for t in journey.touchpoints]
    ids = ev.frame["evidence_id"].tolist()
    for k, tp in enumerate(tps):  # a realistic tagged state before the session
        chunk = ids[N_ROWS - PRETAGGED + k :: len(tps)]
        ev.tag(chunk, journey=journey, touchpoint=tp, emotion=(k % 5) - 2)
    return journey, ev


def expected_tag(i: int, tps: list[str]) -> tuple[int, str, int]:
    """Op ``i`` (a tag op) tags row ``i`` to this touchpoint with this emotion."""
    return i, tps[i % len(tps)], (i % 5) - 2


def is_stage_op(i: int) -> bool:
    return i % STAGE_EVERY == 5


def _warm_up() -> None:
    journey, ev = build()
    ws = cjm.Workspace(journey, ev)
    ws.close()


_warm_up()


def run(folder: str, conn: Any, seed: int, slow_disk: bool) -> None:
    """Tag and edit until killed. ``slow_disk``: every file fsync first reports
    ``("writing", t)`` and then takes 50 ms, so a kill on that report lands mid-write."""
    journey, ev = build()
    tps = [t.id for t in journey.touchpoints]
    if slow_disk:
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                conn.send(("writing", time.monotonic()))
                time.sleep(0.05)
            real_fsync(fd)

        os.fsync = fsync  # type: ignore[assignment]

    async def session() -> None:
        ws = cjm.Workspace(journey, ev, autosave=os.path.join(folder, JOURNEY_FILE))
        calls = {"n": 0}

        def call(widget: Any, method: str, **args: Any) -> Any:
            calls["n"] += 1
            reply = widget._dispatch(
                {"type": "call", "id": f"c{calls['n']}", "method": method, "args": args}
            )
            if not reply["ok"]:
                raise RuntimeError(reply["error"])
            return reply["result"]

        conn.send(("ready", time.monotonic()))
        rng = random.Random(seed)
        for i in range(N_ROWS - PRETAGGED):
            conn.send(("begin", i, time.monotonic()))
            if is_stage_op(i):
                call(ws.editor, "add_stage", name=f"Added {i}")
            else:
                row, tp, emotion = expected_tag(i, tps)
                call(ws.tagger, "select", row=row)
                call(ws.tagger, "tag", touchpoint=tp, emotion=emotion)
            conn.send(("op", i, time.monotonic()))
            await asyncio.sleep(rng.uniform(0.0, 0.02))
        conn.send(("done", time.monotonic()))
        await asyncio.sleep(3600)

    asyncio.run(session())
