"""Debounced saving, shared by every layer that keeps an object saved in a file.

Usage::

    saver = DebouncedSave(lambda: write_the_file(), delay=0.5)
    obj.observe(lambda change: saver.changed())
    saver.flush()   # write now if anything is pending
    saver.close()   # write what is pending and stop

How it stays at most ``delay`` behind without ever saving half an edit: saves run on the
thread that made the change, right after the change event (the object is consistent then).
The first change after a quiet spell is saved at once; changes that follow within ``delay``
are gathered and saved ``delay`` after the last save — by the kernel's event loop when one is
running (between cells and widget messages), else by the next change or :meth:`flush`.
In IPython (a Jupyter kernel) whatever is pending is also saved when each cell finishes
(the ``post_execute`` event), so the next cell, or a file viewer, sees the file up to date.
A process that ends normally saves what is pending (``atexit``).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import sys
import time
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["DebouncedSave", "flush_all"]

_LIVE: weakref.WeakSet[DebouncedSave] = weakref.WeakSet()
_hooked: list[Any] = []  # the IPython shell whose post_execute event flushes every saver


def flush_all() -> None:
    """Save whatever any live saver has pending (run after every IPython cell).

    Usage: ``flush_all()``
    """
    for saver in list(_LIVE):
        with contextlib.suppress(Exception):  # a failing save warns itself; others still run
            saver.flush()


def _hook_ipython() -> None:
    """Register :func:`flush_all` on the running IPython shell's post_execute, once."""
    ipython_module = sys.modules.get("IPython")
    get = getattr(ipython_module, "get_ipython", None)
    shell = get() if get is not None else None
    if shell is None or any(hooked is shell for hooked in _hooked):
        return
    with contextlib.suppress(Exception):
        shell.events.register("post_execute", flush_all)
        _hooked.append(shell)


class DebouncedSave:
    """Call ``save()`` at most once per ``delay`` seconds after changes, never losing the last.

    ``save`` returns True when it wrote (False keeps the change pending, to retry on the next
    change or flush). ``saves`` counts successful saves.
    """

    def __init__(self, save: Callable[[], bool], *, delay: float = 0.5) -> None:
        if not 0 < delay <= 1:
            raise ValueError(f"the save delay must be in (0, 1] seconds, got {delay!r}.")
        self._save = save
        self.delay = delay
        self.saves = 0
        self.dirty = False
        self.closed = False
        self._last = 0.0
        self._pending: Any = None
        ref = weakref.ref(self)
        self._atexit = lambda: (saver := ref()) is not None and saver.close()
        atexit.register(self._atexit)  # a script that ends normally loses nothing
        _LIVE.add(self)
        _hook_ipython()

    def run(self) -> bool:
        """Save now (whether or not anything changed); True when it was written."""
        self._cancel()
        self.dirty = False
        self._last = time.monotonic()
        ok = bool(self._save())
        if ok:
            self.saves += 1
        else:
            self.dirty = True
        return ok

    def changed(self, _change: Any = None) -> None:
        """Note a change: save now, or within ``delay`` when a save just happened."""
        if self.closed:
            return
        self.dirty = True
        wait = self.delay - (time.monotonic() - self._last)
        if wait <= 0:
            self.run()
        else:
            self._schedule(wait)

    def flush(self) -> None:
        """Save now if anything changed since the last save."""
        if self.dirty and not self.closed:
            self.run()

    def close(self, *, save: bool = True) -> None:
        """Save what is pending (unless ``save=False``) and stop."""
        if self.closed:
            return
        if save:
            self.flush()
        self.closed = True
        self._cancel()
        atexit.unregister(self._atexit)

    # ------------------------------------------------------------------ internals
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
        self.flush()

    def _cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
