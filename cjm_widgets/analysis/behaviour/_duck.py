"""The compact tables the behaviour analyses share on embedded DuckDB, made once per log and
mapping (and ``by`` / ``change``) through the log's one connection.

Why: on 10⁸ events, the earlier design ordered the whole log (text case ids, text series)
into one table per call; it ran out of memory at a 3 GB DuckDB limit, and its median of the
transition times, fed straight from the window, spent most of the time spilling. Here:

- ``cases``: the case ids as integers (a dictionary: one row per distinct case, made once per
  log). Every later step partitions, joins and groups by that 4-byte ``cid``, not by text.
- ``codes``: each activity as small integers before any window: its rank by name, the
  journey order of its touchpoint (``tp``) and stage (``st``), null when unmapped; the
  channel and segment columns as integer codes too (a dictionary per column, per log).
- ``W`` (*steps*): one window pass over the **mapped** events, partitioned by ``cid`` over a
  projection of only the needed columns, ordered by time, journey order, activity (then
  channel and segments so identical rows are neighbours). Per event it keeps integers only
  (about 19 bytes): ``cid, tp``, ``sec`` (whole seconds since the log's first second,
  truncated; 4 bytes when the log spans under 136 years), ``pos`` (place in the case's
  order), ``prev_tp`` and ``d`` (the previous mapped event's touchpoint and the seconds
  since it) and ``dup`` (the row repeats the one before it in every column; with
  ``duplicates="drop"`` it counts nowhere — the row after it sees the same previous place
  and time as without it). Stage orders are looked up from ``tp`` (:attr:`Tables.stages`),
  not stored. Flows and variants are small aggregates of it.
- ``K`` (*per case and place*): one row per case and touchpoint it visited (its events and
  first time), plus one row per case for its unmapped events; ``C`` (*per case*): series,
  first event (any activity, ``s0``) and furthest touchpoint (``far_tp``; the furthest
  stage is its stage). Both are grouped in slices of case ids (:func:`slices`) and made
  only when reach, funnel or ``compare_periods`` asks; those are aggregates of these two.
- ``M`` (*per case, masks*): for journeys of at most :data:`MASK_PLACES` touchpoints, one
  grouping of ``W`` (and the unmapped events) by case gives what reach and the stage funnel
  need without ``K``: the case's first event (``s0``), furthest touchpoint, the touchpoints it
  visited as the bits of one 64-bit integer (``seen``), its unmapped events and its first time
  in each stage (``f0, f1, …``). On 10⁸ events reach + funnel took 29 s from ``K`` and ``C``
  (a 74M-row table, then a join of 30M rows per stage with 10M cases), 10 s from ``M``.
- ``S`` (*series*, only with ``by``): the case's series (its ``by`` value at its first event,
  or before / after ``change``), joined in before the window.

All are temporary tables of the log's connection (DuckDB spills them to its temporary folder
beyond its memory limit) and cached on the log keyed by the mapping, so reach, funnel and
flows in one session share them. Other engines (Spark, …) keep the Ibis path;
``tests/test_events_duckdb_sql.py`` and ``tests/test_events_spark.py`` check that both give
the same results.

Usage: ``tables = prepared_tables(journey, events, by=None, change=None)``
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from cjm_widgets.events.log import ACTIVITY, CASE, CHANNEL, TIME

if TYPE_CHECKING:
    from cjm_widgets.events.log import Events
    from cjm_widgets.model.journey import Journey

__all__ = ["Tables", "applies", "prepared_tables", "q", "run", "slices"]

#: Mappings (with ``by`` / ``change``) whose tables are kept per log; the oldest are dropped.
KEEP = 2
#: Journeys with at most this many touchpoints get the per-case mask table ``M``.
MASK_PLACES = 63
#: Steps per slice of case ids when grouping by case (see :func:`slices`).
SLICE_ROWS = 20_000_000
_lock = threading.RLock()


@dataclass(frozen=True)
class Tables:
    """Names of the prepared temporary tables of one (log, mapping, by, change)."""

    steps: str  # W: mapped events in each case's order, integers only
    per_place: str  # K: per case and touchpoint (tp null: its unmapped events)
    per_case: str  # C: per case: series, s0, far_tp
    codes: str  # activity -> act_rank, tp, st
    cases: str  # case -> cid
    series: bool  # whether the tables carry a ``series`` column (by given)
    stages: str  # SQL list: the stage order of each touchpoint order (``stages[tp + 1]``)
    series_table: str | None  # S: cid -> series (by given)
    all_mapped: bool  # every activity of the log is on a touchpoint
    masks: str  # M: per case: series, s0, far_tp, seen, unmapped, f0, f1, … (first per stage)
    n_stages: int  # stage orders 0 … n_stages - 1 the touchpoints are on
    maskable: bool  # the journey's touchpoints fit the bits of ``seen`` (MASK_PLACES)


def applies(events: Events) -> bool:
    """True when the log runs on DuckDB (its analyses then go through this module)."""
    return getattr(events.backend, "name", None) == "duckdb" and hasattr(events, "_all_view")


def q(name: str) -> str:
    """``name`` quoted as a SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def run(events: Events, sql: str) -> pd.DataFrame:
    """Run ``sql`` on the log's connection and return the (small) result as pandas."""
    return events.backend.con.execute(sql).fetch_df()


