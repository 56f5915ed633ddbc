"""Quotes: evidence rows that are a span of another row's text.

``ev.add_quote(parent_id, start, end)`` adds a row (a *quote*) whose text is
``parent_text[start:end]``; it copies every other column of its parent (participant, source,
document, segments …) and records ``parent_id``, ``span_start`` and ``span_end``. Offsets are
Python string indices, i.e. Unicode code points of the raw text (no normalisation: ``"e\\u0301"``
is two), end exclusive. The quote's id is ``f"{parent_id}#{start}-{end}"``: adding the same span
again returns that row and changes nothing. A quote of a quote is re-based onto the original
parent (its offsets shifted by the first quote's start), so every quote points at a row read from
the data. Adding a quote is one undo step (undo removes the row, redo brings it back with the
same id); the quote is tagged like any row.

Quotes are appended after the rows read from the data, in the order they were made, and are
written to the tags file (``"quotes"``: id, parent id, offsets and a hash of the quoted text) so
that :meth:`load_tags` and :meth:`open_tags` re-create them before applying their tags; a parent
whose text changed is handled in :mod:`cjm_widgets.evidence._quote_files`.

Usage::

    q = ev.add_quote("review:12", 40, 88, text_check="the bag never arrived")
    ev.tag(q, touchpoint="Baggage claim", emotion=-2)
    ev.quotes_of("review:12")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence._state import SPAN_COLUMNS, _now_ns, _Op
from cjm_widgets.evidence._survey import LongColumns
from cjm_widgets.evidence._tagsfile import TagsFileMixin
from cjm_widgets.evidence.tags import NAT, EvidenceChange, TagSlice

_SPAN_DTYPES = {"parent_id": "string", "span_start": "Int64", "span_end": "Int64"}


def quote_id(parent_id: str, start: int, end: int) -> str:
    """The stable id of the quote ``[start, end)`` of ``parent_id``."""
    return f"{parent_id}#{start}-{end}"


@dataclass
class _QuoteOp(_Op):
    """Adding rows (quotes): the rows' raw columns, and the columns they added to the store."""

    added: pd.DataFrame | None = None
    new_columns: tuple[str, ...] = ()


