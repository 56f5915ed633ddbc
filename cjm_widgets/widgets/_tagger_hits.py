"""What the tagger's search found: highlight spans and snippets per visible row, and the
number of matching rows within each option of the filter bar.

:class:`TaggerHits` is a mixin of :class:`~cjm_widgets.widgets.evidence_tagger.EvidenceTagger`.
The spans come from :func:`cjm_widgets.evidence.search.match_spans`, the same terms, normal
forms and patterns as the search filter itself, and only for the rows of the visible page.
Offsets go to the browser in UTF-16 code units (JavaScript string indices).

Counts per option ("facets"), while a search is in force: for each filter (stage or
touchpoint, label, source, each segment) the rows matching every *other* filter, counted per
option of that filter, so "Check-in desk (12)" says how many rows the search finds there. Each
count is a ``numpy.bincount`` over cached codes of the matching rows (no Python loop over rows);
the result is kept until the filter or the tags change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.evidence.search import match_spans

if TYPE_CHECKING:
    from collections.abc import Callable

    from cjm_widgets.evidence import Evidence

__all__ = ["SNIPPET_AFTER", "SNIPPET_BEFORE", "SNIPPET_FROM", "TaggerHits", "snippet", "utf16"]

#: A collapsed row shows about 110 characters: a first hit after this many gets a snippet.
SNIPPET_FROM = 80
#: Characters of context kept before the first hit and after its start in a snippet.
SNIPPET_BEFORE = 50
SNIPPET_AFTER = 170
_SCAN = 100_000  # characters of a text searched for spans (a whole transcript is not a row)


def utf16(text: str, index: int) -> int:
    """The UTF-16 offset of character ``index`` of ``text`` (a JavaScript string index)."""
    head = text[:index]
    return len(head) + sum(1 for ch in head if ord(ch) > 0xFFFF)


def snippet(text: str, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The part of ``text`` to show collapsed when its first hit is not near the start:
    ``(start, end)`` in characters, starting at a word break, or None (show the start).

    Usage: ``snippet(long_review, match_spans(long_review, "luggage"))``
    """
    if not spans or spans[0][0] < SNIPPET_FROM:
        return None
    first = spans[0][0]
    start = max(0, first - SNIPPET_BEFORE)
    space = text.find(" ", start, first)  # start at the first word break in the context
    if start > 0 and space >= 0:
        start = space + 1
    return start, min(len(text), first + SNIPPET_AFTER)


class TaggerHits:
    """Highlight spans, snippets and per-option counts of the search in force."""

    # defined by EvidenceTagger / TaggerQuery
    evidence: Evidence
    _filters: dict[str, Any]
    _match: np.ndarray
    _segments: list[str]
    _compute: Callable[[dict[str, Any]], np.ndarray]
    _col: Callable[[str], pd.Series]

    def _search_options(self) -> tuple[str, str] | None:
        query = str(self._filters.get("search") or "")
        if not query.strip():
            return None
        return query, str(self._filters.get("match") or "contains")

    def _hits(self, rows: np.ndarray, cut: int) -> dict[str, Any]:
        """Per visible row (by store row, as text): its spans in the text sent (cut at
        ``cut`` characters) and, when the first hit is far in, a snippet around it."""
        search = self._search_options()
        if search is None or not len(rows):
            return {}
        query, match = search
        key = (query, match, cut, tuple(rows.tolist()))
        kept = getattr(self, "_hits_cache", None)
        if kept is not None and kept[0] == key:  # a click on the same page: the same hits
            return dict(kept[1])
        texts = self._col("text").take(rows).tolist()
        out: dict[str, Any] = {}
        for row, value in zip(rows.tolist(), texts, strict=True):
            text = "" if not isinstance(value, str) else value
            spans = match_spans(text[:_SCAN], query, match=match)
            if not spans:
                continue
            shown = text[:cut]
            entry: dict[str, Any] = {
                "spans": [[utf16(shown, a), utf16(shown, min(b, cut))] for a, b in spans if a < cut]
            }
            part = snippet(text, spans)
            if part is not None:
                a, b = part
                piece = text[a:b]
                inside = [(max(s, a) - a, min(e, b) - a) for s, e in spans if s < b and e > a]
                entry["snippet"] = {
                    "text": piece,
                    "before": a > 0,
                    "after": b < len(text),
                    "spans": [[utf16(piece, s), utf16(piece, e)] for s, e in inside],
                }
            out[str(row)] = entry
        self._hits_cache = (key, out)
        return dict(out)

    # ------------------------------------------------------------------ counts per option
    def _facets(self) -> dict[str, dict[str, int]] | None:
        """Rows matching the search (and every other filter) per option of each filter."""
        if self._search_options() is None:
            return None
        key = (self._match, len(self.evidence._history), len(self.evidence.label_names))
        cached = getattr(self, "_facet_cache", None)
        if cached is not None and cached[0][0] is key[0] and cached[0][1:] == key[1:]:
            return dict(cached[1])
        untagged = self._rows_without(("untagged",))
        out = {
            "untagged": {"": int((~self.evidence.tagged_mask[untagged]).sum())},
            "place": self._place_counts(self._rows_without(("stage", "touchpoint"))),
            "label": self._label_counts(self._rows_without(("label",))),
        }
        for col in ["source", *self._segments]:
            out[col] = self._value_counts(col, self._rows_without((col,)))
        self._facet_cache = (key, out)
        return out

    def _rows_without(self, keys: tuple[str, ...]) -> np.ndarray:
        if not any(k in self._filters for k in keys):
            return self._match
        return self._compute({k: v for k, v in self._filters.items() if k not in keys})

    def _place_counts(self, rows: np.ndarray) -> dict[str, int]:
        ev = self.evidence
        arrays = ev._tag_arrays()
        out: dict[str, int] = {}
        tps = np.bincount(arrays.touchpoint[rows] + 1, minlength=len(ev.touchpoint_ids) + 1)
        sts = np.bincount(arrays.stage[rows] + 1, minlength=len(ev.stage_ids) + 1)
        for code, tid in enumerate(ev.touchpoint_ids):
            out[f"t:{tid}"] = int(tps[code + 1])
        for code, sid in enumerate(ev.stage_ids):
            out[f"s:{sid}"] = int(sts[code + 1])
        return out

    def _label_counts(self, rows: np.ndarray) -> dict[str, int]:
        ev = self.evidence
        counts = ev.label_counts(rows=rows)
        return dict(zip(ev.label_names, counts, strict=True))

    def _value_counts(self, column: str, rows: np.ndarray) -> dict[str, int]:
        def factorize() -> tuple[np.ndarray, list[str]]:
            codes, uniques = pd.factorize(self._col(column))
            return np.asarray(codes), [str(u) for u in uniques]

        codes, names = self.evidence.derived(("tagger-facet-codes", column), factorize)
        picked = codes[rows]
        counts = np.bincount(picked[picked >= 0], minlength=len(names))
        return {name: int(n) for name, n in zip(names, counts.tolist(), strict=True)}