def _lookup(journey: Journey, events: Events) -> tuple[tuple[Any, ...], ...]:
    """(activity, name rank, touchpoint order, stage order) for every activity of the log."""
    order: dict[str, tuple[int, int]] = {}
    for s_order, stage in enumerate(journey.stages):
        for touchpoint in stage.touchpoints:
            order[touchpoint.id] = (len(order), s_order)
    rows = []
    for rank, (act, tp) in enumerate(sorted((events.mapping or {}).items())):
        place = order.get(tp) if tp is not None else None
        rows.append((act, rank, *(place or (None, None))))
    return tuple(rows)


def _cases(events: Events) -> str:
    """The case dictionary of the log (made once): ``case -> cid`` (0, 1, …)."""
    from cjm_widgets.events._source import _temp_name

    name = events._lazy.get("duck_cases")
    if name is None:
        name = _temp_name()
        events.backend.con.execute(
            f"CREATE TEMP TABLE {q(name)} AS SELECT {q(CASE)}, "
            f"CAST(row_number() OVER () - 1 AS UINTEGER) AS cid "
            f"FROM (SELECT DISTINCT {q(CASE)} FROM {q(events._all_view)})"
        )
        events._lazy["duck_cases"] = name
    return str(name)


def _text_codes(events: Events) -> list[str]:
    """Per text column that orders and compares rows (channel, segments) a dictionary table
    ``v -> code`` (made once per log): the window sorts on small integers, not on text."""
    from cjm_widgets.events._source import _temp_name

    names: list[str] | None = events._lazy.get("duck_text_codes")
    if names is None:
        names = []
        for col in _text_columns(events):
            name = _temp_name()
            events.backend.con.execute(
                f"CREATE TEMP TABLE {q(name)} AS SELECT v, "
                "CAST(row_number() OVER (ORDER BY v NULLS LAST) AS UINTEGER) AS code "
                f"FROM (SELECT DISTINCT {q(col)} AS v FROM {q(events._all_view)})"
            )
            names.append(name)
        events._lazy["duck_text_codes"] = names
    return names


def _text_columns(events: Events) -> list[str]:
    return [CHANNEL, *events.segments]


def _codes(events: Events, lookup: tuple[tuple[Any, ...], ...]) -> str:
    """The activity codes table (from a VALUES list: no pandas frame to register)."""
    from cjm_widgets.events._source import _temp_name

    def sql(value: Any) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, str):
            return "'" + value.replace("'", "''") + "'"
        return str(int(value))

    name = _temp_name()
    rows = ", ".join(f"({', '.join(sql(v) for v in row)})" for row in lookup)
    if not rows:  # no activity at all: an empty table of the same columns
        rows = "(CAST(NULL AS VARCHAR), 0, NULL, NULL) LIMIT 0"
    events.backend.con.execute(
        f"CREATE TEMP TABLE {q(name)} AS SELECT CAST(a AS VARCHAR) AS {q(ACTIVITY)}, "
        "CAST(r AS INTEGER) AS act_rank, CAST(tp AS USMALLINT) AS tp, CAST(st AS USMALLINT) AS st "
        f"FROM (VALUES {rows}) v(a, r, tp, st)"
    )
    return name


