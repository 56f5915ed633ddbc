"""Vectorised long-format builders for survey and rating evidence (internal).

A survey of n respondents × k items becomes n·k rows without a Python loop over rows:
columns are repeated with numpy (``np.repeat`` / ``np.tile`` on categorical codes) and the
evidence ids are written straight into an Arrow string buffer. :class:`LongColumns` builds
each column of the long table only when it is first used, and :class:`SurveyIds` answers id
questions (row → id, id → row) from (document, respondent, item) without the 1.45M-string id
column of a large survey. Usage::

    ids = cross_concat(pa.array(["s:1:", "s:2:"]), ["Food", "Seat"])
    # ["s:1:Food", "s:1:Seat", "s:2:Food", "s:2:Seat"]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "LongColumns",
    "SurveyIds",
    "cross_concat",
    "once",
    "repeat_column",
    "scale_to_emotion",
    "segment_builder",
    "to_str_array",
]

_INT32_MAX = 2**31 - 1


def to_str_array(values: Sequence[str] | pa.Array) -> pa.Array:
    """A non-null Arrow large_string array."""
    arr = values if isinstance(values, pa.Array) else pa.array(list(values), type=pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def cross_concat(prefixes: Sequence[str] | pa.Array, suffixes: Sequence[str]) -> pa.Array:
    """Strings ``prefixes[i] + suffixes[j]`` for every (i, j), i-major, as an Arrow array.

    One Arrow ``take`` lays out ``prefix, suffix, prefix, suffix, …`` (2·n·k pieces) so that
    its data buffer is exactly the concatenated ids; every other offset then delimits one id.
    No Python loop over rows. Returns ``pa.string()`` (``pa.large_string()`` beyond 2 GiB).
    """
    a = to_str_array(prefixes)
    b = to_str_array(suffixes)
    n, k = len(a), len(b)
    if n == 0 or k == 0:
        return pa.array([], type=pa.string())
    a_bytes = int(pc.sum(pc.binary_length(a)).as_py() or 0)
    b_bytes = int(pc.sum(pc.binary_length(b)).as_py() or 0)
    large = a_bytes * k + b_bytes * n > _INT32_MAX
    typ = pa.large_string() if large else pa.string()
    pieces = pa.concat_arrays([a.cast(typ), b.cast(typ)])
    itype = np.int64 if n + k > _INT32_MAX else np.int32
    idx = np.empty((n, k, 2), itype)
    idx[:, :, 0] = np.arange(n, dtype=itype)[:, None]
    idx[:, :, 1] = np.arange(n, n + k, dtype=itype)[None, :]
    laid = pieces.take(pa.array(idx.ravel()))
    otype = np.int64 if large else np.int32
    offsets = np.frombuffer(laid.buffers()[1], otype, count=2 * n * k + 1)
    ids_offsets = np.ascontiguousarray(offsets[0::2])
    cls = pa.LargeStringArray if large else pa.StringArray
    return cls.from_buffers(n * k, pa.py_buffer(ids_offsets), laid.buffers()[2])


def scale_to_emotion(
    values: np.ndarray, lo: np.ndarray | np.floating, hi: np.ndarray | np.floating
) -> np.ndarray:
    """Map ratings linearly from [lo, hi] onto −2..+2 (broadcasting per item column)."""
    out = np.subtract(values, lo)
    out *= 4.0 / (np.asarray(hi, dtype=np.float64) - lo)
    out -= 2.0
    return out


def _as_categorical(series: pd.Series) -> pd.Categorical:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.array
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques))


def repeat_column(series: pd.Series, times: int, *, categorical: bool | None = None) -> object:
    """Repeat each value ``times`` times (respondent-major) cheaply.

    Strings/objects become a categorical (codes repeated) — the values are unchanged; numbers,
    booleans and datetimes keep their dtype. ``categorical=None`` → category for text-like
    columns, True/False forces it.
    """
    text_like = (
        pd.api.types.is_object_dtype(series.dtype)
        or pd.api.types.is_string_dtype(series.dtype)
        or isinstance(series.dtype, pd.CategoricalDtype)
    )
    if categorical is None:
        categorical = text_like
    if categorical:
        cat = _as_categorical(series)
        codes = np.repeat(cat.codes, times)
        return pd.Categorical.from_codes(codes, dtype=cat.dtype, validate=False)
    if times == 1:
        return series.array
    if isinstance(series.dtype, np.dtype):
        return np.repeat(series.to_numpy(), times)
    return series.array.take(np.repeat(np.arange(len(series)), times))


# ------------------------------------------------------------------------------ lazy ids


class SurveyIds:
    """Evidence ids of a survey's rating rows, derived from (document, respondent, item).

    Row ``r`` is respondent ``r // k`` and item ``r % k`` and its id is
    ``f"{doc}:{keys[r // k]}:{items[r % k]}"`` — the same text the eager reader wrote. The full
    id column (1.45M strings for a 100k × 14 survey) is built only by :meth:`materialize`;
    :meth:`take` and :meth:`rows` answer from the parts. ``materialized`` counts full builds.

    Usage::

        ids = SurveyIds("s", pa.array(["1", "2"]), ["Food", "Seat"])
        ids.take([3])            # array(['s:2:Seat'], dtype=object)
        ids.rows(["s:1:Seat"])   # array([1])
    """

    _SMALL = 1_000  # up to this many ids: Python dict lookups, else one vectorised Arrow pass

    def __init__(
        self,
        doc: str,
        keys: pa.Array | Callable[[], pa.Array],
        items: Sequence[str],
        *,
        n: int | None = None,
    ) -> None:
        self.doc = doc
        self._keys = keys  # the respondent ids as text, or a maker of them
        self.items = [str(x) for x in items]
        self.n = n if n is not None else len(keys)  # type: ignore[arg-type]
        self.k = len(self.items)
        self.materialized = 0
        self._prefixes: pa.Array | None = None
        self._heads: pa.Array | None = None
        self._head_code: dict[str, int] | None = None
        self._item_code = {it: j for j, it in enumerate(self.items)}

    def __len__(self) -> int:
        return self.n * self.k

    @property
    def keys(self) -> pa.Array:
        """The respondent ids as text (made on first use)."""
        if callable(self._keys):
            self._keys = self._keys()
        return self._keys

    @property
    def exact(self) -> bool:
        """True when every id splits back into one (respondent, item) pair (no item holds
        ``":"``); only then do lookups skip the full id column."""
        return not any(":" in it for it in self.items)

    @property
    def nbytes(self) -> int:
        """Memory of the parts built so far (bytes)."""
        parts = [self._keys, self._prefixes, self._heads]
        return sum(int(p.nbytes) for p in parts if isinstance(p, pa.Array))

    def _heads_array(self) -> pa.Array:
        """``"<doc>:<respondent>"`` per respondent."""
        if self._heads is None:
            self._heads = to_str_array(pc.binary_join_element_wise(self.doc, self.keys, ":"))
        return self._heads

    def prefixes(self) -> pa.Array:
        """``"<doc>:<respondent>:"`` per respondent."""
        if self._prefixes is None:
            self._prefixes = to_str_array(pc.binary_join_element_wise(self.doc, self.keys, "", ":"))
        return self._prefixes

    def materialize(self) -> pa.Array:
        """The whole id column (respondent-major), as one Arrow string array."""
        self.materialized += 1
        return cross_concat(self.prefixes(), self.items)

    def take(self, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """Ids of ``rows`` (numpy object array of str) without building the id column."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0:
            return np.empty(0, dtype=object)
        resp, item = np.divmod(rows, self.k)
        heads = self.prefixes().take(pa.array(resp))
        names = pa.array(self.items, type=pa.large_string()).take(pa.array(item))
        joined = pc.binary_join_element_wise(heads, names, pa.scalar("", pa.large_string()))
        return np.array(joined.to_pylist(), dtype=object)

    def rows(self, ids: Sequence[str] | pa.Array) -> np.ndarray:
        """Rows of ``ids`` (int64, -1 where an id is not one of these). Needs :attr:`exact`."""
        if isinstance(ids, pa.Array | pa.ChunkedArray):
            needles = to_str_array(ids)
            if len(needles) <= self._SMALL:
                return self._rows_small(needles.to_pylist())
            return self._rows_arrow(needles)
        values = list(ids)
        if len(values) <= self._SMALL:
            return self._rows_small(values)
        return self._rows_arrow(to_str_array(pa.array(values, type=pa.large_string())))

    def _rows_small(self, values: list[Any]) -> np.ndarray:
        if self._head_code is None:
            self._head_code = {h: i for i, h in enumerate(self._heads_array().to_pylist())}
        heads, items, k = self._head_code, self._item_code, self.k
        out = np.full(len(values), -1, dtype=np.int64)
        for i, value in enumerate(values):
            if not isinstance(value, str):
                continue
            head, sep, item = value.rpartition(":")
            if sep:
                r, j = heads.get(head), items.get(item)
                if r is not None and j is not None:
                    out[i] = r * k + j
        return out

    def _rows_arrow(self, needles: pa.Array) -> np.ndarray:
        # split each id at its last ":" into (head, item); look both up in hash sets
        parts = pc.split_pattern(needles, ":", max_splits=1, reverse=True)
        two = pc.list_value_length(parts).to_numpy(zero_copy_only=False) == 2
        offsets = parts.offsets.to_numpy()
        first = offsets[:-1][two] - offsets[0]
        flat = parts.flatten()
        head = pc.index_in(flat.take(pa.array(first)), value_set=self._heads_array())
        item = pc.index_in(
            flat.take(pa.array(first + 1)), value_set=pa.array(self.items, type=pa.large_string())
        )
        r = head.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        j = item.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        found = (r >= 0) & (j >= 0)
        out = np.full(len(needles), -1, dtype=np.int64)
        out[np.flatnonzero(two)[found]] = r[found] * self.k + j[found]
        return out


