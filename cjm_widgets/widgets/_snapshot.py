"""A static snapshot beside every displayed widget, published again after each change.

Usage (what :class:`~cjm_widgets.widgets._base.CJMWidget` and the Workspace do)::

    snapshots = Snapshots(widget._static_html)
    snapshots.show(view_bundle)      # from _ipython_display_: the view, then the snapshot
    snapshots.changed()              # from an observer of the widget's synced state

Displaying a cjm widget publishes two outputs:

1. the live view: ``application/vnd.jupyter.widget-view+json`` and ``text/plain``;
2. the snapshot: ``text/html`` of what the widget shows (the map, the curve as SVG, the
   tagger's page), published with a display id and marked ``{"cjm_widgets": {"snapshot":
   true}}`` in its metadata.

Hosts that draw the widget hide the snapshot output next to it (a CSS rule in
``static/_common.css``). Hosts that cannot draw it — nbconvert, GitHub, nbviewer, or JupyterLab
when no widget state was saved — show the snapshot instead of nothing.

The snapshot follows the widget: every change of the widget's synced state marks it stale, and
a stale snapshot is published again (``update_display_data``) at the end of the cell that made
the change, or ``DELAY`` seconds after the first change made from the browser (on the kernel's
event loop, between messages, so the model is never read half-edited). So the snapshot saved in
the notebook is what the researcher last saw, at most ``DELAY`` seconds old.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["DELAY", "METADATA_KEY", "Snapshots", "wrap"]

log = logging.getLogger("cjm_widgets.widgets")

#: Seconds of quiet after a change made from the browser before the snapshot is published
#: again: a burst of clicks publishes once, after it, not in the middle of the next click
#: (on the 1.45M-row survey a publish inside a tagging burst made p95 of a click 1.5-2x).
DELAY = 1.0
#: ... but never more than this many seconds after the first change not yet published.
MAX_LAG = 20.0
#: Metadata key of both outputs; nbconvert's preprocessor (cjm_widgets.nbconvert) reads it.
METADATA_KEY = "cjm_widgets"

_stale: weakref.WeakSet[Snapshots] = weakref.WeakSet()
_hooked: set[int] = set()


def wrap(html: str, what: str) -> str:
    """The snapshot output's HTML: ``html`` (already escaped by its renderer) under a caption."""
    return (
        f'<div class="cjm-snapshot" data-cjm-snapshot="{what}">'
        f'<p class="cjm-snapshot-caption"><small>Snapshot of the {what} as last shown'
        " (static: run the notebook to edit)</small></p>"
        f"{html}</div>"
    )


class Snapshots:
    """The snapshot outputs of one widget: shown with it, published again when it changes.

    ``render()`` returns the snapshot's HTML (escaped) or None; ``what`` names the widget in
    the caption ("journey map", "emotion curve", ...).
    """

    def __init__(self, render: Callable[[], str | None], what: str) -> None:
        self._render = render
        self._what = what
        self._handles: list[Any] = []
        self._stale = False
        self._timer = QuietTimer(self._fire)
        self.closed = False

    @property
    def shown(self) -> int:
        """How many snapshot outputs this widget has (one per time it was displayed)."""
        return len(self._handles)

    def show(self, view: Any) -> None:
        """Publish the live view (a mimebundle: ``data`` or ``(data, metadata)``) and, after
        it, the snapshot output."""
        from IPython.display import display

        if view is not None:
            data, metadata = view if isinstance(view, tuple) else (view, {})
            view_data = {k: v for k, v in data.items() if k != "text/html"}
            marked = {**metadata, METADATA_KEY: {"view": True}}
            display(view_data, metadata=marked, raw=True)
        html = self._html()
        if html is None:
            return
        handle = display(
            {"text/html": html},
            metadata={METADATA_KEY: {"snapshot": True}},
            raw=True,
            display_id=True,
        )
        if handle is not None:
            self._handles.append(handle)
            _hook_cell_end()

    def changed(self, _change: Any = None) -> None:
        """Mark the snapshot stale; it is published again soon (see the module docs)."""
        if self.closed or not self._handles:
            return
        self._stale = True
        _stale.add(self)
        self._timer.poke(DELAY, MAX_LAG)

    def flush(self) -> None:
        """Publish the snapshot now if it is stale."""
        self._timer.cancel()
        _stale.discard(self)
        if not self._stale or self.closed:
            return
        self._stale = False
        html = self._html()
        if html is None:
            return
        metadata = {METADATA_KEY: {"snapshot": True}}
        for handle in self._handles:
            handle.update({"text/html": html}, metadata=metadata, raw=True)

    def close(self) -> None:
        """Stop publishing (the outputs keep their last snapshot)."""
        self.closed = True
        self._timer.cancel()
        _stale.discard(self)

    # ------------------------------------------------------------------ internals
    def _html(self) -> str | None:
        try:
            html = self._render()
        except Exception as exc:  # the live view must still show
            log.warning("no static snapshot of the %s: %s", self._what, exc)
            return None
        return wrap(html, self._what) if html else None

    def _fire(self) -> None:
        global _timed
        _timed = True
        try:
            self.flush()
        except Exception as exc:  # never break the kernel's event loop
            log.warning("could not refresh the snapshot of the %s: %s", self._what, exc)
        finally:
            _timed = False


class QuietTimer:
    """Calls ``fn`` once changes pause: each :meth:`poke` (a change) moves the call to
    ``delay`` s later, but never later than ``max_lag`` s after the first poke not yet
    answered. On the kernel's event loop; without one (a script, a test) a poke does nothing.

    Usage: ``timer = QuietTimer(publish); timer.poke(1.0, 20.0)``
    """

    def __init__(self, fn: Callable[[], None]) -> None:
        self._fn = fn
        self._handle: asyncio.TimerHandle | None = None
        self._since = 0.0  # loop time of the first poke the pending call answers

    @property
    def pending(self) -> bool:
        """Whether a call is due."""
        return self._handle is not None

    def poke(self, delay: float, max_lag: float) -> bool:
        """A change: (re)schedule the call. False when no event loop runs here."""
        loop = running_loop()
        if loop is None:
            return False
        now = loop.time()
        if self._handle is None:
            self._since = now
        else:
            self._handle.cancel()
        self._handle = loop.call_at(min(now + delay, self._since + max_lag), self._due)
        return True

    def cancel(self) -> None:
        """Drop the pending call, if any."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _due(self) -> None:
        self._handle = None
        self._fn()


_timed = False  # a snapshot is being published by its timer (after changes from the browser)


def timed_publish() -> bool:
    """Whether the snapshot being rendered is published by its timer, in the kernel's turning
    event loop (not at the end of a cell, nor by a direct call): it may then show a part
    drawn a moment ago and be published again when the current one is drawn."""
    return _timed


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop when one runs here (in a cell or a widget message), else None."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    with contextlib.suppress(RuntimeError, DeprecationWarning):
        loop = asyncio.get_event_loop_policy().get_event_loop()
        if loop.is_running():
            return loop
    return None


def _flush_stale(*_args: Any) -> None:
    """After each cell: publish every snapshot the cell made stale."""
    for snapshots in list(_stale):
        try:
            snapshots.flush()
        except Exception as exc:
            log.warning("could not refresh a snapshot: %s", exc)


def _hook_cell_end() -> None:
    """Run :func:`_flush_stale` after every cell of this IPython shell (registered once)."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or id(shell) in _hooked:
        return
    shell.events.register("post_run_cell", _flush_stale)
    _hooked.add(id(shell))
