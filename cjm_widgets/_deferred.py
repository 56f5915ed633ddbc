"""Defer the grammar compilation of ``rfc3987_syntax`` until an IRI is actually checked.

``import jsonschema`` (done by ``import altair`` and by :meth:`cjm_widgets.Journey.load`)
imports ``rfc3987_syntax`` when it is installed (it comes with JupyterLab), and that module
compiles about 38 Lark grammars at import time: 1–2 s on a quiet machine, 5–10 s on a busy
one (upstream: python-jsonschema/jsonschema#1428). jsonschema only uses it to check the
``iri`` and ``iri-reference`` formats.

:func:`defer_rfc3987_syntax` puts a stand-in module under that name, before anything has
imported the real one. The stand-in's ``is_valid_syntax`` (the one name jsonschema takes) and
every other attribute import the real module on first use and hand over to it, so every
library in the kernel validates exactly as before (the same formats are registered, the same
strings pass); only the cost moves to the first IRI check, which most sessions never make.

Usage (done once by ``import cjm_widgets``)::

    from cjm_widgets._deferred import defer_rfc3987_syntax
    defer_rfc3987_syntax()
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from typing import Any

__all__ = ["defer_rfc3987_syntax", "is_deferred"]

NAME = "rfc3987_syntax"
_lock = threading.RLock()


class _Deferred(types.ModuleType):
    """Stand-in for ``rfc3987_syntax``: any attribute loads the real module."""

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return getattr(_load(), attr)


def _load() -> types.ModuleType:
    """The real ``rfc3987_syntax`` (imported now if only the stand-in is there)."""
    with _lock:
        current = sys.modules.get(NAME)
        if current is not None and not isinstance(current, _Deferred):
            return current
        if current is not None:
            del sys.modules[NAME]
        try:
            return importlib.import_module(NAME)
        except BaseException:
            if current is not None and NAME not in sys.modules:
                sys.modules[NAME] = current
            raise


def is_valid_syntax(*args: Any, **kwargs: Any) -> Any:
    """``rfc3987_syntax.is_valid_syntax``, imported on the first call."""
    return _load().is_valid_syntax(*args, **kwargs)


def is_deferred() -> bool:
    """True while the stand-in is in place (the real module not imported yet)."""
    return isinstance(sys.modules.get(NAME), _Deferred)


def defer_rfc3987_syntax() -> bool:
    """Install the stand-in unless the real module is loaded already or not installed (or
    its Lark dependency is missing, so that importing it would fail and jsonschema would
    register no IRI format: then nothing changes). Returns whether the stand-in is in place.
    """
    with _lock:
        if NAME in sys.modules:
            return is_deferred()
        try:
            spec = importlib.util.find_spec(NAME)
            lark = importlib.util.find_spec("lark")
        except (ImportError, ValueError):
            return False
        if spec is None or lark is None:
            return False
        shim = _Deferred(NAME, __doc__)
        shim.__spec__ = spec
        shim.__file__ = spec.origin
        if spec.submodule_search_locations is not None:
            shim.__path__ = list(spec.submodule_search_locations)
        shim.is_valid_syntax = is_valid_syntax  # type: ignore[attr-defined]
        sys.modules[NAME] = shim
        return True
