"""The evidence tagger's front-end handlers: paging, selecting, tagging, undo and redo.

:class:`TaggerHandlers` is a mixin of
:class:`~cjm_widgets.widgets.evidence_tagger.EvidenceTagger`: the ``@handler`` methods the
front end calls, and the status line a tag action leaves. What it uses of the tagger is
declared at the top of the class (annotations only: the tagger defines them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from cjm_widgets.errors import CJMError
from cjm_widgets.widgets._base import handler
from cjm_widgets.widgets._tagger_text import tag_feedback

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["TaggerHandlers"]


class TaggerHandlers:
    """The tagger's ``@handler`` methods (called from the front end) and their feedback."""

    # defined by EvidenceTagger (and TaggerQuery): declared only, so they stay theirs
    evidence: Evidence
    _journey_obj: Journey
    _n: int
    _sel: np.ndarray
    _match: np.ndarray
    _anchor: int | None
    _sort: tuple[str, bool] | None
    coder: str
    _notice: dict[str, Any]
    filter: Callable[..., int]
    unlink: Callable[[], int]
    deselect_hidden: Callable[[], int]
    _columns: Callable[[], list[str]]
    _refresh: Callable[..., None]
    _ordered: Callable[[], np.ndarray]
    _sync_selection: Callable[[], None]
    _labels_on: Callable[[], list[str]]
    hold_sync: Callable[[], AbstractContextManager[None]]  # ipywidgets.Widget's

    if TYPE_CHECKING:

        @property
        def hidden_count(self) -> int: ...

    # ------------------------------------------------------------------ handlers
    @handler("page")
    def _h_page(self, start: int = 0, sort: str | None = None, desc: bool = False) -> None:
        if sort is not None and sort not in self._columns():
            raise CJMError(f"Cannot sort by {sort!r}.")
        self._sort = (sort, bool(desc)) if sort else None
        self._refresh(int(start))

    @handler("filter")
    def _h_filter(self, **filters: Any) -> int:
        return self.filter(**filters)

    @handler("unlink")
    def _h_unlink(self) -> int:
        return self.unlink()

    @handler("deselect_hidden")
    def _h_deselect_hidden(self) -> int:
        return self.deselect_hidden()

    @handler("select")
    def _h_select(
        self, row: int | None = None, mode: str = "one", matching: bool | None = None
    ) -> int:
        """mode: one (replace), toggle (Ctrl), range (Shift from the anchor), none."""
        if matching is not None:
            self._sel[:] = False
            if matching:
                self._sel[self._match] = True
        elif mode == "none":
            self._sel[:] = False
        elif row is not None:
            row = int(row)
            if not 0 <= row < self._n:
                raise CJMError(f"No row {row}.")
            if mode == "toggle":
                self._sel[row] = not self._sel[row]
                self._anchor = row
            elif mode == "range" and self._anchor is not None:
                ordered = self._ordered()
                pos = {int(r): i for i, r in enumerate(ordered) if r in (row, self._anchor)}
                if row in pos and self._anchor in pos:
                    a, b = sorted((pos[row], pos[self._anchor]))
                    self._sel[ordered[a : b + 1]] = True
                else:
                    self._sel[row] = True
            else:
                self._sel[:] = False
                self._sel[row] = True
                self._anchor = row
        self._sync_selection()
        return int(self._sel.sum())

    def _selection(self) -> np.ndarray:
        if not self._sel.any():
            raise CJMError("Select one or more rows first.")
        return self._sel.copy()

    @handler("tag")
    def _h_tag(
        self,
        touchpoint: str | None = None,
        emotion: float | None = None,
        add_labels: list[str] | None = None,
        coder: str | None = None,
    ) -> None:
        coder = (coder if coder is not None else self.coder).strip() or None
        selection = self._selection()
        hidden = self.hidden_count
        with self.hold_sync():  # the new page and the status line in one message
            self.evidence.tag(
                selection,
                journey=self._journey_obj,
                touchpoint=touchpoint,
                emotion=emotion,
                add_labels=add_labels or None,
                coder=coder,
            )
            self._feedback(
                selection,
                hidden=hidden,
                emotion=emotion,
                touchpoint=self._journey_obj.touchpoint(touchpoint).name if touchpoint else None,
                labels=list(add_labels or []),
            )

    def _feedback(
        self, selection: np.ndarray, *, hidden: int, verb: str = "Tagged", **what: Any
    ) -> None:
        """Say in the status line what a tag action did to the selected rows."""
        rows = np.flatnonzero(selection)
        arrays = self.evidence._tag_arrays()
        needs = int(((arrays.touchpoint[rows] < 0) & ~np.isnan(arrays.emotion[rows])).sum())
        text, kind = tag_feedback(
            len(rows), hidden=hidden, needs_touchpoint=needs, verb=verb, **what
        )
        self._notice = {"text": text, "kind": kind}

    @handler("untag")
    def _h_untag(self, labels: list[str] | None = None) -> None:
        coder = self.coder.strip() or None
        selection = self._selection()
        hidden = self.hidden_count
        self.evidence.untag(selection, labels=labels or None, coder=coder)
        text, kind = tag_feedback(
            int(selection.sum()), hidden=hidden, labels=list(labels or []), verb="Untagged"
        )
        self._notice = {"text": text, "kind": kind}

    @handler("toggle_label")
    def _h_toggle_label(self, label: str, coder: str | None = None) -> None:
        """Add ``label`` to the selected rows, or remove it when every one already has it."""
        coder = (coder if coder is not None else self.coder).strip() or None
        if label in self._labels_on():
            selection = self._selection()
            hidden = self.hidden_count
            self.evidence.untag(selection, labels=[label], coder=coder)
            self._feedback(selection, hidden=hidden, verb="Removed a label from", labels=[label])
        else:
            self._h_tag(add_labels=[label], coder=coder)

    @handler("undo")
    def _h_undo(self) -> None:
        if not self.evidence.can_undo:
            raise CJMError("Nothing to undo.")
        change = self.evidence.undo()
        self._notice = {"text": _undo_text("Undid", change), "kind": "ok"}

    @handler("redo")
    def _h_redo(self) -> None:
        if not self.evidence.can_redo:
            raise CJMError("Nothing to redo.")
        change = self.evidence.redo()
        self._notice = {"text": _undo_text("Redid", change), "kind": "ok"}

    @handler("set_coder")
    def _h_coder(self, coder: str) -> None:
        self.coder = str(coder)


def _undo_text(verb: str, change: Any) -> str:
    rows = getattr(change, "rows", None)
    n = len(rows) if rows is not None else 0
    return f"{verb} the last change ({n:,} row{'' if n == 1 else 's'})." if n else f"{verb}."