def projection(events: Events, cases: str, codes: str) -> str:
    """The log as integers (``cid, tp, st, act_rank, sec``, ``_c0, _c1, …`` the codes of the
    channel and segments), its time ``t`` and its text columns (a subquery; DuckDB reads only
    the columns a query uses)."""
    cols = _text_columns(events)
    extra = "".join(f", e.{q(c)}, d{i}.code AS _c{i}" for i, c in enumerate(cols))
    joins = "".join(
        f" LEFT JOIN {q(name)} d{i} ON e.{q(c)} IS NOT DISTINCT FROM d{i}.v"
        for i, (c, name) in enumerate(zip(cols, _text_codes(events), strict=True))
    )
    return (
        f"(SELECT c.cid, k.tp, k.st, k.act_rank, e.{q(TIME)} AS t, "
        f"CAST(floor(epoch(e.{q(TIME)})) AS BIGINT) AS sec{extra} "
        f"FROM {q(events._all_view)} e JOIN {q(cases)} c USING ({q(CASE)}) "
        f"LEFT JOIN {q(codes)} k USING ({q(ACTIVITY)}){joins})"
    )


def _series_table(events: Events, proj: str, by: str | None, change: Any) -> str | None:
    """``cid -> series`` (None without ``by``): by the case's first event."""
    from cjm_widgets.analysis.behaviour._base import MISSING, PERIOD
    from cjm_widgets.events._source import _temp_name

    if by is None:
        return None
    name = _temp_name()
    if by == PERIOD:
        at = pd.Timestamp(change)
        at = at.tz_localize("UTC") if at.tzinfo is None else at.tz_convert("UTC")
        stamp = at.strftime("%Y-%m-%d %H:%M:%S.%f")
        sql = (
            f"SELECT cid, CASE WHEN min(t) < TIMESTAMPTZ '{stamp}+00' THEN 'before' "
            f"ELSE 'after' END AS series FROM {proj} p GROUP BY cid"
        )
    else:
        # the smallest non-null value among the events at the case's first time
        missing = MISSING.replace("'", "''")
        sql = (
            f"SELECT p.cid, coalesce(min(p.{q(by)}), '{missing}') AS series FROM {proj} p "
            f"JOIN (SELECT cid, min(t) AS t0 FROM {proj} x GROUP BY cid) f "
            "ON p.cid = f.cid AND p.t = f.t0 GROUP BY p.cid"
        )
    events.backend.con.execute(f"CREATE TEMP TABLE {q(name)} AS {sql}")
    return name


