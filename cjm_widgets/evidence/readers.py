"""Evidence readers: transcripts, surveys and data frames → one raw evidence DataFrame.

Each reader returns :class:`RawEvidence` (``frame`` + ``meta``); the :class:`Evidence` store
wraps it and adds the tag columns. Usage::

    raw = read_transcripts("interviews/*.vtt")
    raw = read_survey("survey.csv", items={"Seat comfort": "Seat"}, missing=(0,))
    raw = read_frame(reviews, text="review_bodies", ratings=["Seat Comfort"])

Frame columns, in order: ``evidence_id`` (stable, unique), ``source``, ``document``,
``participant``, ``position``, ``text``, ``rating``; transcripts add ``speaker``, ``role``,
``start``, ``end``; survey/rating rows add ``item``, ``touchpoint``, ``emotion`` (−2..+2);
then the input's other columns (segments) verbatim.
"""

from __future__ import annotations

import difflib
import glob
import gzip
import io
import re
import warnings
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cjm_widgets.errors import EvidenceError, ReaderError
from cjm_widgets.evidence._encoding import ENCODINGS_TRIED, decode_bytes, read_text, sniff_encoding
from cjm_widgets.evidence._speakers import (
    NOT_SPEAKER,
    ROLES,
    RoleGuesser,
    file_summary,
    format_summary,
)
from cjm_widgets.evidence._survey import (
    LongColumns,
    SurveyIds,
    cross_concat,
    once,
    repeat_column,
    scale_to_emotion,
    segment_builder,
)
from cjm_widgets.evidence._transcripts import (
    Turn,
    docx_lines,
    interviewer_matcher,
    parse_srt,
    parse_text_lines,
    parse_turns_csv,
    parse_vtt,
)
from cjm_widgets.evidence.participants import ParticipantRule, participant_rule

__all__ = [
    "SOURCES",
    "TABLE_EXTENSIONS",
    "TRANSCRIPT_EXTENSIONS",
    "RawEvidence",
    "read_frame",
    "read_survey",
    "read_transcripts",
]

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
        lo, hi = value  # type: ignore[misc]
        lo, hi = float(lo), float(hi)
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


# --------------------------------------------------------------------------- ratings → emotion


