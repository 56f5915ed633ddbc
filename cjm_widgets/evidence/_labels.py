"""The researcher's own labels: colours, rename, merge, a new label; each one undo step.

Labels are bits of each row's label mask (``ev.label_names`` names them). Renaming a label
renames its bit, so no row changes; merging moves the rows' bits onto one label and retires
the others (a retired label is not listed, and comes back when something is tagged with it).
Every label has a colour: one of :data:`PALETTE` (mid-tone colours readable on light and dark
backgrounds, assigned in the order labels were made) until the researcher picks another.
Names, colours and retired labels are saved in the tags file, so a re-run shows them.

Usage::

    ev.add_label("slow refund")                          # a label of your own (no rows yet)
    ev.rename_label("slow refund", "refund delay")
    ev.merge_labels(["refund delay", "money back"], into="refunds")
    ev.set_label_colour("refunds", "#e15759")
    ev.labels                                            # label, colour, rows, builtin
    ev.undo()                                            # each of the above is one step

Re-running a cell changes nothing the second time: renaming a label that is gone into one
that exists, or merging labels that are gone into one that exists, returns None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cjm_widgets.errors import TagError
from cjm_widgets.evidence._state import _now_ns, _Op
from cjm_widgets.evidence._tagsfile import TagsFileMixin
from cjm_widgets.evidence.tags import BUILTIN_LABELS, EvidenceChange, TagSlice, label_key

__all__ = ["PALETTE", "LabelsMixin", "check_colour"]

#: Label colours: mid-tone hues with enough contrast on both JupyterLab's light and dark
#: backgrounds (used as a swatch and chip border beside theme-coloured text).
PALETTE = (
    "#4e79a7",
    "#e15759",
    "#59a14f",
    "#f28e2b",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#8cd17d",
    "#499894",
    "#d37295",
)
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_BUILTIN_KEYS = frozenset(label_key(x) for x in BUILTIN_LABELS)


def check_colour(colour: Any) -> str:
    """A colour as ``#rrggbb`` (lower case) from ``#rgb`` or ``#rrggbb``; else a TagError.

    Usage: ``check_colour("#E15")`` → ``'#ee1155'``
    """
    if not isinstance(colour, str) or not _HEX.fullmatch(colour.strip()):
        raise TagError(
            f"A label colour is a hex colour such as '#4e79a7' or '#e15', not {colour!r}. "
            f"Palette: {', '.join(PALETTE)}."
        )
    value = colour.strip().lower()
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value


@dataclass(frozen=True)
class _LabelState:
    """The label registry at one moment (an undo state)."""

    names: tuple[str, ...]
    codes: tuple[tuple[str, int], ...]
    colours: tuple[tuple[int, str], ...]
    retired: frozenset[int]


class LabelsMixin(TagsFileMixin):
    """Part of :class:`~cjm_widgets.evidence.store.Evidence` (see the module docs)."""

    # ------------------------------------------------------------------ state
    @property
    def _label_colours(self) -> dict[int, str]:
        """Colours the researcher chose, by label code (the others come from the palette)."""
        colours: dict[int, str] = self.__dict__.setdefault("_label_colour_map", {})
        return colours

    @property
    def _label_retired(self) -> set[int]:
        """Codes of labels merged away (not listed while no row carries them)."""
        retired: set[int] = self.__dict__.setdefault("_label_retired_set", set())
        return retired

    def _label_state(self) -> _LabelState:
        return _LabelState(
            tuple(self.label_names),
            tuple(self._lb_code.items()),
            tuple(sorted(self._label_colours.items())),
            frozenset(self._label_retired),
        )

    def _set_label_state(self, state: _LabelState) -> None:
        self.label_names[:] = list(state.names)
        self._lb_code.clear()
        self._lb_code.update(dict(state.codes))
        self._label_colours.clear()
        self._label_colours.update(dict(state.colours))
        self._label_retired.clear()
        self._label_retired.update(state.retired)

    def _apply(self, op: _Op, *, forward: bool) -> None:
        super()._apply(op, forward=forward)
        state = op.labels_after if forward else op.labels_before
        if state is not None:
            self._set_label_state(state)

    # ------------------------------------------------------------------ reading
    def label_colour(self, label: str) -> str:
        """The colour of ``label`` (``#rrggbb``). Usage: ``ev.label_colour("pain point")``"""
        return self._colour_of(self._active_code(label, "label_colour"))

    def _colour_of(self, code: int) -> str:
        return self._label_colours.get(code) or PALETTE[code % len(PALETTE)]

    def _listed_codes(self) -> list[int]:
        """Codes of the labels to list: every label but retired ones no row carries."""
        if not self._label_retired:
            return list(range(len(self.label_names)))
        used = int(np.bitwise_or.reduce(self._lb)) if len(self._lb) else 0
        return [
            c for c in range(len(self.label_names)) if c not in self._label_retired or used >> c & 1
        ]

    @property
    def labels(self) -> pd.DataFrame:
        """The labels in use: label, colour, rows (how many rows carry it), builtin.

        Built-in labels ("pain point", "delight", "need", "opportunity", "quote") first, then
        the researcher's own in the order they were made; labels merged away are left out.

        Usage: ``ev.labels``
        """
        codes = self._listed_codes()
        counts = self.label_counts(codes)
        return pd.DataFrame(
            {
                "label": [self.label_names[c] for c in codes],
                "colour": [self._colour_of(c) for c in codes],
                "rows": counts,
                "builtin": [c < len(BUILTIN_LABELS) for c in codes],
            }
        )

    def label_counts(self, codes: Iterable[int] | None = None, rows: Any = None) -> list[int]:
        """Rows carrying each label code (all rows, or only store ``rows``)."""
        codes = list(range(len(self.label_names)) if codes is None else codes)
        masks = self._lb if rows is None else self._lb[np.asarray(rows, dtype=np.int64)]
        nonzero = masks[masks != 0]
        if not len(nonzero):
            return [0] * len(codes)
        uniq, count = np.unique(nonzero, return_counts=True)
        return [int(count[(uniq >> c) & 1 == 1].sum()) for c in codes]

    def _active_code(self, label: Any, what: str) -> int:
        if not isinstance(label, str) or not label.strip():
            raise TagError(f"{what}() needs a label name (text), not {label!r}.")
        code = self._lb_code.get(label_key(label))
        if code is None or code not in self._listed_codes():
            names = ", ".join(repr(self.label_names[c]) for c in self._listed_codes())
            raise TagError(f"Unknown label {label!r}. Labels: {names}. Nothing was changed.")
        return code

    # ------------------------------------------------------------------ edits
    def _commit_labels(
        self,
        action: str,
        after: _LabelState,
        info: dict[str, Any],
        rows: np.ndarray | None = None,
        new_masks: np.ndarray | None = None,
    ) -> EvidenceChange:
        """One undo step: the label registry becomes ``after`` (and ``rows`` get
        ``new_masks``); tag times and coders stay as they are."""
        before = self._label_state()
        rows = np.zeros(0, np.int64) if rows is None else rows
        old = TagSlice.take(self._tag_arrays(), rows)
        new = TagSlice.take(self._tag_arrays(), rows)
        if new_masks is not None:
            new.labels[:] = new_masks
        at = self._at[rows].copy()
        op = _Op("labels", rows, old, new, at, at, len(self._history))
        op.labels_before, op.labels_after = before, after
        self._apply(op, forward=True)
        return self._record(op, action, info, _now_ns())

    def _with(self, **changes: Any) -> _LabelState:
        """The current label state with some parts replaced."""
        state = self._label_state()
        return _LabelState(
            changes.get("names", state.names),
            changes.get("codes", state.codes),
            changes.get("colours", state.colours),
            changes.get("retired", state.retired),
        )

    def add_label(self, name: str, *, colour: str | None = None) -> EvidenceChange | None:
        """Make a label of your own (no rows carry it yet); one undo step. A label that exists
        already is left as it is (None), unless ``colour`` differs: then its colour is set.

        Usage: ``ev.add_label("slow refund", colour="#e15759")``
        """
        if not isinstance(name, str) or not name.strip():
            raise TagError(f"A label needs a name (text), not {name!r}.")
        clean = " ".join(name.split())
        value = None if colour is None else check_colour(colour)
        code = self._lb_code.get(label_key(clean))
        if code is not None and code in self._listed_codes():
            if value is not None and value != self._colour_of(code):
                return self.set_label_colour(clean, value)
            return None
        names = list(self.label_names)
        codes = dict(self._lb_code)
        if code is None:
            from cjm_widgets.evidence.tags import MAX_LABELS

            if len(names) >= MAX_LABELS:
                raise TagError(f"At most {MAX_LABELS} labels; cannot add {clean!r}.")
            code = len(names)
            names.append(clean)
            codes[label_key(clean)] = code
        else:  # a retired label comes back
            names[code] = clean
        colours = dict(self._label_colours)
        if value is not None:
            colours[code] = value
        after = self._with(
            names=tuple(names),
            codes=tuple(codes.items()),
            colours=tuple(sorted(colours.items())),
            retired=frozenset(self._label_retired - {code}),
        )
        return self._commit_labels("add label", after, {"labels": (clean,)})

    def rename_label(self, old: str, new: str) -> EvidenceChange | None:
        """Rename a label of your own; the rows keep it under its new name. One undo step.

        Renaming onto a label that exists is an error (use :meth:`merge_labels`); a
        built-in label cannot be renamed (the analyses read it). Run again after the rename
        (``old`` gone, ``new`` there) it changes nothing and returns None.

        Usage: ``ev.rename_label("slow refund", "refund delay")``
        """
        if not isinstance(new, str) or not new.strip():
            raise TagError(f"rename_label() needs the new name (text), not {new!r}.")
        clean = " ".join(new.split())
        listed = self._listed_codes()
        new_code = self._lb_code.get(label_key(clean))
        old_code = self._lb_code.get(label_key(old)) if isinstance(old, str) else None
        if (old_code is None or old_code not in listed) and new_code in listed:
            return None  # done already (a cell run again)
        code = self._active_code(old, "rename_label")
        if label_key(old) in _BUILTIN_KEYS:
            raise TagError(
                f"{old!r} is a built-in label (pain_points, fill_lanes and the report read it); "
                "it cannot be renamed. Change its colour with ev.set_label_colour, or merge "
                f"your own labels into it with ev.merge_labels([...], into={old!r})."
            )
        if new_code is not None and new_code != code and new_code in listed:
            raise TagError(
                f"A label {self.label_names[new_code]!r} exists already. To put the rows of "
                f"{old!r} under it, merge them: ev.merge_labels([{old!r}], "
                f"into={self.label_names[new_code]!r}). Nothing was changed."
            )
        if clean == self.label_names[code]:
            return None
        names = list(self.label_names)
        names[code] = clean
        codes = {k: v for k, v in self._lb_code.items() if v != code}
        codes[label_key(clean)] = code  # a retired label of that name loses the name
        after = self._with(names=tuple(names), codes=tuple(codes.items()))
        return self._commit_labels(
            "rename label", after, {"labels": (self.label_names[code], clean)}
        )

    def merge_labels(self, labels: Iterable[str], *, into: str) -> EvidenceChange | None:
        """Put the rows of ``labels`` under the label ``into`` (made when new) and retire the
        others; one undo step. Built-in labels can be merged into, not away. Labels already
        merged are skipped; when nothing is left to merge it changes nothing (None).

        Usage: ``ev.merge_labels(["refund delay", "money back"], into="refunds")``
        """
        if isinstance(labels, str):
            labels = [labels]
        if not isinstance(into, str) or not into.strip():
            raise TagError(f"merge_labels() needs into= a label name, not {into!r}.")
        target = " ".join(into.split())
        listed = self._listed_codes()
        sources: list[int] = []
        for name in labels:
            code = self._lb_code.get(label_key(name)) if isinstance(name, str) else None
            if code is not None and code in self._label_retired and code not in listed:
                continue  # merged already
            code = self._active_code(name, "merge_labels")
            if label_key(name) == label_key(target):
                continue
            if label_key(name) in _BUILTIN_KEYS:
                raise TagError(
                    f"{name!r} is a built-in label (the analyses read it): it cannot be merged "
                    f"away. Merge into it instead: ev.merge_labels([...], into={name!r})."
                )
            if code not in sources:
                sources.append(code)
        if not sources:
            return None
        names = list(self.label_names)
        codes = dict(self._lb_code)
        target_code = codes.get(label_key(target))
        retired = set(self._label_retired)
        if target_code is None:
            from cjm_widgets.evidence.tags import MAX_LABELS

            if len(names) >= MAX_LABELS:
                raise TagError(f"At most {MAX_LABELS} labels; cannot add {target!r}.")
            target_code = len(names)
            names.append(target)
            codes[label_key(target)] = target_code
        retired.discard(target_code)
        retired.update(sources)
        bits = 0
        for c in sources:
            bits |= 1 << c
        rows = np.flatnonzero(self._lb & np.int64(bits)).astype(np.int64)
        masks = (self._lb[rows] & ~np.int64(bits)) | np.int64(1 << target_code)
        after = self._with(
            names=tuple(names), codes=tuple(codes.items()), retired=frozenset(retired)
        )
        merged = [self.label_names[c] for c in sources]
        return self._commit_labels(
            "merge labels", after, {"labels": (*merged, target)}, rows=rows, new_masks=masks
        )

    def set_label_colour(self, label: str, colour: str) -> EvidenceChange | None:
        """Give ``label`` a colour (``#rrggbb`` or ``#rgb``); one undo step (None when it has
        that colour already).

        Usage: ``ev.set_label_colour("pain point", "#e15759")``
        """
        code = self._active_code(label, "set_label_colour")
        value = check_colour(colour)
        if value == self._colour_of(code):
            return None
        colours = dict(self._label_colours)
        colours[code] = value
        after = self._with(colours=tuple(sorted(colours.items())))
        return self._commit_labels(
            "label colour", after, {"labels": (self.label_names[code],), "colour": value}
        )

    # ------------------------------------------------------------------ tags file
    def _file_head(self) -> dict[str, Any]:
        head = super()._file_head()
        listed = self._listed_codes()
        head["labels"] = [self.label_names[c] for c in listed if c >= len(BUILTIN_LABELS)]
        head["label_colours"] = {self.label_names[c]: self._colour_of(c) for c in listed}
        return head

    def _load(self, data: dict[str, Any], file: str | None) -> dict[str, Any]:
        report = super()._load(data, file)
        colours = data.get("label_colours") or {}
        for name, colour in colours.items():
            code = self._lb_code.get(label_key(name))
            if code is not None:
                self._label_colours[code] = colour
        if "label_colours" in data:  # a file that lists its labels: others were merged away
            keep = {label_key(n) for n in data["labels"]} | _BUILTIN_KEYS
            used = int(np.bitwise_or.reduce(self._lb)) if len(self._lb) else 0
            for key, code in self._lb_code.items():
                if key not in keep and not used >> code & 1:
                    self._label_retired.add(code)
        return report
