"""Ratings → emotions: numeric blocks, missing codes, yes/no items and the linear map of a
scale onto −2..+2 (with checks of how the scale is used). Usage: internal, for the readers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

import numpy as np
import pandas as pd
import pyarrow as pa

from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence._reader_base import (
    _warn,
)
from cjm_widgets.evidence._survey import (
    scale_to_emotion,
)


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
        item_codes = missing[it]
        if pd.api.types.is_numeric_dtype(col.dtype) and col.dtype != bool:
            vals[:, j] = col.to_numpy(dtype=np.float64, na_value=np.nan)
            numeric = [float(c) for c in item_codes if _is_number(c)]
            miss[:, j] = _isin(vals[:, j], numeric) if numeric else False
            continue
        text = col.astype(object).where(col.notna(), None)
        stripped = text.map(lambda v: v.strip() if isinstance(v, str) else v)
        code_text = {str(c).strip().casefold() for c in item_codes}
        is_code = stripped.map(
            lambda v, ct=code_text: v is not None and str(v).strip().casefold() in ct
        ).to_numpy(dtype=bool, copy=True)
        blank = stripped.map(lambda v: v is None or v == "").to_numpy(dtype=bool, copy=True)
        num = pd.to_numeric(stripped.where(~blank, None), errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
        numeric_codes = [float(c) for c in item_codes if _is_number(c)]
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


def _is_number(value: object) -> TypeGuard[float | np.integer | np.floating]:
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
    emo: np.ndarray,
    items: Sequence[str],
    scales: Mapping[str, tuple[float, float]],
    meta: dict[str, Any],
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
