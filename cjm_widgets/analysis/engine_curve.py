"""The emotion curve of a survey that lives in Parquet, CSV or a warehouse, computed where it
lives: the engine returns one small histogram, the curve maths is :func:`cjm.emotion_curve`'s.

Why a function and not a lazy :class:`cjm.Evidence`: the evidence store is a table of rows
(quotes, tags, edits) held in memory; a lazy store would have to answer every one of its
methods from the engine. A survey's curve needs none of that — only, per touchpoint × series,
how many respondents gave each rating (a sufficient statistic for the mean, sd and interval
of a rating scale). So the rows stay in the engine, and quotes and tags stay in the store.

Usage::

    curve = cjm.curve_from_engine(journey, "survey/*.parquet", items={"q7": "Checkout"},
                                  scale=(1, 5), missing=(0,), by="Class")
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.analysis._stats import value_codes
from cjm_widgets.analysis.curve import (
    MISSING,
    build_frame,
    check_missing,
    layout,
    slot_lookup,
)
from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence._survey import scale_to_emotion

if TYPE_CHECKING:  # pragma: no cover
    from cjm_widgets.model.journey import Journey

__all__ = ["curve_from_engine"]

_ITEM, _RATING, _SERIES, _RESP = "_cjm_item", "_cjm_rating", "_cjm_series", "_cjm_respondent"


def _items(items: Mapping[str, Any] | Sequence[str]) -> dict[str, Any]:
    if isinstance(items, Mapping):
        out = {str(k): v for k, v in items.items()}
    elif isinstance(items, str):
        out = {items: items}
    else:
        out = {str(c): str(c) for c in items}
    if not out:
        raise EvidenceError("items= is empty: map at least one rating column to a touchpoint")
    return out


def _scale(pair: Any, what: str) -> tuple[float, float]:
    try:
        lo, hi = (float(x) for x in pair)
    except (TypeError, ValueError) as err:
        raise EvidenceError(f"{what} must be (low, high) numbers, not {pair!r}") from err
    if not lo < hi:
        raise EvidenceError(f"{what} must have low < high, not {pair!r}")
    return lo, hi


def _codes(missing: Any, item: str) -> tuple[float, ...]:
    value = missing.get(item, ()) if isinstance(missing, Mapping) else missing
    if value is None:
        return ()
    value = (value,) if isinstance(value, (str, int, float)) else tuple(value)
    out = []
    for v in value:
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            raise EvidenceError(
                f"missing= code {v!r} of {item!r} is not a number: the engine path reads "
                "ratings as numbers (use Evidence.from_survey for text codes)"
            ) from None
    return tuple(out)


def _rating_expr(table: Any, column: str) -> Any:
    col = table[column]
    if col.type().is_numeric() or col.type().is_boolean():
        return col.cast("float64")
    if col.type().is_string():
        return col.strip().try_cast("float64")
    raise EvidenceError(
        f"The rating column {column!r} holds {col.type()}, not numbers or text: convert it "
        "before reading the survey."
    )


def curve_from_engine(
    journey: Journey,
    source: object,
    *,
    items: Mapping[str, Any] | Sequence[str],
    scale: tuple[float, float] = (1, 5),
    scales: Mapping[str, tuple[float, float]] | None = None,
    missing: Sequence[object] | Mapping[str, Sequence[object]] = (0,),
    respondent: str | None = "id",
    by: str | None = None,
    level: str = "touchpoint",
    min_n: int = 5,
    overall: bool | None = None,
    by_missing: str = "drop",
    on_invalid: str = "raise",
    con: object = None,
) -> pd.DataFrame:
    """The emotion curve of a wide survey (one row per respondent, one column per rated item)
    computed in the engine where the survey lives, without reading its rows into pandas.

    ``source`` is what :class:`cjm.Events` reads: a path or glob (Parquet, CSV, also gzip) on
    embedded DuckDB, a DuckDB relation, a Spark DataFrame or an Ibis table of any backend
    (``con`` as there). ``items``, ``scale``, ``scales``, ``missing`` and ``respondent`` mean
    what they mean in :meth:`cjm.Evidence.from_survey` (ratings map linearly from the scale
    onto −2…+2; missing codes and blanks are not counted; a rating outside the scale raises,
    or is not counted with ``on_invalid="missing"``). ``by`` (a column of the survey),
    ``level``, ``min_n`` and ``overall`` mean what they mean in :func:`cjm.emotion_curve`;
    ``by_missing`` is its ``missing`` ("drop" or "label").

    How it is computed: the engine unpivots the item columns and returns, per item × series ×
    rating, the number of respondents (a few hundred rows), and the distinct respondents per
    place × series. Python turns the ratings into emotions with the survey reader's formula
    and hands the histogram to the same function as :func:`cjm.emotion_curve`
    (``analysis.curve.build_frame``: n, mean, sample sd, 95% Student-t interval cut to the
    scale), so the frame equals the pandas path's: same columns, n, means and intervals.
    Respondent ids are counted as given (distinct values). Quotes, tags and text answers stay
    in the evidence store; this function draws only the curve.

    Usage: ``cjm.curve_from_engine(journey, "survey.parquet", items=cjm.datasets.AIRLINE_ITEMS,
    missing=(0,), by="Class")``
    """
    from cjm_widgets.events._source import open_source

    if level not in ("touchpoint", "stage"):
        raise ValueError(f"level must be 'touchpoint' or 'stage', not {level!r}")
    if on_invalid not in ("raise", "missing"):
        raise EvidenceError(f"on_invalid= is 'raise' or 'missing', not {on_invalid!r}")
    check_missing(by_missing)
    mapping = _items(items)
    table, backend = open_source(source, con=con, text=False)
    _check_columns(table, mapping, respondent, by)
    scale_of = _scales_of(mapping, scale, scales)
    tp_ids, item_tp = _touchpoints(journey, mapping)

    # in the engine: the wide table's columns, unpivoted once into a histogram
    base = _wide(table, mapping, respondent, by, source, backend)
    rated, hist = _histogram(base, mapping)

    # in Python: a small histogram (item × series × rating → respondents)
    hist = _counted_rows(hist, mapping, scale_of, missing, on_invalid)
    emo = np.empty(len(hist), dtype=np.float64)
    for column in mapping:
        rows = (hist["_item"] == column).to_numpy()
        lo, hi = scale_of[column]
        emo[rows] = scale_to_emotion(hist["_r"].to_numpy()[rows], np.float64(lo), np.float64(hi))
    code, table_values = value_codes(emo)
    place = 2 * hist["_item"].map(item_tp).to_numpy(dtype=np.int64)
    series = _Series.of(hist[_SERIES], by=by, by_missing=by_missing, overall=overall)
    counts = hist["n"].to_numpy(dtype=np.int64)

    shim = SimpleNamespace(touchpoint_ids=tp_ids, stage_ids=[])
    present = set(np.unique(place).tolist()) if level == "touchpoint" else set()
    slots = layout(journey, shim, level, present)  # type: ignore[arg-type]  # the ids it reads
    lut = slot_lookup(slots, 2 * len(tp_ids))
    slot_of = {c: int(lut[2 * t]) for c, t in item_tp.items()}
    counter = _Participants(series, len(slots), scale_of, missing)
    if respondent is None or _one_row_each(base):
        counter.from_wide(base, slot_of)
    else:
        counter.from_long(rated, slot_of)
    dropped = str(by) if by is not None and by_missing == "drop" else None
    frame = build_frame(
        slots,
        series.names,
        series.with_all,
        (place, series.codes, code, counts),
        table_values,
        counter.counts,
        min_n,
        dropped,
    )
    frame.attrs["engine"] = getattr(backend, "name", "?")
    return frame


def _check_columns(
    table: Any, mapping: Mapping[str, Any], respondent: str | None, by: str | None
) -> None:
    """Every named column is in the survey, else an error listing its columns."""
    have = list(table.columns)
    wanted = [("items", c) for c in mapping]
    wanted += [("respondent", respondent)] if respondent is not None else []
    wanted += [("by", by)] if by is not None else []
    for what, column in wanted:
        if column not in have:
            raise EvidenceError(
                f"The {what} column {column!r} is not in the survey. Columns: "
                f"{', '.join(map(repr, have[:30]))}{' …' if len(have) > 30 else ''}."
            )


def _scales_of(
    mapping: Mapping[str, Any],
    scale: tuple[float, float],
    scales: Mapping[str, tuple[float, float]] | None,
) -> dict[str, tuple[float, float]]:
    """Each item's rating scale: its own from ``scales``, else ``scale``."""
    default = _scale(scale, "scale")
    scales = scales or {}
    unknown = sorted(set(scales) - set(mapping))
    if unknown:
        raise EvidenceError(f"scales= names {unknown} that are not mapped items")
    return {c: _scale(scales[c], f"scales[{c!r}]") if c in scales else default for c in mapping}


