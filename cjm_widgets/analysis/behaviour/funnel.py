"""The funnel: cases reaching each stage (or touchpoint) in journey order, where they leave,
and how long it takes them to get there.

Usage: ``cjm.funnel(journey, events)``
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cjm_widgets.analysis.behaviour import _duck, _duck_queries
from cjm_widgets.analysis.behaviour._base import (
    SERIES,
    STAGE_ORDER,
    TP_ORDER,
    Change,
    check,
    first_times,
    places,
    prepared,
    series_of,
    to_frame,
    wilson,
)

if TYPE_CHECKING:
    from cjm_widgets.events.log import Events
    from cjm_widgets.model.journey import Journey

__all__ = ["funnel"]


def _engine_counts(
    journey: Journey, events: Events, by: str | None, change: Change, order_col: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    t = prepared(journey, events, by=by, change=change)
    starts, timed = first_times(t, order_col)
    times = to_frame(
        timed.group_by([SERIES, order_col]).aggregate(
            visited=timed.count(),
            time_median_s=timed._secs.median(),
            time_p90_s=timed._secs.quantile(0.9),
        )
    )
    furthest = to_frame(
        starts.group_by([SERIES, "_far"]).aggregate(n=starts.count())
    )  # _far is null for cases with no mapped event
    return times, furthest


def funnel(
    journey: Journey,
    events: Events,
    *,
    by: str | None = None,
    level: str = "stage",
    change: Change = None,
) -> pd.DataFrame:
    """Cases reaching each step (stage, or touchpoint with ``level="touchpoint"``) in journey
    order, per series.

    A case's *furthest step* is the last step in journey order at which it has an event. Per
    step k, computed in the engine:

    - ``visited``: cases with an event at step k.
    - ``reached``: cases whose furthest step is k or later (they got at least this far; never
      more than the step before).
    - ``left_after`` = reached(k) − reached(k+1): cases whose furthest step is k (the drop-off
      after k).
    - ``share`` = reached / cases_total (all cases of the series, mapped or not), and
      ``step_conversion`` = reached(k) / reached(k−1) (for the first step, / cases_total),
      each with a 95% Wilson interval (``share_low/high``, ``conversion_low/high``).
    - ``time_median_s``, ``time_p90_s``: seconds from the case's first event (any activity) to
      its first event at step k, over the ``n_time`` cases that visited k; linear-interpolated
      quantiles (DuckDB ``quantile_cont``, Spark ``percentile``); times truncated to the second.

    ``by`` and ``change`` as in :func:`cjm.reach`.

    Usage: ``cjm.funnel(journey, events, by="channel")``
    """
    order_col = TP_ORDER if level == "touchpoint" else STAGE_ORDER
    steps = places(journey, level)
    check(journey, events, by, change)
    if _duck.applies(events):
        times, furthest = _duck_queries.funnel_counts(journey, events, by, change, level)
    else:
        times, furthest = _engine_counts(journey, events, by, change, order_col)
    out = []
    for series in series_of(furthest, by):
        far = furthest[furthest[SERIES] == series]
        total = int(far["n"].sum())
        hist = np.zeros(len(steps), dtype=np.int64)
        for pos, n in zip(far["_far"], far["n"], strict=True):
            if pos == pos and pos is not None:
                hist[int(pos)] += int(n)
        reached = np.cumsum(hist[::-1])[::-1]
        part = steps.assign(**{SERIES: series})
        got = times[times[SERIES] == series].set_index(order_col)
        part["cases_total"] = total
        part["visited"] = part["order"].map(got["visited"]).fillna(0).astype("int64")
        part["reached"] = reached
        part["left_after"] = hist
        before = np.concatenate([[total], reached[:-1]])
        part["share"] = reached / total if total else np.nan
        part["share_low"], part["share_high"] = wilson(reached, np.full(len(steps), total))
        with np.errstate(invalid="ignore", divide="ignore"):
            part["step_conversion"] = np.where(before > 0, reached / np.maximum(before, 1), np.nan)
        part["conversion_low"], part["conversion_high"] = wilson(reached, before)
        part["n_time"] = part["visited"]
        part["time_median_s"] = part["order"].map(got["time_median_s"]).astype("float64")
        part["time_p90_s"] = part["order"].map(got["time_p90_s"]).astype("float64")
        out.append(part)
    frame = pd.concat(out, ignore_index=True)
    frame.attrs.update({"by": by, "level": level})
    return frame
