"""Undo, redo, the history table and change events of the evidence's tags.

The undo and redo stacks and the observers are a :class:`cjm_widgets._history.History`
(the core the journey uses too): each operation is one step whose states are the operation
itself, applied backward (``before``) or forward (``after``); its change is the
:class:`EvidenceChange` the operation emitted. Usage: ``ev.undo(); ev.redo(); ev.history;
ev.observe(print)``
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence._select import SelectMixin
from cjm_widgets.evidence._state import (
    _Coding,
    _now_ns,
    _Op,
)
from cjm_widgets.evidence.tags import (
    EvidenceChange,
    TagSlice,
)


class HistoryMixin(SelectMixin):
    """Part of :class:`~cjm_widgets.evidence.store.Evidence` (see its module)."""

    def _commit(
        self,
        kind: str,
        rows: np.ndarray,
        old: TagSlice,
        new: TagSlice,
        at: int,
        info: dict[str, Any],
        *,
        coding: _Coding | None = None,
        at_values: np.ndarray | None = None,
        codings_after: list[_Coding] | None = None,
        orphans_after: tuple[dict[str, Any], list[Any]] | None = None,
    ) -> EvidenceChange:
        old_at = self._at[rows]
        new_at = at_values if at_values is not None else np.full(len(rows), at, np.int64)
        op = _Op(kind, rows, old, new, old_at, new_at, len(self._history))
        if coding is not None:
            codings_after = [*self._codings, coding]
        if codings_after is not None:
            op.codings_before, op.codings_after = self._codings, codings_after
        if orphans_after is not None:
            op.orphans_before = (self._orphans, self._orphan_codings)
            op.orphans_after = orphans_after
        self._apply(op, forward=True)
        return self._record(op, kind, info, at)

    def _record(self, op: _Op, action: str, info: Mapping[str, Any], at: int) -> EvidenceChange:
        """Push an applied operation as one undo step, log it, tell the observers."""
        change = EvidenceChange(op.kind, op.rows, op.old, op.new, self._ids_of)
        self._steps.record(change, (op, False), (op, True))
        self._log(action, op.rows, at, info)
        self._steps.emit(change, stacklevel=5)  # emit <- _record <- _commit <- tag <- caller
        return change

    def _restore(self, state: tuple[_Op, bool]) -> None:
        """The history's restore: apply an operation backward or forward."""
        op, forward = state
        self._apply(op, forward=forward)

    def _apply(self, op: _Op, *, forward: bool) -> None:
        values, stamps = (op.new, op.new_at) if forward else (op.old, op.old_at)
        rows = op.rows
        self._own()
        self._tp[rows] = values.touchpoint
        self._st[rows] = values.stage
        self._em[rows] = values.emotion
        self._lb[rows] = values.labels
        self._cd[rows] = values.coder
        self._at[rows] = stamps
        codings = op.codings_after if forward else op.codings_before
        if codings is not None:
            self._codings = codings
        orphans = op.orphans_after if forward else op.orphans_before
        if orphans is not None:
            self._orphans, self._orphan_codings = orphans
        raw = op.raw_after if forward else op.raw_before
        if raw is not None:  # a participant edit: new raw columns, derived values recomputed
            self._raw, self._participant_segments = raw[0], list(raw[1])
            self.__dict__.pop("_derived_cache", None)
            self._raw_version = self.raw_version + 1
        self._frame = None

    def _log(self, action: str, rows: np.ndarray, at: int, info: Mapping[str, Any]) -> None:
        self._history.append(
            {
                "op": len(self._history) + 1,
                "action": action,
                "coder": info.get("coder"),
                "at": at,
                "n_rows": len(rows),
                "touchpoint_id": info.get("touchpoint_id"),
                "stage_id": info.get("stage_id"),
                "emotion": info.get("emotion"),
                "labels": info.get("labels"),
                "add_labels": info.get("add_labels"),
                "target_op": info.get("target_op"),
                "provenance": info.get("provenance"),  # accepted suggestions: model, person
                "ids": rows[:10],
            }
        )
        self._history_rows.append(rows)

    def _emit(self, kind: str, rows: np.ndarray, old: TagSlice, new: TagSlice) -> EvidenceChange:
        """Tell the observers of a change that is no undo step of its own."""
        change = EvidenceChange(kind, rows, old, new, self._ids_of)
        self._steps.emit(change, stacklevel=4)  # emit <- _emit <- undo <- the caller
        return change

    @property
    def can_undo(self) -> bool:
        """True when there is an operation to undo."""
        return self._steps.can_undo

    @property
    def can_redo(self) -> bool:
        """True when there is an undone operation to redo."""
        return self._steps.can_redo

    def undo(self) -> EvidenceChange | None:
        """Undo the last tag operation (None when there is nothing to undo).

        Usage: ``ev.undo()``
        """
        step = self._steps.undo(self._restore)
        if step is None or step.before is None:
            return None
        op = step.before[0]
        self._log("undo", op.rows, _now_ns(), {"target_op": op.history + 1})
        return self._emit("undo", op.rows, op.new, op.old)

    def redo(self) -> EvidenceChange | None:
        """Redo the last undone operation (None when there is nothing to redo).

        Usage: ``ev.redo()``
        """
        step = self._steps.redo(self._restore)
        if step is None or step.after is None:
            return None
        op = step.after[0]
        self._log("redo", op.rows, _now_ns(), {"target_op": op.history + 1})
        return self._emit("redo", op.rows, op.old, op.new)

    @property
    def history(self) -> pd.DataFrame:
        """Audit log: one row per operation (op, action, coder, at, n_rows, what, ids).

        ``ids`` holds the first 10 ids; :meth:`history_ids` gives them all.
        """
        columns = [
            "op",
            "action",
            "coder",
            "at",
            "n_rows",
            "touchpoint_id",
            "stage_id",
            "emotion",
            "labels",
            "add_labels",
            "target_op",
            "provenance",
            "ids",
        ]
        if not self._history:
            return pd.DataFrame(columns=columns)
        rows = [dict(h) for h in self._history]
        for row in rows:
            row["ids"] = tuple(self._ids_of(row["ids"]).tolist())
        df = pd.DataFrame(rows, columns=columns)
        df["at"] = pd.to_datetime(df["at"].astype("int64"), unit="ns", utc=True)
        df["target_op"] = df["target_op"].astype("Int64")
        return df

    def history_ids(self, op: int) -> list[str]:
        """Every evidence id an operation touched (``op`` as in ``ev.history.op``)."""
        if not 1 <= int(op) <= len(self._history_rows):
            raise EvidenceError(f"No operation {op}; history has ops 1..{len(self._history)}.")
        return self._ids_of(self._history_rows[int(op) - 1]).tolist()

    def observe(
        self, callback: Callable[[EvidenceChange], None]
    ) -> Callable[[EvidenceChange], None]:
        """Call ``callback(change)`` after each tag, untag, undo, redo, load_tags, move_tags.

        Usage: ``ev.observe(lambda change: print(change.kind, change.ids))``
        """
        self._steps.observe(callback)
        return callback

    def unobserve(self, callback: Callable[[EvidenceChange], None]) -> None:
        """Stop delivering changes to ``callback`` (no error if it was not observing)."""
        self._steps.unobserve(callback)
