"""A snapshot is published after a pause in the changes (a tagging burst publishes once, after
it), but never later than MAX_LAG after the first change it has not shown yet; the curve's SVG
is drawn ahead the same way."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading

import pytest

import cjm_widgets as cjm
from cjm_widgets.widgets import _snapshot
from cjm_widgets.widgets import emotion_curve as curve_module


@pytest.fixture()
def demo():
    d = cjm.datasets.demo()
    return d.journey, d.evidence()


class Handle:
    def __init__(self) -> None:
        self.published: list[str] = []

    def update(self, data, metadata=None, raw=False) -> None:
        self.published.append(data["text/html"])


def in_own_thread(coro_fn):
    # Playwright's sync API may keep an event loop running in a test worker's thread
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro_fn()).result(timeout=60)


def counting_snapshots(monkeypatch, *, delay: float, max_lag: float):
    """Snapshots of a counter ``state["n"]`` with the given timing, published to a ``Handle``."""
    monkeypatch.setattr(_snapshot, "DELAY", delay)
    monkeypatch.setattr(_snapshot, "MAX_LAG", max_lag)
    state = {"n": 0}
    snaps = _snapshot.Snapshots(lambda: f"<p>{state['n']}</p>", "test")
    handle = Handle()
    snaps._handles.append(handle)
    return state, snaps, handle


async def burst(state, snaps, handle, *, changes: int):
    """``changes`` changes 0.1 s apart, then 0.5 s of quiet: (published during, and after)."""
    for _ in range(changes):
        state["n"] += 1
        snaps.changed()
        await asyncio.sleep(0.1)
    during = list(handle.published)
    await asyncio.sleep(0.5)
    return during, list(handle.published)


def test_a_burst_of_changes_is_published_once_after_it(monkeypatch):
    state, snaps, handle = counting_snapshots(monkeypatch, delay=0.3, max_lag=30.0)
    # a change every 0.1 s: never 0.3 s of quiet
    during, after = in_own_thread(lambda: burst(state, snaps, handle, changes=6))
    assert during == []  # nothing published inside the burst
    assert len(after) == 1 and "<p>6</p>" in after[0]  # once, with the last state
    snaps.close()


def test_a_long_burst_is_published_within_max_lag(monkeypatch):
    state, snaps, handle = counting_snapshots(monkeypatch, delay=0.3, max_lag=0.5)
    # 1.2 s of changes, 0.1 s apart
    during, after = in_own_thread(lambda: burst(state, snaps, handle, changes=12))
    assert 1 <= len(during) <= 3  # the lag capped: published while the changes went on
    assert "<p>12</p>" in after[-1]  # and the last state after the pause
    snaps.close()


def test_the_curve_svg_is_drawn_when_the_clicks_pause(demo, monkeypatch):
    monkeypatch.setattr(curve_module, "AHEAD_DELAY", 0.4)
    journey, ev = demo

    async def session():
        ws = cjm.Workspace(journey, ev)
        ws._ipython_display_()
        await asyncio.sleep(0.6)
        running = ws.curve._svg._running
        if running is not None:
            await asyncio.wrap_future(running[1])
        first = ws.curve._svg._done
        rows = ev.search("courier")
        for i in range(5):  # clicks 0.15 s apart: no pause of 0.4 s
            ev.tag(rows, journey=journey, touchpoint="t6", emotion=2 if i % 2 else -2)
            await asyncio.sleep(0.15)
        svg = ws.curve._svg
        during = [x[0] if x else None for x in (svg._done, svg._running, svg._wanted)]
        await asyncio.sleep(0.6)
        running = svg._running
        if running is not None:
            await asyncio.wrap_future(running[1])
        done = svg._done
        ws.close()
        return first, during, done, ws.curve._snap

    first, during, done, version = in_own_thread(session)
    assert all(v is None or v <= (first[0] if first else 0) for v in during)  # not drawn yet
    assert done is not None and done[0] == version  # drawn once the clicks paused


def test_a_snapshot_inside_a_burst_shows_the_last_drawn_curve_then_the_current(demo):
    """Published at its lag limit inside a burst, the snapshot does not render the curve in
    the kernel's loop (that would hold up the next click): it shows the newest SVG drawn,
    and is published again with the current curve once that is drawn."""
    journey, ev = demo

    async def session():
        ws = cjm.Workspace(journey, ev)
        ws._ipython_display_()
        handle = Handle()
        ws._snapshots._handles = [handle]
        curve = ws.curve
        first = curve._svg.get(curve._snap, curve._static_spec())  # drawn
        ev.tag(ev.search("courier"), journey=journey, touchpoint="t6", emotion=-2)
        renders = []
        real = curve._svg._render
        curve._svg._render = lambda spec: renders.append(threading.get_ident()) or real(spec)
        _snapshot._timed = True  # as a capped publish would, right after the click
        try:
            html = ws._static_html()
        finally:
            _snapshot._timed = False
        in_loop = [r for r in renders if r == threading.get_ident()]
        await asyncio.sleep(_snapshot.DELAY + 1.5)
        running = curve._svg._running
        if running is not None:
            await asyncio.wrap_future(running[1])
        await asyncio.sleep(_snapshot.DELAY + 0.5)
        ws.close()
        return first, html, in_loop, handle.published, curve._svg.latest(), curve._snap

    first, html, in_loop, published, latest, version = in_own_thread(session)
    assert first in html  # the last drawn curve, at once
    assert in_loop == []  # no render in the kernel's loop for it
    assert latest[0] == version  # the current curve drawn in the worker
    assert published and latest[1] in published[-1]  # and published again