def _touchpoints(journey: Journey, mapping: Mapping[str, Any]) -> tuple[list[str], dict[str, int]]:
    """The touchpoint ids the items name (resolved against the journey, in the order the items
    name them) and each item's index into them."""
    tp_ids: list[str] = []
    item_tp: dict[str, int] = {}
    for column, target in mapping.items():
        try:
            tp = journey.touchpoint(target)
        except Exception as err:
            raise EvidenceError(f"Item {column!r} maps to an unknown touchpoint: {err}") from err
        if tp.id not in tp_ids:
            tp_ids.append(tp.id)
        item_tp[column] = tp_ids.index(tp.id)
    return tp_ids, item_tp


def _wide(
    table: Any,
    mapping: Mapping[str, Any],
    respondent: str | None,
    by: str | None,
    source: object,
    backend: Any,
) -> Any:
    """The survey as respondent, series and one rating column per item (numbers); a text
    column holding answers that are not numbers is an error naming a few. A text file on
    DuckDB is parsed once into a temporary table (these columns only), not per query."""
    import ibis

    resp = table[respondent] if respondent is not None else ibis.row_number()
    series = table[by].cast("string") if by is not None else ibis.literal("all")
    cols = {_RESP: resp, _SERIES: series}
    cols.update({c: _rating_expr(table, c) for c in mapping})
    _refuse_text_answers(table, [c for c in mapping if table[c].type().is_string()])
    base = table.select(**cols)
    is_text_file = isinstance(source, (str, os.PathLike)) and not str(source).lower().endswith(
        (".parquet", ".parq", ".pq")
    )
    if is_text_file and getattr(backend, "name", "") == "duckdb":
        from cjm_widgets.events._source import _temp_name

        base = backend.create_table(_temp_name(), base, temp=True)
    return base


