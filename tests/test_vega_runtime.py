"""One Vega per notebook: every EmotionCurve references the kernel's one VegaRuntime model."""

from __future__ import annotations

import json

import cjm_widgets as cjm
from cjm_widgets.widgets.vega_runtime import VegaRuntime, runtime_bundle, shared_runtime


def _curves(n: int) -> list:
    demo = cjm.datasets.demo()
    ev = demo.evidence()
    return [cjm.EmotionCurve(demo.journey, ev, by=by) for by in ("household", None, "age_band")[:n]]


def test_curves_share_one_runtime_and_carry_no_vega_themselves():
    curves = _curves(3)
    try:
        runtimes = {id(c._runtime) for c in curves}
        assert len(runtimes) == 1
        runtime = curves[0]._runtime
        assert isinstance(runtime, VegaRuntime) and runtime is shared_runtime()
        key, bundle = runtime_bundle()
        assert runtime.key == key and runtime.bundle == bundle
        assert len(bundle) > 500_000  # the whole of Vega, once
        for curve in curves:
            state = curve.get_state()
            assert state["_runtime"] == f"IPY_MODEL_{runtime.model_id}"
            size = len(json.dumps(state))
            assert size < 120_000, size  # the chart's spec, points and small module only
            assert len(state["_esm"]) < 100_000  # the widget's own module, no Vega in it
    finally:
        for curve in curves:
            curve.close()


def test_a_closed_runtime_is_replaced():
    first = shared_runtime()
    first.close()
    (curve,) = _curves(1)
    try:
        assert curve._runtime is not first and curve._runtime.comm is not None
        assert curve._runtime is shared_runtime()
    finally:
        curve.close()


def test_hosts_without_a_widget_manager_get_the_runtime_from_the_curve():
    (curve,) = _curves(1)
    try:
        reply = curve._dispatch({"type": "call", "id": "1", "method": "vega_runtime"})
        assert reply["ok"], reply
        assert reply["result"] == {"key": curve._runtime.key, "bundle": curve._runtime.bundle}
    finally:
        curve.close()
