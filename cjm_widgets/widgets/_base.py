"""The base of every cjm widget: front-end assets, errors shown in the widget, calls from JS.

A widget subclasses :class:`CJMWidget`, names its assets and marks the methods the front end
may call::

    class TinyWidget(CJMWidget):
        _asset = "tiny"  # static/dist/tiny.js (built from static/src) and static/tiny.css

        @handler("rename")
        def _rename(self, name: str) -> str:
            self.journey.title = name
            return name

The front end sends ``{"type": "call", "id": n, "method": "rename", "args": {"name": "x"}}``
and gets ``{"type": "reply", "id": n, "ok": bool, "error": str | None, "result": ...}`` back.
Only methods marked with :func:`handler` can be called. A :class:`~cjm_widgets.CJMError`
becomes its user-ready message (no traceback); any other exception becomes a message too,
and its traceback is kept in :attr:`CJMWidget.last_traceback` and logged. Either way the
message lands in the synced ``error`` trait, which the front end shows in a dismissible
``.cjm-error`` banner (``role="alert"``), and the reply lets the JS keep an input open.

Front-end assets: anywidget loads one ES module string per widget. Its sources are small ES
modules in ``static/src/`` (``<asset>/index.js`` or ``<asset>.js``, shared helpers in
``static/src/_common.js``); esbuild (pinned in the repository's package.json) bundles each
widget into ``static/dist/<asset>.js``, which is committed, so the package needs no Node.js
(``npm ci && npm run build`` rebuilds, ``npm run check`` checks; see scripts/build_js.mjs).
``_common.css`` is prepended to the widget's CSS.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import anywidget
import traitlets

from cjm_widgets.errors import CJMError
from cjm_widgets.widgets._snapshot import Snapshots

__all__ = ["CJMWidget", "bundle_css", "bundle_esm", "check_kwargs", "handler"]

log = logging.getLogger("cjm_widgets.widgets")

STATIC_DIR = Path(__file__).resolve().parent / "static"
#: The committed bundles (scripts/build_js.mjs writes them from ``static/src``).
DIST_DIR = STATIC_DIR / "dist"
COMMON = "_common"

_F = TypeVar("_F", bound=Callable[..., Any])


def handler(method: str) -> Callable[[_F], _F]:
    """Mark a widget method as callable from the front end under the name ``method``.

    Usage::

        @handler("add_stage")
        def _add_stage(self, name: str | None = None) -> str: ...
    """
    if not isinstance(method, str) or not method:
        raise TypeError("handler() needs the method name the front end calls, e.g. 'add_stage'.")

    def mark(fn: _F) -> _F:
        fn._cjm_handler = method  # type: ignore[attr-defined]
        return fn

    return mark


def check_kwargs(owner: str, given: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Raise TypeError naming unknown keyword arguments and the allowed ones.

    Usage: ``check_kwargs("JourneyEditor", kwargs, ["evidence"])``
    """
    allowed = sorted(allowed)
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        ok = ", ".join(allowed) or "none"
        raise TypeError(
            f"{owner}() got unexpected keyword argument(s) {names}. Allowed keyword arguments: "
            f"{ok}."
        )


def _read(name: str) -> str:
    path = STATIC_DIR / name
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def bundle_esm(asset: str) -> str:
    """The ES module anywidget loads for a widget: ``static/dist/<asset>.js``, built by esbuild.

    Usage: ``bundle_esm("journey_editor")``
    """
    path = DIST_DIR / f"{asset}.js"
    if not path.is_file():
        raise FileNotFoundError(
            f"Missing front-end bundle {path}. Build it from static/src with "
            "`npm ci && npm run build` at the repository root."
        )
    return path.read_text(encoding="utf-8")


def bundle_css(asset: str) -> str:
    """The stylesheet for ``static/<asset>.css`` with ``_common.css`` in front, without its
    comments and indentation (one line per rule): it travels in the widget's state, and a
    saved notebook holds it once per widget shown."""
    css = "\n".join(part for part in (_read(f"{COMMON}.css"), _read(f"{asset}.css")) if part)
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return re.sub(r"\n\s*", "\n", re.sub(r"\n[ \t]+", " ", css)).strip()


