"""The emotion curve's static SVG rendered beside the kernel, not in its event loop.

A displayed :class:`~cjm_widgets.EmotionCurve` keeps a static snapshot (an SVG drawn by
vl-convert: 0.1–0.3 s, more on a busy machine) that is published again about a second after
each change. Drawn in the kernel's event loop, that render holds up the next click's repaint
(the latency spikes of a tagging session). vl-convert releases the GIL, so :class:`SvgCache`
draws the newest version in one worker thread as soon as the curve changes; when the snapshot
is published the SVG is usually ready, and otherwise it is waited for (or drawn) then.

Usage::

    cache = SvgCache(render=to_svg)
    cache.prefetch(version, spec)     # after a change (returns at once)
    svg = cache.get(version, spec)    # when the snapshot is published
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

__all__ = ["SvgCache"]

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="cjm-svg", initializer=_lower_priority
            )
        return _pool


def _lower_priority() -> None:
    """Run the worker at a lower CPU priority than the kernel's own thread (Linux nice is per
    thread; threads it starts inherit it), so that a click never waits for a snapshot."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class SvgCache:
    """The SVG of the newest version of one chart, drawn ahead in a worker thread."""

    def __init__(self, render: Callable[[dict[str, Any]], str]) -> None:
        self._render = render
        self._lock = threading.RLock()  # a done callback may run inside _start
        self._done: tuple[int, str] | None = None
        self._running: tuple[int, Future[str]] | None = None
        self._wanted: tuple[int, dict[str, Any]] | None = None

    def prefetch(self, version: int, spec: dict[str, Any]) -> None:
        """Draw ``spec`` (the chart at ``version``) in the worker; only the newest is kept:
        versions asked for while one is drawn are skipped but the last."""
        with self._lock:
            if self._done is not None and self._done[0] >= version:
                return
            if self._running is not None:
                self._wanted = (version, spec)
                return
            self._start(version, spec)

    def drawing(self, version: int) -> bool:
        """Whether ``version`` is being drawn in the worker now."""
        with self._lock:
            return self._running is not None and self._running[0] == version

    def latest(self) -> tuple[int, str] | None:
        """(version, SVG) of the newest drawing finished, or None."""
        with self._lock:
            return self._done

    def get(self, version: int, spec: dict[str, Any]) -> str:
        """The SVG of ``version``: ready, being drawn (waited for), or drawn now."""
        with self._lock:
            if self._done is not None and self._done[0] == version:
                return self._done[1]
            running = self._running
            if self._wanted is not None and self._wanted[0] <= version:
                self._wanted = None  # drawn here, now
        if running is not None and running[0] == version:
            try:
                return running[1].result()
            except Exception:
                pass  # drawn again below, where the error is raised to the caller
        svg = self._render(spec)
        with self._lock:
            if self._done is None or self._done[0] <= version:
                self._done = (version, svg)
        return svg

    # ------------------------------------------------------------------ internals
    def _start(self, version: int, spec: dict[str, Any]) -> None:
        future = _executor().submit(self._render, spec)
        self._running = (version, future)
        future.add_done_callback(functools.partial(self._finished, version))

    def _finished(self, version: int, future: Future[str]) -> None:
        with self._lock:
            self._running = None
            fresh = self._done is None or self._done[0] < version
            if future.exception() is None and fresh:
                self._done = (version, future.result())
            wanted, self._wanted = self._wanted, None
            if wanted is not None and wanted[0] > version:
                self._start(*wanted)
