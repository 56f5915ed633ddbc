"""What every evidence reader shares: :class:`RawEvidence`, the column names, checks of
columns and ids, item/scale/missing-code arguments. Usage: internal, for the reader modules."""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Container, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence._survey import (
    LongColumns,
    SurveyIds,
)

#: Allowed values of the ``source`` column (its categories, in this order).
SOURCES: tuple[str, ...] = ("interview", "survey", "review", "ticket", "other")
TRANSCRIPT_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".vtt", ".srt", ".docx", ".csv", ".tsv")
TABLE_EXTENSIONS: tuple[str, ...] = (
    ".csv",
    ".tsv",
    ".txt",
    ".csv.gz",
    ".tsv.gz",
    ".xlsx",
    ".xlsm",
)
BASE_COLUMNS: tuple[str, ...] = (
    "evidence_id",
    "source",
    "document",
    "participant",
    "position",
    "text",
    "rating",
)
_UNNAMED = re.compile(r"^Unnamed: \d+(_level_\d+)?$")
_STR = "str"  # pandas' Arrow-backed string dtype
_SOURCE_DTYPE = pd.CategoricalDtype(list(SOURCES))


class RawEvidence:
    """What a reader returns: the raw evidence ``frame`` and ``meta`` about how it was read.

    Usage::

        raw = read_survey(df, items=["Seat comfort"])
        raw.frame.head(); raw.meta["scales"]

    A survey's long table is built on the first read of ``frame`` (the :class:`Evidence`
    store takes its columns one by one, when used, and derives the evidence ids).
    """

    def __init__(
        self,
        frame: pd.DataFrame | None = None,
        meta: dict[str, Any] | None = None,
        *,
        columns: LongColumns | None = None,
        ids: SurveyIds | None = None,
    ) -> None:
        if frame is None and columns is None:
            raise EvidenceError("RawEvidence needs a frame")
        self._frame = frame
        self._columns = columns
        self._ids = ids
        self.meta: dict[str, Any] = meta if meta is not None else {}

    @property
    def frame(self) -> pd.DataFrame:
        """The raw evidence table (built on first read for a survey)."""
        if self._frame is None:
            assert self._columns is not None
            self._frame = self._columns.to_frame()
        return self._frame

    @frame.setter
    def frame(self, value: pd.DataFrame) -> None:
        self._frame = value

    def lazy(self) -> tuple[LongColumns, SurveyIds | None] | None:
        """The not-yet-built columns and the id recipe, while ``frame`` was never read
        (the store then builds only what it uses); None otherwise."""
        if self._frame is None and self._columns is not None:
            return self._columns, self._ids
        return None

    def __len__(self) -> int:
        return len(self._frame) if self._frame is not None else len(self._columns or ())

    def __repr__(self) -> str:
        return f"RawEvidence({len(self)} rows, reader={self.meta.get('reader')!r})"


# ----------------------------------------------------------------------------- shared helpers


def _meta(reader: str, **kw: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "reader": reader,
        "files": [],
        "encodings": {},
        "warnings": [],
        "scales": {},
        "missing_codes": {},
        "invalid": {"count": 0, "by_item": {}, "examples": []},
        "n_rows": 0,
    }
    meta.update(kw)
    return meta


def _warn(meta: dict[str, Any], message: str) -> None:
    meta["warnings"].append(message)
    warnings.warn(message, UserWarning, stacklevel=3)


def _source_cat(source: str, n: int) -> pd.Categorical:
    if source not in SOURCES:
        raise EvidenceError(f"source={source!r} is not one of {list(SOURCES)}")
    codes = np.full(n, SOURCES.index(source), dtype=np.int8)
    return pd.Categorical.from_codes(codes, dtype=_SOURCE_DTYPE, validate=False)


def _const_cat(value: str, n: int) -> pd.Categorical:
    return pd.Categorical.from_codes(
        np.zeros(n, np.int8), dtype=pd.CategoricalDtype([value]), validate=False
    )


def _str_array(values: Iterable[str] | pa.Array) -> pd.api.extensions.ExtensionArray:
    arr = (
        values
        if isinstance(values, pa.Array | pa.ChunkedArray)
        else pa.array(list(values), type=pa.string())
    )
    return pd.array(arr, dtype=_STR)


def _doc_name(path: Path) -> str:
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return Path(name).stem or name


def _missing_column(what: str, name: object, columns: Sequence[object]) -> EvidenceError:
    cols = [str(c) for c in columns]
    folded = {c.casefold(): c for c in cols}
    close = (
        [folded[str(name).casefold()]]
        if str(name).casefold() in folded
        else [
            folded[m]
            for m in difflib.get_close_matches(str(name).casefold(), list(folded), n=1, cutoff=0.6)
        ]
    )
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return EvidenceError(f"{what}: column {name!r} does not exist.{hint} The columns are: {cols}")


