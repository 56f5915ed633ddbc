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
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

from cjm_widgets._text import safe_text

__all__ = ["LANE_CSS", "emotion_lane_row", "generated_mark"]


def _esc(value: str) -> str:
    """User text for HTML: control characters removed (safe_text), then escaped."""
    return html.escape(safe_text(value))


_TOP, _BOTTOM = 0.08, 0.8
_COLOURS = ("#2563eb", "#d97706", "#059669", "#9333ea", "#db2777", "#0891b2", "#65a30d", "#78716c")

LANE_CSS = """<style>
.cjm-map .cjm-grid td.cjm-elane { height: 132px; padding: 0; vertical-align: top; }
.cjm-map .cjm-elane svg { display: block; width: 100%; height: 132px; overflow: visible; }
.cjm-map .cjm-elane-grid { stroke: var(--cjm-line); stroke-width: 1; }
.cjm-map .cjm-elane-zero { stroke: var(--cjm-fg2); stroke-width: 1; stroke-dasharray: 3 3; }
.cjm-map .cjm-elane-n { fill: var(--cjm-fg2); font-size: 10px; }
.cjm-map small.cjm-elane-hint { display: block; font-weight: 400; color: var(--cjm-fg2); }
.cjm-map .cjm-gen { display: inline-block; margin-left: 6px; padding: 0 5px; font-size: 0.75em;
  border: 1px dashed var(--cjm-fg2); border-radius: 999px; color: var(--cjm-fg2); }
.cjm-map .cjm-elane-key { display: inline-block; width: 10px; height: 3px; margin-right: 4px;
  vertical-align: middle; }
</style>"""


def _y(value: float) -> float:
    v = max(-2.0, min(2.0, float(value)))
    return _TOP + (2 - v) / 4 * (_BOTTOM - _TOP)


def _pct(f: float) -> str:
    return f"{f * 100:.3f}%"


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


def _cells(stages: Sequence[Any], lane: Mapping[str, Any]) -> list[list[str]]:
    """SVG pieces per stage cell (marks and line segments)."""
    series = [str(s) for s in lane.get("series", [])]
    points = {(p["touchpoint_id"], str(p["series"])): p for p in lane.get("points", [])}
    min_n, named = int(lane.get("min_n", 5)), len(series) > 1
    cells: list[list[str]] = [[] for _ in stages]
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
                cells[i].append(_mark(p, x, colour, min_n, named))
                if mean is None:
                    last = None
                    continue
                here = (i + x, _y(mean))
                if last is not None:
                    _segment(cells, last, here, colour)
                last = here
    return cells


def _segment(
    cells: list[list[str]], a: tuple[float, float], b: tuple[float, float], c: str
) -> None:
    (ax, ay), (bx, by) = a, b

    def y_at(x: float) -> float:
        return ay + (by - ay) * (x - ax) / ((bx - ax) or 1)

    for cell in range(math.floor(ax), min(math.floor(bx), len(cells) - 1) + 1):
        x1, x2 = max(ax, cell), min(bx, cell + 1)
        if x2 > x1:
            cells[cell].insert(
                0,
                f'<line x1="{_pct(x1 - cell)}" y1="{_pct(y_at(x1))}" x2="{_pct(x2 - cell)}" '
                f'y2="{_pct(y_at(x2))}" stroke="{c}" stroke-width="2" opacity="0.7"/>',
            )


def _mark(p: Mapping[str, Any], x: float, colour: str, min_n: int, named: bool) -> str:
    label = _esc(_label(p, min_n, named))
    mean, low, high = _num(p.get("mean")), _num(p.get("ci_low")), _num(p.get("ci_high"))
    supported = bool(p.get("supported"))
    cx = _pct(x)
    parts = [f'<g class="cjm-elane-point" role="img" aria-label="{label}"><title>{label}</title>']
    if supported and mean is not None and low is not None and high is not None:
        parts.append(
            f'<line x1="{cx}" x2="{cx}" y1="{_pct(_y(high))}" y2="{_pct(_y(low))}" '
            f'stroke="{colour}" stroke-width="3" stroke-linecap="round" opacity="0.35"/>'
        )
    if mean is not None:
        cy = _pct(_y(mean))
        if p.get("pain"):
            parts.append(
                f'<circle cx="{cx}" cy="{cy}" r="9" fill="none" stroke="#dc2626" '
                'stroke-width="2" class="cjm-elane-ring"/>'
            )
        fill = colour if supported else "var(--cjm-bg0, #fff)"
        parts.append(
            f'<circle cx="{cx}" cy="{cy}" r="5.5" fill="{fill}" stroke="{colour}" '
            f'stroke-width="{1.5 if supported else 2}" class="cjm-elane-dot"/>'
        )
    if not named:
        parts.append(
            f'<text class="cjm-elane-n" x="{cx}" y="99%" text-anchor="middle">'
            f"n {int(p.get('n') or 0)}</text>"
        )
    parts.append("</g>")
    return "".join(parts)


def emotion_lane_row(
    stages: Sequence[Any], lane: Mapping[str, Any] | None, *, label: str = "Emotion"
) -> str:
    """The ``<tr>`` of the emotion lane for the map's table ("" when there is no lane data).

    Usage: ``emotion_lane_row(journey.stages, cjm.emotion_lane(journey, ev))``
    """
    if not lane or not lane.get("series"):
        return ""
    series = [str(s) for s in lane["series"]]
    min_n = int(lane.get("min_n", 5))
    head = [
        f'<tr class="cjm-l-emotion"><th scope="row" class="cjm-lane">{_esc(label)}',
        f'<small class="cjm-elane-hint">mean, 95% CI, n; hollow: n &lt; {min_n}</small>',
    ]
    if len(series) > 1:
        head.extend(
            f'<small class="cjm-elane-hint"><span class="cjm-elane-key" style="background:'
            f'{_COLOURS[i % len(_COLOURS)]}"></span>{_esc(s)}</small>'
            for i, s in enumerate(series)
        )
    if lane.get("note"):
        head.append(f'<small class="cjm-elane-hint">{_esc(str(lane["note"]))}</small>')
    head.append("</th>")
    grid = "".join(
        f'<line class="{"cjm-elane-zero" if v == 0 else "cjm-elane-grid"}" x1="0%" x2="100%" '
        f'y1="{_pct(_y(v))}" y2="{_pct(_y(v))}"/>'
        for v in (2, 0, -2)
    )
    for stage, pieces in zip(stages, _cells(stages, lane), strict=True):
        head.append(
            f'<td class="cjm-elane" data-stage="{_esc(stage.id)}">'
            f'<svg role="group" '
            f'aria-label="Emotion in {_esc(stage.name)}">{grid}{"".join(pieces)}</svg></td>'
        )
    head.append("</tr>")
    return "".join(head)


def generated_mark(record: Mapping[str, Any] | None) -> str:
    """The "generated" mark of a lane item ``cjm.fill_lanes`` wrote ("" for the researcher's
    own items), its title naming how it was made and the evidence ids behind it."""
    if not isinstance(record, Mapping):
        return ""
    ids = [str(i) for i in record.get("evidence") or []]
    how = str(record.get("how") or "evidence")
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    title = f"Generated from the evidence ({how})" + (f": {shown}" if ids else "")
    return (
        f'<span class="cjm-gen" title="{_esc(title)}" data-evidence='
        f'"{_esc(" ".join(ids))}">generated</span>'
    )
