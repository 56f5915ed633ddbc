"""The frame reader: any DataFrame (reviews, tickets…) → a text row per input row plus one
row per rating column.

Usage: ``raw = read_frame(reviews, text="review_bodies", ratings={"Seat Comfort": "Seat"})``
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence._ratings import (
    _booleans_as_yes_no,
    _check_scale_use,
    _emotions,
    _numeric_block,
)
from cjm_widgets.evidence._reader_base import (
    _STR,
    RawEvidence,
    _check_columns,
    _check_on_invalid,
    _check_unique_columns,
    _const_cat,
    _item_mapping,
    _meta,
    _missing_for,
    _row_keys,
    _scales_for,
    _segment_columns,
    _source_cat,
    _unhashable_error,
    _warn,
)
from cjm_widgets.evidence._survey import (
    cross_concat,
    repeat_column,
)


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
    segments: str | Sequence[str] | None = None,
) -> RawEvidence:
    """Read any DataFrame (reviews, tickets…): one text row per input row, plus rating rows.

    Usage: ``raw = read_frame(reviews, text="review_bodies", ratings={"Seat Comfort": "Seat"})``

    ``text`` names the text column (default: a column called ``text``). ``participant`` and
    ``id`` name optional columns (default: the row number). Each input row gives a text row
    ``"<document>:<row id>"`` (none when its text is empty or only white space; a warning
    counts them) followed by one rating row per ``ratings`` column
    ``"<document>:<row id>:<column>"``; they share ``participant``, ``document`` and
    ``position`` (the input row number). Ratings follow the same scale, missing and on_invalid
    rules as :func:`read_survey`. ``segments`` (as in :func:`read_survey`) names the columns
    kept on all rows as segment columns; None keeps every other column (except ``Unnamed: N``
    index leftovers), ``[]`` none.
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
    extra_cols = _segment_columns(df, segments, used, rename="rename them before read_frame")
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
