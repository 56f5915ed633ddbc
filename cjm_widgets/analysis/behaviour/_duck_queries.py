"""The behaviour analyses as small aggregates of the shared DuckDB tables of
:mod:`cjm_widgets.analysis.behaviour._duck` (``W`` steps, ``K`` per case and place, ``C`` per
case): each returns the same frame as the engine-agnostic Ibis path of its analysis.

Usage: ``counts, totals = reach_counts(journey, events, by=None, change=None, level="stage")``
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from cjm_widgets.analysis.behaviour._duck import (
    Tables,
    prepared_tables,
    projection,
    q,
    run,
    slices,
)
from cjm_widgets.events.log import CHANNEL

if TYPE_CHECKING:
    from cjm_widgets.events.log import Events
    from cjm_widgets.model.journey import Journey

__all__ = [
    "contacts_counts",
    "flows_counts",
    "funnel_counts",
    "period_counts",
    "reach_counts",
    "variants_counts",
]


def _series(tables: Tables, alias: str = "") -> str:
    """The series column of the tables, or the constant of a log analysed without ``by``."""
    return f"{alias}series" if tables.series else "'all'"


def _place(tables: Tables, level: str) -> tuple[str, str, str]:
    """(place, previous place, name of the order column the callers index by): the touchpoint
    order, or the stage order looked up from it."""
    if level == "touchpoint":
        return "tp", "prev_tp", "tp_order"
    return f"{tables.stages}[tp + 1]", f"{tables.stages}[prev_tp + 1]", "stage_order"


def _ids(journey: Journey, level: str) -> list[str]:
    if level == "touchpoint":
        return [tp.id for st in journey.stages for tp in st.touchpoints]
    return [st.id for st in journey.stages]


def _first_per_place(tables: Tables, col: str) -> str:
    """Subquery: per case and place (touchpoint or stage) its series, events and first time
    (``K`` itself for touchpoints: it has one row per case and touchpoint already)."""
    s = _series(tables)
    if col == "tp":
        return (
            f"(SELECT cid, {s} AS series, tp AS o, n, first AS at "
            f"FROM {q(tables.per_place)} WHERE tp IS NOT NULL)"
        )
    return (
        f"(SELECT cid, {s} AS series, {col} AS o, sum(n) AS n, min(first) AS at "
        f"FROM {q(tables.per_place)} WHERE {col} IS NOT NULL GROUP BY ALL)"
    )


def reach_counts(
    journey: Journey, events: Events, by: str | None, change: Any, level: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per series × place: events, cases; per series: cases_total, unmapped)."""
    from cjm_widgets.analysis.behaviour._base import SERIES, STAGE, TP

    tables = prepared_tables(journey, events, by, change, masks=True)
    col, _, _ = _place(tables, level)
    key = TP if level == "touchpoint" else STAGE
    if tables.maskable:
        counts, totals = _reach_from_masks(events, tables, col, level)
    else:
        counts = run(
            events,
            "SELECT series, o, CAST(sum(n) AS BIGINT) AS events, count(*) AS cases "
            f"FROM {_first_per_place(tables, col)} GROUP BY ALL",
        )
        s = _series(tables)
        totals = run(
            events,
            f"SELECT c.series, c.cases_total, coalesce(u.unmapped, 0) AS unmapped FROM "
            f"(SELECT {s} AS series, count(*) AS cases_total FROM {q(tables.per_case)} "
            f"GROUP BY ALL) c LEFT JOIN (SELECT {s} AS series, CAST(sum(n) AS BIGINT) AS "
            f"unmapped FROM {q(tables.per_place)} WHERE tp IS NULL GROUP BY ALL) u USING (series)",
        )
    ids = _ids(journey, level)
    counts[key] = [ids[int(o)] for o in counts["o"]]
    return counts.rename(columns={"series": SERIES}), totals.rename(columns={"series": SERIES})


