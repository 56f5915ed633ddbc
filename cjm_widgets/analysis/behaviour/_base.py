"""What every behaviour analysis shares: the mapped event table on its engine (touchpoint and
stage order from the journey, a series per case), Wilson intervals, and the frame of places.

Usage: ``t = prepared(journey, events, by="channel")``
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import special

from cjm_widgets.events.errors import EventsError
from cjm_widgets.events.log import ACTIVITY, CASE, CHANNEL, TIME

if TYPE_CHECKING:
    from cjm_widgets.events.log import Events
    from cjm_widgets.model.journey import Journey

__all__ = [
    "MISSING",
    "PERIOD",
    "Change",
    "check",
    "places",
    "prepared",
    "seconds",
    "to_frame",
    "wilson",
]

#: A date of change (``by="period"``): text such as "2024-03-01", a date or a timestamp.
Change = str | date | None
#: Series label of cases whose ``by`` value is missing.
MISSING = "(missing)"
#: ``by=PERIOD`` splits cases by their first event: before or after ``change``.
PERIOD = "period"
SERIES = "series"
#: Columns added to the mapped table.
TP, TP_ORDER, STAGE, STAGE_ORDER = "touchpoint_id", "tp_order", "stage_id", "stage_order"


def places(journey: Journey, level: str) -> pd.DataFrame:
    """One row per touchpoint (``level="touchpoint"``) or stage, in journey order:
    ``stage_id, stage, touchpoint_id, touchpoint, order`` (touchpoint columns empty for stages).
    """
    if level not in ("touchpoint", "stage"):
        raise EventsError(f"level= is 'touchpoint' or 'stage', not {level!r}.")
    rows: list[tuple[str, str, str | None, str | None, int]] = []
    for s_order, stage in enumerate(journey.stages):
        if level == "stage":
            rows.append((stage.id, stage.name, None, None, s_order))
            continue
        for tp in stage.touchpoints:
            rows.append((stage.id, stage.name, tp.id, tp.name, len(rows)))
    cols = ["stage_id", "stage", "touchpoint_id", "touchpoint", "order"]
    return pd.DataFrame(rows, columns=cols)


def _touchpoint_table(journey: Journey, events: Events) -> pd.DataFrame:
    order: dict[str, tuple[str, int, int]] = {}
    for s_order, stage in enumerate(journey.stages):
        for tp in stage.touchpoints:
            order[tp.id] = (stage.id, s_order, len(order))
    rows = [
        (act, tp, *order[tp])
        for act, tp in sorted((events.mapping or {}).items())
        if tp is not None and tp in order
    ]
    return pd.DataFrame(rows, columns=[ACTIVITY, TP, STAGE, STAGE_ORDER, TP_ORDER])


def check(journey: Journey, events: Events, by: str | None, change: Change) -> None:
    """Raise :class:`EventsError` unless the log is mapped and ``by`` / ``change`` make sense."""
    if getattr(events, "mapping", None) is None:
        raise EventsError(
            "The event log is not mapped to the journey: call "
            "events = events.map_to(journey, {activity: touchpoint, ...}) first."
        )
    if by is None:
        return
    if by == PERIOD:
        if change is None:
            raise EventsError("by='period' needs change=... (the date of the change).")
        try:
            pd.Timestamp(change)
        except (TypeError, ValueError) as err:
            raise EventsError(f"change={change!r} is not a date: {err}") from err
        return
    allowed = [CHANNEL, *events.segments]
    if by not in allowed or (by == CHANNEL and events.columns.get("channel") is None):
        have = [c for c in allowed if c != CHANNEL or events.columns.get("channel")]
        raise EventsError(
            f"by={by!r} is not a column of the event log. Use one of {[*have, PERIOD]} "
            "(segments are named when the log is read: cjm.Events(..., segments=[...]))."
        )


def prepared(
    journey: Journey, events: Events, *, by: str | None = None, change: Change = None
) -> Any:
    """The mapped log as a lazy Ibis table: the event columns plus ``touchpoint_id, stage_id,
    tp_order, stage_order`` (null for unmapped activities) and ``series``.

    ``series`` is a property of the case: its ``by`` value at its first event (the smallest
    value when several events share that first time), "(missing)" for nulls; with
    ``by="period"``, "before" or "after" as the case's first event is before ``change`` or not;
    "all" without ``by``.
    """
    import ibis

    check(journey, events, by, change)
    t = events.table
    tps = _touchpoint_table(journey, events)
    lookup = (
        ibis.memtable(tps)
        if len(tps)
        else ibis.memtable(
            tps.astype(
                {ACTIVITY: str, TP: str, STAGE: str, STAGE_ORDER: "int64", TP_ORDER: "int64"}
            )
        )
    )
    t = t.left_join(lookup, ACTIVITY)
    if f"{ACTIVITY}_right" in t.columns:
        t = t.drop(f"{ACTIVITY}_right")
    if by is None:
        return t.mutate(**{SERIES: ibis.literal("all")})
    starts = t.group_by(CASE).aggregate(_start=t[TIME].min())
    if by == PERIOD:
        at = pd.Timestamp(change)
        at = at.tz_localize("UTC") if at.tzinfo is None else at.tz_convert("UTC")
        label = ibis.ifelse(starts._start < ibis.timestamp(at), "before", "after")
        series = starts.select(CASE, **{SERIES: label})
    else:
        first = t.join(starts, CASE).filter(lambda r: r[TIME] == r._start)
        series = first.group_by(CASE).aggregate(**{SERIES: first[by].min()})
        series = series.mutate(**{SERIES: series[SERIES].fill_null(MISSING)})
    return t.join(series, CASE)


def first_times(t: Any, order_col: str) -> tuple[Any, Any]:
    """``(starts, timed)`` of a prepared table (the Ibis path of funnel and compare_periods):
    per case its series, first event (``_start``, any activity) and furthest place
    (``_far``); per case and place its first event there and ``_secs`` = whole seconds from
    the case's first event to it."""
    starts = t.group_by([CASE, SERIES]).aggregate(_start=t[TIME].min(), _far=t[order_col].max())
    mapped = t.filter(t[order_col].notnull())
    firsts = mapped.group_by([CASE, order_col]).aggregate(_at=mapped[TIME].min())
    timed = firsts.join(starts, CASE)
    return starts, timed.mutate(_secs=seconds(timed._at) - seconds(timed._start))


def seconds(value: Any) -> Any:
    """Whole seconds since the epoch of a timestamp expression (truncated: the same on every
    engine)."""
    return value.epoch_seconds().floor().cast("int64")


def wilson(k: Any, n: Any, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of the proportion k/n: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) /
    (1 + z²/n), z = Φ⁻¹((1+level)/2). NaN where n = 0; always inside [0, 1]."""
    k = np.asarray(k, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    z = special.ndtri(0.5 + level / 2)  # = scipy.stats.norm.ppf, without its import
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    low[n == 0] = np.nan
    high[n == 0] = np.nan
    return low, high


def to_frame(expr: Any) -> pd.DataFrame:
    """Run an Ibis expression on its engine and return the (small) result as pandas."""
    return expr.to_pandas()


def series_of(frame: pd.DataFrame, by: str | None) -> list[str]:
    """Series labels in a stable order: "before" then "after" for periods, else sorted."""
    values = sorted({str(v) for v in frame[SERIES].dropna()})
    if by == PERIOD:
        return [v for v in ("before", "after") if v in values]
    return values or ["all"]
