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
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from cjm_widgets.analysis.curve import (
    OVERALL,
    _layout,
    _row_mask,
    _series,
    build_frame,
    participant_codes,
)


class _KeyCounts:
    """A multiset of int64 keys: sorted unique keys with counts, plus a small dict of keys
    added since the last merge (so a one-row change never copies the whole array)."""

    MERGE_AT = 4096

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)
        self.counts = np.zeros(0, dtype=np.int64)
        self.extra: dict[int, int] = {}

    def _merge(self, new_keys: np.ndarray, new_counts: np.ndarray) -> None:
        keys = np.concatenate([self.keys, new_keys])
        counts = np.concatenate([self.counts, new_counts])
        order = np.argsort(keys, kind="stable")
        self.keys, self.counts = keys[order], counts[order]

    def flush(self) -> None:
        if self.extra:
            items = np.array(list(self.extra.items()), dtype=np.int64).reshape(-1, 2)
            self.extra = {}
            self._merge(items[:, 0], items[:, 1])

    def add(self, keys: np.ndarray, sign: int) -> tuple[np.ndarray, np.ndarray]:
        """Add ``sign`` per occurrence; return the keys that appeared and that vanished."""
        if not len(keys):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        uniq, times = np.unique(keys, return_counts=True)
        delta = sign * times.astype(np.int64)
        before = np.zeros(len(uniq), dtype=np.int64)
        found = np.zeros(len(uniq), dtype=bool)
        pos = np.zeros(len(uniq), dtype=np.int64)
        if len(self.keys):
            pos = np.minimum(np.searchsorted(self.keys, uniq), len(self.keys) - 1)
            found = self.keys[pos] == uniq
            before[found] = self.counts[pos[found]]
            self.counts[pos[found]] += delta[found]
        missing = np.flatnonzero(~found)
        if len(missing) > self.MERGE_AT:
            self.flush()  # every pending key into the arrays, then merge the new ones at once
            if len(self.keys):
                pos = np.minimum(np.searchsorted(self.keys, uniq[missing]), len(self.keys) - 1)
                hit = self.keys[pos] == uniq[missing]
                before[missing[hit]] = self.counts[pos[hit]]
                self.counts[pos[hit]] += delta[missing[hit]]
                missing = missing[~hit]
            self._merge(uniq[missing], delta[missing])
        else:
            for i in missing.tolist():
                key = int(uniq[i])
                old = self.extra.get(key, 0)
                before[i] = old
                if old + delta[i]:
                    self.extra[key] = old + int(delta[i])
                else:
                    self.extra.pop(key, None)
            if len(self.extra) > self.MERGE_AT:
                self.flush()
        after = before + delta
        return uniq[(before == 0) & (after > 0)], uniq[(before > 0) & (after == 0)]

    def present(self) -> np.ndarray:
        """Every key with a positive count."""
        self.flush()
        return self.keys[self.counts > 0]

    def rekey(self, mapping: Callable[[np.ndarray], np.ndarray]) -> None:
        self.flush()
        keys = mapping(self.keys)
        order = np.argsort(keys, kind="stable")
        self.keys, self.counts = keys[order], self.counts[order]


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
        self._part = participant_codes(evidence)
        ns = max(len(self.series_names), 1)
        self._count = np.zeros((0, ns), dtype=np.int64)
        self._total = np.zeros((0, ns))
        self._sumsq = np.zeros((0, ns))
        self._placed = np.zeros(0, dtype=np.int64)  # masked rows with an emotion per place
        self._n_part = int(self._part.max()) + 1 if len(self._part) else 1
        self._ns = ns
        self._parts = _KeyCounts()  # (place, series, participant) packed into one int64
        self._npart = np.zeros((0, ns), dtype=np.int64)  # distinct participants per cell
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
            grown_np = np.zeros((size, self._npart.shape[1]), dtype=np.int64)
            grown_np[new_idx[: self._npart.shape[0]]] = self._npart
            self._npart = grown_np
            old_n_tp, width = self._n_tp, self._ns * self._n_part

            def shift_keys(keys: np.ndarray) -> np.ndarray:
                place = keys // width
                return keys + np.where(place >= old_n_tp, shift * width, 0)

            self._parts.rekey(shift_keys)
        self._n_tp = n_tp
        if self._count.shape[0] < n_places:
            extra = n_places - self._count.shape[0]
            for name in ("_count", "_total", "_sumsq"):
                arr = getattr(self, name)
                setattr(self, name, np.vstack([arr, np.zeros((extra, arr.shape[1]), arr.dtype)]))
            self._placed = np.concatenate([self._placed, np.zeros(extra, np.int64)])
        if self._npart.shape[0] < self._count.shape[0]:
            extra = self._count.shape[0] - self._npart.shape[0]
            self._npart = np.vstack([self._npart, np.zeros((extra, self._ns), np.int64)])

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
                keys = (p.astype(np.int64) * self._ns + s) * self._n_part + q
                appeared, vanished = self._parts.add(keys, sign)
                width = self._ns * self._n_part
                for found, step in ((appeared, 1), (vanished, -1)):
                    if len(found):
                        cell_place = found // width
                        cell_series = (found // self._n_part) % self._ns
                        np.add.at(self._npart, (cell_place, cell_series), step)

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
            k = len(self.series_names)
            if self.level == "touchpoint":  # one place per slot: the cell counts are exact
                trip, by_place = np.zeros((0, 3), np.int64), self._npart[:, :k]
            else:  # a stage pools places: count distinct participants across them
                keys = self._parts.present()
                trip = np.stack(
                    [
                        keys // (self._ns * self._n_part),
                        (keys // self._n_part) % self._ns,
                        keys % self._n_part,
                    ],
                    1,
                )
                by_place = None
            out = build_frame(
                slots,
                self.series_names,
                self._count[:, :k],
                self._total[:, :k],
                self._sumsq[:, :k],
                trip,
                self.min_n,
                participants_by_place=by_place,
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
