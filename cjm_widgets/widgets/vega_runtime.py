"""One copy of the Vega runtime per notebook, shared by every emotion curve.

Usage::

    from cjm_widgets.widgets.vega_runtime import shared_runtime
    runtime = shared_runtime()   # the kernel's one VegaRuntime (made on first use)

Vega, Vega-Lite and vega-embed come from vl-convert's bundler (the copies it ships: offline,
nothing from a CDN), as one ES module of about 0.9 MB that exports ``vegaEmbed`` and ``vega``.
It travels once, in the state of one hidden widget model (:class:`VegaRuntime`, no view).
Each :class:`~cjm_widgets.EmotionCurve` holds a widget reference to it (ipywidgets'
``IPY_MODEL_<id>`` serialisation); the front end resolves the reference through the widget
manager and imports the bundle once per page from a blob URL, cached on ``globalThis`` by
:attr:`VegaRuntime.key`. A notebook saved with widget state therefore stores the runtime
once, and a reopened notebook (no kernel) still draws every curve from that copy. Where a host
has no widget manager (marimo), the curve asks its own Python side for the bundle instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from pathlib import Path

import ipywidgets
import traitlets

from cjm_widgets._atomic import atomic_write_text

__all__ = ["VegaRuntime", "runtime_bundle", "shared_runtime"]

#: What the bundle exports; vl-convert supplies both names from the copies it ships.
SNIPPET = "export { vegaEmbed, vega };\n"

_lock = threading.Lock()
_shared: VegaRuntime | None = None
_bundle: tuple[str, str] | None = None


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cjm-widgets"


def runtime_bundle() -> tuple[str, str]:
    """``(key, module)``: the Vega runtime ES module and a key naming its exact content.

    Bundling takes a few seconds, so the module is kept in the user's cache folder (keyed by
    the vl-convert version and the snippet) and in memory for the kernel's lifetime.
    """
    global _bundle
    if _bundle is not None:
        return _bundle
    import vl_convert as vlc

    version = getattr(vlc, "__version__", "?")
    key = hashlib.sha256(f"{version}\n{SNIPPET}".encode()).hexdigest()[:24]
    cached = _cache_dir() / f"vega-runtime-{key}.js"
    module = None
    with contextlib.suppress(OSError):
        module = cached.read_text(encoding="utf-8")
    if not module or "vegaEmbed" not in module:
        module = vlc.javascript_bundle(SNIPPET)
        with contextlib.suppress(OSError):  # a read-only home only costs the next kernel time
            cached.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(cached, module)
    _bundle = (key, module)
    return _bundle


class VegaRuntime(ipywidgets.Widget):  # type: ignore[misc]  # ipywidgets is untyped
    """A widget model with no view holding the Vega runtime module once (see the module doc).

    Traits: ``key`` (names the module's content; the page imports one module per key) and
    ``bundle`` (the ES module text).
    """

    key = traitlets.Unicode("", help="Names the bundle's content.").tag(sync=True)
    bundle = traitlets.Unicode("", help="The Vega runtime as one ES module.").tag(sync=True)

    def __init__(self) -> None:
        key, module = runtime_bundle()
        super().__init__(key=key, bundle=module)

    def __repr__(self) -> str:
        return f"VegaRuntime(key={self.key!r}, {len(self.bundle) / 1e6:.2f} MB)"


def shared_runtime() -> VegaRuntime:
    """The kernel's one :class:`VegaRuntime`; a new one if it was closed."""
    global _shared
    with _lock:
        if _shared is None or _shared.comm is None:
            _shared = VegaRuntime()
        return _shared
