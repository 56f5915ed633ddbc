"""EmotionAggregate equals a full emotion_curve recompute after any sequence of changes."""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cjm_widgets as cjm
from cjm_widgets.analysis import EmotionAggregate, emotion_curve
from cjm_widgets.errors import CJMError
from cjm_widgets.evidence import Evidence

N = 10


def make_ev() -> Evidence:
    df = pd.DataFrame(
        {
            "evidence_id": [f"e{i}" for i in range(N)],
            "source": "interview",
            "document": "doc.txt",
            "participant": [f"P{i % 4}" for i in range(N)],
            "position": np.arange(N),
            "text": [f"t {i}" for i in range(N)],
            "rating": np.nan,
            "seg": ["A", "B", None, "A", "B"] * (N // 5),
            "role": ["interviewer", "participant"] * (N // 2),
        }
    )
    return Evidence(df)


rows_st = st.lists(st.integers(0, N - 1), min_size=1, max_size=4, unique=True)
# hand tags (integers), a 1-7 scale (multiples of 2/3), a 0-10 scale (multiples of 0.4) and
# arbitrary floats: running float sums would differ in the last bit between tag orders
emotions = st.one_of(
    st.integers(-2, 2),
    st.integers(1, 7).map(lambda v: (v - 1) / 6 * 4 - 2),
    st.integers(0, 10).map(lambda v: v / 10 * 4 - 2),
    st.floats(-2, 2, allow_nan=False),
)
ops = st.one_of(
    st.tuples(st.just("tag"), rows_st, st.integers(0, 8), emotions),
    st.tuples(st.just("stage"), rows_st, st.integers(0, 6), emotions),
    st.tuples(st.just("emotion"), rows_st, emotions),
    st.tuples(st.just("label"), rows_st),
    st.tuples(st.just("untag"), rows_st),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
    st.tuples(st.just("rename"), st.integers(0, 8)),
    st.tuples(st.just("move"), st.integers(0, 8), st.integers(0, 6)),
    st.tuples(st.just("remove_tp"), st.integers(0, 8)),
    st.tuples(st.just("remove_stage"), st.integers(0, 6)),
    st.tuples(st.just("jundo")),
    st.tuples(st.just("jredo")),
    st.tuples(st.just("persona"), st.sampled_from(["A", "B", ("A", "B")])),
    st.tuples(st.just("rename_persona")),
)


def run(j: cjm.Journey, ev: Evidence, op: tuple) -> None:
    kind = op[0]
    tps = list(j.touchpoints)
    stages = list(j.stages)
    ids = [f"e{i}" for i in (op[1] if len(op) > 1 and isinstance(op[1], list) else [])]
    if kind == "tag" and tps:
        ev.tag(ids, journey=j, touchpoint=tps[op[2] % len(tps)].id, emotion=op[3])
    elif kind == "stage" and stages:
        ev.tag(ids, journey=j, stage=stages[op[2] % len(stages)].id, emotion=op[3])
    elif kind == "emotion":
        ev.tag(ids, emotion=op[2], coder="c1")
    elif kind == "label":
        ev.tag(ids, add_labels="pain point")  # no place/emotion change: a no-op for the curve
    elif kind == "untag":
        ev.untag(ids)
    elif kind == "undo" and ev.can_undo:
        ev.undo()
    elif kind == "redo" and ev.can_redo:
        ev.redo()
    elif kind == "rename" and tps:
        j.rename_touchpoint(tps[op[1] % len(tps)].id, f"Renamed {op[1]}")
    elif kind == "move" and tps and stages:
        j.move_touchpoint(tps[op[1] % len(tps)].id, stages[op[2] % len(stages)].id)
    elif kind == "remove_tp" and len(tps) > 1:
        j.remove_touchpoint(tps[op[1] % len(tps)].id)
    elif kind == "remove_stage" and len(stages) > 1:
        j.remove_stage(stages[op[1] % len(stages)].id)
    elif kind == "jundo" and j.can_undo:
        j.undo()
    elif kind == "jredo" and j.can_redo:
        j.redo()
    elif kind == "persona":
        want = list(op[1]) if isinstance(op[1], tuple) else op[1]
        j.update_persona(segment_persona(j), segment={"seg": want})
    elif kind == "rename_persona":
        p = segment_persona(j)
        j.update_persona(p, name="Segment B" if p.name == "Segment A" else "Segment A")


def segment_persona(j: cjm.Journey) -> cjm.Persona:
    return next(p for p in j.personas if p.name.startswith("Segment"))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(ops, max_size=12),
    st.sampled_from([None, "seg", "persona"]),
    st.sampled_from(["touchpoint", "stage"]),
    st.sampled_from([None, True, False]),
    st.booleans(),
)
def test_aggregate_equals_full(
    seq: list, by: str | None, level: str, overall: bool | None, interviewer: bool
) -> None:
    import warnings

    j = cjm.datasets.grocery_journey()
    persona = j.add_persona("Segment A", segment={"seg": "A"})
    j._undo_stack.clear()
    if by == "persona":
        by = persona.id  # resolved by id on every call, so renames and segment edits count
    ev = make_ev()
    ev.link(j)
    kw = {
        "by": by,
        "level": level,
        "min_n": 2,
        "overall": overall,
        "include_interviewer": interviewer,
    }
    agg = EmotionAggregate(j, ev, **kw)
    seen = []
    agg.observe(lambda a: seen.append(a.version))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for op in seq:
            with contextlib.suppress(CJMError):
                run(j, ev, op)
            full = emotion_curve(j, ev, **kw)
            pd.testing.assert_frame_equal(agg.frame, full, check_exact=True)
            assert agg.frame.attrs == full.attrs
    agg.close()
