"""Debounced, atomic autosave of a journey and its evidence tags.

Usage::

    saver = Autosave(journey, ev, "project.journey.json")   # tags go to project.tags.json
    ev.tag(...)            # saved within `delay` seconds
    saver.close()          # saves what is pending, stops observing

How it stays at most ``delay`` behind without ever saving half an edit: saves run on the
thread that made the change, right after the change event (the model is consistent then).
The first change after a quiet spell is saved at once; changes that follow within ``delay``
are gathered and saved ``delay`` after the last save — by the kernel's event loop when one is
running (between cells and widget messages), else by the next change or :meth:`flush`.
Each file is written to a temporary file, fsynced and renamed, so a crash leaves the previous
complete file, never a truncated one.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import time
import warnings
import weakref
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["Autosave", "tags_path_for"]


def tags_path_for(journey_path: Path) -> Path:
    """``project.journey.json`` → ``project.tags.json``; ``x.json`` → ``x.tags.json``.

    Usage: ``tags_path_for(Path("grocery.journey.json"))``
    """
    name = journey_path.name
    if name.endswith(".journey.json"):
        return journey_path.with_name(name[: -len(".journey.json")] + ".tags.json")
    stem = name[:-5] if name.endswith(".json") else name
    return journey_path.with_name(stem + ".tags.json")


class Autosave:
    """Save ``journey`` to ``path`` and ``evidence``'s tags beside it after every change.

    ``delay`` (seconds, ≤ 1) bounds how far the files lag behind the last change while the
    kernel is idle or busy with widget actions. ``on_status(text, ok)`` hears each save.
    """

    def __init__(
        self,
        journey: Any,
        evidence: Any,
        path: str | Path,
        *,
        delay: float = 0.5,
        tags_path: str | Path | None = None,
        on_status: Callable[[str, bool], None] | None = None,
    ) -> None:
        if not 0 < delay <= 1:
            raise ValueError(f"autosave delay must be in (0, 1] seconds, got {delay!r}.")
        self.journey, self.evidence = journey, evidence
        self.path = Path(path)
        if self.path.suffix.lower() != ".json":
            raise ValueError(
                f"autosave needs a .json path for the journey (e.g. 'project.journey.json'), "
                f"got {str(path)!r}."
            )
        self.tags_path = Path(tags_path) if tags_path else tags_path_for(self.path)
        self.delay = delay
        self.on_status = on_status
        self.saves = 0
        self.last_error: str | None = None
        self._dirty = False
        self._last = 0.0
        self._pending: Any = None
        self._closed = False
        self.save()  # the files exist (and match) from the start
        journey.observe(self._changed)
        evidence.observe(self._changed)
        ref = weakref.ref(self)
        self._atexit = lambda: (saver := ref()) is not None and saver.close()
        atexit.register(self._atexit)  # a script that ends normally loses nothing

    # ------------------------------------------------------------------ public
    def save(self) -> bool:
        """Write both files now (atomically); True when both were written."""
        self._cancel()
        self._dirty = False
        self._last = time.monotonic()
        try:
            self.journey.save(self.path)
            self.evidence.save_tags(self.tags_path)
        except Exception as exc:  # keep tagging; say so where the person looks
            self._dirty = True
            self.last_error = f"Autosave failed: {exc}"
            warnings.warn(self.last_error, RuntimeWarning, stacklevel=2)
            self._status(self.last_error, False)
            return False
        self.saves += 1
        self.last_error = None
        self._status(
            f"Saved {datetime.now().strftime('%H:%M:%S')} to {self.path.name} and "
            f"{self.tags_path.name}",
            True,
        )
        return True

    def flush(self) -> None:
        """Save now if anything changed since the last save."""
        if self._dirty:
            self.save()

    def close(self) -> None:
        """Save what is pending and stop observing."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self.journey.unobserve(self._changed)
        with contextlib.suppress(Exception):
            self.evidence.unobserve(self._changed)
        self.flush()
        self._cancel()
        atexit.unregister(self._atexit)

    # ------------------------------------------------------------------ internals
    def _status(self, text: str, ok: bool) -> None:
        if self.on_status is not None:
            with contextlib.suppress(Exception):
                self.on_status(text, ok)

    def _changed(self, _change: Any = None) -> None:
        if self._closed:
            return
        self._dirty = True
        wait = self.delay - (time.monotonic() - self._last)
        if wait <= 0:
            self.save()
        else:
            self._schedule(wait)

    def _schedule(self, wait: float) -> None:
        if self._pending is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:
            with contextlib.suppress(RuntimeError, DeprecationWarning):
                candidate = asyncio.get_event_loop_policy().get_event_loop()
                loop = candidate if candidate.is_running() else None
        if loop is not None:
            self._pending = loop.call_later(wait, self._fire)

    def _fire(self) -> None:
        self._pending = None
        if not self._closed:
            self.flush()

    def _cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
