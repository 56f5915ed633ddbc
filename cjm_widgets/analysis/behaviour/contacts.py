"""Contacts per channel: repeat contacts (the same case on the same channel again within N days)
and channel switches.

Usage: ``cjm.contacts(journey, events, within_days=7)``
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cjm_widgets.analysis.behaviour import _duck, _duck_queries
from cjm_widgets.analysis.behaviour._base import (
    MISSING,
    SERIES,
    TP,
    TP_ORDER,
    Change,
    check,
    prepared,
    seconds,
    series_of,
    to_frame,
    wilson,
)
from cjm_widgets.events.errors import EventsError
from cjm_widgets.events.log import ACTIVITY, CASE, CHANNEL, TIME

if TYPE_CHECKING:
    from cjm_widgets.events.log import Events
    from cjm_widgets.model.journey import Journey

__all__ = ["contacts"]


def _engine_counts(
    journey: Journey, events: Events, by: str | None, change: Change, limit: int
) -> pd.DataFrame:
    """Per series × channel on any engine through Ibis (the path Spark takes)."""
    import ibis

    t = prepared(journey, events, by=by, change=change)
    if events.columns.get("channel"):
        chan = t[CHANNEL].fill_null(MISSING)
    else:
        lookup = pd.DataFrame(
            [(tp.id, tp.channel or MISSING) for tp in journey.touchpoints],
            columns=[TP, "_tp_channel"],
        )
        t = t.filter(t[TP].notnull()).left_join(ibis.memtable(lookup), TP)
        if f"{TP}_right" in t.columns:
            t = t.drop(f"{TP}_right")
        chan = t["_tp_channel"].fill_null(MISSING)
    t = t.mutate(_chan=chan, _sec=seconds(t[TIME]))
    # the channel last: events at one time, place and activity on two channels (a
    # duplicate but for its channel) are ordered the same on every engine
    order = [t[TIME], t[TP_ORDER], t[ACTIVITY], t._chan]
    same = ibis.window(group_by=[t[CASE], t._chan], order_by=order)
    case_w = ibis.window(group_by=t[CASE], order_by=order)
    t = t.mutate(_prev_same=t._sec.lag().over(same), _prev_chan=t._chan.lag().over(case_w))
    t = t.mutate(
        _repeat=(t._prev_same.notnull() & ((t._sec - t._prev_same) <= limit)).cast("int64"),
        _switch=(t._prev_chan.notnull() & (t._prev_chan != t._chan)).cast("int64"),
    )
    per_case = t.group_by([SERIES, "_chan", CASE]).aggregate(
        contacts=t.count(), repeats=t._repeat.sum(), switches_in=t._switch.sum()
    )
    got = to_frame(
        per_case.group_by([SERIES, "_chan"]).aggregate(
            contacts=per_case.contacts.sum(),
            cases=per_case.count(),
            repeats=per_case.repeats.sum(),
            cases_repeating=(per_case.repeats > 0).cast("int64").sum(),
            switches_in=per_case.switches_in.sum(),
        )
    )
    sw = t.filter(t._switch == 1)
    outs = to_frame(sw.group_by([SERIES, "_prev_chan"]).aggregate(switches_out=sw.count()))
    return got.merge(outs.rename(columns={"_prev_chan": "_chan"}), on=[SERIES, "_chan"], how="left")


def contacts(
    journey: Journey,
    events: Events,
    *,
    within_days: float = 7,
    by: str | None = None,
    change: Change = None,
) -> pd.DataFrame:
    """Per channel (and series): contacts, repeat contacts within ``within_days`` and channel
    switches.

    The channel of an event is the log's channel column when it has one, else the channel of
    the touchpoint its activity maps to (events of unmapped activities then have none and are
    left out). Missing channels count as "(missing)". Computed in the engine with window
    functions over each case's events (ordered by time, journey order, activity):

    - ``contacts``: events on the channel; ``cases``: distinct cases using it.
    - ``repeats``: contacts whose previous contact of the same case on the same channel was at
      most ``within_days`` days earlier (whole seconds); ``repeat_share`` = repeats / contacts
      with its 95% Wilson interval; ``cases_repeating``: cases with at least one repeat.
    - ``switches_in`` / ``switches_out``: consecutive events of a case whose channel differs,
      counted at the channel switched to / from.

    Usage: ``cjm.contacts(journey, events, within_days=14, by="period", change="2024-03-01")``
    """
    if not within_days > 0:
        raise EventsError(f"within_days= must be a positive number of days, not {within_days!r}.")
    check(journey, events, by, change)
    limit = round(float(within_days) * 86400)
    if _duck.applies(events):
        got = _duck_queries.contacts_counts(journey, events, by, change, limit)
        got = got.rename(columns={"series": SERIES, "chan": "_chan"})
    else:
        got = _engine_counts(journey, events, by, change, limit)
    frame = pd.DataFrame(
        {
            SERIES: got[SERIES].astype(str),
            "channel": got["_chan"].astype(str),
            "contacts": got["contacts"].astype("int64"),
            "cases": got["cases"].astype("int64"),
            "repeats": got["repeats"].astype("int64"),
            "cases_repeating": got["cases_repeating"].astype("int64"),
            "switches_in": got["switches_in"].astype("int64"),
            "switches_out": got["switches_out"].fillna(0).astype("int64"),
        }
    )
    frame["repeat_share"] = frame["repeats"] / frame["contacts"]
    frame["ci_low"], frame["ci_high"] = wilson(frame["repeats"], frame["contacts"])
    rank = {s: i for i, s in enumerate(series_of(frame, by))}
    frame["_r"] = frame[SERIES].map(rank)
    frame = frame.sort_values(["_r", "contacts", "channel"], ascending=[True, False, True])
    frame = frame.drop(columns="_r").reset_index(drop=True)
    frame.attrs.update({"by": by, "within_days": within_days})
    return frame
