"""``BehaviourLane(journey, events)``: what customers do at each touchpoint, as a lane in journey
order (cases reaching it, share with its 95% CI, cases leaving after it); clicking a touchpoint
selects it and lists its flows in and out.

Usage::

    lane = cjm.widgets.BehaviourLane(journey, events.map_to(journey, mapping))
    lane.selected = journey.touchpoints[2].id      # or click it; lane.flows lists its flows

The analyses run once when the lane is made (``refresh()`` runs them again); a click only
looks up the flows already computed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import traitlets

from cjm_widgets.widgets._base import CJMWidget

if TYPE_CHECKING:
    from cjm_widgets.events import Events
    from cjm_widgets.model import Journey

__all__ = ["BehaviourLane"]


def _num(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


class BehaviourLane(CJMWidget):
    """A lane of behaviour per touchpoint (reach, drop-off) with the flows of the selected one.

    Traits: ``points`` (one dict per touchpoint in journey order: ``touchpoint_id``,
    ``touchpoint``, ``stage``, ``cases``, ``share``, ``ci_low``, ``ci_high``, ``left``),
    ``selected`` (a touchpoint id, "" for none; set by a click), ``flows`` (the selected
    touchpoint's transitions: ``direction`` "in"/"out", ``other``, ``count``, ``share``,
    ``median_s``), ``cases_total``.
    """

    _asset = "behaviour_lane"

    points: traitlets.List[dict[str, Any]] = traitlets.List(
        help="Reach and drop-off per touchpoint, journey order."
    ).tag(sync=True)
    selected = traitlets.Unicode("", help="The selected touchpoint id ('' for none).").tag(
        sync=True
    )
    flows: traitlets.List[dict[str, Any]] = traitlets.List(
        help="Flows in and out of the selected touchpoint."
    ).tag(sync=True)
    cases_total = traitlets.Int(0).tag(sync=True)

    def __init__(self, journey: Journey, events: Events) -> None:
        super().__init__()
        self.journey, self.events = journey, events
        self.refresh()
        self.observe(self._on_selected, names="selected")

    def refresh(self) -> None:
        """Run reach, the touchpoint funnel and flows again (after the journey changed)."""
        from cjm_widgets.analysis.behaviour import flows, funnel, reach

        r = reach(self.journey, self.events)
        f = funnel(self.journey, self.events, level="touchpoint")
        self._flows = flows(self.journey, self.events)
        left = dict(zip(f["touchpoint_id"], f["left_after"], strict=True))
        self.cases_total = int(r["cases_total"].iloc[0]) if len(r) else 0
        self.points = [
            {
                "touchpoint_id": row.touchpoint_id,
                "touchpoint": row.touchpoint,
                "stage": row.stage,
                "cases": int(row.cases),
                "share": _num(row.share),
                "ci_low": _num(row.ci_low),
                "ci_high": _num(row.ci_high),
                "left": int(left.get(row.touchpoint_id, 0)),
            }
            for row in r.itertuples()
        ]
        self._on_selected(None)

    def _on_selected(self, _change: Any) -> None:
        tp = self.selected
        if not tp:
            self.flows = []
            return
        fl = self._flows
        rows = []
        for direction, mine, other in (
            ("in", "target_id", "source"),
            ("out", "source_id", "target"),
        ):
            part = fl[fl[mine] == tp].sort_values("count", ascending=False)
            rows += [
                {
                    "direction": direction,
                    "other": str(getattr(r, other)),
                    "count": int(r.count),
                    "share": _num(r.share),
                    "median_s": _num(r.median_s),
                }
                for r in part.itertuples()
            ]
        self.flows = rows
