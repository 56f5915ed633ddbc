"""Reach: how many cases (and events) get to each touchpoint or stage.

Usage: ``cjm.reach(journey, events, by="channel")``
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cjm_widgets.analysis.behaviour import _duck, _duck_queries
from cjm_widgets.analysis.behaviour._base import (
    SERIES,
    STAGE,
    TP,
    Change,
    check,
    places,
    prepared,
    series_of,
    to_frame,
    wilson,
)
from cjm_widgets.events.log import CASE

if TYPE_CHECKING:
    from cjm_widgets.events.log import Events
    from cjm_widgets.model.journey import Journey

__all__ = ["reach"]


def reach(
    journey: Journey,
    events: Events,
    *,
    by: str | None = None,
    level: str = "touchpoint",
    change: Change = None,
) -> pd.DataFrame:
    """Cases and events per touchpoint (or stage) and series, in journey order.

    Computed in the engine (one grouped count per place and series, one per series):

    - ``events``: events mapped to the place.
    - ``cases``: distinct cases with at least one event there.
    - ``cases_total``: distinct cases of the series in the whole log (mapped or not).
    - ``share`` = cases / cases_total, with ``ci_low, ci_high`` its 95% Wilson interval.

    Every place of the journey is listed, also those no event reaches (0). ``by`` is
    ``"channel"``, a segment column, or ``"period"`` with ``change=`` (a date: cases are
    "before" or "after" by their first event); a case's series is its value at its first event.
    ``attrs["unmapped_events"]`` counts the events on no touchpoint.

    Usage: ``cjm.reach(journey, events, by="channel")``
    """
    key = TP if level == "touchpoint" else STAGE
    frame_places = places(journey, level)
    check(journey, events, by, change)
    if _duck.applies(events):
        counts, totals = _duck_queries.reach_counts(journey, events, by, change, level)
    else:
        t = prepared(journey, events, by=by, change=change)
        mapped = t.filter(t[key].notnull())
        counts = to_frame(
            mapped.group_by([SERIES, key]).aggregate(
                events=mapped.count(), cases=mapped[CASE].nunique()
            )
        )
        totals = to_frame(
            t.group_by(SERIES).aggregate(
                cases_total=t[CASE].nunique(), unmapped=t[TP].isnull().sum()
            )
        )
    out = []
    for series in series_of(totals, by):
        part = frame_places.assign(**{SERIES: series})
        got = counts[counts[SERIES] == series].set_index(key)
        col = "touchpoint_id" if level == "touchpoint" else "stage_id"
        part["events"] = part[col].map(got["events"]).fillna(0).astype("int64")
        part["cases"] = part[col].map(got["cases"]).fillna(0).astype("int64")
        part["cases_total"] = int(totals.loc[totals[SERIES] == series, "cases_total"].iloc[0])
        out.append(part)
    frame = pd.concat(out, ignore_index=True)
    frame["share"] = frame["cases"] / frame["cases_total"]
    frame["ci_low"], frame["ci_high"] = wilson(frame["cases"], frame["cases_total"])
    frame.attrs.update({"by": by, "level": level, "unmapped_events": int(totals["unmapped"].sum())})
    return frame