def _time_type(events: Events) -> tuple[int, str]:
    """(base, type): times are stored as whole seconds since the log's first second, in 4
    bytes when its span allows (136 years), else 8."""
    first, last = events._got["first"], events._got["last"]
    if first is None or pd.isna(first):
        return 0, "BIGINT"
    base = int(pd.Timestamp(first).timestamp() // 1)
    span = pd.Timestamp(last).timestamp() - base
    return base, ("UINTEGER" if span < 2**32 - 1 else "BIGINT")


def _steps_sql(events: Events, proj: str, series: str | None) -> str:
    extra = [f"_c{i}" for i in range(len(_text_columns(events)))]
    order = ", ".join(["t", "tp", "act_rank", *extra])
    if events._options["duplicates"] == "drop":
        same = " AND ".join(
            f"lag({c}) OVER w IS NOT DISTINCT FROM {c}" for c in ["t", "act_rank", *extra]
        )
        dup = f"coalesce(row_number() OVER w > 1 AND {same}, false)"
    else:
        dup = "false"
    join = f" JOIN {q(series)} s USING (cid)" if series else ""
    col = ", s.series" if series else ""
    base, kind = _time_type(events)
    # whole seconds from the time after the window, not the projection's ``sec``: 8 bytes a
    # row less to sort (on 10⁸ events 22 s instead of 25)
    sec = "CAST(floor(epoch(p.t)) AS BIGINT)"
    return (
        f"SELECT p.cid{col}, p.tp, CAST({sec} - {base} AS {kind}) AS sec, "
        "CAST(row_number() OVER w AS UINTEGER) AS pos, lag(p.tp) OVER w AS prev_tp, "
        f"CAST({sec} - lag({sec}) OVER w AS {kind}) AS d, {dup} AS dup "
        f"FROM {proj} p{join} WHERE p.tp IS NOT NULL "
        f"WINDOW w AS (PARTITION BY p.cid ORDER BY {order})"
    )


def _unmapped_sql(events: Events, proj: str, series: str | None) -> str:
    """Per case: its unmapped events (deduplicated as the log says) and the first one's time."""
    extra = "".join(f", _c{i}" for i in range(len(_text_columns(events))))
    rows = (
        f"(SELECT DISTINCT cid, act_rank, t, sec{extra} FROM {proj} x WHERE tp IS NULL)"
        if events._options["duplicates"] == "drop"
        else f"(SELECT cid, sec FROM {proj} x WHERE tp IS NULL)"
    )
    col = ", s.series" if series else ""
    join = f" JOIN {q(series)} s USING (cid)" if series else ""
    base, kind = _time_type(events)
    return (
        f"SELECT u.cid{col}, CAST(NULL AS USMALLINT) AS tp, CAST(count(*) AS BIGINT) AS n, "
        f"CAST(min(u.sec) - {base} AS {kind}) AS first FROM {rows} u{join} GROUP BY ALL"
    )


def slices(con: Any, steps: str, cases: str) -> list[tuple[int, int]]:
    """Ranges ``[low, high)`` of case ids covering every case, each with about
    :data:`SLICE_ROWS` steps or fewer: the hash tables of (case, …) keys are built one slice at
    a time and stay in memory (no spilling); a case is in one slice, so the parts add up."""
    got = con.execute(
        f"SELECT (SELECT count(*) FROM {q(steps)}), (SELECT count(*) FROM {q(cases)})"
    ).fetchone()
    rows, n_cases = int(got[0]), int(got[1])
    n = max(1, -(-rows // SLICE_ROWS))
    width = max(1, -(-n_cases // n))
    return [(i * width, (i + 1) * width) for i in range(n)]


def _build(
    events: Events, lookup: tuple[tuple[Any, ...], ...], by: str | None, change: Any
) -> Tables:
    from cjm_widgets.events._source import _temp_name

    con = events.backend.con
    cases = _cases(events)
    codes = _codes(events, lookup)
    proj = projection(events, cases, codes)
    series = _series_table(events, proj, by, change)
    steps, per_place, per_case, masks = (_temp_name() for _ in range(4))
    con.execute(f"CREATE TEMP TABLE {q(steps)} AS {_steps_sql(events, proj, series)}")
    all_mapped = all(row[2] is not None for row in lookup)
    orders = _stage_list(lookup)
    n_tps = 1 + max((int(r[2]) for r in lookup if r[2] is not None), default=-1)
    n_stages = 1 + max((int(r[3]) for r in lookup if r[3] is not None), default=-1)
    return Tables(
        steps, per_place, per_case, codes, cases, series is not None, orders, series,
        all_mapped, masks, n_stages, n_tps <= MASK_PLACES,
    )  # fmt: skip


def _build_masks(events: Events, tables: Tables) -> None:
    """Make ``M`` of ``tables`` (see the module): one grouping by case of the steps and the
    unmapped events."""
    col = ", series" if tables.series else ""
    source = f"SELECT cid{col}, tp, sec, 0 AS u FROM {q(tables.steps)}"
    if not tables.all_mapped:
        proj = projection(events, tables.cases, tables.codes)
        unmapped = _unmapped_sql(events, proj, tables.series_table)
        source += f" UNION ALL SELECT cid{col}, tp, first, n FROM ({unmapped})"
    firsts = "".join(
        f", min(sec) FILTER (WHERE {tables.stages}[tp + 1] = {k}) AS f{k}"
        for k in range(tables.n_stages)
    )
    events.backend.con.execute(
        f"CREATE TEMP TABLE {q(tables.masks)} AS SELECT cid{col}, min(sec) AS s0, "
        "max(tp) AS far_tp, coalesce(bit_or(CAST(1 AS UBIGINT) << tp), 0) AS seen, "
        f"CAST(sum(u) AS BIGINT) AS unmapped{firsts} FROM ({source}) GROUP BY ALL"
    )


def _build_per_case(events: Events, tables: Tables) -> None:
    """Make ``K`` and ``C`` of ``tables`` from its steps (and the unmapped events)."""
    con = events.backend.con
    proj = projection(events, tables.cases, tables.codes)
    col = ", series" if tables.series else ""
    per_place, per_case, steps = q(tables.per_place), q(tables.per_case), q(tables.steps)
    unmapped = _unmapped_sql(events, proj, tables.series_table)
    if tables.all_mapped:  # no unmapped activity: no scan for them
        unmapped += " LIMIT 0"
    con.execute(f"CREATE TEMP TABLE {per_place} AS {unmapped}")
    parts = slices(con, tables.steps, tables.cases)
    for low, high in parts:
        con.execute(
            f"INSERT INTO {per_place} SELECT cid{col}, tp, "
            f"CAST(count(*) FILTER (WHERE NOT dup) AS BIGINT), min(sec) FROM {steps} "
            f"WHERE cid >= {low} AND cid < {high} GROUP BY ALL"
        )
    for i, (low, high) in enumerate(parts):
        head = f"CREATE TEMP TABLE {per_case} AS" if i == 0 else f"INSERT INTO {per_case}"
        con.execute(
            f"{head} SELECT cid{col}, min(first) AS s0, max(tp) AS far_tp "
            f"FROM {per_place} WHERE cid >= {low} AND cid < {high} GROUP BY ALL"
        )


def _stage_list(lookup: tuple[tuple[Any, ...], ...]) -> str:
    """SQL list literal: item ``tp + 1`` is the stage order of touchpoint order ``tp``."""
    of = {int(r[2]): int(r[3]) for r in lookup if r[2] is not None}
    top = max(of, default=-1)
    items = ", ".join(str(of.get(i, "NULL")) for i in range(top + 1))
    return f"(CAST([{items}] AS USMALLINT[]))"


def _drop(events: Events, tables: Tables) -> None:
    names = [tables.steps, tables.per_place, tables.per_case, tables.codes, tables.series_table]
    names.append(tables.masks)
    for made in (tables.per_case, tables.masks):
        events._lazy.get("duck_per_case", set()).discard(made)
    for name in filter(None, names):
        events.backend.con.execute(f"DROP TABLE IF EXISTS {q(name)}")


def prepared_tables(
    journey: Journey,
    events: Events,
    by: str | None,
    change: Any,
    *,
    per_case: bool = False,
    masks: bool = False,
) -> Tables:
    """The shared tables of this mapping, ``by`` and ``change`` (made on first use, then
    reused by every analysis; a changed journey order makes new ones). The steps ``W`` are
    always made; ``K`` and ``C`` only when ``per_case``, ``M`` only when ``masks`` and the
    journey is :attr:`Tables.maskable` (else ``K`` and ``C``: callers check ``maskable``).
    Flows and variants need neither, so their first call does not pay for them."""
    lookup = _lookup(journey, events)
    key = (lookup, by, str(change) if by is not None else None)
    cache: dict[Any, Tables] = events._lazy.setdefault("duck_tables", {})
    built: set[str] = events._lazy.setdefault("duck_per_case", set())
    with _lock:
        tables = cache.get(key)
        if tables is None:
            tables = _build(events, lookup, by, change)
            cache[key] = tables
            while len(cache) > KEEP:
                _drop(events, cache.pop(next(iter(cache))))
        per_case = per_case or (masks and not tables.maskable)
        if per_case and tables.per_case not in built:
            _build_per_case(events, tables)
            built.add(tables.per_case)
        if masks and tables.maskable and tables.masks not in built:
            _build_masks(events, tables)
            built.add(tables.masks)
        return tables


def forget(events: Events) -> None:
    """Drop the prepared tables of the log (the case dictionary stays): the next analysis makes
    them again (benchmarks time a first call this way)."""
    with _lock:
        cache: dict[Any, Tables] = events._lazy.get("duck_tables", {})
        while cache:
            _drop(events, cache.pop(next(iter(cache))))
