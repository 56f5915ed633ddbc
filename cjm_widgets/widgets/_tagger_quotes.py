"""The evidence tagger's quotes: making a quote from a text selection, and showing quotes,
their parents' highlighted spans and rating rows in the window.

:class:`TaggerQuotes` is a mixin of
:class:`~cjm_widgets.widgets.evidence_tagger.EvidenceTagger`. It adds to each window a private
``quotes`` object, keyed by store row (as text), for the rows that need it:

- a row quotes were cut from: ``{"spans": [[start, end, quote id], ...]}`` (code points of
  its raw text; the front end converts them to the browser's UTF-16 offsets);
- a quote (or a split sentence): ``{"parent": id, "parent_row": row or null, "start", "end",
  "before", "after"}``: the line of the parent's text before and after it, to show dimmed;
- a rating row: ``{"rating": "Ground Service ★1/5", "parent": id, "parent_row": row,
  "parent_text": ...}`` (:mod:`cjm_widgets.evidence.display`).

The tagger's ``_page`` puts :meth:`TaggerQuotes._quote_info` in the window. Without sorting,
each quote is listed right under its parent. The ``quote`` handler makes a
quote (:meth:`Evidence.add_quote`) from offsets the front end measured, selects it and pages
to it, ready for a face key.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np

from cjm_widgets.errors import CJMError
from cjm_widgets.evidence.display import display_texts, parent_rows, quote_context
from cjm_widgets.widgets._base import handler

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence

__all__ = ["TaggerQuotes", "quote_context"]

_PARENT_CUT = 2000


class TaggerQuotes:
    """Quotes in the tagger (see the module)."""

    # set by EvidenceTagger.__init__ and its other mixins (declared only)
    evidence: Evidence
    _n: int
    _sel: np.ndarray
    _match: np.ndarray
    _anchor: int | None
    _start: int
    page_size: int
    _filters: dict[str, Any]
    _orders: dict[str, np.ndarray]
    _value_masks: dict[tuple[str, str], np.ndarray]
    _sort: tuple[str, bool] | None
    _notice: dict[str, Any]
    selected_ids: list[str]

    if TYPE_CHECKING:

        def set_trait(self, name: str, value: Any) -> None: ...

        def _compute(self, filters: dict[str, Any]) -> np.ndarray: ...
        def _sync_selection(self) -> None: ...

    def _follow_rows(self) -> None:
        """After rows were added (a quote) or removed (its undo): resize the row state."""
        n = len(self.evidence)
        if n == self._n:
            return
        sel = np.zeros(n, dtype=bool)
        keep = min(n, self._n)
        sel[:keep] = self._sel[:keep]
        lost = bool(self._sel[keep:].any())  # a removed row (an undone quote) was selected
        self._sel, self._n = sel, n
        self._orders, self._value_masks = {}, {}
        if self._anchor is not None and self._anchor >= n:
            self._anchor = None
        old = self._match[self._match < n]
        fresh = self._compute(self._filters)
        if self._filters:  # rows shown before stay shown until the filter is applied again
            fresh = np.union1d(fresh, old[self._sel[old]]).astype(np.int64)
        self._match = fresh
        if lost:
            self.set_trait("selected_ids", self.evidence._ids_of(np.flatnonzero(sel)).tolist())

    def _ordered(self) -> np.ndarray:
        ordered: np.ndarray = super()._ordered()  # type: ignore[misc]
        if self._sort is not None:
            return ordered
        ev = self.evidence
        quotes = ev._quote_rows()
        if not len(quotes):
            return ordered
        parents = ev.derived(("tagger", "quote-parents"), lambda: _quote_parents(ev))
        at = np.full(self._n, -1, np.int64)
        at[ordered] = np.arange(len(ordered))
        move = (at[quotes] >= 0) & (parents >= 0)
        move[move] &= at[parents[move]] >= 0
        if not move.any():
            return ordered
        q, p = quotes[move], parents[move]
        moving = np.zeros(self._n, dtype=bool)
        moving[q] = True
        rest = ordered[~moving[ordered]]
        pos = np.full(self._n, -1, np.int64)
        pos[rest] = np.arange(len(rest))
        starts = ev.column("span_start").iloc[q].to_numpy(dtype=np.float64)
        order = np.lexsort((q, starts, pos[p]))
        return np.insert(rest, pos[p][order] + 1, q[order])

    def _quote_info(self, rows: list[int]) -> dict[str, Any]:
        ev = self.evidence
        if not rows:
            return {}
        out: dict[str, Any] = {}
        for row, spans in ev.quote_spans(np.array(rows)).items():
            out[str(row)] = {"spans": [list(s) for s in spans]}
        raw = ev._raw
        text = ev.column("text")
        parents = parent_rows(ev, rows)
        shown = display_texts(ev, rows)
        if "parent_id" in raw.columns:
            at = np.array(rows, dtype=np.int64)
            pid = dict(zip(rows, raw["parent_id"].iloc[at].to_numpy(dtype=object), strict=True))
            s0 = dict(zip(rows, raw["span_start"].iloc[at].to_numpy(np.float64), strict=True))
            s1 = dict(zip(rows, raw["span_end"].iloc[at].to_numpy(np.float64), strict=True))
            for row in rows:
                if not isinstance(pid[row], str) or np.isnan(s0[row]):
                    continue
                prow = parents.get(row)
                info = {
                    "parent": pid[row],
                    "parent_row": prow,
                    "start": int(s0[row]),
                    "end": int(s1[row]),
                    "before": "",
                    "after": "",
                }
                if prow is not None:
                    before, after = quote_context(str(text.iloc[prow]), int(s0[row]), int(s1[row]))
                    info.update(before=before, after=after)
                out.setdefault(str(row), {}).update(info)
        if "item" not in raw.columns:
            return out
        own = text.iloc[np.array(rows, dtype=np.int64)].to_numpy(dtype=object)
        for i, row in enumerate(rows):
            if (isinstance(own[i], str) and own[i].strip()) or shown[i] == "":
                continue
            prow = parents.get(row)
            info = {"rating": shown[i], "parent": None, "parent_row": prow, "parent_text": ""}
            if prow is not None:
                info["parent"] = str(ev._ids_of(np.array([prow]))[0])
                info["parent_text"] = str(text.iloc[prow])[:_PARENT_CUT]
            out.setdefault(str(row), {}).update(info)
        return out

    @staticmethod
    def _static_text(text: Any, info: dict[str, Any] | None) -> str:
        """A text cell of the static snapshot (escaped): quote spans marked in a parent, a
        quote inside its parent's line, a rating row's item and value."""
        text = "" if text is None else str(text)
        if info is None:
            return html.escape(text)
        if "rating" in info:
            parent = f" <small>(review {html.escape(str(info['parent']))})</small>"
            return f"<em>{html.escape(info['rating'])}</em>" + (parent if info["parent"] else "")
        if "start" in info:
            return (
                f'<span style="opacity:.7">{html.escape(info["before"])}</span>'
                f'<mark class="cjm-quote-span">{html.escape(text)}</mark>'
                f'<span style="opacity:.7">{html.escape(info["after"])}</span>'
                f" <small>(a quote of {html.escape(str(info['parent']))})</small>"
            )
        out, at = [], 0
        for start, end, _qid in info.get("spans", []):
            if start < at or end > len(text):
                continue  # overlapping or cut off: the first one is marked
            out += [html.escape(text[at:start]), '<mark class="cjm-quote-span">']
            out += [html.escape(text[start:end]), "</mark>"]
            at = end
        out.append(html.escape(text[at:]))
        return "".join(out)

    @handler("quote")
    def _h_quote(self, row: int, start: int, end: int, text: str | None = None) -> str:
        """Make the quote ``[start, end)`` (code points) of row ``row``'s text, select it and
        show its page. ``text`` is what the browser saw selected (checked against the raw
        text, so a quote never points at other words)."""
        row = int(row)
        if not 0 <= row < self._n:
            raise CJMError(f"No row {row}.")
        ev = self.evidence
        parent = str(ev._ids_of(np.array([row]))[0])
        qid = ev.add_quote(parent, int(start), int(end), text_check=text)
        self._follow_rows()
        qrow = int(ev.rows_of([qid])[0])
        self._sel[:] = False
        self._sel[qrow] = True
        self._anchor = qrow
        if qrow not in set(self._match.tolist()):
            self._match = np.union1d(self._match, [qrow]).astype(np.int64)
        ordered = self._ordered()
        where = np.flatnonzero(ordered == qrow)
        if len(where):
            self._start = int(where[0]) - int(where[0]) % self.page_size
        quoted = ev.column("text").iloc[qrow]
        shown = quoted if len(quoted) <= 60 else quoted[:57] + "…"
        self._notice = {
            "text": f"Quoted “{shown}” from {parent} (characters {start}–{end}). It is "
            "selected: tag it with a face (keys 1–5), a touchpoint or a label.",
            "kind": "ok",
        }
        self._sync_selection()
        return qid


def _quote_parents(ev: Evidence) -> np.ndarray:
    """The parent row of each quote row (``ev._quote_rows()``), -1 where not here."""
    quotes = ev._quote_rows()
    ids = ev.column("parent_id").iloc[quotes].to_numpy(dtype=object)
    return np.asarray(ev._lookup([str(i) for i in ids]), dtype=np.int64)