class CJMWidget(anywidget.AnyWidget):
    """Base class of the cjm widgets (anywidget): assets, the ``error`` trait, JS calls.

    Public traits: ``error`` (the message of the last failed action, "" when none; the front
    end shows it and clears it when the person dismisses it). ``last_traceback`` holds the
    traceback of the last unexpected (non-:class:`~cjm_widgets.CJMError`) failure.
    """

    #: Name of the front-end assets (``static/dist/<asset>.js`` and ``static/<asset>.css``).
    _asset: ClassVar[str | None] = None
    #: front-end method name -> Python attribute name (collected from @handler marks).
    _handlers: ClassVar[dict[str, str]] = {}
    #: Traceback of the last unexpected failure of a handler or callback (None if none).
    last_traceback: str | None = None
    #: What the static snapshot shows, for its caption.
    _snapshot_what: ClassVar[str] = "widget"
    _snapshots: Snapshots | None = None

    error = traitlets.Unicode(
        "", help="Message of the last failed action ('' when none); shown in the widget."
    ).tag(sync=True)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        asset = cls.__dict__.get("_asset")
        if asset:
            cls._esm = bundle_esm(asset)
            css = bundle_css(asset)
            if css:
                cls._css = css
        handlers = dict(getattr(cls, "_handlers", {}))
        # the class's own methods, and those of plain mixins (not CJMWidgets themselves, so
        # never collected here): EvidenceTagger(TaggerHandlers, ..., CJMWidget)
        mixins = [k for k in reversed(cls.__mro__[1:]) if not issubclass(k, CJMWidget)]
        for klass in [*mixins, cls]:
            for attr, value in klass.__dict__.items():
                method = getattr(value, "_cjm_handler", None)
                if method:
                    handlers[method] = attr
        cls._handlers = handlers
        super().__init_subclass__(**kwargs)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._on_custom_msg)

    # ------------------------------------------------------------------ calls from the JS
    def _on_custom_msg(self, _widget: Any, content: Any, _buffers: Any = None) -> None:
        reply = self._dispatch(content)
        if reply is not None:
            self.send(reply)

    def _dispatch(self, content: Any) -> dict[str, Any] | None:
        """Run one ``call`` message and return the reply (None for other messages)."""
        if not isinstance(content, Mapping) or content.get("type") != "call":
            return None
        call_id = content.get("id")
        method = content.get("method")
        args = content.get("args") or {}
        try:
            attr = self._handlers.get(method) if isinstance(method, str) else None
            if attr is None:
                known = ", ".join(sorted(self._handlers)) or "none"
                raise CJMError(f"Unknown action {method!r}. This widget handles: {known}.")
            if not isinstance(args, Mapping):
                raise CJMError(f"The arguments of {method!r} must be an object, got {args!r}.")
            result = getattr(self, attr)(**args)
        except Exception as exc:
            message = self.report_error(exc, action=method if isinstance(method, str) else None)
            return {"type": "reply", "id": call_id, "ok": False, "error": message, "result": None}
        if self.error:
            self.error = ""
        return {"type": "reply", "id": call_id, "ok": True, "error": None, "result": result}

    def report_error(self, exc: BaseException, *, action: str | None = None) -> str:
        """Show ``exc`` in the widget; return the message. Unexpected errors keep a traceback.

        Usage (in a callback): ``except Exception as exc: self.report_error(exc)``
        """
        if isinstance(exc, CJMError):
            message = str(exc) or type(exc).__name__
        else:
            self.last_traceback = "".join(
                traceback.format_exception(type(exc), exc, exc.__traceback__)
            )
            what = f" while running {action!r}" if action else ""
            log.error("%s failed%s:\n%s", type(self).__name__, what, self.last_traceback)
            message = (
                f"{type(exc).__name__}: {exc} (an unexpected error; the traceback is in "
                "the widget's last_traceback)"
            )
        self.error = message
        return message

    # ------------------------------------------------------------------ static snapshot
    def _static_html(self) -> str | None:
        """HTML shown where no widget runtime exists (nbconvert, GitHub); None for none."""
        return None

    def _ipython_display_(self, **kwargs: Any) -> None:
        """Show the live view and, as a second output, its static snapshot, which is
        published again after every change (see :mod:`cjm_widgets.widgets._snapshot`)."""
        if self._snapshots is None:
            self._snapshots = Snapshots(self._static_html, self._snapshot_what)
            names = [name for name in self.keys if name != "error"]
            self.observe(self._snapshots.changed, names=names)
        self._snapshots.show(anywidget.AnyWidget._repr_mimebundle_(self, **kwargs))

    def close(self) -> None:
        if self._snapshots is not None:
            self._snapshots.close()
        super().close()

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle
        try:
            html = self._static_html()
        except Exception as exc:  # the live view must still show
            log.warning("%s: no static snapshot: %s", type(self).__name__, exc)
            html = None
        if html:
            data = {**data, "text/html": html}
        return data, metadata
