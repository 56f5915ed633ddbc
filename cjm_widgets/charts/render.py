"""Offline static rendering of Altair charts via vl-convert (inline data only, no network).

Usage::

    svg = cjm.charts.to_svg(chart)
    cjm.charts.save(chart, "curve.png")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import vl_convert as vlc

from cjm_widgets._text import safe_tree

__all__ = ["save", "spec", "static_spec", "to_png", "to_svg"]


def spec(chart: Any) -> dict[str, Any]:
    """The chart's Vega-Lite spec without the ``$schema`` URL (nothing in it points online).
    A dict is taken as a spec already."""
    out = dict(chart) if isinstance(chart, dict) else chart.to_dict()
    out.pop("$schema", None)
    return out


def static_spec(spec_: dict[str, Any]) -> dict[str, Any]:
    """``spec_`` as the renderer can take it: every string (titles, labels, data values,
    keys) cleaned by :func:`cjm_widgets.safe_text` on one line. vl-convert aborts the whole
    process on characters XML cannot hold, and a line break inside a string that Vega-Lite
    places in an expression is a parse error; a static image loses nothing by either.

    Usage: ``vl_convert.vegalite_to_svg(static_spec(spec(chart)))``
    """
    return safe_tree(spec_, one_line=True)


def to_svg(chart: Any) -> str:
    """SVG text of ``chart`` (an Altair chart or a Vega-Lite spec dict); external data URLs
    are refused (no network); text is cleaned first (:func:`static_spec`)."""
    return vlc.vegalite_to_svg(static_spec(spec(chart)), allowed_base_urls=[])


def to_png(chart: Any, scale: float = 2) -> bytes:
    """PNG bytes of ``chart`` at ``scale``; external data URLs are refused (no network); text
    is cleaned first (:func:`static_spec`)."""
    return vlc.vegalite_to_png(static_spec(spec(chart)), scale=scale, allowed_base_urls=[])


def save(chart: Any, path: str | Path, scale: float = 2) -> Path:
    """Write ``chart`` as .svg or .png (by suffix); returns the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".png":
        path.write_bytes(to_png(chart, scale=scale))
    elif suffix == ".svg":
        path.write_text(to_svg(chart), encoding="utf-8")
    else:
        raise ValueError(f"save() writes .svg or .png, not {path.suffix!r}")
    return path
