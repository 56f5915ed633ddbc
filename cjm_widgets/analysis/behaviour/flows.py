"""Flows between touchpoints: directly-follows transitions and the most common paths (variants).

Usage: ``cjm.flows(journey, events)``, ``cjm.variants(journey, events, top=10)``
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.analysis.behaviour import _duck, _duck_queries
from cjm_widgets.analysis.behaviour._base import (
    SERIES,
    STAGE,
    STAGE_ORDER,
    TP,
    TP_ORDER,
    Change,
    check,
    places,
    prepared,
    seconds,
    to_frame,
    wilson,
)
from cjm_widgets.events.log import ACTIVITY, CASE, TIME

if TYPE_CHECKING:
    from cjm_widgets.events.log import Events
    from cjm_widgets.model.journey import Journey

__all__ = ["flows", "variants"]


def _ordered(journey: Journey, events: Events, by: str | None, change: Change, level: str) -> Any:
    """Mapped events with the next mapped event of the same case (``_next``, ``_next_time``)."""
    import ibis

    t = prepared(journey, events, by=by, change=change)
    key, order = (TP, TP_ORDER) if level == "touchpoint" else (STAGE, STAGE_ORDER)
    mapped = t.filter(t[key].notnull())
    w = ibis.window(
        group_by=mapped[CASE], order_by=[mapped[TIME], mapped[TP_ORDER], mapped[ACTIVITY]]
    )
    return mapped.mutate(
        _place=mapped[key],
        _order=mapped[order],
        _next=mapped[key].lead().over(w),
        _next_time=mapped[TIME].lead().over(w),
        _pos=ibis.row_number().over(w),
    )


def _names(journey: Journey, level: str) -> dict[str, str]:
    frame = places(journey, level)
    col, name = ("touchpoint_id", "touchpoint") if level == "touchpoint" else ("stage_id", "stage")
    return dict(zip(frame[col], frame[name], strict=True))


def flows(
    journey: Journey,
    events: Events,
    *,
    by: str | None = None,
    level: str = "touchpoint",
    change: Change = None,
) -> pd.DataFrame:
    """Directly-follows transitions between touchpoints (or stages), per series.

    The mapped events of each case are put in order (time, then the touchpoint's place in the
    journey, then activity name for ties); events of unmapped activities are skipped. Each
    pair of consecutive events is one transition ``source → target`` (a repeat at the same
    place is a transition to itself). Computed in the engine:

    - ``count``: transitions; ``cases``: distinct cases with the transition.
    - ``share`` = count / all transitions leaving ``source`` (in the series), with its 95% Wilson
      interval ``ci_low, ci_high``.
    - ``median_s``: median seconds between the two events (times truncated to the second;
      linear interpolation).

    Sorted by series, then journey order of source and target.

    Usage: ``cjm.flows(journey, events)``
    """
    check(journey, events, by, change)
    if _duck.applies(events):
        got = _duck_queries.flows_counts(journey, events, by, change, level)
    else:
        o = _ordered(journey, events, by, change, level)
        pairs = o.filter(o._next.notnull())
        pairs = pairs.mutate(_secs=seconds(pairs._next_time) - seconds(pairs[TIME]))
        got = to_frame(
            pairs.group_by([SERIES, "_place", "_next"]).aggregate(
                count=pairs.count(),
                cases=pairs[CASE].nunique(),
                median_s=pairs._secs.median(),
            )
        )
    names = _names(journey, level)
    rank = {k: i for i, k in enumerate(names)}
    # plain lists and one frame at the end (as in variants): the pandas steps took most of a
    # repeat call on a real log of 21k events
    series = [str(v) for v in got[SERIES].tolist()]
    src = [str(v) for v in got["_place"].tolist()]
    tgt = [str(v) for v in got["_next"].tolist()]
    count = got["count"].to_numpy(dtype=np.int64)
    leaving: dict[tuple[str, str], int] = {}
    for key, n in zip(zip(series, src, strict=True), count.tolist(), strict=True):
        leaving[key] = leaving.get(key, 0) + int(n)
    total = np.array([leaving[k] for k in zip(series, src, strict=True)], dtype=np.float64)
    low, high = wilson(count, total)
    last = len(rank)
    order = sorted(
        range(len(series)),
        key=lambda i: (series[i], rank.get(src[i], last), rank.get(tgt[i], last)),
    )
    at = np.array(order, dtype=np.int64)
    frame = pd.DataFrame(
        {
            SERIES: pd.array([series[i] for i in order], dtype="str"),
            "source_id": pd.array([src[i] for i in order], dtype="str"),
            "source": pd.array([names.get(src[i]) for i in order], dtype="str"),
            "target_id": pd.array([tgt[i] for i in order], dtype="str"),
            "target": pd.array([names.get(tgt[i]) for i in order], dtype="str"),
            "count": count[at],
            "cases": got["cases"].to_numpy(dtype=np.int64)[at],
            "median_s": got["median_s"].to_numpy(dtype=np.float64)[at],
            "share": count[at] / total[at],
            "ci_low": low[at],
            "ci_high": high[at],
        }
    )
    frame.attrs.update({"by": by, "level": level})
    return frame


def _engine_variants(
    journey: Journey, events: Events, by: str | None, change: Change, level: str
) -> pd.DataFrame:
    o = _ordered(journey, events, by, change, level)
    # Each step as "<position, zero-padded>\x1f<place>": collected, sorted as text (= by
    # position) and joined. Ordered aggregation is not on every engine (Spark), sorting is.
    keyed = o.mutate(_step=o._pos.cast("string").lpad(10, "0").concat("\x1f", o._place))
    per_case = keyed.group_by([SERIES, CASE]).aggregate(
        _steps=keyed._step.collect(),
        steps=keyed.count(),
        _dur=seconds(keyed[TIME].max()) - seconds(keyed[TIME].min()),
    )
    per_case = per_case.mutate(_path=per_case._steps.sort().join("\x1e")).drop("_steps")
    got = to_frame(
        per_case.group_by([SERIES, "_path"]).aggregate(
            cases=per_case.count(),
            steps=per_case.steps.max(),
            median_duration_s=per_case._dur.median(),
        )
    )
    got["path_ids"] = [
        tuple(step.split("\x1f", 1)[1] for step in path.split("\x1e")) for path in got["_path"]
    ]
    return got.drop(columns="_path")


def variants(
    journey: Journey,
    events: Events,
    *,
    by: str | None = None,
    level: str = "touchpoint",
    top: int | None = 10,
    change: Change = None,
    sep: str = " → ",
) -> pd.DataFrame:
    """The most common paths: each case's sequence of touchpoints (or stages), in the order of
    :func:`flows`, with the cases that follow it.

    Computed in the engine: the path is the concatenation of the place ids per case in that
    order (each step keyed by its position, sorted, joined: no ordered aggregate is needed).
    ``cases``, ``share`` = cases / cases with a mapped event (in the series) with its 95%
    Wilson interval, ``steps`` (path length) and ``median_duration_s`` (first to last mapped
    event, seconds). Sorted by cases (then path); ``top`` keeps the first rows per series
    (None: all).

    Usage: ``cjm.variants(journey, events, top=5)``
    """
    check(journey, events, by, change)
    if _duck.applies(events):
        got = _duck_queries.variants_counts(journey, events, by, change, level)
    else:
        got = _engine_variants(journey, events, by, change, level)
    names = _names(journey, level)
    # plain lists and one frame at the end: on a real log of 21k events the pandas steps
    # (grouped totals, a three-key sort, a grouped head) took twice the engine's query
    series = got[SERIES].tolist()
    cases = got["cases"].to_numpy(dtype=np.int64)
    path_ids = got["path_ids"].tolist()
    paths = [sep.join(names.get(p, p) for p in ids) for ids in path_ids]
    per_series: dict[Any, int] = {}
    for s_, n in zip(series, cases.tolist(), strict=True):
        per_series[s_] = per_series.get(s_, 0) + int(n)
    totals = np.array([per_series[s_] for s_ in series], dtype=np.float64)
    low, high = wilson(cases, totals)
    order = sorted(range(len(series)), key=lambda i: (series[i], -cases[i], paths[i]))
    if top is not None:
        shown: dict[Any, int] = {}
        kept = []
        for i in order:
            if shown.get(series[i], 0) < int(top):
                shown[series[i]] = shown.get(series[i], 0) + 1
                kept.append(i)
        order = kept
    at = np.array(order, dtype=np.int64)
    frame = pd.DataFrame(
        {
            SERIES: [series[i] for i in order],
            "path": [paths[i] for i in order],
            "cases": cases[at],
            "share": cases[at] / totals[at],
            "ci_low": low[at],
            "ci_high": high[at],
            "steps": got["steps"].to_numpy()[at].astype(np.int64),
            "median_duration_s": got["median_duration_s"].to_numpy(dtype=np.float64)[at],
            "path_ids": [path_ids[i] for i in order],
        }
    )
    frame.attrs.update({"by": by, "level": level, "cases_mapped": per_series})
    return frame
