"""The survey reader: a survey export (DataFrame, CSV, TSV, XLSX) → long format, one row per
respondent × mapped item, plus free-text rows.

Usage: ``raw = read_survey("survey.csv", items={"Seat comfort": "Seat"}, missing=(0,))``
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence._files import (
    _input_frame,
)
from cjm_widgets.evidence._ratings import (
    _booleans_as_yes_no,
    _check_scale_use,
    _emotions,
    _numeric_block,
    _plain_emotions,
)
from cjm_widgets.evidence._reader_base import (
    _STR,
    RawEvidence,
    _check_columns,
    _check_on_invalid,
    _check_unique_columns,
    _const_cat,
    _int_ids,
    _item_mapping,
    _meta,
    _missing_for,
    _row_keys,
    _scales_for,
    _segment_columns,
    _source_cat,
    _str_array,
    _text_like,
    _unhashable_error,
    _unique_categories,
    _unique_ints,
)
from cjm_widgets.evidence._survey import (
    LongColumns,
    SurveyIds,
    once,
    segment_builder,
)


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
    seg_cols = _segment_columns(df, segments, used)
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
