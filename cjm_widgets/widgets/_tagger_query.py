"""The evidence tagger's filtering and sorting: cached value masks and per-column sort ranks.

:class:`TaggerQuery` is a mixin of :class:`~cjm_widgets.widgets.evidence_tagger.EvidenceTagger`:
it turns the filters in force into the matching store rows and orders them by a column. The
state it reads and caches (``_match``, ``_sort``, ``_orders``, ``_value_masks``) is set up by
the tagger's ``__init__``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from cjm_widgets.errors import CJMError
from cjm_widgets.evidence import Evidence
from cjm_widgets.model import Journey

__all__ = ["TaggerQuery"]


class TaggerQuery:
    """Filtering (masks of matching rows) and sorting (cached ranks) over the evidence."""

    # set by EvidenceTagger.__init__
    evidence: Evidence
    _journey_obj: Journey
    _n: int
    _match: np.ndarray
    _sort: tuple[str, bool] | None
    _orders: dict[str, np.ndarray]
    _value_masks: dict[tuple[str, str], np.ndarray]
    _suggested_mask: Callable[[float], np.ndarray]
    _suggest_rank_values: Callable[[], np.ndarray]

    # ------------------------------------------------------------------ filtering
    def _col(self, name: str) -> pd.Series:
        return self.evidence.column(name)

    def _value_mask(self, column: str, value: Any) -> np.ndarray:
        key = (column, str(value))
        mask = self._value_masks.get(key)
        if mask is None:
            col = self._col(column)
            mask = (col.astype("string") == str(value)).fillna(False).to_numpy(dtype=bool)
            self._value_masks[key] = mask
        return mask

    def _compute(self, filters: dict[str, Any]) -> np.ndarray:
        ev = self.evidence
        mask = np.ones(self._n, dtype=bool)
        arrays = ev._tag_arrays()
        for key, value in filters.items():
            if key == "untagged":
                mask &= ~ev.tagged_mask
            elif key == "stage":
                sid = self._resolve_stage(value)
                code = ev.stage_ids.index(sid) if sid in ev.stage_ids else -2
                mask &= arrays.stage == code
            elif key == "touchpoint":
                tid = self._resolve_tp(value)
                code = ev.touchpoint_ids.index(tid) if tid in ev.touchpoint_ids else -2
                mask &= arrays.touchpoint == code
            elif key == "label":
                if value not in ev.label_names:
                    raise CJMError(f"Unknown label {value!r}. Labels: {', '.join(ev.label_names)}.")
                mask &= ev.has_label(value)
            elif key == "search":
                mask &= self._search_mask(str(value), str(filters.get("match") or "contains"))
            elif key == "match":
                continue  # how "search" matches
            elif key == "suggested":
                mask &= self._suggested_mask(float(value))
            elif key == "ids":
                hit = np.zeros(self._n, dtype=bool)
                hit[ev.rows_of(value)] = True
                mask &= hit
            else:  # source or a segment column
                mask &= self._value_mask(key, value)
        return np.flatnonzero(mask).astype(np.int64)

    def _search_mask(self, query: str, match: str) -> np.ndarray:
        """Rows the search finds (the last search kept: the texts never change)."""
        key = (query, match)
        kept = getattr(self, "_last_search", None)
        if kept is not None and kept[0] == key:
            hit: np.ndarray = kept[1]
            return hit
        hit = np.zeros(self._n, dtype=bool)
        hit[self.evidence.search_rows(query, match=match)] = True
        self._last_search = (key, hit)
        return hit

    def _resolve_stage(self, value: str) -> str:
        try:
            return self._journey_obj.stage(value).id
        except Exception as exc:
            raise CJMError(str(exc)) from None

    def _resolve_tp(self, value: str) -> str:
        try:
            return self._journey_obj.touchpoint(value).id
        except Exception as exc:
            raise CJMError(str(exc)) from None

    # ------------------------------------------------------------------ sorting
    def _sort_key(self, column: str) -> np.ndarray:
        if column == "suggested":  # changes with every model: ranked afresh, not kept
            return self._rank(self._suggest_rank_values())
        order = self._orders.get(column)
        if order is not None:
            return order
        arrays = self.evidence._tag_arrays()
        if column == "emotion":
            values: Any = np.where(np.isnan(arrays.emotion), np.inf, arrays.emotion)
        elif column == "stage":
            values = np.asarray(self._stage_rank())[arrays.stage + 1]
        elif column == "touchpoint":
            values = np.asarray(self._tp_rank())[arrays.touchpoint + 1]
        elif column == "labels":
            values = arrays.labels
        else:
            series = self._col(column)
            codes, _ = pd.factorize(series, sort=True)
            values = np.where(codes < 0, np.iinfo(np.int64).max, codes)
        rank = self._rank(values)
        self._orders[column] = rank  # tag columns' orders are dropped on each change
        return rank

    def _rank(self, values: Any) -> np.ndarray:
        order = np.argsort(values, kind="stable")
        rank = np.empty(self._n, dtype=np.int64)
        rank[order] = np.arange(self._n)
        return rank

    def _stage_rank(self) -> list[int]:
        pos = {s.id: i for i, s in enumerate(self._journey_obj.stages)}
        return [10**6] + [pos.get(s, 10**5) for s in self.evidence.stage_ids]

    def _tp_rank(self) -> list[int]:
        pos = {t.id: i for i, t in enumerate(self._tps())}
        return [10**6] + [pos.get(t, 10**5) for t in self.evidence.touchpoint_ids]

    def _tps(self) -> list[Any]:
        return [t for s in self._journey_obj.stages for t in s.touchpoints]

    def _ordered(self) -> np.ndarray:
        match = self._match
        if self._sort is None:
            return match
        column, desc = self._sort
        rank = self._sort_key(column)[match]
        idx = np.argsort(-rank if desc else rank, kind="stable")
        return match[idx]
