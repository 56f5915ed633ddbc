"""The Jinja2 environment of the model's HTML templates (``model/templates/*.j2``).

One environment, made on first use and kept: autoescaping on, undefined names an error, and
every ``{{ value }}`` passed through :func:`cjm_widgets.safe_text` before it is escaped (a
control character never reaches the page). Templates are read without their line breaks and
the indentation after them, so each renders to one line of HTML; a space that matters is
always inside a line. Jinja2 is imported only when a map is first drawn.

Usage::

    from cjm_widgets.model._jinja import environment
    html = environment().get_template("journey_map.html.j2").render(...)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any

import markupsafe

from cjm_widgets._text import _ANY as _REFUSED
from cjm_widgets._text import safe_text

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

__all__ = ["TEMPLATES", "environment", "make_environment", "read"]

#: markupsafe's C escape of a str (what ``markupsafe.escape`` wraps in a ``Markup``).
_escape_inner: Callable[[str], str] = getattr(markupsafe, "_escape_inner", None) or (
    lambda s: str(markupsafe.escape(s))
)

#: The folder of the model's templates and style sheets.
TEMPLATES = resources.files("cjm_widgets.model") / "templates"


def read(name: str) -> str:
    """The text of ``model/templates/<name>``.

    Usage: ``css = read("journey_map.css")``
    """
    return (TEMPLATES / name).read_text(encoding="utf-8")


@functools.cache
def environment() -> jinja2.Environment:
    """The environment (see the module doc), made once.

    Usage: ``environment().get_template("emotion_lane.html.j2")``
    """
    return make_environment()


def make_environment(*, fast: bool | None = None) -> jinja2.Environment:
    """A new environment: with ``fast``, every ``{{ value }}`` goes through :func:`_escape`;
    without, through stock Jinja2's ``finalize=_finalize`` and ``markupsafe.escape`` (the same
    HTML, slower; tests/test_render_template.py compares the two). By default fast when this
    Jinja2 loads templates the way the fast escape hooks into (``Template._from_namespace``),
    else the stock path.

    Usage: ``make_environment(fast=False).get_template("journey_map.html.j2")``
    """
    import jinja2

    if fast is None:
        fast = hasattr(jinja2.Template, "_from_namespace")

    class Template(jinja2.Template):
        """A template whose every ``{{ value }}`` is escaped by :func:`_escape`."""

        @classmethod
        def _from_namespace(cls, environment: Any, namespace: Any, globals: Any) -> Any:
            # the compiled template calls the module-level name ``escape`` on every output
            namespace["escape"] = _escape
            return super()._from_namespace(environment, namespace, globals)

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: re.sub(r"\n\s*", "", read(name))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=None if fast else _finalize,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    if fast:
        env.template_class = Template
    return env


def _escape(value: object) -> str:
    """Every ``{{ value }}``: :func:`_finalize` (user text made safe to show) then what
    ``markupsafe.escape`` does (markup as it is, anything else escaped by markupsafe's own C
    function), in one call, returned as the plain string the output is joined into instead of
    a new ``Markup`` object: making those took half the time of a 2,000-card map (4.1 -> 2.1
    ms; byte for byte the HTML of stock Jinja2 with ``finalize=_finalize``, see
    tests/test_render_template.py)."""
    if type(value) is str:
        if _REFUSED.search(value) is None:  # the common case, quickly
            return _escape_inner(value)
        return _escape_inner(safe_text(value))
    if isinstance(value, markupsafe.Markup):
        return str(value)
    return _escape_inner(safe_text(value))


def _finalize(value: object) -> object:
    """Every ``{{ value }}``: user text made safe to show (then escaped by autoescape)."""
    if type(value) is str and _REFUSED.search(value) is None:  # the common case, quickly
        return value
    if isinstance(value, markupsafe.Markup):
        return value
    return safe_text(value)
