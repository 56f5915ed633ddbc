"""Incremental emotion curve: per-cell value histograms updated in O(changed rows).

Usage::

    agg = EmotionAggregate(journey, ev, by="Class")
    agg.observe(lambda a: print(a.version))
    ev.tag(...)          # agg.frame is updated from the EvidenceChange only
    agg.close()

Exactness: ``.frame`` equals ``emotion_curve(...)`` exactly. Both keep, per (place, series)
cell, the integer count of rows carrying each distinct emotion value, and reduce those
histograms with the same function (:func:`~cjm_widgets.analysis._stats.moments`) in a fixed
order. Integer counts are the same whatever order the tags came in, so the floats are too.
Distinct participants are kept exact the same way: a count per (cell, participant).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.analysis.curve import (
    base_mask,
    build_frame,
    check_missing,
    distinct_per_cell,
    dropped_column,
    layout,
    participant_codes,
    place_codes,
    resolve_persona,
    series_codes,
    slot_lookup,
)
from cjm_widgets.errors import CJMError

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["EmotionAggregate"]

_VALUE_BITS = 24  # room for 16.7M distinct emotion values per aggregate
_KEY_LIMIT = 1 << 62


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
        keys, counts = keys[order], counts[order]
        keep = counts != 0
        self.keys, self.counts = keys[keep], counts[keep]

    def flush(self) -> None:
        if self.extra:
            items = np.array(list(self.extra.items()), dtype=np.int64).reshape(-1, 2)
            self.extra = {}
            self._merge(items[:, 0], items[:, 1])

    def add(self, keys: np.ndarray, signs: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
        """Add ``signs`` (one per key, or one for all); return the keys that appeared (count
        became positive) and that vanished (count became zero)."""
        empty = np.zeros(0, dtype=np.int64)
        if not len(keys):
            return empty, empty
        keys = np.asarray(keys, dtype=np.int64)
        if np.ndim(signs) == 0:
            uniq, times = np.unique(keys, return_counts=True)
            delta = int(signs) * times.astype(np.int64)
        else:
            uniq, inverse = np.unique(keys, return_inverse=True)
            delta = np.zeros(len(uniq), dtype=np.int64)
            np.add.at(delta, inverse, np.asarray(signs, dtype=np.int64))
            moved = delta != 0
            uniq, delta = uniq[moved], delta[moved]
            if not len(uniq):
                return empty, empty
        before = np.zeros(len(uniq), dtype=np.int64)
        found = np.zeros(len(uniq), dtype=bool)
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
        if (after < 0).any():  # pragma: no cover - would mean a change event was lost
            raise CJMError("EmotionAggregate lost track of the evidence; rebuild it.")
        return uniq[(before == 0) & (after > 0)], uniq[(before > 0) & (after == 0)]

    def items(self) -> tuple[np.ndarray, np.ndarray]:
        """Every key with a positive count, and the counts."""
        self.flush()
        keep = self.counts > 0
        return self.keys[keep], self.counts[keep]


class EmotionAggregate:
    """Keeps the emotion curve of ``journey`` × ``evidence`` up to date as tags change.

    Same arguments as :func:`~cjm_widgets.analysis.emotion_curve`; ``.frame`` equals it
    exactly. ``version`` counts changes; ``observe(callback)`` calls ``callback(aggregate)``
    after each one (tags, untags, undo/redo, journey edits); ``close()`` stops observing.

    A tag change costs O(changed rows); a journey edit only re-lays out the frame (the sums are
    keyed by the store's touchpoint and stage codes, which edits never change). Editing the
    persona used as ``by`` (its name or segment) rebuilds the sums once.

    Usage::

        agg = cjm.EmotionAggregate(journey, ev, by="Class")
        agg.observe(lambda a: redraw(a.frame))
    """

    def __init__(
        self,
        journey: Journey,
        evidence: Evidence,
        by: Any = None,
        level: str = "touchpoint",
        min_n: int = 5,
        include_interviewer: bool = False,
        overall: bool | None = None,
        missing: str = "drop",
    ) -> None:
        if level not in ("touchpoint", "stage"):
            raise ValueError(f"level must be 'touchpoint' or 'stage', not {level!r}")
        self.missing = check_missing(missing)
        self.journey, self.evidence = journey, evidence
        self.by, self.level, self.min_n = by, level, min_n
        self.include_interviewer, self.overall = include_interviewer, overall
        self._callbacks: list[Callable[[EmotionAggregate], None]] = []
        self.version = 0
        self._raw_version = getattr(evidence, "raw_version", 0)
        self._part = participant_codes(evidence)
        self._n_part = int(self._part.max()) + 1 if len(self._part) else 1
        self._mask = base_mask(evidence, include_interviewer)
        self._reset()
        evidence.observe(self._on_evidence)
        journey.observe(self._on_journey)

    # ---------------------------------------------------------------- state
    def _persona_state(self) -> tuple[str, dict[str, Any]] | None:
        persona = resolve_persona(self.journey, self.by)
        if persona is None:
            return None
        return persona.name, {k: _frozen(v) for k, v in persona.segment.items()}

    def _reset(self) -> None:
        """Build every sum from the store's current tags (construction, persona edits)."""
        scode, names, with_all = series_codes(
            self.journey, self.evidence, self.by, self.overall, self.missing
        )
        self._persona = self._persona_state()
        self.series_names = list(names)
        self._n_named = len(names)
        self._with_all = with_all
        self._n_out = self._n_named + (1 if with_all else 0)
        self._scode = np.where(scode < 0, self._n_named, scode)  # n_named: in no named series
        self._s1 = self._n_named + 1
        self._values: dict[float, int] = {}
        self._table: list[float] = []
        self._hist = _KeyCounts()  # (place, series, value code) -> rows
        self._parts = _KeyCounts()  # (place, series out, participant) -> rows
        self._npart = np.zeros((0, max(self._n_out, 1)), dtype=np.int64)
        self._frame: pd.DataFrame | None = None
        ta = self.evidence._tag_arrays()
        self._apply(np.arange(len(self.evidence)), ta.touchpoint, ta.stage, ta.emotion, 1)

    def _codes_of(self, values: np.ndarray) -> np.ndarray:
        """Stable codes of emotion values (new values are appended to the table)."""
        if not len(values):
            return np.zeros(0, dtype=np.int64)
        uniq, inverse = np.unique(values + 0.0, return_inverse=True)
        codes = np.empty(len(uniq), dtype=np.int64)
        for i, v in enumerate(uniq.tolist()):
            code = self._values.get(v)
            if code is None:
                code = self._values[v] = len(self._table)
                self._table.append(v)
            codes[i] = code
        if len(self._table) >= 1 << _VALUE_BITS:  # pragma: no cover - 16.7M distinct values
            raise CJMError("Too many distinct emotion values for EmotionAggregate.")
        return codes[inverse.reshape(-1)]

    def _apply(
        self, rows: np.ndarray, tp: np.ndarray, st: np.ndarray, em: np.ndarray, signs: Any
    ) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        place = place_codes(tp, st)
        em = np.asarray(em, dtype=np.float64)
        ok = self._mask[rows] & ~np.isnan(em) & (place >= 0)
        if not ok.any():
            return
        rows, place, em = rows[ok], place[ok], em[ok]
        signs = signs[ok] if np.ndim(signs) else signs
        top = int(place.max()) + 1
        if max(top * self._s1 << _VALUE_BITS, top * self._n_out * self._n_part) >= _KEY_LIMIT:
            raise CJMError("Too many touchpoints × series × participants for EmotionAggregate.")
        series = self._scode[rows]
        self._hist.add(((place * self._s1 + series) << _VALUE_BITS) + self._codes_of(em), signs)
        if not self._n_out:
            return
        part = self._part[rows]
        scalar = not np.ndim(signs)
        keys: list[np.ndarray] = []
        key_signs: list[np.ndarray] = []
        named = series < self._n_named
        if named.any():
            keys.append((place[named] * self._n_out + series[named]) * self._n_part + part[named])
            if not scalar:
                key_signs.append(signs[named])
        if self._with_all:
            keys.append((place * self._n_out + self._n_named) * self._n_part + part)
            if not scalar:
                key_signs.append(signs)
        if not keys:
            return
        appeared, vanished = self._parts.add(
            np.concatenate(keys), signs if scalar else np.concatenate(key_signs)
        )
        if self._npart.shape[0] < top:
            grow = np.zeros((top - self._npart.shape[0], self._npart.shape[1]), np.int64)
            self._npart = np.vstack([self._npart, grow])
        for found, step in ((appeared, 1), (vanished, -1)):
            if len(found):
                cell = found // self._n_part
                np.add.at(self._npart, (cell // self._n_out, cell % self._n_out), step)

    def _on_evidence(self, change: Any) -> None:
        version = getattr(self.evidence, "raw_version", 0)
        if version != self._raw_version:  # participants edited: recount from the new columns
            self._raw_version = version
            self._part = participant_codes(self.evidence)
            self._n_part = int(self._part.max()) + 1 if len(self._part) else 1
            self._mask = base_mask(self.evidence, self.include_interviewer)  # rows added (quotes)
            self._reset()
            self._changed()
            return
        old, new = change.old, change.new
        same = (
            place_codes(old.touchpoint, old.stage) == place_codes(new.touchpoint, new.stage)
        ) & ((old.emotion == new.emotion) | (np.isnan(old.emotion) & np.isnan(new.emotion)))
        moved = np.flatnonzero(~same)
        if len(moved):
            rows = np.asarray(change.rows, dtype=np.int64)[moved]
            k = len(moved)
            self._apply(
                np.concatenate([rows, rows]),
                np.concatenate([old.touchpoint[moved], new.touchpoint[moved]]),
                np.concatenate([old.stage[moved], new.stage[moved]]),
                np.concatenate([old.emotion[moved], new.emotion[moved]]),
                np.concatenate([np.full(k, -1, np.int64), np.ones(k, np.int64)]),
            )
        self._changed()

    def _on_journey(self, change: Any) -> None:
        if self._persona is not None and self._persona_state() not in (None, self._persona):
            self._reset()  # the persona's name or segment changed: its rows changed
        self._changed()  # otherwise layout only: sums are keyed by store codes

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
            keys, counts = self._hist.items()
            code = keys & ((1 << _VALUE_BITS) - 1)
            cell = keys >> _VALUE_BITS
            place, series = cell // self._s1, cell % self._s1
            present = set(np.unique(place).tolist()) if self.level == "touchpoint" else set()
            slots = layout(self.journey, self.evidence, self.level, present)
            n_out, n_slots = self._n_out, len(slots)
            npart = np.zeros((n_slots, n_out), dtype=np.int64)
            if self.level == "touchpoint":  # one place per slot: the cell counts are exact
                for i, slot in enumerate(slots):
                    for p in slot["places"]:
                        if p < self._npart.shape[0]:
                            npart[i] += self._npart[p, :n_out]
            elif n_out:  # a stage pools places: count distinct participants across them
                pkeys, _ = self._parts.items()
                pcell = pkeys // self._n_part
                lut = slot_lookup(slots, int(pcell.max()) // n_out + 1 if len(pcell) else 0)
                pslot = lut[pcell // n_out]
                ok = pslot >= 0
                npart = distinct_per_cell(
                    pslot[ok] * n_out + pcell[ok] % n_out,
                    pkeys[ok] % self._n_part,
                    n_slots * n_out,
                    self._n_part,
                ).reshape(n_slots, n_out)
            self._frame = build_frame(
                slots,
                self.series_names,
                self._with_all,
                (place, series, code, counts),
                np.asarray(self._table, dtype=np.float64),
                npart,
                self.min_n,
                dropped_column(self.journey, self.by, self.missing),
            )
        return self._frame

    def observe(
        self, callback: Callable[[EmotionAggregate], None]
    ) -> Callable[[EmotionAggregate], None]:
        """Call ``callback(aggregate)`` after every change; returns the callback."""
        self._callbacks.append(callback)
        return callback

    def unobserve(self, callback: Callable[[EmotionAggregate], None]) -> None:
        """Stop calling ``callback`` (no error if it was not observing)."""
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def close(self) -> None:
        """Stop observing the journey and the evidence."""
        with contextlib.suppress(Exception):
            self.evidence.unobserve(self._on_evidence)
        with contextlib.suppress(Exception):
            self.journey.unobserve(self._on_journey)
        self._callbacks.clear()

    def __repr__(self) -> str:
        return (
            f"EmotionAggregate(by={self.by!r}, level={self.level!r}, "
            f"series={self.series_names + (['All'] if self._with_all else [])}, "
            f"version={self.version})"
        )


def _frozen(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(sorted(map(str, value)))
    return value