def _append(frame: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` under ``frame`` keeping each column's dtype (categories are extended)."""
    out: dict[str, Any] = {}
    for name in frame.columns:
        top, bottom = frame[name], rows[name]
        if isinstance(top.dtype, pd.CategoricalDtype):
            extra = pd.Index(bottom.dropna().unique()).difference(top.cat.categories)
            if len(extra):
                top = top.cat.add_categories(extra)
            bottom = bottom.astype(object).astype(top.dtype)
        else:
            bottom = bottom.astype(top.dtype) if top.dtype != bottom.dtype else bottom
        out[name] = pd.concat([top, bottom], ignore_index=True)
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame) + len(rows)))


class QuotesMixin(TagsFileMixin):
    """Part of :class:`~cjm_widgets.evidence.store.Evidence` (see this module)."""

    @property
    def _first_quote_row(self) -> int:
        """Rows from here on were added by :meth:`add_quote` (all rows: none yet)."""
        return int(self.__dict__.get("_quotes_from", self._n))

    def _quote_rows(self) -> np.ndarray:
        return np.arange(self._first_quote_row, self._n, dtype=np.int64)

    def add_quote(
        self, parent_id: str, start: int, end: int, *, text_check: str | None = None
    ) -> str:
        """Add the quote ``[start, end)`` of row ``parent_id``'s text; returns its evidence id.

        Offsets count code points of the raw text (Python ``str`` indices). ``text_check``,
        when given, must equal the quoted text (a guard against offsets into another text).
        Adding the same span twice returns the same id and changes nothing. Raises
        :class:`~cjm_widgets.errors.EvidenceError` naming the valid range for bad offsets, an
        unknown parent, a parent without text, or a blank span; nothing changes then.

        Usage: ``q = ev.add_quote("review:12", 40, 88); ev.tag(q, emotion=-2)``
        """
        spec = self._quote_spec(parent_id, start, end, text_check)
        known = self._lookup([spec[0]])
        if known[0] >= 0:
            return spec[0]
        self._add_quote_rows([spec], "add_quote")
        return spec[0]

    def _quote_spec(
        self, parent_id: Any, start: Any, end: Any, text_check: str | None
    ) -> tuple[str, int, int, int, str]:
        """(quote id, parent row, start, end, text) of a valid span, re-based onto the
        original parent when ``parent_id`` is itself a quote; raises EvidenceError."""
        if not isinstance(parent_id, str) or not parent_id:
            raise EvidenceError(f"add_quote() needs the parent's evidence id, got {parent_id!r}.")
        for name, value in (("start", start), ("end", end)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise EvidenceError(
                    f"add_quote(): {name} must be a whole number (a character offset), "
                    f"got {value!r}."
                )
        start, end = int(start), int(end)
        row = int(self._lookup([parent_id])[0])
        if row < 0:
            raise EvidenceError(
                f"add_quote(): no evidence row {parent_id!r}. Quote a row of this evidence "
                "(ev.frame.evidence_id lists them)."
            )
        text = self._raw["text"].iloc[row]
        if not isinstance(text, str) or not text.strip():
            raise EvidenceError(
                f"add_quote(): row {parent_id!r} has no text to quote (a rating or a blank "
                "row). Quote a row with text."
            )
        n = len(text)
        if not 0 <= start < end <= n:
            raise EvidenceError(
                f"add_quote(): the span [{start}, {end}) is not inside the text of "
                f"{parent_id!r}, which has {n} characters: need 0 <= start < end <= {n}."
            )
        span = text[start:end]
        if not span.strip():
            raise EvidenceError(
                f"add_quote(): the span [{start}, {end}) of {parent_id!r} is only white space. "
                "Select some words."
            )
        if text_check is not None and text_check != span:
            raise EvidenceError(
                f"add_quote(): the span [{start}, {end}) of {parent_id!r} reads {span!r}, not "
                f"{text_check!r}. Offsets count characters (code points) of the raw text."
            )
        if row >= self._first_quote_row:  # a quote of a quote: onto the original parent
            base = self._raw["span_start"].iloc[row]
            original = str(self._raw["parent_id"].iloc[row])
            return self._quote_spec(original, int(base) + start, int(base) + end, None)
        return quote_id(parent_id, start, end), row, start, end, span

    def _add_quote_rows(
        self, specs: list[tuple[str, int, int, int, str]], action: str
    ) -> EvidenceChange:
        """Append the quotes ``specs`` (see :meth:`_quote_spec`) as one undo step."""
        parents = np.array([s[1] for s in specs], dtype=np.int64)
        frame = self._raw.to_frame()
        added = frame.iloc[parents].reset_index(drop=True)
        new_columns = tuple(c for c in SPAN_COLUMNS if c not in frame.columns)
        for name in new_columns:
            added[name] = pd.array([None] * len(added), dtype=_SPAN_DTYPES[name])
        added["evidence_id"] = pd.Series([s[0] for s in specs], dtype=object)
        added["text"] = pd.Series([s[4] for s in specs], dtype=object)
        added["parent_id"] = pd.Series([str(x) for x in self._ids_of(parents)], dtype=object)
        added["span_start"] = pd.array([s[2] for s in specs], dtype="Int64")
        added["span_end"] = pd.array([s[3] for s in specs], dtype="Int64")
        self.__dict__.setdefault("_quotes_from", self._n)
        rows = np.arange(self._n, self._n + len(specs), dtype=np.int64)
        k = len(rows)
        empty = TagSlice(
            np.full(k, -1, np.int32),
            np.full(k, -1, np.int32),
            np.full(k, np.nan),
            np.zeros(k, np.int64),
            np.full(k, -1, np.int32),
        )
        at = np.full(k, NAT, np.int64)
        op = _QuoteOp("add_quote", rows, empty, empty, at, at, len(self._history))
        op.added, op.new_columns = added, new_columns
        self._apply(op, forward=True)
        return self._record(op, action, {}, _now_ns())

    def _apply(self, op: _Op, *, forward: bool) -> None:
        if not isinstance(op, _QuoteOp):
            super()._apply(op, forward=forward)
            return
        if forward:
            self._grow(op)
            super()._apply(op, forward=True)
        else:
            super()._apply(op, forward=False)
            self._shrink(op)

    def _grow(self, op: _QuoteOp) -> None:
        assert op.added is not None
        frame = self._raw.to_frame()
        for name in op.new_columns:
            frame[name] = pd.array([None] * len(frame), dtype=_SPAN_DTYPES[name])
        self._set_rows(LongColumns.of_frame(_append(frame, op.added)), len(op.added))

    def _shrink(self, op: _QuoteOp) -> None:
        assert op.added is not None
        n = self._n - len(op.added)
        frame = self._raw.to_frame().iloc[:n].drop(columns=list(op.new_columns))
        self._set_rows(LongColumns.of_frame(frame), -len(op.added))

    def _set_rows(self, raw: LongColumns, grow: int) -> None:
        """New raw columns with ``grow`` more (or fewer) rows; tag arrays resized to match."""
        n = self._n + grow
        self._own()
        defaults = {"_tp": -1, "_st": -1, "_em": np.nan, "_lb": 0, "_cd": -1, "_at": NAT}
        for name, fill in defaults.items():
            arr = getattr(self, name)
            if grow > 0:
                arr = np.concatenate([arr, np.full(grow, fill, dtype=arr.dtype)])
            else:
                arr = arr[:n].copy()
            setattr(self, name, arr)
        if self._base is not None:
            fills = (-1, -1, np.nan)
            self._base = tuple(  # type: ignore[assignment]
                np.concatenate([b, np.full(grow, f, dtype=b.dtype)]) if grow > 0 else b[:n]
                for b, f in zip(self._base, fills, strict=True)
            )
        self._raw, self._n = raw, n
        self._lazy_ids = None  # a survey's derived ids no longer cover every row
        self._id_strings = self._index = self._folded = None
        self._frame = None
        self.__dict__.pop("_derived_cache", None)
        self._raw_version = self.raw_version + 1

    def _file_head(self) -> dict[str, Any]:
        """The tags file's head, with the quotes when there are some (see _quote_files)."""
        from cjm_widgets.evidence._quote_files import quotes_json

        head = super()._file_head()
        quotes = quotes_json(self._evidence())
        if quotes:
            head["quotes"] = quotes
        return head

    def quotes_of(self, parent_id: str) -> pd.DataFrame:
        """The quotes (and split sentences) cut from row ``parent_id``, in text order:
        ``evidence_id``, ``start``, ``end``, ``text``, ``touchpoint_id``, ``emotion``,
        ``labels``.

        Usage: ``ev.quotes_of("review:12")``
        """
        columns = ["evidence_id", "start", "end", "text", "touchpoint_id", "emotion", "labels"]
        if "parent_id" not in self._raw.columns:
            if self._lookup([parent_id])[0] < 0:
                raise EvidenceError(f"quotes_of(): no evidence row {parent_id!r}.")
            return pd.DataFrame(columns=columns)
        parents = self._raw["parent_id"]
        rows = np.flatnonzero((parents == parent_id).fillna(False).to_numpy(dtype=bool))
        if not len(rows) and self._lookup([parent_id])[0] < 0:
            raise EvidenceError(f"quotes_of(): no evidence row {parent_id!r}.")
        tps = np.array([*self.touchpoint_ids, None], dtype=object)
        out = pd.DataFrame(
            {
                "evidence_id": self._ids_of(rows),
                "start": self._raw["span_start"].iloc[rows].to_numpy().astype(np.int64),
                "end": self._raw["span_end"].iloc[rows].to_numpy().astype(np.int64),
                "text": self._raw["text"].iloc[rows].to_numpy(),
                "touchpoint_id": tps[self._tp[rows]],
                "emotion": self._em[rows],
                "labels": self._label_tuples(self._lb[rows]),
            },
            columns=columns,
        )
        return out.sort_values(["start", "end"], kind="stable").reset_index(drop=True)

    def quote_spans(self, rows: np.ndarray) -> dict[int, list[tuple[int, int, str]]]:
        """For store rows: the (start, end, quote id) spans of the quotes cut from each
        (only rows that have some). Used by the tagger and the report to highlight spans."""
        if "parent_id" not in self._raw.columns or self._n == self._first_quote_row:
            return {}
        qrows = self._quote_rows()
        parents = self._raw["parent_id"].iloc[qrows].to_numpy()
        parent_rows = self._lookup([str(p) for p in parents])
        wanted = set(np.asarray(rows).tolist())
        out: dict[int, list[tuple[int, int, str]]] = {}
        starts = self._raw["span_start"].iloc[qrows].to_numpy()
        ends = self._raw["span_end"].iloc[qrows].to_numpy()
        ids = self._ids_of(qrows)
        for i, prow in enumerate(parent_rows.tolist()):
            if prow in wanted:
                out.setdefault(prow, []).append((int(starts[i]), int(ends[i]), str(ids[i])))
        for spans in out.values():
            spans.sort()
        return out
