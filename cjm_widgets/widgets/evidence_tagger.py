"""``cjm.EvidenceTagger(journey, evidence)``: a windowed table to select and tag evidence.

Usage::

    import cjm_widgets as cjm

    demo = cjm.datasets.demo()
    ev = demo.evidence()
    tagger = cjm.EvidenceTagger(demo.journey, ev)
    tagger                                  # the table: filter, select, tag, undo
    tagger.filter(untagged=True, search="delivery")
    tagger.matching_count, tagger.selected_ids

The browser only ever holds one window of rows: filtering, sorting, paging and search run here
(cached masks and per-column sort orders) and reply with just that window through the private
``_window`` trait. Tag actions call ``evidence.tag`` / ``untag`` / ``undo``; the store's change
event refreshes the window, so several views stay consistent. Errors from the store show in the
widget (``tagger.error``) and change nothing.

Linked filters: a view beside the tagger (the Workspace's curve or board) filters it with
:meth:`EvidenceTagger.filter_from`; the filter bar then shows a removable chip ("From curve:
Check-in desk · Business") while that filter is in force, and its search box and dropdowns
always show the filter applied here (``_window["bar"]``).

Hidden selections are kept and shown, not dropped: a selection made under one filter survives
a new filter, the count line says "6 selected · 4 hidden by the filter" with a button to
deselect the hidden rows (:meth:`EvidenceTagger.deselect_hidden`), and a tag applied while
some selected rows are hidden says so in the status line. Every tag action leaves a status
line (:attr:`EvidenceTagger.status`): how many rows, what was set, and, for rows that have an
emotion but no touchpoint, that they need one before they count on the curve.
"""

from __future__ import annotations

import html
import math
import warnings
from typing import Any

import numpy as np
import traitlets

from cjm_widgets.errors import CJMError
from cjm_widgets.evidence import Evidence
from cjm_widgets.evidence.search import MATCHES
from cjm_widgets.model import Journey
from cjm_widgets.widgets._base import CJMWidget
from cjm_widgets.widgets._row_cache import RowCache
from cjm_widgets.widgets._tagger_handlers import TaggerHandlers
from cjm_widgets.widgets._tagger_hits import TaggerHits
from cjm_widgets.widgets._tagger_labels import TaggerLabels
from cjm_widgets.widgets._tagger_query import TaggerQuery
from cjm_widgets.widgets._tagger_quotes import TaggerQuotes
from cjm_widgets.widgets._tagger_suggest import TaggerSuggest
from cjm_widgets.widgets._tagger_text import link_label

__all__ = ["EvidenceTagger"]

_MAX_PAGE = 500
_MAX_CHOICES = 200
_TEXT_CUT = 2000
_FIXED = ["text", "participant", "source"]  # columns read from the evidence
_TAGS = ["stage", "touchpoint", "emotion", "labels"]  # columns of the tags
_TAG_FILTERS = {"untagged", "stage", "touchpoint", "label"}  # filters a tag can change
#: The table's column order: what tagging is about first (a narrow output area scrolls the
#: rest into view inside the widget), then the stage and who said it, then the segments.
_LEAD = ["text", "touchpoint", "emotion", "labels", "stage", "participant", "source"]
_PLAIN_FILTERS = (
    "untagged",
    "stage",
    "touchpoint",
    "label",
    "source",
    "search",
    "match",
    "ids",
    "suggested",
)