# --------------------------------------------------------------------------- lazy columns


class LongColumns:
    """The raw columns of a long evidence table, each built on first use (internal).

    Wraps either a built DataFrame (every column ready) or per-column builders, so that a
    survey's long table (n respondents × k items) costs nothing until a column is read.
    Offers the small part of the DataFrame API the evidence store uses. Usage::

        cols = LongColumns(2, {"a": lambda: np.arange(2), "b": np.zeros(2)})
        cols["a"]; cols.columns; cols.to_frame()
    """

    def __init__(
        self,
        n: int,
        builders: Mapping[str, Callable[[], Any] | Any] | None = None,
        *,
        frame: pd.DataFrame | None = None,
        held: Sequence[Any] = (),
        patterns: Mapping[str, tuple[np.ndarray, pd.CategoricalDtype]] | None = None,
    ) -> None:
        self._n = n
        # categorical columns whose codes repeat one short pattern (per survey item)
        self._patterns = dict(patterns or {})
        self._frame = frame
        self._builders: dict[str, Any] = dict(builders or {})
        self._built: dict[str, pd.Series] = {}
        self._held = list(held)  # respondent-level data the builders keep

    @classmethod
    def of_frame(cls, frame: pd.DataFrame) -> LongColumns:
        """Wrap a built DataFrame (RangeIndex from 0)."""
        return cls(len(frame), frame=frame)

    def __len__(self) -> int:
        return self._n

    @property
    def columns(self) -> pd.Index:
        if self._frame is not None:
            return self._frame.columns
        return pd.Index(list(self._builders), dtype=object)

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def pattern(self, name: str) -> tuple[np.ndarray, pd.CategoricalDtype] | None:
        """(codes, dtype) when column ``name`` is categorical with codes ``np.tile(codes, m)``
        (cheaper to use than the column); None otherwise."""
        return self._patterns.get(name) if name in self.columns else None

    def is_built(self, name: str) -> bool:
        """Whether column ``name`` exists in memory."""
        return self._frame is not None or name in self._built

    def __getitem__(self, name: str) -> pd.Series:
        if self._frame is not None:
            return self._frame[name]
        got = self._built.get(name)
        if got is None:
            if name not in self._builders:
                raise KeyError(name)
            make = self._builders[name]
            values = make() if callable(make) else make
            got = pd.Series(values, index=pd.RangeIndex(self._n), name=name, copy=False)
            self._built[name] = got
        return got

    def drop(self, columns: Sequence[str]) -> LongColumns:
        """These columns without ``columns`` (built ones are shared, not copied)."""
        if self._frame is not None:
            return LongColumns.of_frame(self._frame.drop(columns=list(columns)))
        gone = set(columns)
        out = LongColumns(
            self._n,
            {c: b for c, b in self._builders.items() if c not in gone},
            held=self._held,
            patterns={c: v for c, v in self._patterns.items() if c not in gone},
        )
        out._built = {c: s for c, s in self._built.items() if c not in gone}
        return out

    def to_frame(self) -> pd.DataFrame:
        """Every column as one DataFrame (builds the missing ones)."""
        if self._frame is not None:
            return self._frame
        return pd.DataFrame({c: self[c] for c in self._builders}, copy=False)

    def nbytes(self) -> int:
        """Memory of the built columns (deep) plus the respondent-level data kept to build
        the others (bytes)."""
        if self._frame is not None:
            return int(self._frame.memory_usage(deep=True, index=False).sum())
        built = sum(int(s.memory_usage(deep=True, index=False)) for s in self._built.values())
        return built + sum(_nbytes(x) for x in self._held)


def _nbytes(value: Any) -> int:
    if isinstance(value, pd.Series):
        return int(value.memory_usage(deep=True, index=False))
    return int(getattr(value, "nbytes", 0))


def once(make: Callable[[], Any]) -> Callable[[], Any]:
    """``make`` called at most once; later calls return the first result."""
    box: list[Any] = []

    def get() -> Any:
        if not box:
            box.append(make())
        return box[0]

    return get


def segment_builder(series: pd.Series, times: int) -> Callable[[], Any]:
    """A builder of ``repeat_column(series, times)``, run on first use. A column of Python
    objects is factorised now, so that unhashable values (lists, dicts) fail at once."""
    if not pd.api.types.is_object_dtype(series.dtype):
        return lambda: repeat_column(series, times)
    cat = _as_categorical(series)

    def build() -> pd.Categorical:
        codes = np.repeat(cat.codes, times)
        return pd.Categorical.from_codes(codes, dtype=cat.dtype, validate=False)

    return build
