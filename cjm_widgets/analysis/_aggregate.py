"""Incremental emotion curve: per-(place, series) sufficient statistics updated in O(changed rows).

Usage::

    agg = EmotionAggregate(journey, ev, by="Class")
    agg.observe(lambda a: print(a.version))
    ev.tag(...)          # agg.frame is updated from the EvidenceChange only
    agg.close()

Exactness: ``.frame`` equals ``emotion_curve(...)`` exactly because both compute mean/sd/CI from
count/sum/sumsq with the same function (``_stats.summarize``) and those sums are exact in float64
for the values this product produces (hand tags are integers −2..+2; 1–5 survey scales map to
multiples of 1/4), so the order of additions/subtractions does not matter.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from cjm_widgets.analysis.curve import OVERALL, _layout, _row_mask, _series, build_frame


class EmotionAggregate:
    """Keeps the emotion curve of ``journey`` × ``evidence`` up to date as tags change."""

    def __init__(
        self,
        journey: Any,
        evidence: Any,
        by: Any = None,
        level: str = "touchpoint",
        min_n: int = 5,
        include_interviewer: bool = False,
        overall: bool | None = None,
    ) -> None:
        if level not in ("touchpoint", "stage"):
            raise ValueError(f"level must be 'touchpoint' or 'stage', not {level!r}")
        self.journey, self.evidence, self.level, self.min_n = journey, evidence, level, min_n
        self._mask = _row_mask(evidence, include_interviewer, emotion=False)
        scode, names, with_all = _series(journey, evidence, by, overall)
        if by is None:
            with_all = True
        self._scode = scode
        self._n_named = len(names)
        self._with_all = with_all
        self.series_names = list(names) + ([OVERALL] if with_all else [])
        self._part = pd.factorize(evidence.column("participant"))[0].astype(np.int64)
        ns = max(len(self.series_names), 1)
        self._count = np.zeros((0, ns), dtype=np.int64)
        self._total = np.zeros((0, ns))
        self._sumsq = np.zeros((0, ns))
        self._placed = np.zeros(0, dtype=np.int64)  # masked rows with an emotion per place
        self._parts: Counter[tuple[int, int, int]] = Counter()
        self._callbacks: list[Callable[[EmotionAggregate], None]] = []
        self._frame: pd.DataFrame | None = None
        self.version = 0
        ta = evidence._tag_arrays()
        self._n_tp = -1
        self._apply(np.arange(len(evidence)), ta.touchpoint, ta.stage, ta.emotion, +1)
        evidence.observe(self._on_evidence)
        journey.observe(self._on_journey)

    # ---------------------------------------------------------------- state
    def _places(self, tp: np.ndarray, st: np.ndarray) -> np.ndarray:
        tp = np.asarray(tp, dtype=np.int64)
        st = np.asarray(st, dtype=np.int64)
        return np.where(tp >= 0, tp, np.where(st >= 0, self._n_tp + st, -1))

    def _resize(self) -> None:
        """Place codes depend on the number of touchpoint codes: re-key when the store grows."""
        n_tp = len(self.evidence.touchpoint_ids)
        n_places = n_tp + len(self.evidence.stage_ids)
        if n_tp != self._n_tp and self._n_tp >= 0:
            shift = n_tp - self._n_tp
            old = self._count.shape[0]
            idx = np.arange(old)
            new_idx = np.where(idx >= self._n_tp, idx + shift, idx)
            size = max(n_places, old + shift)
            for name in ("_count", "_total", "_sumsq"):
                arr = getattr(self, name)
                grown = np.zeros((size, arr.shape[1]), dtype=arr.dtype)
                grown[new_idx] = arr
                setattr(self, name, grown)
            grown = np.zeros(size, dtype=np.int64)
            grown[new_idx[: len(self._placed)]] = self._placed
            self._placed = grown
            self._parts = Counter(
                {
                    ((p + shift if p >= self._n_tp else p), s, q): c
                    for (p, s, q), c in self._parts.items()
                }
            )
        self._n_tp = n_tp
        if self._count.shape[0] < n_places:
            extra = n_places - self._count.shape[0]
            for name in ("_count", "_total", "_sumsq"):
                arr = getattr(self, name)
                setattr(self, name, np.vstack([arr, np.zeros((extra, arr.shape[1]), arr.dtype)]))
            self._placed = np.concatenate([self._placed, np.zeros(extra, np.int64)])

    def _apply(
        self, rows: np.ndarray, tp: np.ndarray, st: np.ndarray, em: np.ndarray, sign: int
    ) -> None:
        self._resize()
        rows = np.asarray(rows, dtype=np.int64)
        place = self._places(tp, st)
        em = np.asarray(em, dtype=np.float64)
        ok = self._mask[rows] & ~np.isnan(em) & (place >= 0)
        rows, place, em = rows[ok], place[ok], em[ok]
        np.add.at(self._placed, place, sign)
        sc = self._scode[rows]
        part = self._part[rows]
        groups = []
        named = sc >= 0
        groups.append((place[named], sc[named], em[named], part[named]))
        if self._with_all:
            groups.append((place, np.full(len(place), self._n_named, np.int64), em, part))
        for p, s, e, q in groups:
            np.add.at(self._count, (p, s), sign)
            np.add.at(self._total, (p, s), sign * e)
            np.add.at(self._sumsq, (p, s), sign * e * e)
            if len(p):
                keys, cnt = np.unique(np.stack([p, s, q], 1), axis=0, return_counts=True)
                for key, c in zip(map(tuple, keys.tolist()), cnt.tolist(), strict=False):
                    v = self._parts[key] + sign * c
                    if v:
                        self._parts[key] = v
                    else:
                        del self._parts[key]

    def _on_evidence(self, change: Any) -> None:
        self._resize()
        self._apply(change.rows, change.old.touchpoint, change.old.stage, change.old.emotion, -1)
        self._apply(change.rows, change.new.touchpoint, change.new.stage, change.new.emotion, +1)
        self._changed()

    def _on_journey(self, change: Any) -> None:
        self._changed()  # layout only: sums are keyed by store codes

    def _changed(self) -> None:
        self._frame = None
        self.version += 1
        for cb in list(self._callbacks):
            cb(self)

    # ---------------------------------------------------------------- public
    @property
    def frame(self) -> pd.DataFrame:
        """The curve frame; equals ``emotion_curve(...)`` with the same arguments."""
        if self._frame is None:
            self._resize()
            n_tp = self._n_tp
            present = (
                {int(p) for p in np.flatnonzero(self._placed) if p >= n_tp}
                if self.level == "touchpoint"
                else set()
            )
            slots = _layout(self.journey, self.evidence, self.level, present)
            trip = (
                np.array(list(self._parts), dtype=np.int64)
                if self._parts
                else np.zeros((0, 3), np.int64)
            )
            k = len(self.series_names)
            out = build_frame(
                slots,
                self.series_names,
                self._count[:, :k],
                self._total[:, :k],
                self._sumsq[:, :k],
                trip,
                self.min_n,
            )
            ev = self.evidence
            if self.level == "touchpoint":
                tp_ids = {t.id for t in self.journey.touchpoints}
                st_ids = {s.id for s in self.journey.stages}
                good = [i for i, t in enumerate(ev.touchpoint_ids) if t in tp_ids]
                good += [n_tp + i for i, s in enumerate(ev.stage_ids) if s in st_ids]
            else:
                good = [p for slot in slots for p in slot["places"]]
            okm = np.zeros(len(self._placed), dtype=bool)
            okm[good] = True
            out.attrs["unplaced_rows"] = int(self._placed[~okm].sum())
            self._frame = out
        return self._frame

    def observe(self, callback: Callable[[EmotionAggregate], None]) -> None:
        """Call ``callback(aggregate)`` after every change."""
        self._callbacks.append(callback)

    def unobserve(self, callback: Callable[[EmotionAggregate], None]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def close(self) -> None:
        """Stop observing the journey and the evidence."""
        self.evidence.unobserve(self._on_evidence)
        with contextlib.suppress(Exception):
            self.journey.unobserve(self._on_journey)
        self._callbacks.clear()
