"""Suggestions in the tagger (``EvidenceTagger(journey, ev, suggest=True)``): the Suggested
column, the "Suggested" filter and sort, Enter to accept and X to reject.

:class:`TaggerSuggest` is a mixin of :class:`~cjm_widgets.widgets.evidence_tagger.EvidenceTagger`.
The suggestions come from a :class:`cjm_widgets.Suggester` that re-trains in its own
background thread after every tag. A small watcher thread waits for each new model and then
sets the ``_suggest_state`` trait (version, tags learned from); the browser answers by asking
for its page again, so the column is refreshed in the kernel's own thread, between clicks,
and a click never waits for a re-train.

- Column: per visible row, the suggested touchpoint and its probability, the emotion and its
  probability, and the "why" (:meth:`Suggester.suggest` for the page's ids only).
- Filter ``suggested=p``: untagged rows whose suggested touchpoint has probability ≥ p
  (:func:`cjm_widgets.analysis.suggest_scores.suggestion_scores`, once per model version);
  sorting by the column puts the most confident first.
- Accept / reject: :meth:`Evidence.accept_suggestions` / :meth:`~Evidence.reject_suggestions`
  for the selected rows that have a suggestion, by the tagger's ``coder`` (one undo step).
"""

from __future__ import annotations

import contextlib
import math
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from cjm_widgets.errors import CJMError
from cjm_widgets.widgets._base import handler

if TYPE_CHECKING:
    from collections.abc import Callable

    from cjm_widgets.analysis.suggest import Suggester
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["TaggerSuggest"]


