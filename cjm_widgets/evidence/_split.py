"""Cutting a reader's text rows into sentences or paragraphs (``split=`` on the readers).

Each row with text becomes one row per sentence (or paragraph) of its text, in order; rows
without text (ratings) stay as they are. A piece keeps every column of its row (participant,
document, speaker, times, segments …) and records where it came from: ``parent_id`` (the id the
whole text would have had), ``span_start`` and ``span_end`` (code-point offsets into that text,
as for quotes, see :mod:`cjm_widgets.evidence._quotes`). Its id is ``f"{parent_id}/s{k}"`` for
the k-th sentence (``/p{k}`` for paragraphs), counted from 1. How a text is cut:
:mod:`cjm_widgets.evidence.sentences`.

Usage: ``ev = cjm.Evidence.from_frame(reviews, text="body", split="sentence", language="en")``
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjm_widgets.evidence._reader_base import RawEvidence
from cjm_widgets.evidence.sentences import check_language, split_spans

_KINDS = {"sentence": "s", "paragraph": "p"}


def split_raw(raw: RawEvidence, split: str | None, language: str) -> RawEvidence:
    """``raw`` with its text rows cut into pieces (``split=None``: ``raw`` unchanged)."""
    if split is None:
        return raw
    if split not in _KINDS:
        raise ValueError(f'split must be "sentence", "paragraph" or None, got {split!r}.')
    check_language(language)
    frame = raw.frame
    texts = frame["text"].to_numpy(dtype=object)
    ids = frame["evidence_id"].to_numpy(dtype=object)
    counts = np.ones(len(frame), dtype=np.int64)
    starts: list[int] = []
    ends: list[int] = []
    pieces: list[str] = []
    piece_ids: list[str] = []
    parents: list[str] = []
    mark = _KINDS[split]
    n_text = 0
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            starts.append(-1)
            ends.append(-1)
            pieces.append(text)
            piece_ids.append(ids[i])
            parents.append("")
            continue
        n_text += 1
        spans = split_spans(text, split, language=language)
        counts[i] = len(spans)
        parent = str(ids[i])
        for k, (a, b) in enumerate(spans, start=1):
            starts.append(a)
            ends.append(b)
            pieces.append(text[a:b])
            piece_ids.append(f"{parent}/{mark}{k}")
            parents.append(parent)
    out = frame.iloc[np.repeat(np.arange(len(frame)), counts)].reset_index(drop=True)
    is_piece = np.array(starts) >= 0
    out["evidence_id"] = pd.array(piece_ids, dtype=frame["evidence_id"].dtype)
    out["text"] = pd.array(pieces, dtype=frame["text"].dtype)
    out["parent_id"] = pd.array([p if p else None for p in parents], dtype="string")
    out["span_start"] = pd.array(np.where(is_piece, starts, 0), dtype="Int64")
    out["span_end"] = pd.array(np.where(is_piece, ends, 0), dtype="Int64")
    out.loc[~is_piece, ["span_start", "span_end"]] = pd.NA
    meta = dict(raw.meta)
    meta["split"] = {
        "by": split,
        "language": language,
        "texts": n_text,
        "pieces": int(is_piece.sum()),
    }
    meta["n_rows"] = len(out)
    return RawEvidence(out, meta)
