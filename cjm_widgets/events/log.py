"""``cjm.Events``: a behavioural event log (case, activity, time, channel, segments) as a lazy
relation on an engine, with a data-quality report and a mapping of activities to touchpoints.

The log is never loaded row by row into pandas: every step is an Ibis expression that the
engine (embedded DuckDB by default, Spark when given a Spark DataFrame) runs where the data
lives. Only small results (the quality counts, the distinct activities) come back.

Usage::

    events = cjm.Events("tickets.csv.gz", case="case_id", activity="activity", time="timestamp")
    events.quality                      # what was found and how it was handled
    mapped = events.map_to(journey, {"Insert ticket": "Contact form", ...})
    mapped.unmapped                     # activities kept but on no touchpoint
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from cjm_widgets.events._source import _temp_name, open_source
from cjm_widgets.events.errors import EventsError

if TYPE_CHECKING:
    from cjm_widgets.model.journey import Journey

__all__ = ["Events"]

#: Columns of the normalised table (segments keep their own names beside these).
CASE, ACTIVITY, TIME, CHANNEL = "case", "activity", "time", "channel"
_RESERVED = {CASE, ACTIVITY, TIME, CHANNEL, "touchpoint_id"}
#: A time string that carries its zone: ``Z`` or an offset such as ``+01:00``.
_ZONE = r"(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$"
_UTC_ZONE = r"(Z|z|[+-]00(:?00)?)$"


def _examples(values: Iterable[Any], k: int = 3) -> str:
    shown = [repr(v) for v in list(values)[:k]]
    return ", ".join(shown) if shown else "none"


class Events:
    """A behavioural event log: one row per event of a case (a ticket, an application, a
    customer), with its activity, time and optionally its channel and segment columns.

    ``source`` is a path or glob (CSV, TSV, Parquet, also ``.gz``), a pandas frame, a DuckDB
    relation, a Spark DataFrame or an Ibis table; it stays lazy on its engine.

    Times are parsed once: text with a zone (``Z``, ``+01:00``) is converted to UTC, text
    without one is read as UTC (both counted in :attr:`quality`); timestamp columns are used
    as they are (zone-aware ones converted to UTC).

    Problems are never silently dropped:

    - a missing column, an empty log: :class:`EventsError` naming the column / the source;
    - null or empty cases, activities or times, and times that cannot be parsed: an error naming
      the column, the count and examples, unless ``invalid="drop"`` (then excluded, counted);
    - impossible dates (before ``valid[0]``, default 1971-01-01, or after ``valid[1]``,
      default none): excluded from the analyses and counted;
    - exact duplicates (same case, activity and time): counted, and kept once with
      ``duplicates="drop"`` (default) or all kept with ``duplicates="keep"``;
    - ties (events of a case at the same time with different activities): kept and counted;
      analyses order them by the touchpoint's place in the journey, then by activity name,
      so results never depend on file order or engine.

    :attr:`quality` lists every check with its count and handling.

    Usage: ``cjm.Events("log.parquet", case="case_id", activity="event", time="ts",
    channel="channel", segments=["region"])``
    """

    def __init__(
        self,
        source: Any,
        *,
        case: str,
        activity: str,
        time: str,
        channel: str | None = None,
        segments: Iterable[str] = (),
        con: Any = None,
        invalid: str = "error",
        duplicates: str = "drop",
        valid: tuple[Any, Any] = ("1971-01-01", None),
    ) -> None:
        if invalid not in ("error", "drop"):
            raise EventsError(f"invalid= is 'error' or 'drop', not {invalid!r}.")
        if duplicates not in ("drop", "keep"):
            raise EventsError(f"duplicates= is 'drop' or 'keep', not {duplicates!r}.")
        segments = [segments] if isinstance(segments, str) else list(segments)
        raw, backend = open_source(source, con=con)
        self._cache = isinstance(source, (str, os.PathLike)) and not str(source).lower().endswith(
            (".parquet", ".parq", ".pq")
        )
        self.backend = backend
        self.columns = {"case": case, "activity": activity, "time": time, "channel": channel}
        self.segments: tuple[str, ...] = tuple(segments)
        self._check_columns(raw, source)
        self._options = {"invalid": invalid, "duplicates": duplicates, "valid": valid}
        self._raw = raw
        self._table = self._normalise(raw)
        self.mapping: dict[str, str | None] | None = None
        self.journey: Journey | None = None
        self._not_in_log: list[str] = []  # mapping keys the log lacks (set by map_to)

    # ------------------------------------------------------------------ building
    def _check_columns(self, raw: Any, source: Any) -> None:
        have = list(raw.columns)
        wanted = [(role, name) for role, name in self.columns.items() if name is not None]
        wanted += [("segment", name) for name in self.segments]
        for role, name in wanted:
            if not isinstance(name, str):
                raise EventsError(f"{role}= names a column (text), got {name!r}.")
            if name not in have:
                raise EventsError(
                    f"The {role} column {name!r} is not in the event log. "
                    f"Columns: {', '.join(map(repr, have))}."
                )
        clash = sorted(set(self.segments) & _RESERVED)
        if clash:
            raise EventsError(
                f"Segment column(s) {clash} clash with the names the log uses for its own "
                "columns (case, activity, time, channel): rename them in the source."
            )

    def _time_expr(self, raw: Any) -> tuple[Any, Any, Any]:
        """(parsed UTC timestamp, has-zone flag or None, non-UTC-offset flag or None)."""
        import ibis.expr.datatypes as dt

        col = raw[self.columns["time"]]
        if col.type().is_string():
            text = col.strip()
            parsed = text.try_cast(dt.Timestamp(timezone="UTC"))
            zoned = text.re_search(_ZONE)
            shifted = zoned & ~text.re_search(_UTC_ZONE)
            return parsed, zoned, shifted
        if col.type().is_timestamp():
            if col.type().timezone is None:
                return col, None, None
            return col.cast(dt.Timestamp(timezone="UTC")), None, None
        if col.type().is_date():
            return col.cast(dt.Timestamp(timezone="UTC")), None, None
        raise EventsError(
            f"The time column {self.columns['time']!r} holds {col.type()}, not text or "
            "timestamps: convert it (e.g. from epoch seconds) before reading the log."
        )

    def _normalise(self, raw: Any) -> Any:
        import ibis

        names = self.columns
        case = raw[names["case"]].cast("string")
        activity = raw[names["activity"]].cast("string")
        time_text = raw[names["time"]]
        parsed, zoned, shifted = self._time_expr(raw)
        lo, hi = self._options["valid"]
        blank_case = case.isnull() | (case.strip() == "")
        blank_act = activity.isnull() | (activity.strip() == "")
        if time_text.type().is_string():
            blank_time = time_text.isnull() | (time_text.strip() == "")
        else:
            blank_time = time_text.isnull()
        unparsed = ~blank_time & parsed.isnull()
        too_early = (
            parsed < ibis.timestamp(pd.Timestamp(lo, tz="UTC")) if lo else ibis.literal(False)
        )
        too_late = (
            parsed > ibis.timestamp(pd.Timestamp(hi, tz="UTC")) if hi else ibis.literal(False)
        )
        impossible = parsed.notnull() & (too_early | too_late)
        cols = {
            CASE: case,
            ACTIVITY: activity,
            TIME: parsed,
            CHANNEL: raw[names["channel"]].cast("string")
            if names["channel"]
            else ibis.null("string"),
            "_raw_time": time_text.cast("string"),
            "_blank_case": blank_case,
            "_blank_act": blank_act,
            "_blank_time": blank_time,
            "_unparsed": unparsed,
            "_impossible": impossible,
            "_zoned": zoned if zoned is not None else ibis.literal(True),
            "_shifted": shifted if shifted is not None else ibis.literal(False),
        }
        for seg in self.segments:
            cols[seg] = raw[seg].cast("string")
        flagged = raw.select(**cols)
        if self._cache:
            # text files are parsed once into the engine (DuckDB spills to disk when large),
            # not once per query; Parquet and tables are read in place
            flagged = self.backend.create_table(_temp_name(), flagged, temp=True)
        bad = (
            flagged._blank_case
            | flagged._blank_act
            | flagged._blank_time
            | flagged._unparsed
            | flagged._impossible
        )
        # one pass over the log for every per-row check (ties and duplicates need a grouping
        # over the whole log: they are counted when the quality report is first read)
        counts = flagged.aggregate(
            rows=flagged.count(),
            blank_case=flagged._blank_case.sum(),
            blank_act=flagged._blank_act.sum(),
            blank_time=flagged._blank_time.sum(),
            unparsed=flagged._unparsed.sum(),
            impossible=flagged._impossible.sum(),
            excluded=bad.sum(),
            naive=(~flagged._zoned & flagged[TIME].notnull()).sum(),
            shifted=(flagged._shifted & flagged[TIME].notnull()).sum(),
            first=flagged[TIME].min(),
            last=flagged[TIME].max(),
        ).to_pandas()
        got = {
            k: (v if k in ("first", "last") else int(0 if pd.isna(v) else v))
            for k, v in counts.iloc[0].items()
        }
        if got["rows"] == 0:
            raise EventsError("The event log is empty: the source has no rows.")
        self._raise_or_drop(flagged, got)
        self._excluded = flagged.filter(bad)
        keep = [CASE, ACTIVITY, TIME, CHANNEL, *self.segments]
        # the one pass found no unusable row: later queries need not compute the flags again
        clean = (flagged.filter(~bad) if got["excluded"] else flagged).select(*keep)
        if got["rows"] == got["excluded"]:
            raise EventsError(
                f"No usable events are left: all {got['rows']:,} rows were excluded "
                "(see the counts in the error above or pass valid=(None, None))."
            )
        self._got = got
        self._lazy: dict[str, Any] = {}
        deduped = clean.distinct() if self._options["duplicates"] == "drop" else clean
        if getattr(self.backend, "name", None) == "duckdb":
            # one view per log on the log's one connection: the SQL of the analyses
            # (cjm_widgets.analysis.behaviour._duck) reads it without compiling Ibis again
            self._all_view = _temp_name()
            self.backend.create_view(self._all_view, clean, overwrite=True)
            self._clean = self.backend.table(self._all_view)
            name = _temp_name()
            self.backend.create_view(name, deduped, overwrite=True)
            return self.backend.table(name)
        self._clean = clean
        return deduped

    def _ties_and_duplicates(self) -> dict[str, int]:
        """Exact duplicates and ties over the usable rows (one grouping of the whole log)."""
        clean = self._clean
        per_key = clean.group_by([CASE, ACTIVITY, TIME]).aggregate(n=clean.count())
        per_time = per_key.group_by([CASE, TIME]).aggregate(acts=per_key.count())
        tied = per_time.filter(per_time.acts > 1)
        got = (
            per_key.aggregate(extra=(per_key.n - 1).sum())
            .cross_join(tied.aggregate(groups=tied.count(), ev=tied.acts.sum()))
            .to_pandas()
            .iloc[0]
        )
        return {
            "duplicates": 0 if pd.isna(got["extra"]) else int(got["extra"]),
            "tie_groups": 0 if pd.isna(got["groups"]) else int(got["groups"]),
            "ties": 0 if pd.isna(got["ev"]) else int(got["ev"]),
        }

    def _raise_or_drop(self, flagged: Any, got: dict[str, Any]) -> None:
        names = self.columns
        problems = [
            ("blank_case", "_blank_case", names["case"], "null or empty case ids"),
            ("blank_act", "_blank_act", names["activity"], "null or empty activities"),
            ("blank_time", "_blank_time", names["time"], "null or empty times"),
            ("unparsed", "_unparsed", names["time"], "times that cannot be parsed"),
        ]
        if self._options["invalid"] == "drop":
            return
        for key, flag, column, what in problems:
            if got[key]:
                sample = flagged.filter(flagged[flag]).limit(3).to_pandas()
                if key == "unparsed":
                    shown = list(sample["_raw_time"])
                elif key == "blank_case":
                    shown = [
                        f"{a} at {t}"
                        for a, t in zip(sample[ACTIVITY], sample["_raw_time"], strict=True)
                    ]
                else:
                    shown = [f"case {c}" for c in sample[CASE]]
                raise EventsError(
                    f"The column {column!r} has {got[key]:,} {what} (of {got['rows']:,} rows; "
                    f"e.g. {_examples(shown)}). Fix the source, or pass invalid='drop' to "
                    "exclude those rows (they are counted in events.quality)."
                )

    def _report(self, got: dict[str, Any]) -> pd.DataFrame:
        names = self.columns
        invalid = "excluded" if self._options["invalid"] == "drop" else "none found"
        lo, hi = self._options["valid"]
        rows = [
            ("rows read", got["rows"], "all rows of the source"),
            (f"null or empty case ({names['case']})", got["blank_case"], invalid),
            (f"null or empty activity ({names['activity']})", got["blank_act"], invalid),
            (f"null or empty time ({names['time']})", got["blank_time"], invalid),
            (f"unparseable time ({names['time']})", got["unparsed"], invalid),
            (
                f"impossible date (before {lo or '-'} or after {hi or '-'})",
                got["impossible"],
                "excluded from the analyses (events.excluded())",
            ),
            ("time text without a zone", got["naive"], "read as UTC"),
            ("time with a non-UTC offset", got["shifted"], "converted to UTC"),
            (
                "exact duplicates (case, activity, time)",
                got["duplicates"],
                "kept once" if self._options["duplicates"] == "drop" else "all kept",
            ),
            (
                "tied events (same case and time, other activity)",
                got["ties"],
                f"kept, in {got['tie_groups']:,} groups; ordered by journey order, then name",
            ),
        ]
        frame = pd.DataFrame(rows, columns=["check", "count", "handling"])
        frame.attrs.update({"first": got["first"], "last": got["last"]})
        return frame

    # ------------------------------------------------------------------ public
    @property
    def quality(self) -> pd.DataFrame:
        """What was found in the log and how it was handled: one row per check with its count.

        The per-row checks (nulls, unparseable and impossible times, zones) are counted in
        one pass when the log is opened. Exact duplicates and ties need a grouping of the
        whole log by case, activity and time; they are counted exactly the first time this
        report is read (then kept), so opening a large log and analysing it does not pay for
        them. With ``duplicates="drop"`` the duplicates are left out of every analysis
        whether or not the report was read.
        """
        if "quality" not in self._lazy:
            self._lazy["quality"] = self._report({**self._got, **self._ties_and_duplicates()})
        return self._lazy["quality"].copy()

    @property
    def table(self) -> Any:
        """The normalised log as a lazy Ibis table: ``case, activity, time, channel`` and the
        segment columns (plus ``touchpoint_id`` once mapped)."""
        return self._table

    def excluded(self) -> Any:
        """The rows left out of the analyses (null ids, unparseable or impossible times), lazy,
        with a flag column per reason."""
        return self._excluded

    def activities(self) -> pd.DataFrame:
        """Distinct activities with their events and cases, most frequent first.

        Usage: ``events.activities().head()``
        """
        t = self._table
        out = t.group_by(ACTIVITY).aggregate(events=t.count(), cases=t[CASE].nunique())
        frame = out.to_pandas().sort_values(["events", ACTIVITY], ascending=[False, True])
        return frame.reset_index(drop=True)

    def summary(self) -> dict[str, Any]:
        """Events, cases, activities and the time span of the usable rows."""
        t = self._table
        got = (
            t.aggregate(
                events=t.count(),
                cases=t[CASE].nunique(),
                activities=t[ACTIVITY].nunique(),
                first=t[TIME].min(),
                last=t[TIME].max(),
            )
            .to_pandas()
            .iloc[0]
        )
        return {
            k: (int(v) if k in ("events", "cases", "activities") else v) for k, v in got.items()
        }

    def map_to(
        self,
        journey: Journey,
        mapping: Mapping[str, Any] | Callable[[str], Any],
    ) -> Events:
        """A copy of the log whose activities point at the journey's touchpoints.

        ``mapping`` is a dict ``{activity: touchpoint}`` or a function ``activity → touchpoint``
        (touchpoints by name, id or object; None leaves the activity unmapped). Activities that
        map nowhere are kept (their events still count for cases and times) and listed in
        :attr:`unmapped`; dict keys not found in the log are listed in ``attrs["not_in_log"]``
        of :attr:`unmapped`. An unknown touchpoint raises an error listing the valid ones.

        Usage: ``mapped = events.map_to(journey, {"Insert ticket": "Contact form"})``
        """
        clean = self._clean
        # the distinct activities only (a grouping into a handful of rows): the events and
        # cases of the unmapped ones are counted when `unmapped` is read
        names = sorted(clean.select(ACTIVITY).distinct().to_pandas()[ACTIVITY].astype(str))
        resolved: dict[str, str | None] = {}
        for act in names:
            if callable(mapping):
                target = mapping(act)
            elif isinstance(mapping, Mapping):
                target = mapping.get(act)
            else:
                raise EventsError(
                    "map_to() takes a dict {activity: touchpoint} or a function, not a "
                    f"{type(mapping).__name__}."
                )
            if target is None:
                resolved[act] = None
                continue
            try:
                resolved[act] = journey.touchpoint(target).id
            except Exception as err:
                raise EventsError(f"Activity {act!r} maps to an unknown touchpoint: {err}") from err
        new = object.__new__(Events)
        new.__dict__.update(self.__dict__)
        new.mapping = resolved
        new.journey = journey
        new._not_in_log = sorted(set(mapping) - set(names)) if isinstance(mapping, Mapping) else []
        return new

    @property
    def unmapped(self) -> pd.DataFrame:
        """Activities mapped to no touchpoint (kept in the log), with events and cases, most
        frequent first; ``attrs["not_in_log"]`` lists the mapping's keys the log lacks."""
        if self.mapping is None:
            raise EventsError("The log is not mapped yet: call events.map_to(journey, {...}).")
        acts = self.activities()
        keep = [self.mapping.get(a) is None for a in acts[ACTIVITY]]
        unmapped = acts[keep].reset_index(drop=True)
        unmapped.attrs["not_in_log"] = list(self._not_in_log)
        return unmapped

    def __repr__(self) -> str:
        cols = ", ".join(f"{k}={v!r}" for k, v in self.columns.items() if v)
        state = "mapped" if self.mapping is not None else "not mapped"
        return f"<cjm.Events {cols} on {getattr(self.backend, 'name', '?')}, {state}>"
