"""Offline static rendering of Altair charts via vl-convert (inline data only, no network)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import vl_convert as vlc


def _spec(chart: Any) -> dict:
    return chart.to_dict()


def to_svg(chart: Any) -> str:
    """SVG text of ``chart``. Usage: ``cjm.charts.to_svg(emotion_curve_chart(curve))``"""
    return vlc.vegalite_to_svg(_spec(chart))


def to_png(chart: Any, scale: float = 2) -> bytes:
    """PNG bytes of ``chart`` at ``scale``."""
    return vlc.vegalite_to_png(_spec(chart), scale=scale)


def save(chart: Any, path: str | Path) -> Path:
    """Write ``chart`` as .svg or .png (by suffix)."""
    path = Path(path)
    if path.suffix.lower() == ".png":
        path.write_bytes(to_png(chart))
    elif path.suffix.lower() == ".svg":
        path.write_text(to_svg(chart), encoding="utf-8")
    else:
        raise ValueError(f"save() writes .svg or .png, not {path.suffix!r}")
    return path