class TaggerSuggest:
    """The tagger's suggestion column, filter, sort and accept / reject handlers."""

    # defined by EvidenceTagger / TaggerHandlers
    evidence: Evidence
    _journey_obj: Journey
    _sel: np.ndarray
    _notice: dict[str, Any]
    coder: str
    _suggest_state: dict[str, Any]
    _selection: Callable[[], np.ndarray]
    set_trait: Callable[[str, Any], None]

    if TYPE_CHECKING:

        @property
        def hidden_count(self) -> int: ...

    # ------------------------------------------------------------------ set up
    def _suggest_setup(self, suggest: Any) -> None:
        self._suggester: Suggester | None = None
        self._watch_lock = threading.Lock()
        self._watcher: threading.Thread | None = None
        self._cells_cache: tuple[Any, dict[int, Any]] | None = None
        if suggest is False or suggest is None:
            return
        from cjm_widgets.analysis.suggest import Suggester

        self._own_suggester = suggest is True
        if suggest is True:
            suggest = Suggester(self._journey_obj, self.evidence)
        if not isinstance(suggest, Suggester):
            raise TypeError(
                "suggest= takes True (a cjm.Suggester made for this journey and evidence) or "
                f"a cjm.Suggester, got {type(suggest).__name__}."
            )
        if suggest.evidence is not self.evidence:
            raise CJMError("suggest=: that Suggester follows another evidence store.")
        self._suggester = suggest
        self._publish()

    @property
    def suggester(self) -> Suggester | None:
        """The :class:`cjm_widgets.Suggester` behind the Suggested column (None when off)."""
        return self._suggester

    def _need_suggester(self) -> Suggester:
        if self._suggester is None:
            raise CJMError(
                "Suggestions are off in this tagger: make it with "
                "cjm.EvidenceTagger(journey, ev, suggest=True)."
            )
        return self._suggester

    def _publish(self) -> None:
        s = self._suggester
        if s is None:
            return
        state = {
            "on": True,
            "version": s.version,
            "n_tags": s.n_tags,
            "training": s._thread is not None,
        }
        if state != self._suggest_state:
            self.set_trait("_suggest_state", state)

    def _suggest_changed(self) -> None:
        """After a tag: make sure a watcher waits for the model being re-trained."""
        if self._suggester is None:
            return
        self._publish()
        with self._watch_lock:
            if self._watcher is None:
                self._watcher = threading.Thread(target=self._watch, daemon=True)
                self._watcher.start()

    def _watch(self) -> None:
        s = self._suggester
        assert s is not None
        while True:
            s.wait()
            with contextlib.suppress(Exception):  # a closed widget: nothing to tell
                self._publish()
            with self._watch_lock:
                if s._thread is None:
                    self._watcher = None
                    return

    def _suggest_close(self) -> None:
        s = self._suggester
        if s is not None and getattr(self, "_own_suggester", False):
            s.close()

    # ------------------------------------------------------------------ column, filter, sort
    def _suggest_cells(self, rows: np.ndarray) -> dict[int, Any]:
        """Per visible row with a suggestion: [touchpoint, p, emotion, emotion p, why]."""
        s = self._suggester
        if s is None or not len(rows):
            return {}
        key = (s.version, tuple(rows.tolist()), len(self.evidence._history))
        if self._cells_cache is not None and self._cells_cache[0] == key:
            return self._cells_cache[1]
        ids = self.evidence._ids_of(rows).tolist()
        table = s.suggest(ids=ids, order="evidence")
        at = dict(zip(ids, rows.tolist(), strict=True))
        cells: dict[int, Any] = {}
        for rec in table.itertuples(index=False):
            emotion = None if math.isnan(rec.emotion) else float(rec.emotion)
            emotion_p = None if math.isnan(rec.emotion_p) else round(float(rec.emotion_p), 3)
            cells[at[rec.evidence_id]] = [
                str(rec.touchpoint),
                round(float(rec.touchpoint_p), 3),
                emotion,
                emotion_p,
                str(rec.why),
            ]
        self._cells_cache = (key, cells)
        return cells

    def _suggested_mask(self, minimum: float) -> np.ndarray:
        from cjm_widgets.analysis.suggest_scores import suggestion_scores

        scores = suggestion_scores(self._need_suggester())
        with np.errstate(invalid="ignore"):
            return np.asarray(scores >= minimum)

    def _suggest_rank_values(self) -> np.ndarray:
        """Sort values of the Suggested column: most probable first, rows without last."""
        from cjm_widgets.analysis.suggest_scores import suggestion_scores

        scores = suggestion_scores(self._need_suggester())
        return np.where(np.isnan(scores), np.inf, -scores)

    # ------------------------------------------------------------------ accept, reject
    def _who(self, coder: str | None, verb: str) -> str:
        who = (coder if coder is not None else self.coder).strip()
        if not who:
            raise CJMError(
                f"Type your name in the Coder field first: the tags record who {verb} the "
                "suggestions. Nothing was changed."
            )
        return who

    def _suggested_selection(self, verb: str) -> tuple[Any, int, int]:
        from cjm_widgets.analysis.suggest_scores import suggestion_table

        s = self._need_suggester()
        rows = np.flatnonzero(self._selection())
        table = suggestion_table(s, rows)
        if not len(table):
            raise CJMError(
                f"None of the {len(rows):,} selected rows has a suggestion to {verb} "
                "(tagged rows and rows without text get none)."
            )
        return table, len(rows) - len(table), self.hidden_count

    @handler("accept_suggestions")
    def _h_accept(self, coder: str | None = None) -> None:
        who = self._who(coder, "accepted")
        table, skipped, hidden = self._suggested_selection("accept")
        self.evidence.accept_suggestions(table, by=who, journey=self._journey_obj)
        n = len(table)
        text = f"Accepted {n:,} suggestion{'' if n == 1 else 's'} (by {who})."
        if skipped:
            text += f" {skipped:,} selected row{' has' if skipped == 1 else 's have'} none."
        if hidden:
            text += f" {hidden:,} of the selected rows are hidden by the filter."
        self._notice = {"text": text + " Undo with Ctrl+Z.", "kind": "warn" if hidden else "ok"}

    @handler("reject_suggestions")
    def _h_reject(self, coder: str | None = None) -> None:
        who = self._who(coder, "rejected")
        table, skipped, hidden = self._suggested_selection("reject")
        self.evidence.reject_suggestions(table, by=who, journey=self._journey_obj)
        n = len(table)
        text = (
            f"Rejected {n:,} suggestion{'' if n == 1 else 's'} (by {who}): "
            "the model suggests another touchpoint there next."
        )
        if skipped:
            text += f" {skipped:,} selected row{' has' if skipped == 1 else 's have'} none."
        self._notice = {"text": text, "kind": "warn" if hidden else "ok"}
