"""The behaviour analyses on embedded DuckDB as plain SQL through the log's one connection.

Why: on a log of 10⁵ events the Ibis path spends most of each call building and compiling
its expression (≈45 ms of ≈50 ms for ``flows``), and on 10⁸ events every analysis re-read
and re-sorted the whole log. Here the mapped log is put in order **once** per
(log, mapping, ``by``, ``change``) into a DuckDB temporary table — one window pass over each
case's events — and reach, funnel, flows and variants are small aggregates over that table.
Other engines (Spark, …) keep the Ibis path; ``tests/test_events_spark.py`` checks that
both give the same results.

The prepared table has one row per usable event (duplicates included, flagged):

- ``case``, ``sec`` (whole seconds since the epoch, truncated), ``pos`` (place in the case's
  order), ``tp_order`` / ``stage_order`` (journey order of the event's touchpoint and stage,
  null for unmapped activities) and ``series``;
- ``prev_tp`` / ``prev_stage`` / ``prev_sec``: the previous *mapped* event of the case;
- ``dup``: the event repeats the one before it in every column (``duplicates="drop"``);
  such a row counts nowhere. Dropping it loses nothing: the row after it sees the same
  previous place and time as it would have without it.

Mapped and unmapped events of a case are ordered separately (the window is partitioned by
case and by "mapped or not"), mapped ones by time, journey order, activity name — the order
of the Ibis path — then by channel and segments so that identical rows are neighbours.

Usage: ``frame = flows_counts(journey, events, by=None, change=None, level="touchpoint")``
"""

from __future__ import annotations

import threading
from typing import Any

import pandas as pd

from cjm_widgets.events.log import ACTIVITY, CASE, CHANNEL, TIME

__all__ = ["applies", "flows_counts", "funnel_counts", "reach_counts", "variants_counts"]

#: Prepared tables kept per log (the oldest is dropped beyond this; each is a copy of the log).
KEEP = 2
_lock = threading.Lock()


def applies(events: Any) -> bool:
    """True when the log runs on DuckDB (its analyses then go through this module)."""
    return getattr(events.backend, "name", None) == "duckdb" and hasattr(events, "_all_view")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lookup(journey: Any, events: Any) -> tuple[tuple[Any, ...], ...]:
    """(activity, name rank, touchpoint order, stage order) for every activity of the log."""
    order: dict[str, tuple[int, int]] = {}
    for s_order, stage in enumerate(journey.stages):
        for tp in stage.touchpoints:
            order[tp.id] = (len(order), s_order)
    rows = []
    for rank, (act, tp) in enumerate(sorted(events.mapping.items())):
        tp_o, st_o = order.get(tp, (None, None)) if tp is not None else (None, None)
        rows.append((act, rank, tp_o, st_o))
    return tuple(rows)


def _lookup_frame(rows: tuple[tuple[Any, ...], ...]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=[ACTIVITY, "act_rank", "tp_order", "stage_order"])
    return frame.astype({"act_rank": "int64", "tp_order": "Int64", "stage_order": "Int64"})


def _series_sql(events: Any, by: str | None, change: Any) -> str:
    from cjm_widgets.analysis.behaviour._base import MISSING, PERIOD

    if by is None:
        return "'all'"
    case = _q(CASE)
    if by == PERIOD:
        at = pd.Timestamp(change)
        at = at.tz_localize("UTC") if at.tzinfo is None else at.tz_convert("UTC")
        stamp = at.strftime("%Y-%m-%d %H:%M:%S.%f")
        return (
            f"CASE WHEN min({_q(TIME)}) OVER (PARTITION BY {case}) < "
            f"TIMESTAMPTZ '{stamp}+00' THEN 'before' ELSE 'after' END"
        )
    col = _q(by)
    missing = MISSING.replace("'", "''")
    return (
        f"coalesce(first_value({col}) OVER (PARTITION BY {case} ORDER BY {_q(TIME)}, "
        f"{col} NULLS LAST), '{missing}')"
    )


