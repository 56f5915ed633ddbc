"""The tagger's labels: every label in use with its colour and count, a new-label field, and
rename / merge / colour from a small menu (each one undo step of the evidence).

:class:`TaggerLabels` is a mixin of :class:`~cjm_widgets.widgets.evidence_tagger.EvidenceTagger`:
the label part of ``_meta`` and the ``@handler`` methods of the label tools. The edits are the
evidence's own (:meth:`Evidence.add_label`, :meth:`~Evidence.rename_label`,
:meth:`~Evidence.merge_labels`, :meth:`~Evidence.set_label_colour`): the tagger only calls them
and says in the status line what happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from cjm_widgets.errors import CJMError
from cjm_widgets.evidence.tags import BUILTIN_LABELS
from cjm_widgets.widgets._base import handler

if TYPE_CHECKING:
    from collections.abc import Callable

    from cjm_widgets.evidence import Evidence

__all__ = ["TaggerLabels"]

_BUILTIN = len(BUILTIN_LABELS)


class TaggerLabels:
    """Label meta (names, colours) and the label tools' handlers."""

    # defined by EvidenceTagger / TaggerHandlers
    evidence: Evidence
    _sel: np.ndarray
    _match: np.ndarray
    _notice: dict[str, Any]
    _h_tag: Callable[..., None]

    def _label_meta(self) -> list[dict[str, Any]]:
        """The labels to show: name, colour and built-in flag, in the evidence's order."""
        ev = self.evidence
        return [
            {"name": ev.label_names[c], "colour": ev._colour_of(c), "builtin": c < _BUILTIN}
            for c in ev._listed_codes()
        ]

    def _label_totals(self) -> dict[str, int]:
        """Rows carrying each listed label, over all rows (the toolbar's counts; kept until
        the next change of the tags)."""
        ev = self.evidence
        key = (len(ev._history), tuple(ev.label_names))
        kept = getattr(self, "_totals_cache", None)
        if kept is not None and kept[0] == key:
            return dict(kept[1])
        table = ev.labels
        totals = {str(n): int(r) for n, r in zip(table["label"], table["rows"], strict=True)}
        self._totals_cache = (key, totals)
        return dict(totals)

    @handler("new_label")
    def _h_new_label(self, name: str, coder: str | None = None) -> None:
        """Make a label; with rows selected, also put it on them."""
        clean = " ".join(str(name or "").split())
        if not clean:
            raise CJMError("Type a name for the new label first.")
        if self._sel.any():
            self._h_tag(add_labels=[clean], coder=coder)
            return
        made = self.evidence.add_label(clean)
        verb = "Made the label" if made is not None else "There is a label"
        self._notice = {
            "text": f"{verb} “{clean}”. Select rows and press it to tag them.",
            "kind": "ok",
        }

    @handler("rename_label")
    def _h_rename_label(self, old: str, new: str) -> None:
        self.evidence.rename_label(old, new)
        self._notice = {"text": f"Renamed the label “{old}” to “{new.strip()}”.", "kind": "ok"}

    @handler("merge_labels")
    def _h_merge_labels(self, labels: list[str], into: str) -> None:
        change = self.evidence.merge_labels(list(labels), into=into)
        n = 0 if change is None else len(change)
        names = ", ".join(f"“{x}”" for x in labels if x != into)
        self._notice = {
            "text": f"Merged {names} into “{into}” ({n:,} row{'' if n == 1 else 's'}).",
            "kind": "ok",
        }

    @handler("set_label_colour")
    def _h_label_colour(self, label: str, colour: str) -> None:
        self.evidence.set_label_colour(label, colour)
        self._notice = {"text": f"The label “{label}” is now {colour}.", "kind": "ok"}
