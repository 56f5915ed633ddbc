"""The emotion lane of a board, kept live: an EmotionAggregate turned into the lane's data.

Usage (inside a widget)::

    feed = LaneFeed(journey, evidence, by="household", min_n=5, on_change=push)
    feed.data          # {"series": [...], "points": [...], "min_n": 5, "note": ""}
    feed.by = "age_band"   # new series; push() is called with the new data
    feed.close()

The sums are the curve's own (:class:`~cjm_widgets.analysis.EmotionAggregate`: O(changed
rows) per tag, a journey edit only re-lays them out); :func:`~cjm_widgets.analysis.lane.
lane_from_frame` turns its frame into plain dicts for the board's front end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["LaneFeed"]


class LaneFeed:
    """Live emotion-lane data of ``journey`` × ``evidence``; calls ``on_change(data)``."""

    def __init__(
        self,
        journey: Any,
        evidence: Any,
        *,
        by: Any = None,
        min_n: int = 5,
        on_change: Callable[[dict[str, Any]], Any],
    ) -> None:
        if not isinstance(min_n, int) or isinstance(min_n, bool) or min_n < 1:
            raise ValueError(f"min_n must be a whole number ≥ 1, not {min_n!r}.")
        self.journey, self.evidence, self.min_n = journey, evidence, min_n
        self._on_change = on_change
        self._agg: Any = None
        self._by: Any = None
        self._start(by)

    @property
    def by(self) -> Any:
        """The series of the lane (a segment column or persona name; None for all rows)."""
        return self._by

    @by.setter
    def by(self, value: Any) -> None:
        if value == self._by:
            return
        old = self._agg
        self._start(value)  # raises (and keeps the old aggregate) on a bad value
        if old is not None:
            old.close()
        self._on_change(self.data)

    @property
    def data(self) -> dict[str, Any]:
        """The lane now (see :func:`~cjm_widgets.analysis.lane.lane_from_frame`)."""
        from cjm_widgets.analysis.lane import lane_from_frame

        return lane_from_frame(self._agg.frame, min_n=self.min_n)

    def close(self) -> None:
        """Stop following the journey and the evidence."""
        if self._agg is not None:
            self._agg.close()
            self._agg = None

    def _start(self, by: Any) -> None:
        from cjm_widgets.analysis import EmotionAggregate

        agg = EmotionAggregate(self.journey, self.evidence, by=by, min_n=self.min_n)
        agg.observe(lambda _agg: self._on_change(self.data))
        self._agg, self._by = agg, by
