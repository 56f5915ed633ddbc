"""What an evidence row reads as when shown: its text, or for a rating row its item and value.

A rating row (from ``from_frame(..., ratings=...)`` or ``from_survey``) has no text of its own.
Shown in the tagger, the static snapshot and the exports it reads ``"Ground Service ★1/5"``:
the item and the original value on its own scale (``★v/max`` for a scale starting at 0 or 1,
else ``"v on lo–hi"``), ``"Ground Service: not rated"`` when blank and ``"Ground Service: n/a
(0)"`` for a not-applicable code. This text is for display only: it is not the row's
``text``, so a search never finds a rating row by it (a search for the item's name would
otherwise match every rating of it and bury the quotes that mention it).

A rating row's *parent* is the row with text it came with: the review of the same input row
(``from_frame``: same document and position) or the respondent's free-text answer
(``from_survey`` with ``text_items``). Quotes and split sentences name their parent in
``parent_id``.

Usage::

    from cjm_widgets.evidence.display import display_texts, parent_rows
    display_texts(ev, rows)      # ["Seats were fine.", "Ground Service ★1/5", ...]
    parent_rows(ev, rows)        # {row: parent row} for rows that have one here
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from cjm_widgets.evidence.store import Evidence

__all__ = ["display_texts", "parent_rows", "quote_context", "quote_windows", "rating_text"]

_CONTEXT = 160  # characters of the parent's text shown before and after a quote


def _collect(meta: Mapping[str, Any], key: str, out: dict[str, Any]) -> None:
    for name, value in (meta.get(key) or {}).items():
        out.setdefault(str(name), value)
    for part in meta.get("parts") or []:
        if isinstance(part, Mapping):
            _collect(part, key, out)


def rating_text(item: str, value: float, scale: Any = None, missing: Iterable[Any] = ()) -> str:
    """``"Ground Service ★1/5"`` (see the module). Usage: ``rating_text("Food", 4, (1, 5))``"""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f"{item}: not rated"
    if any(_same(value, m) for m in missing):
        return f"{item}: n/a ({value:g})"
    if scale is None:
        return f"{item}: {value:g}"
    lo, hi = float(scale[0]), float(scale[1])
    if lo in (0.0, 1.0):
        return f"{item} ★{value:g}/{hi:g}"
    return f"{item}: {value:g} on {lo:g}–{hi:g}"


def _same(value: float, code: Any) -> bool:
    try:
        return float(code) == float(value)
    except (TypeError, ValueError):
        return False


def _scales(ev: Evidence) -> tuple[dict[str, Any], dict[str, Any]]:
    scales: dict[str, Any] = {}
    missing: dict[str, Any] = {}
    _collect(ev.meta, "scales", scales)
    _collect(ev.meta, "missing_codes", missing)
    return scales, missing


def display_texts(ev: Evidence, rows: Iterable[int]) -> list[str]:
    """The text each row reads as (its text, or its rating; see the module)."""
    rows = np.asarray(list(rows), dtype=np.int64)
    texts = ev.column("text").iloc[rows].to_numpy(dtype=object)
    out = ["" if t is None or (isinstance(t, float) and math.isnan(t)) else str(t) for t in texts]
    if "item" not in ev._raw.columns or not len(rows):
        return out
    items = ev.column("item").iloc[rows].to_numpy(dtype=object)
    ratings = ev.column("rating").iloc[rows].to_numpy(dtype=object) if "rating" in ev._raw else None
    scales, missing = _scales(ev)
    for i, item in enumerate(items):
        if out[i].strip() or item is None or (isinstance(item, float) and math.isnan(item)):
            continue
        value = ratings[i] if ratings is not None else None
        number = float(value) if value is not None and not pd.isna(value) else math.nan
        out[i] = rating_text(str(item), number, scales.get(str(item)), missing.get(str(item), ()))
    return out


def parent_rows(ev: Evidence, rows: Iterable[int]) -> dict[int, int]:
    """The parent row of each row that has one in this evidence (see the module)."""
    rows = np.asarray(list(rows), dtype=np.int64)
    out: dict[int, int] = {}
    if not len(rows):
        return out
    raw = ev._raw
    if "parent_id" in raw.columns:
        parents = raw["parent_id"].iloc[rows].to_numpy(dtype=object)
        has = [i for i, p in enumerate(parents) if isinstance(p, str) and p]
        if has:
            looked = ev._lookup([str(parents[i]) for i in has])
            for i, r in zip(has, looked.tolist(), strict=True):
                if r >= 0:
                    out[int(rows[i])] = int(r)
    if "item" not in raw.columns:
        return out
    items = raw["item"].iloc[rows].to_numpy(dtype=object)
    docs = raw["document"].iloc[rows].to_numpy(dtype=object)
    pos = raw["position"].iloc[rows].to_numpy()
    found: dict[tuple[Any, int], int | None] = {}
    for i, item in enumerate(items):
        if item is None or (isinstance(item, float) and math.isnan(item)):
            continue
        key = (docs[i], int(pos[i]))
        if key not in found:
            found[key] = _text_row(ev, *key)
        hit = found[key]
        if hit is not None and int(rows[i]) not in out:
            out[int(rows[i])] = hit
    return out


def _text_row(ev: Evidence, document: Any, position: int) -> int | None:
    """The first row with text of this document and position (its review, its answer)."""
    return _text_rows(ev).get((document, position))


def _text_rows(ev: Evidence) -> dict[tuple[Any, int], int]:
    """``(document, position) -> first row with text there``, made once per raw version: a
    page of rating rows asks for 50 parents on every tag, and a scan of the positions per row
    took ~75 ms on the 1.45M-row survey (which has no text row at all)."""

    def build() -> dict[tuple[Any, int], int]:
        raw = ev._raw
        text = raw["text"]
        try:
            has = text.str.strip().str.len().gt(0).to_numpy(dtype=bool, na_value=False)
        except AttributeError:  # no string at all (an all-missing float column)
            has = np.zeros(len(text), dtype=bool)
        rows = np.flatnonzero(has)
        out: dict[tuple[Any, int], int] = {}
        docs = raw["document"].iloc[rows].to_numpy(dtype=object)
        pos = raw["position"].iloc[rows].to_numpy(dtype=np.float64)
        for r, d, p in zip(rows.tolist(), docs.tolist(), pos.tolist(), strict=True):
            if not math.isnan(p):
                out.setdefault((d, int(p)), int(r))
        return out

    return ev.derived(("display", "text_rows"), build)


def quote_context(text: str, start: int, end: int, width: int = _CONTEXT) -> tuple[str, str]:
    """The parent's text before and after ``[start, end)``: to the line break (at most
    ``width`` characters, "…" where cut). Usage: ``quote_context(text, 40, 88)``"""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - width) : start]
    if start - width > line_start:
        before = "…" + before.lstrip()
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    after = text[end : min(line_end, end + width)]
    if end + width < line_end:
        after = after.rstrip() + "…"
    return before.lstrip("\r\n"), after.rstrip("\r\n")


def quote_windows(ev: Evidence, ids: Iterable[str]) -> list[dict[str, Any] | None]:
    """For each evidence id: its parent context when it is a quote or a split piece whose
    parent is here (``{"parent", "before", "after", "start", "end"}``), else None. Used by
    the report and the snapshots to show a quote inside a short window of its parent.

    Usage: ``quote_windows(ev, ["review:3#10-42"])``
    """
    keys = [str(i) for i in ids]
    out: list[dict[str, Any] | None] = [None] * len(keys)
    if not keys or "parent_id" not in ev._raw.columns:
        return out
    rows = ev._lookup(keys)
    found = [i for i, r in enumerate(rows.tolist()) if r >= 0]
    parents = parent_rows(ev, [int(rows[i]) for i in found])
    raw = ev._raw
    text = ev.column("text")
    for i in found:
        row = int(rows[i])
        prow = parents.get(row)
        start, end = raw["span_start"].iloc[row], raw["span_end"].iloc[row]
        if prow is None or pd.isna(start) or pd.isna(end):
            continue
        before, after = quote_context(str(text.iloc[prow]), int(start), int(end))
        out[i] = {
            "parent": str(raw["parent_id"].iloc[row]),
            "start": int(start),
            "end": int(end),
            "before": before,
            "after": after,
        }
    return out
