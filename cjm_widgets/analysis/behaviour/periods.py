"""Before vs after a change: reach and time-to-reach per touchpoint (or stage), with the same
statistics as :func:`cjm.compare` (Welch's t-test, 95% CI of the difference, Hedges' g).

Usage: ``cjm.compare_periods(journey, events, change="2011-06-01")``
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cjm_widgets.analysis._stats import welch
from cjm_widgets.analysis.behaviour import _duck, _duck_queries
from cjm_widgets.analysis.behaviour._base import (
    PERIOD,
    SERIES,
    STAGE_ORDER,
    TP_ORDER,
    Change,
    check,
    first_times,
    places,
    prepared,
    to_frame,
)
from cjm_widgets.events.errors import EventsError

if TYPE_CHECKING:
    from cjm_widgets.events.log import Events
    from cjm_widgets.model.journey import Journey

__all__ = ["compare_periods"]


def _engine_counts(
    journey: Journey, events: Events, change: Change, level: str
) -> tuple[pd.DataFrame, pd.Series]:
    """(per period × place: n, mean, sd of the seconds to get there; cases per period) on any
    engine through Ibis (the path Spark takes)."""
    t = prepared(journey, events, by=PERIOD, change=change)
    order = TP_ORDER if level == "touchpoint" else STAGE_ORDER
    starts, firsts = first_times(t, order)
    got = to_frame(
        firsts.group_by([SERIES, order]).aggregate(
            n=firsts.count(), mean=firsts._secs.mean(), sd=firsts._secs.std()
        )
    )
    totals = to_frame(starts.group_by(SERIES).aggregate(n=starts.count())).set_index(SERIES)["n"]
    return got, totals


def compare_periods(
    journey: Journey,
    events: Events,
    *,
    change: Change,
    measure: str = "reach",
    level: str = "touchpoint",
    min_n: int = 5,
) -> pd.DataFrame:
    """Per touchpoint (or stage): cases that started after ``change`` (b) against those that
    started before (a), by the case's first event.

    - ``measure="reach"``: each case is 1 if it has an event at the place, else 0; the mean is
      the share of cases reaching it (n = all cases of the period) and sd = √(p(1−p)·n/(n−1)),
      the sample sd of those 0/1 values — so the test is :func:`cjm.compare`'s Welch test on
      them.
    - ``measure="time"``: seconds from the case's first event to its first event at the place,
      over the cases that got there (mean and sample sd computed in the engine).

    Columns as :func:`cjm.compare`: ``n_a, mean_a, sd_a, n_b, mean_b, sd_b, diff, ci_low,
    ci_high, t, df, p, hedges_g, supported`` (a = before, b = after).

    Usage: ``cjm.compare_periods(journey, events, change="2011-06-01", measure="time")``
    """
    if measure not in ("reach", "time"):
        raise EventsError(f"measure= is 'reach' or 'time', not {measure!r}.")
    check(journey, events, PERIOD, change)
    order = TP_ORDER if level == "touchpoint" else STAGE_ORDER
    frame = places(journey, level)
    if _duck.applies(events):
        got, totals = _duck_queries.period_counts(journey, events, change, level)
    else:
        got, totals = _engine_counts(journey, events, change, level)
    cols = {}
    for side, label in (("a", "before"), ("b", "after")):
        part = got[got[SERIES] == label].set_index(order)
        if measure == "reach":
            n = float(totals.get(label, 0))
            k = frame["order"].map(part["n"]).fillna(0).to_numpy(dtype=float)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = k / n if n else np.full(len(k), np.nan)
                sd = np.sqrt(mean * (1 - mean) * n / (n - 1)) if n > 1 else np.full(len(k), np.nan)
            cols[side] = (np.full(len(k), n), mean, sd)
        else:
            n = frame["order"].map(part["n"]).fillna(0).to_numpy(dtype=float)
            mean = frame["order"].map(part["mean"]).to_numpy(dtype=float)
            sd = frame["order"].map(part["sd"]).to_numpy(dtype=float)
            cols[side] = (n, mean, sd)
    table = welch(*cols["a"], *cols["b"], min_n=min_n)
    for col in ("n_a", "n_b"):
        table[col] = table[col].astype("int64")
    out = pd.concat([frame.reset_index(drop=True), table], axis=1)
    out.attrs.update(
        {"by": "period", "a": "before", "b": "after", "change": str(change), "measure": measure}
    )
    return out
