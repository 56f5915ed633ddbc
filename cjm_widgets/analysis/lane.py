"""The emotion lane: the emotion curve as plain data for a lane of the journey map.

Usage::

    lane = cjm.emotion_lane(journey, ev, by="household")
    lane["points"][0]   # {"touchpoint_id": "t1", "series": "All", "n": 42, "mean": -0.4, ...}

The numbers are the emotion curve's (:func:`~cjm_widgets.analysis.emotion_curve`, or a live
:class:`~cjm_widgets.analysis.EmotionAggregate`'s frame): per touchpoint and series the mean
emotion on the scale −2…+2, its 95% Student-t interval (cut to the scale), n (rows) and the
participants behind it. Nothing is recomputed here; this module only turns a curve frame into
JSON-ready dicts that the map renderers take without importing the evidence layer.

- ``supported`` is False when n < ``min_n``: the map draws that point hollow and gives it no
  interval (too few rows to estimate one).
- ``pain`` marks a point whose mean is at or below ``pain_threshold`` (−0.5 by default), the
  same rule the emotion curve chart uses to ring its pain points.
- Touchpoints without evidence are kept with n = 0 and no mean, so the map can say so.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from cjm_widgets.analysis.curve import SCALE, emotion_curve, missing_note

if TYPE_CHECKING:  # pragma: no cover
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["PAIN_THRESHOLD", "emotion_lane", "lane_from_frame"]

#: A point with a mean at or below this is marked as a pain point (as in the curve chart).
PAIN_THRESHOLD = -0.5


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number):
        return None
    return min(SCALE[1], max(SCALE[0], number))


def lane_from_frame(
    frame: pd.DataFrame, *, min_n: int = 5, pain_threshold: float = PAIN_THRESHOLD
) -> dict[str, Any]:
    """The lane's data from an ``emotion_curve`` frame at touchpoint level.

    Returns ``{"series": [...], "points": [...], "min_n": int, "note": str}``; each point has
    ``touchpoint_id``, ``stage_id``, ``touchpoint``, ``series``, ``n``, ``n_participants``,
    ``mean``, ``ci_low``, ``ci_high`` (None when unsupported or empty), ``supported`` and
    ``pain``. Rows of evidence tagged to a stage only (no touchpoint) are not in the lane.

    Usage: ``lane_from_frame(cjm.emotion_curve(journey, ev), min_n=5)``
    """
    points: list[dict[str, Any]] = []
    series: list[str] = []
    columns = {c: frame[c].tolist() for c in frame.columns}
    for i in range(len(frame)):
        tp = columns["touchpoint_id"][i]
        if not isinstance(tp, str) or not tp:
            continue
        name = str(columns["series"][i])
        if name not in series:
            series.append(name)
        supported = bool(columns["supported"][i])
        mean = _number(columns["mean"][i])
        low = _number(columns["ci_low"][i]) if supported else None
        high = _number(columns["ci_high"][i]) if supported else None
        n_part = columns["n_participants"][i]
        points.append(
            {
                "touchpoint_id": tp,
                "stage_id": str(columns["stage_id"][i]),
                "touchpoint": str(columns["touchpoint"][i]),
                "series": name,
                "n": int(columns["n"][i] or 0),
                "n_participants": 0 if pd.isna(n_part) else int(n_part),
                "mean": mean,
                "ci_low": low,
                "ci_high": high,
                "supported": supported,
                "pain": mean is not None and mean <= pain_threshold,
            }
        )
    return {"series": series, "points": points, "min_n": int(min_n), "note": missing_note(frame)}


def emotion_lane(
    journey: Journey,
    evidence: Evidence,
    *,
    by: Any = None,
    min_n: int = 5,
    pain_threshold: float = PAIN_THRESHOLD,
    **curve_options: Any,
) -> dict[str, Any]:
    """The emotion lane of ``journey``: one point per touchpoint (and series, with ``by``).

    ``curve_options`` go to :func:`~cjm_widgets.analysis.emotion_curve` (``missing``,
    ``include_interviewer``, ``overall``); see :func:`lane_from_frame` for the fields.

    Usage: ``journey_html(journey, lane=cjm.emotion_lane(journey, ev))``
    """
    if "level" in curve_options:
        raise TypeError("emotion_lane() is per touchpoint; it takes no level=.")
    frame = emotion_curve(journey, evidence, by=by, min_n=min_n, **curve_options)
    return lane_from_frame(frame, min_n=min_n, pain_threshold=pain_threshold)