class EvidenceTagger(
    TaggerQuotes, TaggerHandlers, TaggerSuggest, TaggerLabels, TaggerHits, TaggerQuery, CJMWidget
):
    """A windowed table over one :class:`~cjm_widgets.Evidence`, tagging to one journey.

    Usage: ``tagger = cjm.EvidenceTagger(journey, ev, page_size=25)``

    Parameters
    ----------
    journey, evidence:
        The journey whose touchpoints are offered and the store to tag. The old order
        ``EvidenceTagger(evidence, journey)`` still works for one release, with a
        ``DeprecationWarning``.
    page_size:
        Rows per window (1..500).
    coder:
        Default coder name for tags made here.
    suggest:
        True: a Suggested column (touchpoint and emotion with their probabilities, the "why"
        as its tooltip) from a :class:`cjm_widgets.Suggester` that re-trains as you tag;
        a "Suggested" filter; Enter accepts the selected rows' suggestions, X rejects them
        (recorded as accepted / rejected by ``coder``). Or pass your own Suggester.

    Traits: ``selected_ids`` (read-only, ids of the selected rows), ``linked`` (read-only:
    the linked filter shown as a chip, or None), ``error``.
    Python API: :meth:`filter`, :meth:`filter_from`, :meth:`unlink`, :meth:`clear_filter`,
    :attr:`matching_count`, :meth:`select`, :meth:`deselect_hidden`, :attr:`hidden_count`,
    :attr:`status`.
    """

    _asset = "evidence_tagger"
    _snapshot_what = "evidence tagger page"

    selected_ids: traitlets.List[str] = traitlets.List(
        read_only=True, help="Evidence ids of the selected rows (read-only; Python only)."
    )
    linked = traitlets.Dict(
        None,
        allow_none=True,
        read_only=True,
        help="The filter another view set (origin, filters, label), shown as a chip; or None.",
    )
    coder = traitlets.Unicode("", help="Coder name stored with each tag.").tag(sync=True)
    _window = traitlets.Dict().tag(sync=True)
    _meta = traitlets.Dict().tag(sync=True)
    _notice = traitlets.Dict().tag(sync=True)
    _suggest_state = traitlets.Dict().tag(sync=True)

    def __init__(
        self,
        journey: Journey,
        evidence: Evidence,
        *,
        page_size: int = 50,
        coder: str = "",
        suggest: Any = False,
    ) -> None:
        given: tuple[object, object] = (journey, evidence)  # the old order, told by type
        if isinstance(given[0], Evidence) and isinstance(given[1], Journey):
            warnings.warn(
                "EvidenceTagger(evidence, journey) is deprecated: pass the journey first, "
                "EvidenceTagger(journey, evidence), as every other cjm widget takes them.",
                DeprecationWarning,
                stacklevel=2,
            )
            journey, evidence = given[1], given[0]
        if not isinstance(evidence, Evidence):
            raise TypeError(
                "EvidenceTagger(journey, evidence) needs a cjm_widgets.Evidence as evidence, "
                f"got {type(evidence).__name__}."
            )
        if not isinstance(journey, Journey):
            raise TypeError(
                "EvidenceTagger(journey, evidence) needs a cjm_widgets.Journey as journey, "
                f"got {type(journey).__name__}."
            )
        if isinstance(page_size, bool) or not isinstance(page_size, int):
            raise TypeError(f"page_size must be an integer 1..{_MAX_PAGE}, got {page_size!r}.")
        if not 1 <= page_size <= _MAX_PAGE:
            raise ValueError(f"page_size must be an integer 1..{_MAX_PAGE}, got {page_size!r}.")
        self.evidence = evidence
        self._journey_obj = journey
        self.page_size = page_size
        self._n = len(evidence)
        self._filters: dict[str, Any] = {}
        self._link: dict[str, Any] | None = None
        self._match: np.ndarray = np.arange(self._n, dtype=np.int64)
        self._sel = np.zeros(self._n, dtype=bool)
        self._anchor: int | None = None
        self._sort: tuple[str, bool] | None = None
        self._orders: dict[str, np.ndarray] = {}
        self._value_masks: dict[tuple[str, str], np.ndarray] = {}
        self._row_cache = RowCache()
        self._segments = list(evidence.segments)
        self._start = 0
        super().__init__(coder=str(coder or ""))
        self._closed = False
        self._suggest_setup(suggest)
        self.set_trait("linked", None)  # traitlets makes a Dict's None default {}
        self._set_meta()
        self._refresh()
        evidence.observe(self._on_evidence)
        journey.observe(self._on_journey)

    # ------------------------------------------------------------------ public
    @property
    def journey(self) -> Journey:
        return self._journey_obj

    @property
    def filters(self) -> dict[str, Any]:
        """The filters in force (as given to :meth:`filter`; empty when none)."""
        return dict(self._filters)

    @property
    def matching_count(self) -> int:
        """Rows matching the current filter."""
        return len(self._match)

    @property
    def selected_rows(self) -> np.ndarray:
        """Store rows of the selection (sorted)."""
        return np.flatnonzero(self._sel)

    def filter(
        self,
        untagged: bool | None = None,
        stage: str | None = None,
        touchpoint: str | None = None,
        label: str | None = None,
        source: str | None = None,
        search: str | None = None,
        ids: Any = None,
        match: str | None = None,
        suggested: float | None = None,
        **segments: Any,
    ) -> int:
        """Show only matching rows (None = no filter on that field); returns the count.
        ``ids``: only these evidence ids (e.g. a theme's quotes). ``search`` finds words, and
        phrases in double quotes (``'"lost luggage"'``); ``match="words"`` finds them only as
        whole words, ``"exact"`` as typed (see :meth:`Evidence.search`). ``suggested=0.8``
        (with ``suggest=True``): untagged rows whose suggested touchpoint has a probability
        of at least 0.8. The hits are
        highlighted in the table, with a snippet around the first one in collapsed rows, and
        each option of the filter bar says how many rows the search finds there.

        Usage: ``tagger.filter(untagged=True, search="delivery", household="Family")``
        """
        bad = sorted(set(segments) - set(self._segments))
        if bad:
            raise CJMError(
                f"Unknown filter(s) {', '.join(map(repr, bad))}. Segment columns: "
                f"{', '.join(self._segments) or 'none'}."
            )
        given = dict(
            untagged=untagged,
            stage=stage,
            touchpoint=touchpoint,
            label=label,
            source=source,
            search=search,
            ids=ids,
            match=None if match == "contains" else match,
            suggested=suggested,
            **segments,
        )
        return self._apply(given, link=None)

    def _apply(self, given: dict[str, Any], *, link: dict[str, Any] | None) -> int:
        """Set the filters (all or nothing) and the link; keep a link whose values hold."""
        bad = sorted(set(given) - {*_PLAIN_FILTERS, *self._segments})
        if bad:
            raise CJMError(
                f"Unknown filter(s) {', '.join(map(repr, bad))}. Filters: "
                f"{', '.join(_PLAIN_FILTERS)}; segment columns: "
                f"{', '.join(self._segments) or 'none'}."
            )
        filters = {
            k: v
            for k, v in given.items()
            if v not in (None, "", False) or (k == "suggested" and v == 0 and v is not False)
        }
        if filters.get("match") not in (None, *MATCHES):
            raise CJMError(
                f"match must be one of {', '.join(MATCHES)} (how the search matches), "
                f"got {filters['match']!r}."
            )
        if "suggested" in filters:
            value = filters["suggested"]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise CJMError(f"suggested= is a probability 0…1, got {value!r}.")
            if not 0 <= value <= 1:
                raise CJMError(f"suggested= is a probability 0…1, got {value!r}.")
            self._need_suggester()
        match = self._compute(filters)
        if link is None and self._link is not None:
            normal = self._normal(filters)
            if all(normal.get(k) == v for k, v in self._link["filters"].items()):
                link = self._link
        self._filters = filters
        self._match = match
        self._start = 0
        self._link = link
        with self.hold_sync():
            self._refresh()
            self._set_linked()
        return self.matching_count

    def _normal(self, filters: dict[str, Any]) -> dict[str, Any]:
        """Filters with stage / touchpoint names resolved to ids (to compare filters)."""
        out: dict[str, Any] = {}
        for key, value in filters.items():
            if value in (None, "", False):
                continue
            if key == "touchpoint":
                value = self._resolve_tp(value)
            elif key == "stage":
                value = self._resolve_stage(value)
            elif key == "ids":
                out[key] = tuple(str(i) for i in ([value] if isinstance(value, str) else value))
                continue
            out[key] = value if isinstance(value, bool) else str(value)
        return out

    def _link_text(self) -> str | None:
        link = self._link
        return None if link is None else link_label(link["origin"], link["filters"], self.journey)

    def _set_linked(self) -> None:
        link = self._link
        value = None if link is None else {**link, "label": self._link_text()}
        if value != self.linked:
            self.set_trait("linked", value)

    def clear_filter(self) -> int:
        """Show every row again."""
        return self.filter()

    def filter_from(self, origin: str, /, **filters: Any) -> int:
        """Filter as :meth:`filter` does, for another view: the bar shows it as a chip.

        ``origin`` says where the filter came from ("curve", "map"; the chip reads "From
        curve: Check-in desk · Business"). The chip stays while those filter values are in
        force (other filters may be added to them); removing it (:meth:`unlink`, or its ×)
        drops just those values. Returns the matching count.

        Usage: ``tagger.filter_from("curve", touchpoint="Check-in desk", Class="Business")``
        """
        if not isinstance(origin, str) or not origin.strip():
            raise CJMError(f"filter_from() needs where the filter came from, got {origin!r}.")
        link = {"origin": origin.strip(), "filters": self._normal(filters)}
        return self._apply(filters, link=link)

    def unlink(self) -> int:
        """Remove the linked filter (the chip): its values go, other filters stay.

        Usage: ``tagger.unlink()``
        """
        if self._link is None:
            return self.matching_count
        keys = set(self._link["filters"])
        return self.filter(**{k: v for k, v in self._filters.items() if k not in keys})

    @property
    def hidden_count(self) -> int:
        """Selected rows the current filter hides (they stay selected; see the module doc)."""
        selected = int(np.count_nonzero(self._sel))
        if not selected or len(self._match) == self._n:  # the common cases, without a gather
            return 0
        return selected - int(np.count_nonzero(self._sel[self._match]))

    def deselect_hidden(self) -> int:
        """Deselect the selected rows the current filter hides; returns how many were.

        Usage: ``tagger.deselect_hidden()``
        """
        hidden = self.hidden_count
        if hidden:
            keep = np.zeros(self._n, dtype=bool)
            keep[self._match] = self._sel[self._match]
            self._sel = keep
            self._sync_selection()
        return hidden

    @property
    def status(self) -> str:
        """The status line: what the last tag action did (empty before the first one)."""
        return str(self._notice.get("text", ""))

    def select(self, ids: Any = None, *, rows: Any = None, matching: bool = False) -> None:
        """Replace the selection by evidence ids, store rows or all matching rows."""
        sel = np.zeros(self._n, dtype=bool)
        if matching:
            sel[self._match] = True
        elif rows is not None:
            sel[np.asarray(rows, dtype=np.int64)] = True
        elif ids is not None:
            sel[self.evidence.rows_of(ids)] = True
        self._sel = sel
        self._sync_selection()

    def close(self) -> None:
        if not getattr(self, "_closed", True):
            self._closed = True
            self.evidence.unobserve(self._on_evidence)
            self._suggest_close()
            self._journey_obj.unobserve(self._on_journey)
        super().close()

    def __repr__(self) -> str:
        return f"EvidenceTagger({self.matching_count:,} of {self._n:,} rows)"

    # ------------------------------------------------------------------ window
    def _columns(self) -> list[str]:
        if self._suggester is not None:
            return [_LEAD[0], "suggested", *_LEAD[1:], *self._segments]
        return [*_LEAD, *self._segments]

    def _window_rows(self, rows: np.ndarray) -> list[list[Any]]:
        ev = self.evidence
        arrays = ev._tag_arrays()
        stage_name = {s.id: s.name for s in self._journey_obj.stages}
        tp_name = {t.id: t.name for t in self._tps()}
        ids = ev._ids_of(rows).tolist()
        suggested = self._suggest_cells(rows)
        raw = self._row_cache.values(ev, rows, [*_FIXED, *self._segments])  # read once a row
        out = []
        for i, r in enumerate(rows.tolist()):
            st, tp = int(arrays.stage[r]), int(arrays.touchpoint[r])
            em = float(arrays.emotion[r])
            mask = int(arrays.labels[r])
            labels = [n for b, n in enumerate(ev.label_names) if mask >> b & 1]
            values: dict[str, Any] = {}
            for c in [*_FIXED, *self._segments]:
                v = raw[c][i]
                v = "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
                values[c] = v[:_TEXT_CUT] if c == "text" else v
            sid = ev.stage_ids[st] if st >= 0 else None
            tid = ev.touchpoint_ids[tp] if tp >= 0 else None
            values["stage"] = stage_name.get(sid, sid) if sid else ""
            values["touchpoint"] = tp_name.get(tid, tid) if tid else ""
            values["emotion"] = None if math.isnan(em) else round(em, 2)
            values["labels"] = labels
            values["suggested"] = suggested.get(r)
            out.append([r, ids[i], bool(self._sel[r]), *(values[c] for c in self._columns())])
        return out

    def _page(self, start: int | None = None) -> dict[str, Any]:
        total = self.matching_count
        if start is not None:
            self._start = start
        self._start = max(0, min(self._start, max(0, total - 1)))
        self._start -= self._start % self.page_size
        ordered = self._ordered()
        rows = ordered[self._start : self._start + self.page_size]
        return {
            "columns": ["row", "id", "selected", *self._columns()],
            "rows": self._window_rows(rows),
            "start": self._start,
            "page_size": self.page_size,
            "matching": total,
            "total": self._n,
            "selected": int(self._sel.sum()),
            "hidden": self.hidden_count,
            "sort": list(self._sort) if self._sort else None,
            "filters": {k: v for k, v in self._filters.items()},
            "bar": self._bar(),
            "can_undo": bool(self.evidence.can_undo),
            "can_redo": bool(self.evidence.can_redo),
            "labels_on": self._labels_on(),
            "quotes": self._quote_info(rows.tolist()),  # spans, quote context, ratings
            "label_counts": self._label_totals(),
            "hits": self._hits(rows, _TEXT_CUT),
            "facets": self._facets(),
        }

    def _bar(self) -> dict[str, Any]:
        """The filter bar's controls as the filter in force sets them (ids, not names)."""
        try:
            normal = self._normal(self._filters)
        except CJMError:  # a touchpoint or stage removed since: show the raw values
            normal = dict(self._filters)
        place = ""
        if "touchpoint" in normal:
            place = f"t:{normal['touchpoint']}"
        elif "stage" in normal:
            place = f"s:{normal['stage']}"
        return {
            "untagged": bool(normal.get("untagged")),
            "search": str(normal.get("search", "")),
            "match": str(normal.get("match", "contains")),
            "place": place,
            "label": str(normal.get("label", "")),
            "suggested": normal.get("suggested"),
            "segments": {c: normal[c] for c in ["source", *self._segments] if c in normal},
            "linked": self._link_text(),
        }

    def _labels_on(self) -> list[str]:
        """Labels every selected row carries (their buttons then remove the label)."""
        rows = np.flatnonzero(self._sel)
        if not len(rows):
            return []
        bits = self.evidence._tag_arrays().labels[rows]
        common = int(np.bitwise_and.reduce(bits)) if len(bits) else 0
        return [name for i, name in enumerate(self.evidence.label_names) if common >> i & 1]

    def _refresh(self, start: int | None = None) -> None:
        self._window = self._page(start)

    def _sync_selection(self) -> None:
        ids = self.evidence._ids_of(np.flatnonzero(self._sel)).tolist()
        self.set_trait("selected_ids", ids)
        self._refresh()

    def _set_meta(self) -> None:
        stages = [
            {
                "id": s.id,
                "name": s.name,
                "touchpoints": [{"id": t.id, "name": t.name} for t in s.touchpoints],
            }
            for s in self._journey_obj.stages
        ]
        segments = {}
        for c in ["source", *self._segments]:
            # distinct values first: astype(str) over ~1M rows took ~0.2 s per column
            values = self._col(c).dropna().drop_duplicates().astype(str).unique()
            segments[c] = sorted(values.tolist())[:_MAX_CHOICES]
        labels = self._label_meta()
        self._meta = {
            "stages": stages,
            "labels": [x["name"] for x in labels],
            "label_info": labels,
            "suggest": self._suggester is not None,
            "segments": self._segments,
            "choices": segments,
        }

    # ------------------------------------------------------------------ observers
    def _on_evidence(self, change: Any) -> None:
        if self._closed:
            return
        try:
            self._follow_rows()  # a quote added or undone: rows added or removed
            self._orders = {k: v for k, v in self._orders.items() if k not in _TAGS}
            if self._filters.keys() & _TAG_FILTERS:
                # Selected rows stay visible while being tagged (e.g. under "untagged only"),
                # until the filter is applied again. A mask, not np.union1d: that sorts
                # ~1M row numbers on every tag (~17 ms on the 1.45M-row survey).
                keep = self._match[self._sel[self._match]]
                found = self._compute(self._filters)
                if len(keep):
                    mask = np.zeros(self._n, dtype=bool)
                    mask[found] = True
                    mask[keep] = True
                    found = np.flatnonzero(mask).astype(np.int64)
                self._match = found
            # filters on text, ids, source or segments match the same rows after a tag
            with self.hold_sync():
                if self._label_meta() != self._meta.get("label_info"):
                    self._set_meta()
                self._refresh()
            self._suggest_changed()
        except Exception as exc:
            self.report_error(exc, action=f"refresh after {getattr(change, 'kind', 'change')}")

    def _on_journey(self, change: Any) -> None:
        if self._closed:
            return
        try:
            self._orders = {k: v for k, v in self._orders.items() if k not in _TAGS}
            with self.hold_sync():
                self._set_meta()
                self._refresh()
                self._set_linked()  # the chip follows a rename
        except Exception as exc:
            self.report_error(exc, action="refresh after a journey change")

    # ------------------------------------------------------------------ static
    def _static_html(self) -> str | None:
        win = self._page()
        link = self._link_text()
        linked = f" ({html.escape(link)})" if link else ""
        cols = win["columns"][3:]
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        quotes = win.get("quotes", {})
        body = "".join(
            "<tr>"
            + "".join(
                f"<td>{self._static_text(v, quotes.get(str(row[0])))}</td>"
                if c == "text"
                else f"<td>{html.escape(_cell(v, c))}</td>"
                for c, v in zip(cols, row[3:], strict=True)
            )
            + "</tr>"
            for row in win["rows"]
        )
        return (
            '<div class="cjm-tagger-static"><p><strong>Evidence tagger</strong>: '
            f"{win['matching']:,} of {win['total']:,} rows{linked} (first page shown).</p>"
            f'<table border="1"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
        )


def _cell(value: Any, column: str = "") -> str:
    if value is None:
        return ""
    if column == "suggested":  # [touchpoint, probability, emotion, its probability, why]
        return f"{value[0]} ({round(100 * value[1])}%)"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