def _numeric_block(
    df: pd.DataFrame, items: Sequence[str], missing: Mapping[str, tuple[object, ...]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(raw ratings n×k float64, missing-code mask, non-numeric mask)."""
    n, k = len(df), len(items)
    if all(pd.api.types.is_numeric_dtype(df[c].dtype) and df[c].dtype != bool for c in items):
        vals = np.ascontiguousarray(df[list(items)].to_numpy(dtype=np.float64, na_value=np.nan))
        codes = {tuple(v) for v in missing.values()}
        if len(codes) == 1:
            numeric = [float(c) for c in next(iter(codes)) if _is_number(c)]
            miss = _isin(vals, numeric)
        else:
            miss = np.zeros((n, k), bool)
            for j, it in enumerate(items):
                numeric = [float(c) for c in missing[it] if _is_number(c)]
                if numeric:
                    miss[:, j] = _isin(vals[:, j], numeric)
        return vals, miss, np.zeros((n, k), bool)
    vals = np.empty((n, k), np.float64)
    miss = np.zeros((n, k), bool)
    bad = np.zeros((n, k), bool)
    for j, it in enumerate(items):
        col = df[it]
        codes = missing[it]
        if pd.api.types.is_numeric_dtype(col.dtype) and col.dtype != bool:
            vals[:, j] = col.to_numpy(dtype=np.float64, na_value=np.nan)
            numeric = [float(c) for c in codes if _is_number(c)]
            miss[:, j] = _isin(vals[:, j], numeric) if numeric else False
            continue
        text = col.astype(object).where(col.notna(), None)
        stripped = text.map(lambda v: v.strip() if isinstance(v, str) else v)
        code_text = {str(c).strip().casefold() for c in codes}
        is_code = stripped.map(
            lambda v, ct=code_text: v is not None and str(v).strip().casefold() in ct
        ).to_numpy(dtype=bool, copy=True)
        blank = stripped.map(lambda v: v is None or v == "").to_numpy(dtype=bool, copy=True)
        num = pd.to_numeric(stripped.where(~blank, None), errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
        numeric_codes = [float(c) for c in codes if _is_number(c)]
        if numeric_codes:
            is_code |= _isin(num, numeric_codes)
        vals[:, j] = num
        miss[:, j] = is_code
        bad[:, j] = np.isnan(num) & ~blank & ~is_code
    return vals, miss, bad


def _plain_emotions(
    df: pd.DataFrame,
    items: Sequence[str],
    missing: Mapping[str, tuple[object, ...]],
    scales: Mapping[str, tuple[float, float]],
) -> np.ndarray | None:
    """Emotion (n×k) straight from plain numeric item columns that share one scale and one
    set of missing codes and hold no rating outside the scale; None otherwise (the general
    path then decides and reports). Same arithmetic as :func:`scale_to_emotion`, without an
    n×k copy of the ratings."""
    cols = [df[c] for c in items]
    if not all(isinstance(c.dtype, np.dtype) and c.dtype.kind in "iuf" for c in cols):
        return None
    if len({scales[it] for it in items}) != 1 or len({missing[it] for it in items}) != 1:
        return None
    lo, hi = (np.float64(x) for x in scales[items[0]])
    codes = [float(c) for c in missing[items[0]] if _is_number(c)]
    block = np.empty((len(items), len(df)), dtype=np.float64)  # item-major: contiguous rows
    for j, col in enumerate(cols):
        values = block[j]
        values[:] = col.to_numpy()
        with np.errstate(invalid="ignore"):
            low = np.fmin.reduce(values) if len(values) else lo
            high = np.fmax.reduce(values) if len(values) else hi
            outside = values[(values < lo) | (values > hi)] if low < lo or high > hi else None
        if outside is not None and not _isin(outside, codes).all():
            return None  # a rating outside the scale that is not a missing code
    miss = _isin(block, codes) if codes else None
    block -= lo
    block *= 4.0 / (hi - lo)
    block -= 2.0
    if miss is not None:
        np.putmask(block, miss, np.nan)
    return np.ascontiguousarray(block.T)  # respondent-major


def _isin(values: np.ndarray, codes: Sequence[float]) -> np.ndarray:
    """``np.isin`` for a few codes, as cheap equality passes."""
    if not codes:
        return np.zeros(values.shape, bool)
    if len(codes) > 4:
        return np.isin(values, codes)
    out = values == codes[0]
    for code in codes[1:]:
        out |= values == code
    return out


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _is_boolean(col: pd.Series) -> bool:
    """A yes/no column: bool dtype, or objects that are all True/False (missing allowed)."""
    if pd.api.types.is_bool_dtype(col.dtype):
        return True
    if not pd.api.types.is_object_dtype(col.dtype):
        return False
    present = col.dropna()
    return len(present) > 0 and all(isinstance(v, bool | np.bool_) for v in present.tolist())


def _booleans_as_yes_no(
    df: pd.DataFrame,
    items: Sequence[str],
    scales: dict[str, tuple[float, float]],
    missing: dict[str, tuple[object, ...]],
    meta: dict[str, Any],
) -> pd.DataFrame:
    """Boolean rating columns read as yes/no: True → +2, False → −2 (their scale becomes
    (0, 1) and no missing codes apply), with a warning; ``df`` unchanged without them."""
    yes_no = [c for c in items if _is_boolean(df[c])]
    if not yes_no:
        return df
    df = df.copy(deep=False)
    meta["yes_no_items"] = yes_no
    for c in yes_no:
        df[c] = df[c].astype("float64")
        scales[c] = (0.0, 1.0)
        missing[c] = ()
    _warn(
        meta,
        f"rating columns {yes_no} hold yes/no values (True/False): read True as +2 and False "
        "as −2 on the emotion scale. To read them otherwise, turn them into numbers of the "
        "declared scale before reading.",
    )
    return df


def _check_scale_use(
    emo: np.ndarray, items: Sequence[str], scales: Mapping[str, tuple[float, float]], meta: dict
) -> None:
    """Warn when no rating reaches above the middle of its declared scale (e.g. 1..5 answers
    declared as 1..10 give emotions of −2…−0.2 only): the scale is probably wrong."""
    yes_no = set(meta.get("yes_no_items", ()))
    keep = [j for j, it in enumerate(items) if it not in yes_no]
    if not emo.size or not keep:
        return
    if len(keep) < len(items):
        emo, items = emo[:, keep], [items[j] for j in keep]
    with np.errstate(invalid="ignore"):
        top = np.fmax.reduce(emo, axis=None)
    if not top <= 0:  # NaN (no ratings) or a rating above the middle
        return
    answered = int(np.count_nonzero(~np.isnan(emo)))
    if answered < 20:
        return
    declared = sorted({scales[it] for it in items})
    shown = ", ".join(f"{lo:g}–{hi:g}" for lo, hi in declared)
    lo, hi = declared[0]
    highest = lo + (float(top) + 2.0) * (hi - lo) / 4.0
    hint = f" (the highest is {highest:g})" if len(declared) == 1 else ""
    _warn(
        meta,
        f"none of {answered} ratings is above the middle of the declared scale {shown}"
        f"{hint}, so every emotion is ≤ {float(top):+.2f}. If the questionnaire's scale is "
        "shorter, declare it with scale=(lo, hi) or scales={item: (lo, hi)}.",
    )


def _emotions(
    vals: np.ndarray,
    miss: np.ndarray,
    bad: np.ndarray,
    items: Sequence[str],
    scales: Mapping[str, tuple[float, float]],
    keys: pa.Array,
    on_invalid: str,
    meta: dict[str, Any],
    what: str,
) -> np.ndarray:
    """Emotion (n×k) from raw ratings; invalid values raise or become NaN (meta summary)."""
    lo_list = [scales[it][0] for it in items]
    hi_list = [scales[it][1] for it in items]
    # one scale for every item (the usual case): scalars, not a per-column broadcast (4× faster)
    uniform = len(set(lo_list)) == 1 and len(set(hi_list)) == 1
    lo = np.float64(lo_list[0]) if uniform else np.array(lo_list)
    hi = np.float64(hi_list[0]) if uniform else np.array(hi_list)
    emo = scale_to_emotion(vals, lo, hi)
    # fast path: one min/max pass (per item if scales differ) decides whether any value can
    # be outside the scale
    with np.errstate(invalid="ignore"):
        axis = None if uniform else 0
        col_min = np.fmin.reduce(vals, axis=axis) if vals.size else lo
        col_max = np.fmax.reduce(vals, axis=axis) if vals.size else hi
    maybe_out = bool(np.any((col_min < lo) | (col_max > hi))) or bool(bad.any())
    if maybe_out:
        with np.errstate(invalid="ignore"):
            outside = (vals < lo) | (vals > hi)
        invalid = (outside & ~miss) | bad
        np.putmask(emo, miss | invalid, np.nan)  # NaN ratings already give NaN
        n_bad = int(invalid.sum())
    else:
        np.putmask(emo, miss, np.nan)
        n_bad = 0
    if n_bad:
        rows, cols = np.nonzero(invalid)
        examples = []
        for r, c in zip(rows[:5].tolist(), cols[:5].tolist(), strict=True):
            raw = float(vals[r, c])
            examples.append((str(keys[r]), items[c], raw if raw == raw else "non-numeric"))
        by_item = {items[j]: int(v) for j, v in enumerate(invalid.sum(axis=0)) if v}
        if on_invalid == "raise":
            shown = ", ".join(f"({a!r}, {b!r}, {c!r})" for a, b, c in examples)
            raise EvidenceError(
                f"{n_bad} ratings are outside the declared scale or not numbers "
                f"(first ({what}, item, value): {shown}; per item: {by_item}). "
                "Declare the right range with scale=/scales={item: (lo, hi)}, list the codes "
                "that mean 'no answer' in missing=, or pass on_invalid='missing' to treat "
                "them as missing"
            )
        meta["invalid"] = {"count": n_bad, "by_item": by_item, "examples": examples}
        _warn(meta, f"{n_bad} ratings outside the scale were treated as missing: {by_item}")
    return emo


# ----------------------------------------------------------------------------------- reading


def _resolve_paths(paths_or_glob: object, allowed: Sequence[str]) -> list[Path]:
    items = (
        [paths_or_glob]
        if isinstance(paths_or_glob, str | Path)
        else list(
            paths_or_glob  # type: ignore[call-overload]
        )
    )
    if not items:
        raise ReaderError(
            "no files given: pass a path, a list of paths or a glob such as 'interviews/*.vtt'"
        )
    out: list[Path] = []
    for item in items:
        text = str(item)
        if isinstance(item, str) and any(ch in text for ch in "*?["):
            found = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not found:
                raise ReaderError(f"no files match the pattern {text!r}")
            out.extend(found)
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and _ext(p) in allowed)
            if not found:
                raise ReaderError(
                    f"folder {text!r} holds no files of a supported type ({', '.join(allowed)})"
                )
            out.extend(found)
        elif not path.exists():
            raise ReaderError(f"file not found: {text!r} (check the path or the glob pattern)")
        else:
            out.append(path)
    return out


def _ext(path: Path) -> str:
    name = path.name.lower()
    for compound in (".csv.gz", ".tsv.gz"):
        if name.endswith(compound):
            return compound
    return path.suffix.lower()


def _read_table(path: Path, encoding: str | None) -> tuple[pd.DataFrame, str]:
    """CSV / TSV / XLSX (+ .csv.gz) → DataFrame and the encoding used."""
    ext = _ext(path)
    if ext not in TABLE_EXTENSIONS:
        raise ReaderError(
            f"{path}: unsupported file type {ext or '(none)'!r}; supported: "
            f"{', '.join(TABLE_EXTENSIONS)} (or pass a DataFrame)"
        )
    if not path.exists():
        raise ReaderError(f"file not found: {str(path)!r}")
    if path.stat().st_size == 0:
        raise ReaderError(f"{path} is empty: there is no evidence to read")
    if ext in (".xlsx", ".xlsm"):
        try:
            df = pd.read_excel(path, engine="openpyxl")
        except Exception as err:  # openpyxl raises many types for a bad workbook
            raise ReaderError(f"{path}: not a readable Excel workbook ({err})") from None
        if df.empty and len(df.columns) == 0:
            raise ReaderError(f"{path} is empty: the first sheet has no data")
        return df, "xlsx"
    sep = "\t" if ext in (".tsv", ".tsv.gz") else ","
    opener = gzip.open if ext.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as err:
        raise ReaderError(f"{path}: cannot be read ({err})") from None
    if not head.strip():
        raise ReaderError(f"{path} is empty: there is no evidence to read")
    sniffed = sniff_encoding(head)
    try:
        if (sniffed and sniffed.startswith("utf-16")) or encoding is not None:
            data = gzip.decompress(path.read_bytes()) if ext.endswith(".gz") else path.read_bytes()
            text, used = decode_bytes(data, path, encoding)
            return pd.read_csv(io.StringIO(text), sep=sep), used
        if b"\x00" in head:
            raise ReaderError(
                f"{path}: looks binary, not a text table; tried {', '.join(ENCODINGS_TRIED)}; "
                "pass encoding='...' if it is text"
            )
        used = sniffed or "utf-8"
        source = _csv_source(path, ext)
        # inflated bytes go to the C parser (single-threaded, as quick as the pyarrow engine
        # on two idle cores and quicker on a busy machine); files use the pyarrow engine
        fast = _read_csv_fast(path, sep, used) if source() is path else None
        if fast is not None:
            return fast, used
        try:
            return pd.read_csv(source(), sep=sep, encoding=used), used
        except UnicodeDecodeError:
            try:
                return pd.read_csv(source(), sep=sep, encoding="cp1252"), "cp1252"
            except UnicodeDecodeError:
                raise ReaderError(
                    f"{path}: cannot be decoded; tried {', '.join(ENCODINGS_TRIED)}; "
                    "pass encoding='...' if you know the file's encoding"
                ) from None
    except pd.errors.EmptyDataError:
        raise ReaderError(f"{path} is empty: there is no evidence to read") from None
    except pd.errors.ParserError as err:
        raise ReaderError(f"{path}: not a readable table ({err})") from None


#: gzipped tables up to this size (compressed) are inflated in one call: faster than the
#: streamed reads pandas makes from a gzip file
_GUNZIP_WHOLE = 64 * 2**20


def _csv_source(path: Path, ext: str) -> Callable[[], Path | io.BytesIO]:
    """A maker of the parser's input: the path, or the inflated bytes of a small .gz."""
    if ext.endswith(".gz") and path.stat().st_size <= _GUNZIP_WHOLE:
        try:
            data = gzip.decompress(path.read_bytes())
        except (OSError, EOFError, zlib.error):
            return lambda: path  # a damaged archive: the parser reports it as before
        return lambda: io.BytesIO(data)
    return lambda: path


def _read_csv_fast(path: Path, sep: str, encoding: str) -> pd.DataFrame | None:
    """pandas' multi-threaded pyarrow CSV engine, or None when its result could differ.

    Falls back (None) on any parser problem and whenever a column is not plainly numeric,
    boolean or text (pyarrow infers dates; undecodable text comes back as bytes), so the
    result always equals the C engine's; the C engine then reports errors.
    """
    try:
        df = pd.read_csv(path, sep=sep, encoding=encoding, engine="pyarrow")
    except Exception:  # any failure: the reference C engine decides
        return None
    for dtype in df.dtypes:
        if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
            continue
        if dtype == _STR:
            continue
        return None
    return df


def _input_frame(
    df_or_path: pd.DataFrame | str | Path,
    document: str | None,
    meta: dict[str, Any],
    default_doc: str,
    encoding: str | None = None,
) -> tuple[pd.DataFrame, str]:
    if isinstance(df_or_path, pd.DataFrame):
        return df_or_path, document or default_doc
    if not isinstance(df_or_path, str | Path):
        raise EvidenceError(f"expected a DataFrame or a file path, got {type(df_or_path).__name__}")
    path = Path(df_or_path)
    df, used = _read_table(path, encoding)
    meta["files"] = [str(path)]
    meta["encodings"] = {str(path): used}
    return df, document or _doc_name(path)


# --------------------------------------------------------------------------------- transcripts


def read_transcripts(
    paths_or_glob: str | Path | Sequence[str | Path],
    *,
    interviewer: str | Sequence[str] | Callable[[str], bool] | None = None,
    roles: Mapping[str, str] | None = None,
    participant: ParticipantRule = "file+speaker",
    source: str = "interview",
    encoding: str | None = None,
    progress: bool | None = None,
    quiet: bool = False,
) -> RawEvidence:
    """Read interview transcripts into one row per speaker turn.

    Usage: ``raw = read_transcripts("interviews/*.vtt", roles={"Interviewer2 2": "interviewer"})``

    Formats: ``.txt`` / ``.md`` with speaker labels (``Interviewer:``, ``I:``, ``Q:``/``A:``,
    ``P3:``, ``Anna (customer):``, ``**Anna:**``, ``Unknown Speaker:``, ``Interviewer2 2:``,
    a label alone on its line without a colon, ``[00:12:03]`` timestamps before or after the
    label), WebVTT (``<v Speaker>`` or ``Speaker:`` cues), SRT, ``.docx`` and a CSV of turns
    (``speaker``, ``text``, optional ``start``, ``end``, ``participant``). Every line that reads
    as a speaker label starts a turn (the rules: :func:`~cjm_widgets.evidence._transcripts.
    parse_text_lines`); label-shaped words read as text ("Note:") are listed per file in the
    summary. Consecutive cues of one speaker merge into one turn.

    Roles (the ``role`` column: interviewer, participant or unknown) are guessed per speaker:
    ``roles=`` first (``{"label": "interviewer" | "participant" | "unknown" | "text"}``, "text":
    the label is no speaker), then ``interviewer`` (None = the default labels Interviewer,
    Moderator, Researcher, Facilitator, Int, I, Q, Question and their fi/sv/pl/fr/ms words,
    each with optional numbers; or a regex string, a list or a callable ``label -> bool``),
    participant words (Interviewee, Participant, Respondent, A, P3 …), unknown-voice words
    (Unknown Speaker, Speaker 2 …); any other name is a participant, unless in a file without
    an interviewer one named speaker asks the questions (half or more of their turns end with
    "?", no other's more than a quarter). See :mod:`cjm_widgets.evidence._speakers`. The
    analyses leave out interviewer turns only: unknown turns count as evidence until
    ``roles=`` says who spoke.

    ``participant`` says who a person is (the ``participant`` column):

    - ``"file+speaker"`` (default): the document plus the speaker label,
      ``"interview_07/Interviewee"`` — 36 files with an "Interviewee" are 36 people;
    - ``"file"``: one person per document (all its non-interviewer speakers), the document name;
    - ``"speaker"``: the label names the person across files (``"Anna"`` in two sessions);
    - a mapping from ``(document, speaker)``, a ``"document/speaker"`` id, a document or a
      speaker label to a participant id (others keep the default id);
    - a callable ``(document, speaker) -> id``.

    Interviewer turns get the participant of the document's main participant speaker (their
    rows are left out of the analyses by default); turns of a file without labels get the
    document name. A CSV of turns with a ``participant`` column keeps its values.

    After reading, a short summary (turns per speaker and role, per file) is printed unless
    ``quiet=True``; it is also in ``meta["transcripts"]`` (per document: file, turns, roles,
    speakers with role, turns and participant, kept_as_text). A file without speaker labels
    gives one turn per paragraph and a warning. ``progress`` (None = when more than one file)
    shows a tqdm bar.
    """
    is_interviewer = interviewer_matcher(interviewer)
    guesser = RoleGuesser(is_interviewer, roles)
    who_is = participant_rule(participant)
    _source_cat(source, 0)  # validate early
    paths = _resolve_paths(paths_or_glob, TRANSCRIPT_EXTENSIONS)
    for p in paths:
        if _ext(p) not in TRANSCRIPT_EXTENSIONS:
            raise ReaderError(
                f"{p}: unsupported transcript type {_ext(p) or '(none)'!r}; supported: "
                f"{', '.join(TRANSCRIPT_EXTENSIONS)}"
            )
    meta = _meta("read_transcripts", files=[str(p) for p in paths])
    stems = Counter(_doc_name(p) for p in paths)
    iterator: Iterable[Path] = paths
    if progress or (progress is None and len(paths) > 1):
        from tqdm.auto import tqdm

        iterator = tqdm(paths, desc="transcripts", unit="file")
    rows: dict[str, list[Any]] = {k: [] for k in (*BASE_COLUMNS, "speaker", "role", "start", "end")}
    documents: list[str] = []
    summaries: dict[str, dict[str, Any]] = {}
    for path in iterator:
        doc = _doc_name(path) if stems[_doc_name(path)] == 1 else path.name
        if doc != _doc_name(path):
            meta["warnings"].append(
                f"{path}: several files share the name {_doc_name(path)!r}; "
                f"using {doc!r} as its document name"
            )
        documents.append(doc)
        turns, labelled, extra, kept = _read_one_transcript(path, encoding, guesser, meta)
        if not turns:
            raise ReaderError(f"{path} is empty: no turns with text were found")
        if not labelled:
            _warn(
                meta,
                f"{path}: no speaker labels recognised (such as 'Interviewer:' or 'P3:'); "
                "read one turn per paragraph with the file name as participant",
            )
        role_of = guesser.document(turns)
        roles_ = [role_of[t.speaker] for t in turns]
        ids = who_is(doc, [t.speaker for t in turns], roles_, labelled)
        parts = extra.get("participant")
        if parts is not None:
            ids = [p or i for p, i in zip(parts, ids, strict=True)]
        for i, (turn, role, who) in enumerate(zip(turns, roles_, ids, strict=True)):
            rows["evidence_id"].append(f"{doc}#{i}")
            rows["document"].append(doc)
            rows["participant"].append(who)
            rows["position"].append(i)
            rows["text"].append(turn.text)
            rows["speaker"].append(turn.speaker)
            rows["role"].append(role)
            rows["start"].append(turn.start)
            rows["end"].append(turn.end)
        summaries[doc] = file_summary(str(path), turns, roles_, ids, labelled, kept)
    unused = sorted(
        set(guesser.roles)
        - guesser.used
        - {k for k, r in guesser.roles.items() if r == NOT_SPEAKER}
    )
    if unused:
        _warn(meta, f"roles= names speakers found in no file: {', '.join(map(repr, unused))}")
    n = len(rows["evidence_id"])
    frame = pd.DataFrame(
        {
            "evidence_id": _str_array(rows["evidence_id"]),
            "source": _source_cat(source, n),
            "document": pd.Categorical(rows["document"], categories=list(dict.fromkeys(documents))),
            "participant": pd.Categorical(rows["participant"]),
            "position": np.asarray(rows["position"], dtype=np.int32),
            "text": _str_array(rows["text"]),
            "rating": np.full(n, np.nan),
            "speaker": pd.Categorical(rows["speaker"]),
            "role": pd.Categorical(rows["role"], categories=list(ROLES)),
            "start": np.asarray(rows["start"], dtype=np.float64),
            "end": np.asarray(rows["end"], dtype=np.float64),
        }
    )
    meta["n_rows"] = n
    meta["transcripts"] = summaries
    meta["participant_rule"] = (
        participant
        if isinstance(participant, str)
        else "mapping"
        if isinstance(participant, Mapping)
        else "function"
    )
    if not quiet:
        print(format_summary(summaries))
    return RawEvidence(frame, meta)


def _read_one_transcript(
    path: Path,
    encoding: str | None,
    guesser: RoleGuesser,
    meta: dict[str, Any],
) -> tuple[list[Turn], bool, dict[str, list[str]], list[str]]:
    ext = _ext(path)
    if ext == ".docx":
        if path.stat().st_size == 0:
            raise ReaderError(f"{path} is empty: there is no evidence to read")
        lines = docx_lines(path)
        if not any(ln.strip() for ln in lines):
            raise ReaderError(f"{path} is empty: the document has no text")
        meta["encodings"][str(path)] = "docx"
        parsed = parse_text_lines(lines, guesser.is_interviewer, guesser)
        _note_skipped(path, parsed.skipped, meta)
        return parsed.turns, parsed.labelled, {}, parsed.kept_as_text
    text, used = read_text(path, encoding)
    meta["encodings"][str(path)] = used
    if ext == ".vtt":
        turns, labelled = parse_vtt(text, path, guesser)
        return turns, labelled, {}, []
    if ext == ".srt":
        turns, labelled = parse_srt(text, path, guesser)
        return turns, labelled, {}, []
    if ext in (".csv", ".tsv"):
        turns, extra = parse_turns_csv(text, path)
        return turns, True, extra, []
    parsed = parse_text_lines(text.splitlines(), guesser.is_interviewer, guesser)
    _note_skipped(path, parsed.skipped, meta)
    return parsed.turns, parsed.labelled, {}, parsed.kept_as_text


def _note_skipped(path: Path, skipped: int, meta: dict[str, Any]) -> None:
    if skipped:
        meta["warnings"].append(
            f"{path}: {skipped} line(s) before the first speaker label were not read as turns"
        )


# ------------------------------------------------------------------------------------- surveys


def read_survey(
    df_or_path: pd.DataFrame | str | Path,
    *,
    items: Mapping[str, object] | Sequence[str],
    scale: tuple[float, float] = (1, 5),
    scales: Mapping[str, tuple[float, float]] | None = None,
    missing: Sequence[object] | Mapping[str, Sequence[object]] = (0,),
    respondent: str | None = "id",
    segments: Sequence[str] | None = None,
    text_items: Sequence[str] | None = None,
    document: str | None = None,
    on_invalid: str = "raise",
    encoding: str | None = None,
) -> RawEvidence:
    """Read a survey export into long format: one row per respondent × mapped item.

    Usage: ``raw = read_survey("survey.csv", items={"Seat comfort": "Seat"}, missing=(0,))``

    ``items`` maps rating columns to touchpoints (names or ids) or lists them (touchpoint =
    column name). Each rating maps linearly from ``scale`` (or ``scales[item]``) onto −2..+2;
    codes in ``missing`` (a tuple, or ``{column: tuple}``) and blanks give emotion NaN while
    ``rating`` keeps the raw value. Values outside the scale raise :class:`EvidenceError`
    unless ``on_invalid="missing"``. ``respondent=None`` uses the row number. ``segments``
    None keeps every other column (except ``Unnamed: N`` index leftovers). ``text_items`` are
    free-text columns read as untagged text rows (appended after the rating rows, blanks
    skipped). Accepts a DataFrame or a .csv / .tsv / .xlsx / .csv.gz file.
    """
    _check_on_invalid(on_invalid)
    meta = _meta("read_survey")
    df, doc = _input_frame(df_or_path, document, meta, "survey", encoding)
    _check_unique_columns(df)
    mapping = _item_mapping(items, "items")
    if not mapping:
        raise EvidenceError("items= is empty: map at least one rating column to a touchpoint")
    item_cols = list(mapping)
    text_cols = list(_item_mapping(text_items, "text_items"))
    _check_columns(df, item_cols, "items")
    _check_columns(df, text_cols, "text_items")
    if respondent is not None:
        _check_columns(df, [respondent], "respondent")
    overlap = set(item_cols) & set(text_cols)
    if overlap:
        raise EvidenceError(f"columns {sorted(overlap)} are both items and text_items")
    used = {*item_cols, *text_cols, *([respondent] if respondent is not None else [])}
    if segments is None:
        seg_cols = [c for c in df.columns if c not in used and not _UNNAMED.match(str(c))]
    else:
        seg_cols = [segments] if isinstance(segments, str) else list(segments)
        _check_columns(df, seg_cols, "segments")
    clash = [c for c in seg_cols if c in _RESERVED]
    if clash:
        raise EvidenceError(
            f"segment columns {clash} clash with evidence columns; rename them or pass "
            "segments=[...] without them"
        )
    scale_map = _scales_for(item_cols, scale, scales)
    missing_map = _missing_for(item_cols, missing)
    meta["scales"] = scale_map
    meta["missing_codes"] = missing_map
    df = _booleans_as_yes_no(df, item_cols, scale_map, missing_map, meta)

    n, k = len(df), len(item_cols)
    ids_in = df[respondent] if respondent is not None else None
    ints = np.arange(n) if ids_in is None else _int_ids(ids_in)
    if ints is not None and _unique_ints(ints):  # distinct numbers: texts made when needed
        keys = once(lambda: pa.array(ints).cast(pa.string()))
        key_source: Any = ints
    else:
        key_source = _row_keys(ids_in, n, "respondent", meta)
        keys = once(lambda: key_source)
    # only what can fail is computed now (ratings → emotions, segment categories); the long
    # columns are built on first use (the store needs few of them) and the ids are derived
    emo = _plain_emotions(df, item_cols, missing_map, scale_map)
    if emo is None:  # text ratings, several scales or ratings outside the scale
        vals, miss, bad = _numeric_block(df, item_cols, missing_map)
        emo = _emotions(
            vals, miss, bad, item_cols, scale_map, keys(), on_invalid, meta, "respondent"
        )
        rating: Any = vals.ravel()
    else:  # the raw ratings are only copied into the long table when it is read
        rating = lambda: np.ascontiguousarray(  # noqa: E731
            df[list(item_cols)].to_numpy(dtype=np.float64, na_value=np.nan)
        ).ravel()
    _check_scale_use(emo, item_cols, scale_map, meta)
    text_segs = [c for c in seg_cols if _text_like(df[c])]
    try:
        segment_builders = {c: segment_builder(df[c], k) for c in seg_cols}
    except TypeError as err:  # lists/dicts in a segment column cannot be categories
        raise _unhashable_error(df, text_segs, err) from None
    all_items = [*item_cols, *text_cols]
    touch_names = list(dict.fromkeys(mapping.values()))
    touch_codes = np.array([touch_names.index(mapping[c]) for c in item_cols], dtype=np.int16)
    touch_dtype = pd.CategoricalDtype(touch_names)
    item_codes = np.arange(k, dtype=np.int16)
    item_dtype = pd.CategoricalDtype(all_items)
    # respondent of each row: the participant codes and also the position (CoW-safe)
    resp_codes = once(lambda: np.repeat(np.arange(n, dtype=np.int32), k))
    participants = once(lambda: _unique_categories(keys()))
    nk = n * k
    ids = SurveyIds(doc, keys, [str(c) for c in item_cols], n=n)
    builders: dict[str, Any] = {
        "evidence_id": lambda: pd.array(ids.materialize(), dtype=_STR),
        "source": lambda: _source_cat("survey", nk),
        "document": lambda: _const_cat(doc, nk),
        "participant": lambda: pd.Categorical.from_codes(
            resp_codes(), dtype=participants(), validate=False
        ),
        "position": resp_codes,
        "text": lambda: pd.array(
            pa.StringArray.from_buffers(
                nk, pa.py_buffer(np.zeros(nk + 1, np.int32)), pa.py_buffer(b"")
            ),
            dtype=_STR,
        ),
        "rating": rating,
        "item": lambda: pd.Categorical.from_codes(
            np.tile(item_codes, n), dtype=item_dtype, validate=False
        ),
        "touchpoint": lambda: pd.Categorical.from_codes(
            np.tile(touch_codes, n), dtype=touch_dtype, validate=False
        ),
        "emotion": emo.ravel(),
        **segment_builders,
    }
    held = [df[c] for c in [*seg_cols, *(item_cols if callable(rating) else [])]]
    patterns = {"item": (item_codes, item_dtype), "touchpoint": (touch_codes, touch_dtype)}
    columns = LongColumns(nk, builders, held=[*held, key_source], patterns=patterns)
    if text_cols:
        frame = _append_text_rows(
            columns.to_frame(),
            df,
            text_cols,
            keys(),
            doc,
            participants(),
            all_items,
            touch_names,
            seg_cols,
        )
        meta["n_rows"] = len(frame)
        return RawEvidence(frame, meta)
    meta["n_rows"] = nk
    return RawEvidence(meta=meta, columns=columns, ids=ids)


def _text_like(series: pd.Series) -> bool:
    return (
        pd.api.types.is_object_dtype(series.dtype)
        or pd.api.types.is_string_dtype(series.dtype)
        or isinstance(series.dtype, pd.CategoricalDtype)
    )


_RESERVED = frozenset(
    (*BASE_COLUMNS, "item", "touchpoint", "emotion", "speaker", "role", "start", "end")
)


def _append_text_rows(
    frame: pd.DataFrame,
    df: pd.DataFrame,
    text_cols: list[str],
    keys: pa.Array,
    doc: str,
    participants: pd.CategoricalDtype,
    all_items: list[str],
    touch_names: list[str],
    seg_cols: list[str],
) -> pd.DataFrame:
    n, t = len(df), len(text_cols)
    texts = np.empty((n, t), dtype=object)
    for j, c in enumerate(text_cols):
        col = df[c]
        texts[:, j] = (
            col.astype(object)
            .where(col.notna(), "")
            .map(lambda v: v if isinstance(v, str) else str(v))
            .to_numpy()
        )
    keep = (
        np.vectorize(lambda v: bool(v.strip()), otypes=[bool])(texts)
        if n
        else np.zeros((0, t), bool)
    )
    rows, jcols = np.nonzero(keep)  # respondent-major
    m = len(rows)
    base = len(all_items) - t
    key_list = keys.to_pylist()
    cols: dict[str, Any] = {
        "evidence_id": _str_array(
            f"{doc}:{key_list[r]}:{text_cols[j]}" for r, j in zip(rows, jcols, strict=True)
        ),
        "source": _source_cat("survey", m),
        "document": _const_cat(doc, m),
        "participant": pd.Categorical.from_codes(rows.astype(np.int32), dtype=participants),
        "position": rows.astype(np.int32),
        "text": _str_array(texts[rows, jcols].tolist()),
        "rating": np.full(m, np.nan),
        "item": pd.Categorical.from_codes((jcols + base).astype(np.int32), categories=all_items),
        "touchpoint": pd.Categorical.from_codes(np.full(m, -1, np.int32), categories=touch_names),
        "emotion": np.full(m, np.nan),
    }
    for c in seg_cols:
        src = frame[c]
        if isinstance(src.dtype, pd.CategoricalDtype):
            cat = pd.Categorical(df[c].iloc[rows].to_numpy(), dtype=src.dtype)
            cols[c] = cat
        else:
            cols[c] = df[c].iloc[rows].to_numpy()
    extra = pd.DataFrame(cols)
    out = pd.concat([frame, extra], ignore_index=True)
    return out


# -------------------------------------------------------------------------------------- frames


def read_frame(
    df: pd.DataFrame,
    *,
    text: str | None = None,
    participant: str | None = None,
    source: str = "review",
    document: str | None = None,
    id: str | None = None,
    ratings: Mapping[str, object] | Sequence[str] | None = None,
    scale: tuple[float, float] = (1, 5),
    scales: Mapping[str, tuple[float, float]] | None = None,
    missing: Sequence[object] | Mapping[str, Sequence[object]] = (),
    on_invalid: str = "raise",
) -> RawEvidence:
    """Read any DataFrame (reviews, tickets…): one text row per input row, plus rating rows.

    Usage: ``raw = read_frame(reviews, text="review_bodies", ratings={"Seat Comfort": "Seat"})``

    ``text`` names the text column (default: a column called ``text``). ``participant`` and
    ``id`` name optional columns (default: the row number). Each input row gives a text row
    ``"<document>:<row id>"`` (none when its text is empty or only white space; a warning
    counts them) followed by one rating row per ``ratings`` column
    ``"<document>:<row id>:<column>"``; they share ``participant``, ``document`` and
    ``position`` (the input row number). Ratings follow the same scale, missing and on_invalid
    rules as :func:`read_survey`. Every other column is kept on all rows.
    """
    _check_on_invalid(on_invalid)
    if not isinstance(df, pd.DataFrame):
        raise EvidenceError(f"read_frame expects a DataFrame, got {type(df).__name__}")
    _check_unique_columns(df)
    _source_cat(source, 0)
    meta = _meta("read_frame")
    doc = document or source
    if text is None:
        if "text" not in df.columns:
            raise EvidenceError(
                "read_frame: say which column holds the text with text='...'; "
                f"the columns are: {[str(c) for c in df.columns]}"
            )
        text = "text"
    _check_columns(df, [text], "text")
    if participant is not None:
        _check_columns(df, [participant], "participant")
    if id is not None:
        _check_columns(df, [id], "id")
    mapping = _item_mapping(ratings, "ratings")
    item_cols = list(mapping)
    _check_columns(df, item_cols, "ratings")
    used = {text, participant, id, *item_cols} - {None}
    extra_cols = [c for c in df.columns if c not in used and not _UNNAMED.match(str(c))]
    clash = [c for c in extra_cols if c in _RESERVED]
    if clash:
        raise EvidenceError(
            f"columns {clash} clash with evidence columns; rename them before read_frame"
        )
    n, k = len(df), len(item_cols)
    m = 1 + k
    keys = _row_keys(df[id] if id is not None else None, n, "row", meta)
    if participant is not None:
        who_src = df[participant]
        who = (
            who_src.astype(object)
            .where(who_src.notna(), None)
            .map(lambda v: None if v is None or not str(v).strip() else str(v).strip())
            .tolist()
        )
        key_list = keys.to_pylist()
        who = [w if isinstance(w, str) else key_list[i] for i, w in enumerate(who)]
    else:
        who = keys.to_pylist()
    who_codes, who_uniques = pd.factorize(pd.Series(who, dtype=object))

    # text column: Arrow string with the rating rows as empty strings (shared data buffer)
    raw_text = df[text]
    text_arr = pa.array(
        raw_text.astype(object)
        .where(raw_text.notna(), "")
        .map(lambda v: v if isinstance(v, str) else str(v))
        .tolist(),
        type=pa.large_string(),
    )
    lens = np.diff(np.frombuffer(text_arr.buffers()[1], np.int64, count=n + 1))
    row_len = np.zeros((n, m), np.int64)
    row_len[:, 0] = lens
    offs = np.zeros(n * m + 1, np.int64)
    np.cumsum(row_len.ravel(), out=offs[1:])
    data = text_arr.buffers()[2] or pa.py_buffer(b"")
    text_col = pa.LargeStringArray.from_buffers(n * m, pa.py_buffer(offs), data)

    suffixes = ["", *(f":{c}" for c in item_cols)]
    ids = cross_concat(pc.binary_join_element_wise(doc, keys, ":"), suffixes)
    nm = n * m
    cols: dict[str, Any] = {
        "evidence_id": pd.array(ids, dtype=_STR),
        "source": _source_cat(source, nm),
        "document": _const_cat(doc, nm),
        "participant": pd.Categorical.from_codes(
            np.repeat(who_codes.astype(np.int32), m),
            categories=pd.Index(pd.array(list(who_uniques), dtype=_STR)),
        ),
        "position": np.repeat(np.arange(n, dtype=np.int32), m),
        "text": pd.array(text_col.cast(pa.string()), dtype=_STR),
    }
    if k:
        scale_map = _scales_for(item_cols, scale, scales)
        missing_map = _missing_for(item_cols, missing)
        meta["scales"] = scale_map
        meta["missing_codes"] = missing_map
        df = _booleans_as_yes_no(df, item_cols, scale_map, missing_map, meta)
        vals, miss, bad = _numeric_block(df, item_cols, missing_map)
        emo = _emotions(vals, miss, bad, item_cols, scale_map, keys, on_invalid, meta, "row")
        _check_scale_use(emo, item_cols, scale_map, meta)
        rating = np.full((n, m), np.nan)
        rating[:, 1:] = vals
        emotion = np.full((n, m), np.nan)
        emotion[:, 1:] = emo
        touch_names = list(dict.fromkeys(mapping.values()))
        item_codes = np.full((n, m), -1, np.int32)
        item_codes[:, 1:] = np.arange(k, dtype=np.int32)
        tp_codes = np.full((n, m), -1, np.int32)
        tp_codes[:, 1:] = [touch_names.index(mapping[c]) for c in item_cols]
        cols["rating"] = rating.ravel()
        cols["item"] = pd.Categorical.from_codes(item_codes.ravel(), categories=item_cols)
        cols["touchpoint"] = pd.Categorical.from_codes(tp_codes.ravel(), categories=touch_names)
        cols["emotion"] = emotion.ravel()
    else:
        cols["rating"] = np.full(nm, np.nan)
    try:
        for c in extra_cols:
            if m == 1:
                s = df[c]
                text_like = pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(
                    s.dtype
                )
                if text_like and s.nunique(dropna=True) <= 0.5 * max(n, 1):
                    cols[c] = pd.Categorical(s)
                else:
                    cols[c] = s.to_numpy() if isinstance(s.dtype, np.dtype) else s.array
            else:
                cols[c] = repeat_column(df[c], m)
    except TypeError as err:  # lists/dicts in a column cannot be categories
        raise _unhashable_error(df, extra_cols, err) from None
    frame = pd.DataFrame(cols, copy=False)
    blank = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(text_arr)), 0)
    n_blank = pc.sum(blank).as_py() or 0
    if n_blank:  # no text row for an empty or white-space text (its ratings stay)
        gone = np.flatnonzero(blank.to_numpy(zero_copy_only=False)) * m
        frame = frame.drop(index=gone).reset_index(drop=True)
        shown = ", ".join(str(keys[int(i) // m]) for i in gone[:5])
        _warn(
            meta,
            f"{n_blank} of {n} rows have no {text!r} text (empty or only white space; rows "
            f"{shown}{', …' if n_blank > 5 else ''}): they give no text row"
            + (", their ratings are kept." if k else "."),
        )
    meta["n_rows"] = len(frame)
    return RawEvidence(frame, meta)
