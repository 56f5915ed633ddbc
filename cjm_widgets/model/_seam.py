"""The one seam through which the Journey reaches its serialisers.

The serialisers (:mod:`~cjm_widgets.model.persistence`, :mod:`~cjm_widgets.model.render`,
:mod:`~cjm_widgets.model.mermaid`, :mod:`~cjm_widgets.model.markdown`,
:mod:`~cjm_widgets.model.open`) depend on the model: they import
:class:`~cjm_widgets.model.journey.Journey` at module level. The Journey's methods that expose
them (``to_json``, ``save``, ``load``, ``open``, ``_repr_html_``, ``to_frame``,
``to_markdown``, ``to_mermaid``, ``from_mermaid``, ``from_dict``'s validation) call the
functions below, each of which imports its serialiser when first called. So the module graph
has no cycle (tests/test_model_imports.py checks it), ``import cjm_widgets`` does not load the
serialisers, and this file is the only place in the model that imports inside functions for
that reason (the other function-level imports are listed, with their reasons, in that test).

Usage: internal; ``journey.to_json()`` calls ``_seam.dumps(journey.to_dict())``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from cjm_widgets.model.journey import Journey

__all__ = [
    "dumps",
    "journey_frame",
    "journey_from_mermaid",
    "journey_html",
    "journey_markdown",
    "journey_to_mermaid",
    "load",
    "open_journey",
    "prepare",
    "save",
]


def prepare(data: Mapping[str, Any]) -> dict[str, Any]:
    """Migrate and validate journey data (:func:`cjm_widgets.model.persistence.prepare`)."""
    from cjm_widgets.model import persistence

    return persistence.prepare(data)


def dumps(data: Mapping[str, Any]) -> str:
    """Sorted, indented JSON text (:func:`cjm_widgets.model.persistence.dumps`)."""
    from cjm_widgets.model import persistence

    return persistence.dumps(data)


def save(journey: Journey, path: str | os.PathLike[str]) -> Path:
    """Write atomically (:func:`cjm_widgets.model.persistence.save`)."""
    from cjm_widgets.model import persistence

    return persistence.save(journey, path)


def load(path: str | os.PathLike[str], cls: type[Journey]) -> Journey:
    """Read a journey file as ``cls`` (:func:`cjm_widgets.model.persistence.load`)."""
    from cjm_widgets.model import persistence

    return persistence.load(path, cls)


def open_journey(
    cls: type[Journey],
    path: str | os.PathLike[str],
    template: str = "current_state",
    stages: str | Sequence[str] | None = None,
    language: str = "en",
    *,
    delay: float = 0.5,
    **fields: Any,
) -> Journey:
    """Load or create a file-backed journey (:func:`cjm_widgets.model.open.open_journey`)."""
    from cjm_widgets.model import open as open_module

    return open_module.open_journey(
        cls, path, template, stages=stages, language=language, delay=delay, **fields
    )


def journey_frame(journey: Journey) -> pd.DataFrame:
    """Lanes × stages table (:func:`cjm_widgets.model.render.journey_frame`)."""
    from cjm_widgets.model import render

    return render.journey_frame(journey)


def journey_html(journey: Journey) -> str:
    """The static map as HTML (:func:`cjm_widgets.model.render.journey_html`)."""
    from cjm_widgets.model import render

    return render.journey_html(journey)


def journey_markdown(journey: Journey) -> str:
    """The map as Markdown (:func:`cjm_widgets.model.markdown.journey_markdown`)."""
    from cjm_widgets.model import markdown

    return markdown.journey_markdown(journey)


def journey_to_mermaid(
    journey: Journey,
    scores: Mapping[str, float] | pd.DataFrame | None = None,
    *,
    series: str | None = None,
    title: str | None = None,
) -> str:
    """A Mermaid journey diagram (:func:`cjm_widgets.model.mermaid.journey_to_mermaid`)."""
    from cjm_widgets.model import mermaid

    return mermaid.journey_to_mermaid(journey, scores, series=series, title=title)


def journey_from_mermaid(text: str, cls: type[Journey]) -> Journey:
    """A journey from a Mermaid diagram (:func:`cjm_widgets.model.mermaid.journey_from_mermaid`)."""
    from cjm_widgets.model import mermaid

    return mermaid.journey_from_mermaid(text, cls)