def prepared_table(journey: Any, events: Any, by: str | None, change: Any) -> str:
    """Name of the ordered, mapped log (made once per mapping, ``by`` and ``change``)."""
    lookup = _lookup(journey, events)
    key = (lookup, by, str(change))
    cache: dict[Any, str] = events._lazy.setdefault("duck_prepared", {})
    with _lock:
        if key in cache:
            return cache[key]
        con = events.backend.con
        from cjm_widgets.events._source import _temp_name

        name, lk = _temp_name(), _temp_name()
        extra = [c for c in (CHANNEL, *events.segments)]
        dup_cols = [TIME, "act_rank", *extra]
        win = (
            f"PARTITION BY {_q(CASE)}, tp_order IS NULL ORDER BY {_q(TIME)}, tp_order, act_rank, "
            + ", ".join(_q(c) for c in extra)
        )
        if events._options["duplicates"] == "drop":
            same = " AND ".join(
                f"lag({_q(c)}) OVER w IS NOT DISTINCT FROM {_q(c)}" for c in dup_cols
            )
            dup = f"coalesce(row_number() OVER w > 1 AND {same}, false)"
        else:
            dup = "false"
        con.register(lk, _lookup_frame(lookup))
        try:
            con.execute(
                f"""
                CREATE TEMP TABLE {_q(name)} AS
                SELECT {_q(CASE)}, CAST(floor(epoch({_q(TIME)})) AS BIGINT) AS sec,
                       row_number() OVER w AS pos, tp_order, stage_order,
                       {_series_sql(events, by, change)} AS series,
                       CASE WHEN tp_order IS NOT NULL THEN lag(tp_order) OVER w END AS prev_tp,
                       CASE WHEN tp_order IS NOT NULL THEN lag(stage_order) OVER w END
                         AS prev_stage,
                       CASE WHEN tp_order IS NOT NULL
                         THEN CAST(floor(epoch(lag({_q(TIME)}) OVER w)) AS BIGINT) END
                         AS prev_sec,
                       {dup} AS dup
                FROM {_q(events._all_view)} e LEFT JOIN {_q(lk)} l USING ({_q(ACTIVITY)})
                WINDOW w AS ({win})
                """
            )
        finally:
            con.unregister(lk)
        cache[key] = name
        while len(cache) > KEEP:
            old = next(iter(cache))
            con.execute(f"DROP TABLE IF EXISTS {_q(cache.pop(old))}")
        return name


def _df(events: Any, sql: str) -> pd.DataFrame:
    return events.backend.con.execute(sql).fetch_df()


def _cols(level: str) -> tuple[str, str]:
    return ("tp_order", "prev_tp") if level == "touchpoint" else ("stage_order", "prev_stage")


def _ids(journey: Any, level: str) -> list[str]:
    if level == "touchpoint":
        return [tp.id for st in journey.stages for tp in st.touchpoints]
    return [st.id for st in journey.stages]