def _reach_from_masks(
    events: Events, tables: Tables, col: str, level: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reach from the steps (events per place) and ``M`` (cases per place: the bits of
    ``seen`` for touchpoints, a first time in the stage for stages)."""
    s = _series(tables)
    got = run(
        events,
        f"SELECT {s} AS series, {col} AS o, CAST(count(*) FILTER (WHERE NOT dup) AS BIGINT) "
        f"AS events FROM {q(tables.steps)} GROUP BY ALL",
    )
    if level == "touchpoint":
        n = 1 + max((int(o) for o in got["o"]), default=-1)
        each = [f'CAST(sum((seen >> {o}) & 1) AS BIGINT) AS "{o}"' for o in range(n)]
    else:
        each = [f'count(f{o}) AS "{o}"' for o in range(tables.n_stages)]
    per_case = run(
        events,
        f"SELECT {s} AS series, count(*) AS cases_total, "
        f"CAST(coalesce(sum(unmapped), 0) AS BIGINT) AS unmapped{''.join(', ' + e for e in each)} "
        f"FROM {q(tables.masks)} GROUP BY ALL",
    )
    cases = per_case.drop(columns=["cases_total", "unmapped"]).melt(
        id_vars="series", var_name="o", value_name="cases"
    )
    cases["o"] = cases["o"].astype("int64")
    got["o"] = got["o"].astype("int64")
    counts = got.merge(cases[cases["cases"] > 0], on=["series", "o"], validate="one_to_one")
    counts["cases"] = counts["cases"].astype("int64")
    return counts, per_case[["series", "cases_total", "unmapped"]]


def funnel_counts(
    journey: Journey, events: Events, by: str | None, change: Any, level: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per series × step: visited, time_median_s, time_p90_s; per series × furthest: n)."""
    if level != "touchpoint":
        tables = prepared_tables(journey, events, by, change, masks=True)
        if tables.maskable:
            return _funnel_from_masks(events, tables)
    tables = prepared_tables(journey, events, by, change, per_case=True)
    col, _, name = _place(tables, level)
    s = _series(tables)
    both = run(
        events,
        f"""
        SELECT 't' AS part, f.series, f.o, count(*) AS visited,
               quantile_cont(f.at - c.s0, 0.5) AS time_median_s,
               quantile_cont(f.at - c.s0, 0.9) AS time_p90_s, NULL AS n
        FROM {_first_per_place(tables, col)} f JOIN {q(tables.per_case)} c USING (cid)
        GROUP BY ALL
        UNION ALL
        SELECT 'f', {s}, {col.replace("tp", "far_tp")}, NULL, NULL, NULL, count(*)
        FROM {q(tables.per_case)}
        GROUP BY ALL
        """,
    )
    times = both[both["part"] == "t"].rename(columns={"o": name})
    furthest = both[both["part"] == "f"].rename(columns={"o": "_far"})
    times = times.drop(columns=["part", "n"]).reset_index(drop=True)
    times[name] = times[name].astype("int64")
    furthest = furthest[["series", "_far", "n"]].reset_index(drop=True)
    # cases with no mapped event have no furthest step: NaN, as the Ibis path gives
    furthest["_far"] = pd.to_numeric(furthest["_far"]).astype("float64")
    return times, furthest


def _funnel_from_masks(events: Events, tables: Tables) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stage funnel from ``M`` alone: per stage its first times' count and quantiles
    (seconds since the case's first event), and the furthest stage of each case."""
    s = _series(tables)
    each = "".join(
        f', count(f{k}) AS "v{k}", quantile_cont(f{k} - s0, 0.5) AS "m{k}", '
        f'quantile_cont(f{k} - s0, 0.9) AS "p{k}"'
        for k in range(tables.n_stages)
    )
    wide = run(events, f"SELECT {s} AS series{each} FROM {q(tables.masks)} GROUP BY ALL")
    rows = [
        (series, k, int(r[f"v{k}"]), r[f"m{k}"], r[f"p{k}"])
        for _, r in wide.iterrows()
        for series in [r["series"]]
        for k in range(tables.n_stages)
        if r[f"v{k}"] > 0
    ]
    times = pd.DataFrame(
        rows, columns=["series", "stage_order", "visited", "time_median_s", "time_p90_s"]
    ).astype({"stage_order": "int64", "visited": "int64", "time_median_s": "float64",
              "time_p90_s": "float64"})  # fmt: skip
    furthest = run(
        events,
        f"SELECT {s} AS series, {tables.stages}[far_tp + 1] AS _far, count(*) AS n "
        f"FROM {q(tables.masks)} GROUP BY ALL",
    )
    furthest["_far"] = pd.to_numeric(furthest["_far"]).astype("float64")
    return times, furthest


def flows_counts(
    journey: Journey, events: Events, by: str | None, change: Any, level: str
) -> pd.DataFrame:
    """Per series × (place, next place): count, cases, median_s (ids as in the Ibis path).

    The median is taken from the stored steps, not fed from the window: DuckDB's quantile
    states then need no spilling (on 10⁷ events 0.7 s instead of 11 s)."""
    tables = prepared_tables(journey, events, by, change)
    col, prev, _ = _place(tables, level)
    s = _series(tables)
    steps = q(tables.steps)
    where = f"WHERE {prev} IS NOT NULL AND NOT dup"
    kept: dict[str, list[tuple[int, int]]] = events._lazy.setdefault("duck_slices", {})
    parts = kept.get(tables.steps)  # the steps table never changes: counted once
    if parts is None:
        parts = kept[tables.steps] = slices(events.backend.con, tables.steps, tables.cases)
    if len(parts) == 1:  # a log of up to SLICE_ROWS steps: one query
        got = run(
            events,
            f"SELECT {s} AS series, {prev} AS a, {col} AS b, count(*) AS count, "
            f"quantile_cont(d, 0.5) AS median_s, count(DISTINCT cid) AS cases "
            f"FROM {steps} {where} GROUP BY ALL",
        )
    else:
        width = len(_ids(journey, level))
        got = _flows_sliced(events, tables, parts, s, prev, col, where, width)
    ids = _ids(journey, level)
    got["_place"] = [ids[int(o)] for o in got["a"]]
    got["_next"] = [ids[int(o)] for o in got["b"]]
    return got.drop(columns=["a", "b"])


def _flows_sliced(
    events: Events,
    tables: Tables,
    parts: list[tuple[int, int]],
    s: str,
    prev: str,
    col: str,
    where: str,
    width: int,
) -> pd.DataFrame:
    """Flows of a large log: count and median in one pass; the distinct (transition, case)
    pairs as one integer key, in slices of the case ids: each slice's hash table stays small
    (no spilling) and the slices' counts add up (a case is in one slice). The key is
    ``(place * width + next place) * cases + case``, 4 bytes when that fits (on 10⁸ events the
    distinct pairs took 12 s with 8-byte keys, 10 s with 4-byte ones), else 8."""
    steps = q(tables.steps)
    counts = run(
        events,
        f"SELECT {s} AS series, {prev} AS a, {col} AS b, count(*) AS count, "
        f"quantile_cont(d, 0.5) AS median_s FROM {steps} {where} GROUP BY ALL",
    )
    n = parts[-1][1]  # above every case id
    kind = "UINTEGER" if width * width * n < 2**32 else "UBIGINT"
    key = f"CAST((CAST({prev} AS BIGINT) * {width} + {col}) * {n} + cid AS {kind})"
    found = []
    # the series a column of the distinct rows only when there is one (not the constant)
    inner, outer = (", series", "series") if tables.series else ("", f"{s} AS series")
    for low, high in parts:
        found.append(
            run(
                events,
                f"SELECT {outer}, CAST(k // {n} // {width} AS INTEGER) AS a, "
                f"CAST(k // {n} % {width} AS INTEGER) AS b, count(*) AS cases "
                f"FROM (SELECT DISTINCT {key} AS k{inner} FROM {steps} {where} "
                f"AND cid >= {low} AND cid < {high}) GROUP BY ALL",
            )
        )
    cases = pd.concat(found).groupby(["series", "a", "b"], as_index=False)["cases"].sum()
    return counts.merge(cases, on=["series", "a", "b"], how="left", validate="one_to_one")


def variants_counts(
    journey: Journey, events: Events, by: str | None, change: Any, level: str
) -> pd.DataFrame:
    """Per series × path: cases, steps, median_duration_s; ``path_ids`` a tuple of ids."""
    tables = prepared_tables(journey, events, by, change)
    col, _, _ = _place(tables, level)
    s = _series(tables)
    got = run(
        events,
        f"""
        WITH per_case AS (
          SELECT {s} AS series, cid, list({col} ORDER BY pos) AS path, count(*) AS steps,
                 max(sec) - min(sec) AS dur
          FROM {q(tables.steps)} WHERE NOT dup GROUP BY ALL)
        SELECT series, path, count(*) AS cases, max(steps) AS steps,
               quantile_cont(dur, 0.5) AS median_duration_s
        FROM per_case GROUP BY ALL
        """,
    )
    ids = _ids(journey, level)
    got["path_ids"] = [tuple(ids[int(o)] for o in path) for path in got["path"]]
    return got.drop(columns=["path"])


def period_counts(
    journey: Journey, events: Events, change: Any, level: str
) -> tuple[pd.DataFrame, pd.Series]:
    """(per period × place: n, mean, sd of seconds from the case's first event to its first
    event there; cases per period)."""
    from cjm_widgets.analysis.behaviour._base import PERIOD, SERIES

    tables = prepared_tables(journey, events, PERIOD, change, per_case=True)
    col, _, name = _place(tables, level)
    got = run(
        events,
        f"SELECT f.series, f.o, count(*) AS n, avg(f.at - c.s0) AS mean, "
        f"stddev_samp(f.at - c.s0) AS sd FROM {_first_per_place(tables, col)} f "
        f"JOIN {q(tables.per_case)} c USING (cid) GROUP BY ALL",
    )
    got = got.rename(columns={"series": SERIES, "o": name})
    got[name] = got[name].astype("int64")
    totals = run(events, f"SELECT series, count(*) AS n FROM {q(tables.per_case)} GROUP BY ALL")
    return got, totals.set_index("series")["n"].rename_axis(SERIES)


def contacts_counts(
    journey: Journey, events: Events, by: str | None, change: Any, limit_s: int
) -> pd.DataFrame:
    """Per series × channel: contacts, cases, repeats, cases_repeating, switches_in and
    switches_out, as the Ibis path of :func:`cjm.contacts` counts them."""
    from cjm_widgets.analysis.behaviour._base import MISSING

    tables = prepared_tables(journey, events, by, change)
    missing = "'" + MISSING.replace("'", "''") + "'"
    extra = [CHANNEL, *events.segments]
    proj = projection(events, tables.cases, tables.codes)
    cols = ", ".join(["cid", "tp", "act_rank", "t", "sec", *(q(c) for c in extra)])
    # the deduplicated log (as events.table), then the channel of each event
    rows = f"(SELECT {'DISTINCT ' if events._options['duplicates'] == 'drop' else ''}{cols} "
    rows += f"FROM {proj} x)"
    if events.columns.get("channel"):
        chan, where = f"coalesce(r.{q(CHANNEL)}, {missing})", ""
    else:
        lookup = [
            (i, tp.channel or MISSING)
            for i, tp in enumerate(t for st in journey.stages for t in st.touchpoints)
        ]
        cases = " ".join(f"WHEN {i} THEN '{c.replace(chr(39), chr(39) * 2)}'" for i, c in lookup)
        chan = f"coalesce(CASE r.tp {cases} END, {missing})" if lookup else missing
        where = "WHERE r.tp IS NOT NULL"
    s = _series(tables, "s.")
    join = f" JOIN {q(tables.series_table)} s USING (cid)" if tables.series_table else ""
    order = "ORDER BY t, tp, act_rank, chan"
    got = run(
        events,
        f"""
        WITH e AS (
          SELECT {s} AS series, r.cid, r.tp, r.act_rank, r.t, r.sec, {chan} AS chan
          FROM {rows} r{join} {where}),
        x AS (
          SELECT series, cid, chan,
                 lag(sec) OVER (PARTITION BY cid, chan {order}) AS prev_same,
                 lag(chan) OVER (PARTITION BY cid {order}) AS prev_chan, sec
          FROM e),
        y AS (
          SELECT series, cid, chan, prev_chan,
                 CAST(prev_same IS NOT NULL AND sec - prev_same <= {int(limit_s)} AS INTEGER)
                   AS rep,
                 CAST(prev_chan IS NOT NULL AND prev_chan <> chan AS INTEGER) AS sw
          FROM x),
        per_case AS (
          SELECT series, chan, cid, count(*) AS contacts, sum(rep) AS repeats,
                 sum(sw) AS switches_in FROM y GROUP BY ALL)
        SELECT 'c' AS part, series, chan, sum(contacts) AS contacts, count(*) AS cases,
               sum(repeats) AS repeats, count(*) FILTER (WHERE repeats > 0) AS cases_repeating,
               sum(switches_in) AS switches_in, NULL AS switches_out
        FROM per_case GROUP BY ALL
        UNION ALL
        SELECT 'o', series, prev_chan, NULL, NULL, NULL, NULL, NULL, count(*)
        FROM y WHERE sw = 1 GROUP BY ALL
        """,
    )
    main = got[got["part"] == "c"].drop(columns=["part", "switches_out"])
    outs = got[got["part"] == "o"][["series", "chan", "switches_out"]]
    return main.merge(outs, on=["series", "chan"], how="left")
