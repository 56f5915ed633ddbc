"""Vectorised long-format builders for survey and rating evidence (internal).

A survey of n respondents × k items becomes n·k rows without a Python loop over rows:
columns are repeated with numpy (``np.repeat`` / ``np.tile`` on categorical codes) and the
evidence ids are written straight into an Arrow string buffer. Usage::

    ids = cross_concat(pa.array(["s:1:", "s:2:"]), ["Food", "Seat"])
    # ["s:1:Food", "s:1:Seat", "s:2:Food", "s:2:Seat"]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["cross_concat", "repeat_column", "scale_to_emotion", "to_str_array"]

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


def scale_to_emotion(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Map ratings linearly from [lo, hi] onto −2..+2 (broadcasting per item column)."""
    out = np.subtract(values, lo)
    out *= 4.0 / (np.asarray(hi, dtype=np.float64) - lo)
    out -= 2.0
    return out


def _as_categorical(series: pd.Series) -> pd.Categorical:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.array  # type: ignore[return-value]
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