def _check_columns(df: pd.DataFrame, names: Iterable[object], what: str) -> None:
    for name in names:
        if name not in df.columns:
            raise _missing_column(what, name, list(df.columns))
        if isinstance(df.columns, pd.MultiIndex) and not isinstance(df[name], pd.Series):
            raise EvidenceError(
                f"{what}: {name!r} names several columns of a multi-level header; flatten "
                "the header first, e.g. df.columns = [' '.join(map(str, c)).strip() for c in "
                "df.columns]"
            )


def _segment_columns(
    df: pd.DataFrame,
    segments: str | Sequence[str] | None,
    used: Container[object],
    *,
    rename: str = "rename them",
) -> list[str]:
    """The columns a reader keeps as segments: ``segments`` (one name or several, each
    checked to exist), or when None every column not in ``used`` (pandas' ``Unnamed: n``
    index columns left out). A segment named like an evidence column is an error whose way out
    starts with ``rename``."""
    if segments is None:
        kept = [c for c in df.columns if c not in used and not _UNNAMED.match(str(c))]
    else:
        kept = [segments] if isinstance(segments, str) else list(segments)
        _check_columns(df, kept, "segments")
    _refuse_reserved(kept, f"{rename} or pass segments=[...] without them")
    return kept


def _refuse_reserved(segments: Iterable[object], way_out: str) -> None:
    """An error when a segment column is named like an evidence column, saying ``way_out``."""
    clash = [c for c in segments if c in _RESERVED]
    if clash:
        raise EvidenceError(f"segment columns {clash} clash with evidence columns; {way_out}")


def _check_unique_columns(df: pd.DataFrame) -> None:
    if not df.columns.is_unique:
        dups = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
        raise EvidenceError(
            f"the column names {dups} appear more than once; give every column its own name "
            "(e.g. df.columns = [...]) before reading"
        )


def _unhashable_error(df: pd.DataFrame, columns: Iterable[object], err: Exception) -> Exception:
    """An EvidenceError naming a column of lists/dicts (not usable as a segment), else err."""
    for c in columns:
        col = df[c]
        if col.dtype != object:
            continue
        for v in col:
            try:
                hash(v)
            except TypeError:
                return EvidenceError(
                    f"column {c!r} holds {type(v).__name__} values (e.g. {str(v)[:40]!r}), which "
                    f"cannot be a segment; convert them to text (df[{c!r}] = df[{c!r}]"
                    ".astype(str)) or leave the column out"
                )
    return err


def _check_on_invalid(on_invalid: str) -> None:
    if on_invalid not in ("raise", "missing"):
        raise EvidenceError(f"on_invalid={on_invalid!r}: use 'raise' or 'missing'")


def _touchpoint_key(value: object) -> str:
    if isinstance(value, str):
        return value
    for attr in ("id", "name"):
        got = getattr(value, attr, None)
        if isinstance(got, str):
            return got
    return str(value)


def _item_mapping(items: Mapping[str, object] | Sequence[str] | None, arg: str) -> dict[str, str]:
    if items is None:
        return {}
    if isinstance(items, str):
        return {items: items}
    if isinstance(items, Mapping):
        return {k: _touchpoint_key(v) for k, v in items.items()}
    return {c: str(c) for c in items}


def _scale_pair(value: object, what: str) -> tuple[float, float]:
    try:
        pair: Any = value  # any user value: unpacking and float() check it
        lo_raw, hi_raw = pair
        lo, hi = float(lo_raw), float(hi_raw)
    except (TypeError, ValueError):
        raise EvidenceError(f"{what}={value!r}: give a (low, high) pair such as (1, 5)") from None
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise EvidenceError(f"{what}={value!r}: low and high must be finite numbers")
    if not lo < hi:
        raise EvidenceError(f"{what}={value!r}: low must be smaller than high")
    return lo, hi


def _scales_for(
    items: Sequence[str], scale: tuple[float, float], scales: Mapping[str, object] | None
) -> dict[str, tuple[float, float]]:
    default = _scale_pair(scale, "scale")
    scales = dict(scales or {})
    unknown = [k for k in scales if k not in items]
    if unknown:
        raise EvidenceError(
            f"scales= names {unknown} that are not mapped items; the items are {list(items)}"
        )
    return {
        it: _scale_pair(scales[it], f"scales[{it!r}]") if it in scales else default for it in items
    }


def _missing_for(
    items: Sequence[str], missing: Sequence[object] | Mapping[str, Sequence[object]] | None
) -> dict[str, tuple[object, ...]]:
    if missing is None:
        return dict.fromkeys(items, ())
    if isinstance(missing, Mapping):
        unknown = [k for k in missing if k not in items]
        if unknown:
            raise EvidenceError(
                f"missing= names {unknown} that are not mapped items; the items are {list(items)}"
            )
        return {it: tuple(_as_tuple(missing.get(it, ()))) for it in items}
    return dict.fromkeys(items, tuple(_as_tuple(missing)))


