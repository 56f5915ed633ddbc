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
from importlib import resources
from typing import TYPE_CHECKING

import markupsafe

from cjm_widgets._text import _ANY as _REFUSED
from cjm_widgets._text import safe_text

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

__all__ = ["TEMPLATES", "environment", "read"]

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
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: re.sub(r"\n\s*", "", read(name))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=False,
        auto_reload=False,
    )


def _finalize(value: object) -> object:
    """Every ``{{ value }}``: user text made safe to show (then escaped by autoescape)."""
    if type(value) is str and _REFUSED.search(value) is None:  # the common case, quickly
        return value
    if isinstance(value, markupsafe.Markup):
        return value
    return safe_text(value)
