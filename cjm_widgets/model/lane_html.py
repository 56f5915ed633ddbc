"""The emotion lane of the static map (``journey_html(journey, lane=...)``): plain SVG.

Usage::

    from cjm_widgets.model.lane_html import emotion_lane_row
    html = emotion_lane_row(journey.stages, cjm.emotion_lane(journey, ev))

The model layer knows nothing of evidence: the lane arrives as plain data (the dict of
:func:`cjm_widgets.analysis.lane.emotion_lane`). Each stage's cell holds its own SVG drawn in
percentages of the cell, so the points stay under their touchpoint cards at any width: a stage
with k touchpoints puts touchpoint j at x = (j + 0.5) / k; +2 at the top, −2 near the bottom,
n under each point; the 95% interval as a vertical bar; hollow points where n < min_n (no
interval); pain points ringed in red; one colour per series. A line joins consecutive
touchpoints with a mean and is cut at the cell edges (each cell draws its piece). The same
geometry as the board's lane (widgets/static/src/journey_editor/lane_logic.js). All text is
escaped; numbers are held to the scale −2…+2.

The markup is the autoescaping template ``model/templates/emotion_lane.html.j2`` and the style
``model/templates/emotion_lane.css``; this module computes the geometry and the texts as data.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cjm_widgets.model._jinja import environment, read

__all__ = ["emotion_lane_row", "generated_title", "lane_css"]


_TOP, _BOTTOM = 0.08, 0.8
_COLOURS = ("#2563eb", "#d97706", "#059669", "#9333ea", "#db2777", "#0891b2", "#65a30d", "#78716c")


@functools.cache
def lane_css() -> str:
    """The lane's ``<style>`` block (emotion_lane.css without its comments).

    Usage: ``html = lane_css() + emotion_lane_row(journey.stages, lane)``
    """
    css = re.sub(r"/\*.*?\*/", "", read("emotion_lane.css"), flags=re.S).lstrip("\n")
    return f"<style>\n{css}</style>"


def _y(value: float) -> float:
    v = max(-2.0, min(2.0, float(value)))
    return _TOP + (2 - v) / 4 * (_BOTTOM - _TOP)


def _pct(f: float) -> str:
    return f"{f * 100:.2f}%"  # a hundredth of a percent of a cell: under a pixel


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _fmt(v: float) -> str:
    text = f"{abs(v):.2f}"
    return "0.00" if float(text) == 0 else ("\u2212" if v < 0 else "+") + text


def _label(p: Mapping[str, Any], min_n: int, named: bool) -> str:
    who = f"{p.get('touchpoint', '')} · {p.get('series', '')}" if named else p.get("touchpoint", "")
    mean, low, high = _num(p.get("mean")), _num(p.get("ci_low")), _num(p.get("ci_high"))
    n = int(p.get("n") or 0)
    if not n or mean is None:
        return f"{who}: no evidence yet (n = 0)"
    ci = f" (95% CI {_fmt(low)} to {_fmt(high)})" if low is not None and high is not None else ""
    people = f" from {int(p['n_participants'])} participants" if p.get("n_participants") else ""
    few = "" if p.get("supported") else f"; too few to estimate (n < {min_n}), shown hollow"
    pain = "; pain point" if p.get("pain") else ""
    return f"{who}: mean emotion {_fmt(mean)}{ci}, n = {n}{people}{few}{pain}"


@dataclass(frozen=True, slots=True)
class _Mark:
    """One point of the lane, as the template draws it (positions are CSS percentages)."""

    label: str
    colour: str
    cx: str
    ci: tuple[str, str] | None  # the 95% interval's top and bottom, when drawn
    cy: str | None  # the mean, when there is one
    pain: bool
    fill: str
    width: float
    n: int | None  # shown under the point (one series only)


@dataclass
class _Cell:
    """One stage's cell: its line pieces (drawn first) and its points."""

    id: str
    name: str
    lines: list[tuple[str, str, str, str, str]]
    marks: list[_Mark]