def _as_tuple(value: object) -> tuple[object, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int | float):
        return (value,)
    return tuple(value)  # type: ignore[arg-type]


def _row_keys(values: pd.Series | None, n: int, what: str, meta: dict[str, Any]) -> pa.Array:
    """Respondent/row ids as strings; row numbers when None; duplicates get '~2', '~3'…

    The result is unique (checked on the integers when the ids are integers: fast).
    """
    if values is None:
        return pa.array(np.arange(n)).cast(pa.string())
    s = values
    ints = _int_ids(values)
    if ints is not None:
        keys = pa.array(ints).cast(pa.string())
        unique = _unique_ints(ints)
    else:
        na = s.isna().to_numpy()
        texts = s.astype(object).where(~na, "").map(lambda v: str(v).strip()).tolist()
        blank = na | np.array([t == "" for t in texts], dtype=bool)
        keys = pa.array(_blank_to_row(texts, blank), type=pa.string())
        unique = pd.Index(texts, dtype=object).is_unique and not blank.any()
        if not unique:
            unique = pd.Index(keys.to_pylist(), dtype=object).is_unique
    if not unique:
        ser = pd.Series(keys.to_numpy(zero_copy_only=False), dtype=object)
        dup = ser.duplicated(keep="first").to_numpy()
        nth = ser.groupby(ser, sort=False).cumcount().to_numpy() + 1
        fixed = _suffixed(ser.tolist(), nth.tolist(), dup.tolist())
        examples = sorted(set(ser[dup].head(5)))
        _warn(
            meta,
            f"{int(dup.sum())} rows repeat an existing {what} id (e.g. {examples}); "
            "they were given the suffixes ~2, ~3… to keep evidence ids unique",
        )
        keys = pa.array(fixed, type=pa.string())
    return keys


def _int_ids(values: pd.Series) -> np.ndarray | None:
    """The ids as int64 when they are whole numbers without blanks, else None (text ids)."""
    s = values
    if pd.api.types.is_float_dtype(s.dtype):
        whole = s.notna() & np.isfinite(s) & (s == np.floor(s))
        if whole.all():
            s = s.astype("int64")
    if (
        pd.api.types.is_integer_dtype(s.dtype)
        and not isinstance(s.dtype, pd.CategoricalDtype)
        and not s.isna().any()
    ):
        return s.to_numpy(dtype="int64")
    return None


def _unique_ints(ints: np.ndarray) -> bool:
    """Whether the integers are distinct: one counting pass when they span a small range
    (respondent numbers usually do), else a hash table."""
    if len(ints) < 2:
        return True
    low, high = int(ints.min()), int(ints.max())
    if high - low < 4 * len(ints) + 1024:
        return int(np.bincount(ints - low).max()) <= 1
    return bool(pd.Index(ints).is_unique)


# pandas' private constructor that skips re-checking known-unique categories (30 ms for 100k
# respondents); the public constructor is the fallback (pinned by a test)
_FASTPATH = getattr(pd.CategoricalDtype, "_from_fastpath", None)


def _unique_categories(keys: pa.Array) -> pd.CategoricalDtype:
    """Categorical dtype over ``keys``, known to be unique (skips pandas' re-hashing)."""
    index = pd.Index(pd.array(keys, dtype=_STR))
    if _FASTPATH is not None:
        try:
            dtype = _FASTPATH(index, False)
            if isinstance(dtype, pd.CategoricalDtype):
                return dtype
        except TypeError:
            pass
    return pd.CategoricalDtype(index)


def _suffixed(keys: list[str], nth: list[int], dup: list[bool]) -> list[str]:
    """Repeated keys get ``~2``, ``~3``…, skipping any suffix an id in the data already has."""
    taken = set(keys)
    out = []
    for key, n, is_dup in zip(keys, nth, dup, strict=True):
        if is_dup:
            while f"{key}~{n}" in taken:
                n += 1
            key = f"{key}~{n}"
            taken.add(key)
        out.append(key)
    return out


def _blank_to_row(texts: list[str], blank: np.ndarray) -> list[str]:
    return [f"row{i}" if b else t for i, (t, b) in enumerate(zip(texts, blank, strict=True))]


def _text_like(series: pd.Series) -> bool:
    return (
        pd.api.types.is_object_dtype(series.dtype)
        or pd.api.types.is_string_dtype(series.dtype)
        or isinstance(series.dtype, pd.CategoricalDtype)
    )


_RESERVED = frozenset(
    (*BASE_COLUMNS, "item", "touchpoint", "emotion", "speaker", "role", "start", "end")
)
