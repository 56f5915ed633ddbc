"""The curve's snapshot SVG drawn ahead in a worker thread: always the current version."""

from __future__ import annotations

import os
import threading
import time

from needs import unavailable

import cjm_widgets as cjm
from cjm_widgets.charts import to_svg
from cjm_widgets.widgets._svg_worker import SvgCache


def test_the_newest_version_is_drawn_and_older_ones_skipped():
    gate = threading.Event()
    drawn: list[int] = []

    def render(spec: dict) -> str:
        gate.wait(10)
        drawn.append(spec["v"])
        return f"<svg>{spec['v']}</svg>"

    cache = SvgCache(render)
    cache.prefetch(1, {"v": 1})
    cache.prefetch(2, {"v": 2})  # skipped: 3 is asked for before 1 is done
    cache.prefetch(3, {"v": 3})
    gate.set()
    assert cache.get(3, {"v": 3}) == "<svg>3</svg>"
    deadline = time.monotonic() + 10
    while len(drawn) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sorted(drawn) == [1, 3]  # 2 was never drawn, 3 once
    assert cache.get(1, {"v": 1}) == "<svg>1</svg>"  # an old version asked for is drawn anew


def test_a_failed_background_draw_is_drawn_again_when_asked():
    calls = []

    def render(spec: dict) -> str:
        calls.append(spec["v"])
        if len(calls) == 1:
            raise RuntimeError("boom")
        return "<svg/>"

    cache = SvgCache(render)
    cache.prefetch(1, {"v": 1})
    assert cache.get(1, {"v": 1}) == "<svg/>"
    assert calls == [1, 1]


def test_a_shown_curve_snapshot_follows_every_tag():
    demo = cjm.datasets.demo()
    ev = demo.evidence()
    curve = cjm.EmotionCurve(demo.journey, ev, by="household")
    try:
        curve._ipython_display_()  # shown: snapshots on, SVGs drawn ahead from now on
        rows = ev.search("delivery fee")[:3]
        ev.tag(rows, journey=demo.journey, touchpoint="Basket and payment", emotion=-2)
        expected = to_svg(curve._static_spec())
        assert expected in curve._static_html()
        ev.tag(rows, journey=demo.journey, touchpoint="Basket and payment", emotion=2)
        changed = curve._static_html()
        assert to_svg(curve._static_spec()) in changed and expected not in changed
    finally:
        curve.close()


def test_the_worker_runs_below_the_kernels_priority():
    if not hasattr(os, "setpriority"):
        unavailable("per-thread nice is Linux's")
    from cjm_widgets.widgets._svg_worker import _executor

    def nice() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    if nice() >= 10:
        unavailable("this process already runs at nice 10 or more")
    assert _executor().submit(nice).result(timeout=30) == 10
