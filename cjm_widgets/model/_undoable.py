"""Undo, redo, batches, change events and reference counters of a journey.

:class:`JourneyUndo` glues the journey's state (:mod:`cjm_widgets.model._state`) to the shared
undo/redo core (:class:`cjm_widgets._history.History`): every accepted edit goes through
:meth:`JourneyUndo._edit` (validated before, whole-journey snapshots as its undo states, all
of it undone if it fails) or :meth:`JourneyUndo._edit_delta` (a small inverse operation, so
adding n touchpoints stays O(n)), is one undo step, and is delivered to the observers.

Usage: internal to the model; use ``journey.undo()``, ``journey.batch()``,
``journey.observe()`` on :class:`cjm_widgets.Journey`.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Self, TypeAlias, overload

from cjm_widgets._history import History, Step
from cjm_widgets.errors import JourneyError
from cjm_widgets.model._state import JourneyState, State, _Delta
from cjm_widgets.model.entities import JourneyChange, editing

__all__ = ["JourneyUndo", "Observer", "ReferenceCounter"]

#: A callback of :meth:`JourneyUndo.observe`.
Observer: TypeAlias = Callable[[JourneyChange], object]
#: ``counter(stage_ids, touchpoint_ids) -> rows`` of :meth:`JourneyUndo.add_reference_counter`.
ReferenceCounter: TypeAlias = Callable[[frozenset[str], frozenset[str]], int]


def _ids_of(changes: Iterable[JourneyChange]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for c in changes for i in c.ids))


class _Stack(Sequence[Step[State, JourneyChange]]):
    """One of the two stacks of a journey's history, as older code saw it (a list it could
    measure and clear): reads come from the history; ``clear()`` clears that stack there."""

    def __init__(self, history: History[State, JourneyChange], *, undo: bool) -> None:
        self._history, self._undo = history, undo

    def _steps(self) -> Sequence[Step[State, JourneyChange]]:
        return self._history.undo_steps if self._undo else self._history.redo_steps

    @overload
    def __getitem__(self, index: int) -> Step[State, JourneyChange]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Step[State, JourneyChange]]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self._steps()[index]

    def __len__(self) -> int:
        return len(self._steps())

    def clear(self) -> None:
        """Forget these steps (e.g. a dataset's layout is not the researcher's edit)."""
        self._history.clear(undo=self._undo, redo=not self._undo)


class JourneyUndo(JourneyState):
    """Undo/redo, batches and observers on top of the journey's state (see module doc)."""

    # ------------------------------------------------------------------ undo / batches
    @property
    def can_undo(self) -> bool:
        """True when there is an edit to undo."""
        return self._history.can_undo

    @property
    def can_redo(self) -> bool:
        """True when there is an undone edit to redo."""
        return self._history.can_redo

    @property
    def _undo_stack(self) -> _Stack:
        """The undo steps (``len``, iterate, ``clear()``); ``_history`` owns them."""
        return _Stack(self._history, undo=True)

    @property
    def _redo_stack(self) -> _Stack:
        """The redo steps (``len``, iterate, ``clear()``); ``_history`` owns them."""
        return _Stack(self._history, undo=False)

    def undo(self) -> JourneyChange | None:
        """Undo the last edit (or batch); returns what was undone, or None when nothing is left.

        Usage: ``journey.undo()``
        """
        step = self._history.undo(self._restore)
        if step is None:
            return None
        change = step.change
        self._emit(JourneyChange("undo", change.ids, {"change": change.kind, **change.detail}))
        return change

    def redo(self) -> JourneyChange | None:
        """Redo the last undone edit; returns it, or None when there is nothing to redo.

        Usage: ``journey.redo()``
        """
        step = self._history.redo(self._restore)
        if step is None:
            return None
        change = step.change
        self._emit(JourneyChange("redo", change.ids, {"change": change.kind, **change.detail}))
        return change

    @contextlib.contextmanager
    def batch(self, label: str = "batch") -> Iterator[Self]:
        """Group several edits into one undo step; if any edit fails, all are rolled back.

        Usage::

            with journey.batch("add delivery"):
                journey.add_stage("Delivery")
                journey.add_touchpoint("Delivery", "Courier", channel="in person")
        """

        def summarize(changes: list[JourneyChange]) -> JourneyChange:
            detail = {"label": label, "changes": [c.kind for c in changes]}
            return JourneyChange("batch", _ids_of(changes), detail)

        def reverted(changes: list[JourneyChange]) -> None:
            self._emit(JourneyChange("reverted", _ids_of(changes), {"label": label}))

        outer = not self._history.in_batch  # an inner batch is part of the outer snapshot
        with self._history.batch(
            self._restore,
            summarize=summarize,
            on_revert=reverted if outer else None,
            snapshot=self._snapshot if outer else None,
        ):
            yield self

    def replace(self, other: JourneyState) -> None:
        """Make this journey a copy of ``other``, in place, as one undo step: open views
        follow, and ``journey.undo()`` brings the previous content back. Ids of ``other``
        are kept; new ids never reuse an id either journey has given.

        Usage: ``journey.replace(cjm.Journey.load("checkout.journey.json"))``
        """
        if not isinstance(other, JourneyState):
            raise TypeError(f"replace() takes a Journey, got {type(other).__name__}.")
        if self._history.in_batch:
            raise JourneyError("Cannot replace a journey inside a batch; finish the batch first.")
        data = other._snapshot()
        counters = dict(other._next_ids)

        def apply() -> None:
            self._restore(data)
            for kind, value in counters.items():
                self._next_ids[kind] = max(self._next_ids.get(kind, 1), value)

        self._edit(JourneyChange("replaced", (), {"title": other._title}), apply)

    # ------------------------------------------------------------------ observing
    def observe(self, callback: Observer) -> Observer:
        """Call ``callback(change)`` after every edit, undo and redo; returns the callback.

        Stop with :meth:`unobserve`. A callback that raises does not undo the edit; its error
        is reported as a warning.

        Usage: ``journey.observe(lambda change: print(change.kind, change.ids))``
        """
        self._history.observe(callback)
        return callback

    def unobserve(self, callback: Observer) -> None:
        """Stop delivering changes to ``callback`` (no error if it was not observing).

        Usage: ``journey.unobserve(my_callback)``
        """
        self._history.unobserve(callback)

    @property
    def _observers(self) -> list[Observer]:
        """The observing callbacks, in call order (a copy)."""
        return list(self._history.observers)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle and deepcopy: the copy has no observers and no reference counters (they are
        callbacks of widgets and stores bound to this object; the history drops its
        observers itself). A linked Evidence copied with it registers itself again on the copy
        (see ``Evidence.__setstate__``)."""
        state = self.__dict__.copy()
        state["_counters"] = []
        return state

    # ------------------------------------------------------------------ reference counters
    def add_reference_counter(self, counter: ReferenceCounter) -> None:
        """Register ``counter(stage_ids, touchpoint_ids) -> rows`` so removals report how many
        evidence rows were tagged to what they removed. Bound methods are held weakly.

        Usage: ``journey.add_reference_counter(evidence.count_tagged)``
        """
        if hasattr(counter, "__self__") and hasattr(counter, "__func__"):
            self._counters.append(weakref.WeakMethod(counter))
        else:
            self._counters.append(counter)

    def remove_reference_counter(self, counter: Callable[..., int]) -> None:
        """Undo :meth:`add_reference_counter`.

        Usage: ``journey.remove_reference_counter(evidence.count_tagged)``
        """
        kept: list[Any] = []
        for entry in self._counters:
            fn = entry() if isinstance(entry, weakref.WeakMethod) else entry
            if fn is not None and fn != counter:
                kept.append(entry)
        self._counters = kept

    def _count_references(self, stage_ids: set[str], tp_ids: set[str]) -> int:
        total = 0
        alive: list[Any] = []
        for entry in self._counters:
            fn = entry() if isinstance(entry, weakref.WeakMethod) else entry
            if fn is None:
                continue
            alive.append(entry)
            total += int(fn(frozenset(stage_ids), frozenset(tp_ids)))
        self._counters = alive
        return total

    # ------------------------------------------------------------------ recording edits
    def _edit(
        self,
        change: JourneyChange,
        apply: Callable[[], None],
        ids: Callable[[], tuple[str, ...]] | None = None,
    ) -> None:
        """Apply one validated edit as an undo step; restore everything if it fails."""
        before = self._snapshot()
        counters = dict(self._next_ids)
        try:
            with editing():
                apply()
        except BaseException:
            self._restore(before)
            self._next_ids = counters
            raise
        finally:
            self._forget_indexes()
        if ids is not None:
            change = JourneyChange(change.kind, ids() + change.ids, change.detail)
        if self._history.in_batch:
            # the batch keeps its own before/after snapshots: no second snapshot per edit
            self._history.record(change, before, before)
        else:
            self._history.record(change, before, self._snapshot())
        self._emit(change)

    def _edit_delta(self, change: JourneyChange, *, undo: _Delta, redo: _Delta) -> None:
        """Record an edit already applied as an undo step of its own inverse (``undo`` /
        ``redo``, by ids) instead of two snapshots of the whole journey: an add stays O(1)."""
        self._history.record(change, undo, redo)
        self._emit(change)

    def _emit(self, change: JourneyChange) -> None:
        self._history.emit(change, stacklevel=4)