def _cells(stages: Sequence[Any], lane: Mapping[str, Any]) -> list[_Cell]:
    """The lane's pieces per stage cell (marks and line segments)."""
    series = [str(s) for s in lane.get("series", [])]
    points = {(p["touchpoint_id"], str(p["series"])): p for p in lane.get("points", [])}
    min_n, named = int(lane.get("min_n", 5)), len(series) > 1
    cells = [_Cell(str(stage.id), str(stage.name), [], []) for stage in stages]
    for si, name in enumerate(series):
        colour = _COLOURS[si % len(_COLOURS)]
        last: tuple[float, float] | None = None
        for i, stage in enumerate(stages):
            k = len(stage.touchpoints)
            for j, tp in enumerate(stage.touchpoints):
                p = points.get((tp.id, name))
                offset = (si - (len(series) - 1) / 2) / len(series) * (0.5 / k) if named else 0
                x = (j + 0.5) / k + offset
                if p is None:
                    last = None
                    continue
                mean = _num(p.get("mean"))
                cells[i].marks.append(_mark(p, x, colour, min_n, named))
                if mean is None:
                    last = None
                    continue
                here = (i + x, _y(mean))
                if last is not None:
                    _segment(cells, last, here, colour)
                last = here
    return cells


def _segment(cells: list[_Cell], a: tuple[float, float], b: tuple[float, float], c: str) -> None:
    """The line from ``a`` to ``b`` (x in stage cells), cut at each cell's edges; each piece
    goes first in its cell (under the points)."""
    (ax, ay), (bx, by) = a, b

    def y_at(x: float) -> float:
        return ay + (by - ay) * (x - ax) / ((bx - ax) or 1)

    for cell in range(math.floor(ax), min(math.floor(bx), len(cells) - 1) + 1):
        x1, x2 = max(ax, cell), min(bx, cell + 1)
        if x2 > x1:
            piece = (_pct(x1 - cell), _pct(y_at(x1)), _pct(x2 - cell), _pct(y_at(x2)), c)
            cells[cell].lines.insert(0, piece)


def _mark(p: Mapping[str, Any], x: float, colour: str, min_n: int, named: bool) -> _Mark:
    mean, low, high = _num(p.get("mean")), _num(p.get("ci_low")), _num(p.get("ci_high"))
    supported = bool(p.get("supported"))
    ci = None
    if supported and mean is not None and low is not None and high is not None:
        ci = (_pct(_y(high)), _pct(_y(low)))
    return _Mark(
        label=_label(p, min_n, named),
        colour=colour,
        cx=_pct(x),
        ci=ci,
        cy=None if mean is None else _pct(_y(mean)),
        pain=bool(p.get("pain")),
        fill=colour if supported else "var(--cjm-bg0, #fff)",
        width=1.5 if supported else 2,
        n=None if named else int(p.get("n") or 0),
    )


def emotion_lane_row(
    stages: Sequence[Any], lane: Mapping[str, Any] | None, *, label: str = "Emotion"
) -> str:
    """The ``<tr>`` of the emotion lane for the map's table ("" when there is no lane data),
    from ``model/templates/emotion_lane.html.j2`` (autoescaped).

    Usage: ``emotion_lane_row(journey.stages, cjm.emotion_lane(journey, ev))``
    """
    if not lane or not lane.get("series"):
        return ""
    series = [str(s) for s in lane["series"]]
    keys = [(_COLOURS[i % len(_COLOURS)], s) for i, s in enumerate(series)]
    return (
        environment()
        .get_template("emotion_lane.html.j2")
        .render(
            label=label,
            min_n=int(lane.get("min_n", 5)),
            keys=keys if len(series) > 1 else [],
            note=str(lane["note"]) if lane.get("note") else "",
            grid=[
                ("cjm-elane-zero" if v == 0 else "cjm-elane-grid", _pct(_y(v))) for v in (2, 0, -2)
            ],
            cells=_cells(stages, lane),
        )
    )


def generated_title(record: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """The title and the evidence ids (space-separated) of the "generated" mark of a lane item
    ``cjm.fill_lanes`` wrote; None for the researcher's own items (the map's template draws the
    mark).

    Usage: ``generated_title({"how": "quote", "evidence": ["e1"]})``
    """
    if not isinstance(record, Mapping):
        return None
    ids = [str(i) for i in record.get("evidence") or []]
    how = str(record.get("how") or "evidence")
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    title = f"Generated from the evidence ({how})" + (f": {shown}" if ids else "")
    return title, " ".join(ids)
