"""Undo/redo and change events shared by the editable objects (Journey, Evidence).

An owner applies an edit itself, then records it as a :class:`Step`: the change event it
delivers to observers plus two *states* -- ``before`` and ``after`` -- that the owner knows
how to go back to (whole snapshots, or small deltas naming what to insert or remove). The
owner passes its ``restore(state)`` function to :meth:`History.undo`, :meth:`History.redo`
and :meth:`History.batch`; the history never holds it, so steps stay plain data: a journey
that is pickled or deep-copied keeps its undo history and the copy's undo acts on the copy.

Usage::

    history: History[dict, str] = History(name="journey", error=JourneyError)
    before = snapshot(); apply_edit(); history.record("renamed", before, snapshot())
    history.emit("renamed")                # observers get the change event
    history.undo(restore)                  # restore(before); the step moves to the redo stack
    with history.batch(restore, summarize=lambda changes: "batch"):
        ...                                # several records, one undo step
    with history.batch(restore, summarize=..., snapshot=snapshot):
        ...                                # the same, kept as one before/after pair

Rules (each one tested in tests/test_history.py):

- A new step clears the redo stack (a new edit after an undo forks the timeline).
- ``batch`` groups the steps recorded inside it into one step; batches nest. If the body
  raises, the steps recorded inside that batch are undone in reverse order and the error
  propagates: all or nothing. Undo and redo are refused inside a batch.
- ``limit`` (optional) keeps only the newest ``limit`` undo steps.
- Observers are called in registration order; one that raises does not stop the others nor
  undo the edit: its error becomes a ``RuntimeWarning`` naming the observer.
- Pickling or copying a history drops its observers (they are callbacks of widgets bound to
  the original object); steps are kept.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

__all__ = ["History", "HistoryError", "Step"]

S = TypeVar("S")
C = TypeVar("C")


class HistoryError(RuntimeError):
    """Undo or redo was asked for at a time it cannot run (inside a batch)."""


@dataclass(frozen=True, slots=True)
class Step(Generic[S, C]):
    """One undo step: ``change`` is what it did; ``before``/``after`` are the states the
    owner's ``restore`` goes back to on undo/redo. A batch is a step with ``parts`` (its
    inner steps, oldest first) and no states of its own.

    Usage: ``Step("renamed", before=old_state, after=new_state)``
    """

    change: C
    before: S | None = None
    after: S | None = None
    parts: tuple[Step[S, C], ...] = field(default=())

    def undo(self, restore: Callable[[S], None]) -> None:
        """Go back to the state before this step (a batch: its parts, newest first)."""
        if self.parts:
            for part in reversed(self.parts):
                part.undo(restore)
        else:
            restore(self.before)  # type: ignore[arg-type]  # a leaf step always has states

    def redo(self, restore: Callable[[S], None]) -> None:
        """Go to the state after this step (a batch: its parts, oldest first)."""
        if self.parts:
            for part in self.parts:
                part.redo(restore)
        else:
            restore(self.after)  # type: ignore[arg-type]

    def changes(self) -> list[C]:
        """The change events of the leaf steps, oldest first (a leaf: just its own)."""
        if not self.parts:
            return [self.change]
        return [c for part in self.parts for c in part.changes()]


class History(Generic[S, C]):
    """An undo stack, a redo stack, open batches and the observers of one editable object.

    ``name`` appears in warnings ("A journey observer ... failed"); ``error`` is the exception
    class raised for undo/redo inside a batch (the owner's own error type, so callers catch one
    family); ``limit`` caps the undo stack (None: no cap).

    Usage: ``history = History(name="evidence", error=EvidenceError)``
    """

    def __init__(
        self,
        *,
        name: str = "object",
        error: type[Exception] = HistoryError,
        limit: int | None = None,
    ) -> None:
        if limit is not None and limit < 1:
            raise ValueError(
                f"History limit must be at least 1 (or None for no limit), got {limit}."
            )
        self.name = name
        self.error = error
        self.limit = limit
        self._undo: list[Step[S, C]] = []
        self._redo: list[Step[S, C]] = []
        self._groups: list[list[Step[S, C]]] = []
        self._observers: list[Callable[[C], object]] = []

    # ------------------------------------------------------------------ state
    @property
    def can_undo(self) -> bool:
        """True when there is a step to undo."""
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        """True when there is an undone step to redo."""
        return bool(self._redo)

    @property
    def in_batch(self) -> bool:
        """True while a :meth:`batch` is open."""
        return bool(self._groups)

    @property
    def undo_steps(self) -> Sequence[Step[S, C]]:
        """The undo stack, oldest first (read-only view)."""
        return tuple(self._undo)

    @property
    def redo_steps(self) -> Sequence[Step[S, C]]:
        """The redo stack, the next one to redo last (read-only view)."""
        return tuple(self._redo)

    def clear(self, *, undo: bool = True, redo: bool = True) -> None:
        """Forget every undo and/or redo step (observers stay)."""
        if self._groups:
            raise self.error(f"Cannot clear the {self.name}'s history inside a batch.")
        if undo:
            self._undo.clear()
        if redo:
            self._redo.clear()

    # ------------------------------------------------------------------ recording
    def record(self, change: C, before: S, after: S) -> Step[S, C]:
        """Record an edit the owner has already applied; returns its step.

        Inside a batch the step joins the batch; otherwise it is pushed on the undo stack and
        the redo stack is cleared.
        """
        return self.push(Step(change, before, after))

    def push(self, step: Step[S, C]) -> Step[S, C]:
        """Record a ready-made step (e.g. a batch built by the owner); see :meth:`record`."""
        if self._groups:
            self._groups[-1].append(step)
        else:
            self._undo.append(step)
            self._redo.clear()
            if self.limit is not None and len(self._undo) > self.limit:
                del self._undo[: len(self._undo) - self.limit]
        return step

    def undo(self, restore: Callable[[S], None]) -> Step[S, C] | None:
        """Undo the newest step with ``restore``; returns it, or None when nothing is left.

        The step moves to the redo stack. If ``restore`` raises, the step stays where it was.
        """
        self._refuse_in_batch("undo")
        if not self._undo:
            return None
        step = self._undo[-1]
        step.undo(restore)
        self._undo.pop()
        self._redo.append(step)
        return step

    def redo(self, restore: Callable[[S], None]) -> Step[S, C] | None:
        """Redo the newest undone step with ``restore``; returns it, or None when none."""
        self._refuse_in_batch("redo")
        if not self._redo:
            return None
        step = self._redo[-1]
        step.redo(restore)
        self._redo.pop()
        self._undo.append(step)
        return step

    @contextlib.contextmanager
    def batch(
        self,
        restore: Callable[[S], None],
        *,
        summarize: Callable[[list[C]], C],
        on_revert: Callable[[list[C]], None] | None = None,
        snapshot: Callable[[], S] | None = None,
    ) -> Iterator[None]:
        """Group the steps recorded inside into one step whose change is
        ``summarize(changes)`` (called only when something was recorded).

        If the body raises, the steps recorded inside are undone newest first with
        ``restore``, ``on_revert(changes)`` is called when there were any (e.g. to emit a
        "reverted" event), and the error propagates. A batch inside a batch becomes one part
        of the outer one.

        ``snapshot`` (optional) returns the owner's whole state: the batch then keeps only the
        state before and after it (one restore to undo it, however many steps it held, and
        the inner steps are dropped) and a failure restores the state before.
        """
        before = snapshot() if snapshot is not None else None
        self._groups.append([])
        try:
            yield
        except BaseException:
            parts = self._groups.pop()
            if before is not None:
                if parts:
                    restore(before)
            else:
                for part in reversed(parts):
                    part.undo(restore)
            if parts and on_revert is not None:
                on_revert([c for p in parts for c in p.changes()])
            raise
        parts = self._groups.pop()
        if not parts:
            return
        changes = [c for p in parts for c in p.changes()]
        if snapshot is not None:
            self.push(Step(summarize(changes), before, snapshot()))
        else:
            self.push(Step(summarize(changes), parts=tuple(parts)))

    def _refuse_in_batch(self, what: str) -> None:
        if self._groups:
            raise self.error(f"Cannot {what} inside a batch; finish the batch first.")

    # ------------------------------------------------------------------ observers
    def observe(self, callback: Callable[[C], object]) -> Callable[[C], object]:
        """Deliver every emitted change to ``callback``; returns it (usable as a decorator)."""
        if not callable(callback):
            raise self.error(f"observe() needs a callable, got {callback!r}.")
        self._observers.append(callback)
        return callback

    def unobserve(self, callback: Callable[[C], object]) -> None:
        """Stop delivering changes to ``callback`` (no error if it was not observing)."""
        self._observers = [cb for cb in self._observers if cb != callback]

    @property
    def observers(self) -> Sequence[Callable[[C], object]]:
        """The registered callbacks, in call order (read-only view)."""
        return tuple(self._observers)

    def emit(self, change: C, *, kind: str | None = None, stacklevel: int = 3) -> None:
        """Call every observer with ``change``; an observer that raises becomes a warning.

        ``kind`` names the change in that warning (default: ``change.kind`` when it has one).
        ``stacklevel`` is passed to :func:`warnings.warn` (count from the owner's caller).
        """
        for callback in list(self._observers):
            try:
                callback(change)
            except Exception as exc:  # an observer must not break the edit
                what = kind if kind is not None else getattr(change, "kind", type(change).__name__)
                who = getattr(callback, "__qualname__", callback)
                article = "An" if self.name[:1].lower() in "aeiou" else "A"
                warnings.warn(
                    f"{article} {self.name} observer ({who!r}) failed on {what!r}: "
                    f"{type(exc).__name__}: {exc}; the change was kept.",
                    RuntimeWarning,
                    stacklevel=stacklevel,
                )

    # ------------------------------------------------------------------ copying
    def __getstate__(self) -> dict[str, Any]:
        """Pickle and copy keep the steps, not the observers (callbacks of the original)."""
        state = self.__dict__.copy()
        state["_observers"] = []
        state["_undo"] = list(self._undo)
        state["_redo"] = list(self._redo)
        state["_groups"] = [list(g) for g in self._groups]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