def _refuse_text_answers(table: Any, texts: Sequence[str]) -> None:
    """Text answers that are not numbers, counted per item in one pass over the source."""

    def not_a_number(raw: Any) -> Any:
        return raw.notnull() & (raw.strip() != "") & raw.strip().try_cast("float64").isnull()

    checks = {f"_bad{i}": not_a_number(table[c]).cast("int64").sum() for i, c in enumerate(texts)}
    if not checks:
        return
    found = table.aggregate(**checks).to_pandas().iloc[0]
    for i, column in enumerate(texts):
        if int(found[f"_bad{i}"] or 0):
            bad = table.filter(not_a_number(table[column]))
            sample = bad.select(column).limit(3).to_pandas()[column].tolist()
            raise EvidenceError(
                f"The rating column {column!r} holds {int(found[f'_bad{i}']):,} text answers "
                f"that are not numbers (e.g. {', '.join(map(repr, sample))}): fix the source "
                "or read it with Evidence.from_survey, which maps text answers."
            )


def _histogram(base: Any, mapping: Mapping[str, Any]) -> tuple[Any, pd.DataFrame]:
    """The rated answers (unpivoted, in the engine) and their histogram per item × series ×
    rating (in pandas, with the item as text ``_item`` and the rating as a float ``_r``)."""
    long = base.pivot_longer(list(mapping), names_to=_ITEM, values_to=_RATING)
    rated = long.filter(long[_RATING].notnull() & ~long[_RATING].isnan())
    hist = rated.group_by([_ITEM, _SERIES, _RATING]).aggregate(n=rated.count()).to_pandas()
    hist["_item"] = hist[_ITEM].astype(str)
    hist["_r"] = hist[_RATING].astype("float64")
    return rated, hist


def _counted_rows(
    hist: pd.DataFrame,
    mapping: Mapping[str, Any],
    scale_of: Mapping[str, tuple[float, float]],
    missing: Any,
    on_invalid: str,
) -> pd.DataFrame:
    """The histogram without missing codes and, with ``on_invalid="missing"``, without
    ratings outside their scale (which raise otherwise)."""
    keep = np.ones(len(hist), dtype=bool)
    for column in mapping:
        rows = (hist["_item"] == column).to_numpy()
        lo, hi = scale_of[column]
        codes = _codes(missing, column)
        r = hist["_r"].to_numpy()
        is_code = np.isin(r, codes) if codes else np.zeros(len(r), bool)
        outside = rows & ~is_code & ((r < lo) | (r > hi))
        if outside.any() and on_invalid == "raise":
            found = sorted(set(r[outside].tolist()))
            raise EvidenceError(
                f"The rating column {column!r} holds values outside its scale {lo:g}–{hi:g} "
                f"({int(hist.loc[outside, 'n'].sum()):,} answers, e.g. {found[:3]}): fix the "
                "scale (scale= or scales=), name them as missing= codes, or pass "
                "on_invalid='missing' to leave them out."
            )
        keep &= ~(rows & (is_code | outside))
    return hist[keep].reset_index(drop=True)