def reach_counts(
    journey: Any, events: Any, by: str | None, change: Any, level: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per series × place: events, cases; per series: cases_total, unmapped)."""
    from cjm_widgets.analysis.behaviour._base import SERIES, STAGE, TP

    p = _q(prepared_table(journey, events, by, change))
    col, _ = _cols(level)
    key = TP if level == "touchpoint" else STAGE
    counts = _df(
        events,
        f"SELECT series, {col} AS o, count(*) AS events, count(DISTINCT {_q(CASE)}) AS cases "
        f"FROM {p} WHERE {col} IS NOT NULL AND NOT dup GROUP BY ALL",
    )
    ids = _ids(journey, level)
    counts[key] = [ids[int(o)] for o in counts["o"]]
    totals = _df(
        events,
        f"SELECT series, count(DISTINCT {_q(CASE)}) AS cases_total, "
        f"count(*) FILTER (WHERE tp_order IS NULL AND NOT dup) AS unmapped FROM {p} "
        "GROUP BY ALL",
    )
    return counts.rename(columns={"series": SERIES}), totals.rename(columns={"series": SERIES})


def funnel_counts(
    journey: Any, events: Any, by: str | None, change: Any, level: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per series × step: visited, time_median_s, time_p90_s; per series × furthest: n)."""
    p = _q(prepared_table(journey, events, by, change))
    col, _ = _cols(level)
    case = _q(CASE)
    both = _df(
        events,
        f"""
        WITH starts AS (
          SELECT {case}, series, min(sec) AS s0, max({col}) AS far FROM {p} GROUP BY ALL),
        firsts AS (
          SELECT {case}, {col} AS o, min(sec) AS at FROM {p} WHERE {col} IS NOT NULL
          GROUP BY ALL),
        timed AS (
          SELECT s.series, f.o, count(*) AS visited,
                 quantile_cont(f.at - s.s0, 0.5) AS time_median_s,
                 quantile_cont(f.at - s.s0, 0.9) AS time_p90_s
          FROM firsts f JOIN starts s USING ({case}) GROUP BY ALL)
        SELECT 't' AS part, series, o, visited, time_median_s, time_p90_s, NULL AS n
        FROM timed
        UNION ALL
        SELECT 'f', series, far, NULL, NULL, NULL, count(*) FROM starts GROUP BY ALL
        """,
    )
    times = both[both["part"] == "t"].rename(columns={"o": col})
    furthest = both[both["part"] == "f"].rename(columns={"o": "_far"})
    times = times.drop(columns=["part", "n"]).reset_index(drop=True)
    furthest = furthest[["series", "_far", "n"]].reset_index(drop=True)
    # cases with no mapped event have no furthest step: NaN, as the Ibis path gives
    furthest["_far"] = pd.to_numeric(furthest["_far"]).astype("float64")
    return times, furthest


def flows_counts(
    journey: Any, events: Any, by: str | None, change: Any, level: str
) -> pd.DataFrame:
    """Per series × (place, next place): count, cases, median_s (ids as in the Ibis path)."""
    p = _q(prepared_table(journey, events, by, change))
    col, prev = _cols(level)
    got = _df(
        events,
        f"SELECT series, {prev} AS a, {col} AS b, count(*) AS count, "
        f"count(DISTINCT {_q(CASE)}) AS cases, quantile_cont(sec - prev_sec, 0.5) AS median_s "
        f"FROM {p} WHERE {prev} IS NOT NULL AND NOT dup GROUP BY ALL",
    )
    ids = _ids(journey, level)
    got["_place"] = [ids[int(o)] for o in got["a"]]
    got["_next"] = [ids[int(o)] for o in got["b"]]
    return got.drop(columns=["a", "b"])


def variants_counts(
    journey: Any, events: Any, by: str | None, change: Any, level: str
) -> pd.DataFrame:
    """Per series × path: cases, steps, median_duration_s; ``path_ids`` a tuple of ids."""
    p = _q(prepared_table(journey, events, by, change))
    col, _ = _cols(level)
    got = _df(
        events,
        f"""
        WITH per_case AS (
          SELECT series, {_q(CASE)}, string_agg(CAST({col} AS VARCHAR), ',' ORDER BY pos)
                   AS path, count(*) AS steps, max(sec) - min(sec) AS dur
          FROM {p} WHERE {col} IS NOT NULL AND NOT dup GROUP BY ALL)
        SELECT series, path, count(*) AS cases, max(steps) AS steps,
               quantile_cont(dur, 0.5) AS median_duration_s
        FROM per_case GROUP BY ALL
        """,
    )
    ids = _ids(journey, level)
    got["path_ids"] = [tuple(ids[int(o)] for o in path.split(",")) for path in got["path"]]
    return got.drop(columns=["path"])