@dataclass
class _Series:
    """The curve's series: their names (sorted; "not given" last with ``by_missing="label"``),
    each histogram row's series code (``len(names)``: in no named series) and whether an
    "All" series is added."""

    names: list[str]
    codes: np.ndarray
    with_all: bool
    by_missing: str

    @classmethod
    def of(
        cls, labels: pd.Series, *, by: str | None, by_missing: str, overall: bool | None
    ) -> _Series:
        if by is None:
            return cls([], np.zeros(len(labels), dtype=np.int64), True, by_missing)
        is_null = labels.isna().to_numpy()
        names = sorted({str(v) for v in labels[~is_null]})
        if by_missing == "label" and is_null.any():
            names.append(MISSING if MISSING not in names else f"({MISSING})")
        index = {name: i for i, name in enumerate(names)}
        # rows without a value: the "not given" series, or in no named series (code n_named)
        nowhere = len(names) - 1 if by_missing == "label" else len(names)
        codes = np.array(
            [nowhere if nul else index[str(v)] for v, nul in zip(labels, is_null, strict=True)],
            dtype=np.int64,
        )
        return cls(names, codes, bool(overall), by_missing)

    def column(self, label: object) -> int | None:
        """The series column of a label (a missing one: "not given", or None when dropped)."""
        if pd.isna(label):
            return len(self.names) - 1 if self.by_missing == "label" else None
        return self.names.index(str(label))


def _one_row_each(base: Any) -> bool:
    """True when the respondent ids are unique (one row per respondent)."""
    got = base.aggregate(n=base.count(), k=base[_RESP].nunique()).to_pandas().iloc[0]
    return int(got["n"]) == int(got["k"])


class _Participants:
    """Distinct respondents per slot × series (and per slot for "All"), counted in the
    engine; a respondent counts in a slot when one of its items there holds a counted answer
    (a number, not a missing code, inside the scale)."""

    def __init__(
        self,
        series: _Series,
        n_slots: int,
        scale_of: Mapping[str, tuple[float, float]],
        missing: Any,
    ) -> None:
        self.series, self.scale_of, self.missing = series, scale_of, missing
        self.n_named = len(series.names)
        width = self.n_named + (1 if series.with_all else 0)
        self.counts = np.zeros((n_slots, width), dtype=np.int64)

    def _counted(self, value: Any, column: str) -> Any:
        lo, hi = self.scale_of[column]
        codes = _codes(self.missing, column)
        ok = value.notnull() & ~value.isnan() & (value >= lo) & (value <= hi)
        return ok & ~value.isin(list(codes)) if codes else ok

    def _put(self, slot: int, label: object, k: int) -> None:
        j = self.series.column(label)
        if j is not None:
            self.counts[slot, j] = k

    def from_wide(self, base: Any, slot_of: Mapping[str, int]) -> None:
        """One row per respondent: a sum per series over the wide table, no unpivot."""
        slot_items: dict[int, list[str]] = {}
        for column, s in slot_of.items():
            if s >= 0:
                slot_items.setdefault(s, []).append(column)
        flags = {}
        for s, columns in slot_items.items():
            flag = self._counted(base[columns[0]], columns[0])
            for column in columns[1:]:
                flag |= self._counted(base[column], column)
            flags[f"_s{s}"] = flag.cast("int64").sum()
        per = base.group_by(_SERIES).aggregate(**flags).to_pandas()
        for s in slot_items:
            col = per[f"_s{s}"].fillna(0).astype("int64")
            if self.n_named:
                for lab, k in zip(per[_SERIES], col, strict=True):
                    self._put(s, lab, int(k))
            if self.series.with_all:
                self.counts[s, self.n_named] = int(col.sum())

    def from_long(self, rated: Any, slot_of: Mapping[str, int]) -> None:
        """A respondent on several rows: distinct ids over the unpivoted answers."""
        import ibis

        ok = ibis.literal(False)
        for column in slot_of:
            ok |= (rated[_ITEM] == column) & self._counted(rated[_RATING], column)
        slot_table = ibis.memtable(
            pd.DataFrame({_ITEM: list(slot_of), "_slot": list(slot_of.values())})
        )
        placed = rated.filter(ok).join(slot_table, _ITEM).filter(lambda r: r._slot >= 0)
        if self.n_named:
            per = placed.group_by(["_slot", _SERIES]).aggregate(k=placed[_RESP].nunique())
            for s, lab, k in per.to_pandas().itertuples(index=False):
                self._put(int(s), lab, int(k))
        if self.series.with_all:
            per = placed.group_by("_slot").aggregate(k=placed[_RESP].nunique()).to_pandas()
            for s, k in zip(per["_slot"], per["k"], strict=True):
                self.counts[int(s), self.n_named] = int(k)
