"""Tagging rows of the evidence: tag, untag and moving tags between places.

Usage: ``ev.tag(ev.search("fee"), journey=j, touchpoint="Checkout", emotion=-1)``
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from cjm_widgets.errors import NotFoundError, TagError
from cjm_widgets.evidence._state import (
    Selector,
    StageRef,
    TouchpointRef,
    _Coding,
    _now_ns,
)
from cjm_widgets.evidence._undo import HistoryMixin
from cjm_widgets.evidence.tags import (
    NAT,
    EvidenceChange,
    TagSlice,
    check_emotion,
    label_key,
)

if TYPE_CHECKING:
    from cjm_widgets.model.journey import Journey


class TaggingMixin(HistoryMixin):
    """Part of :class:`~cjm_widgets.evidence.store.Evidence` (see its module)."""

    def tag(
        self,
        selector: Selector,
        journey: Journey | None = None,
        *,
        touchpoint: TouchpointRef | None = None,
        stage: StageRef | None = None,
        emotion: float | None = None,
        labels: str | Iterable[str] | None = None,
        add_labels: str | Iterable[str] | None = None,
        coder: str | None = None,
    ) -> EvidenceChange:
        """Tag the selected evidence; all-or-nothing (a bad argument raises, nothing changes).

        ``selector``: an id, a list of ids, a boolean mask or a query string. ``touchpoint``
        (name or id) implies its stage; ``stage`` alone is allowed. ``emotion`` −2..+2.
        ``labels`` replaces the labels, ``add_labels`` adds to them (new names are registered).
        Only the given fields change; ``coder`` and ``tagged_at`` (now, UTC) are always set.
        Tagging rows with the tag they already have changes nothing: no undo step, no change
        event, no save (the returned change has no rows).

        Usage: ``ev.tag("P1:3", journey=j, touchpoint="Checkout", emotion=-2, labels="pain point")``
        """
        if all(x is None for x in (touchpoint, stage, emotion, labels, add_labels)):
            raise TagError(
                "Nothing to tag: pass touchpoint=, stage=, emotion=, labels= or add_labels=."
            )
        if coder is not None and (not isinstance(coder, str) or not coder.strip()):
            raise TagError(f"coder must be a name (text), got {coder!r}.")
        place, stage_id, journey = self._resolve_place(journey, touchpoint, stage)
        value = check_emotion(emotion) if emotion is not None else None
        new_a, mask_a = self._label_codes(labels, "labels", register=True)
        new_b, mask_b = self._label_codes(add_labels, "add_labels", register=True)
        rows = self._select(selector)
        # ---- validated: commit
        if journey is not None and self._journey is None:
            self.link(journey)
        for name in (*new_a, *new_b):
            code = self._register_label(name)
            if any(label_key(name) == label_key(x) for x in new_a):
                mask_a |= 1 << code
            if any(label_key(name) == label_key(x) for x in new_b):
                mask_b |= 1 << code
        old = TagSlice.take(self._tag_arrays(), rows)
        tp_code = st_code = None
        if place is not None:
            st_code = self._register_stage(place[1])
            tp_code = self._register_tp(place[0], st_code)
        elif stage_id is not None:
            st_code = self._register_stage(stage_id)

        def updated(base: TagSlice, coder_code: int) -> TagSlice:
            """``base`` with exactly the fields this call sets."""
            tp, st = base.touchpoint.copy(), base.stage.copy()
            if tp_code is not None:
                tp[:], st[:] = tp_code, st_code
            elif st_code is not None:
                keep = np.append(self._tp_stage, np.int32(-2))[tp] == st_code
                tp = np.where(keep, tp, -1).astype(np.int32)
                st[:] = st_code
            em = base.emotion.copy() if value is None else np.full(len(rows), value)
            lb = base.labels.copy() if labels is None else np.full(len(rows), mask_a, np.int64)
            if add_labels is not None:
                lb |= mask_b
            return TagSlice(tp, st, em, lb, np.full(len(rows), coder_code, dtype=np.int32))

        cd_code = self._register_coder(coder.strip()) if coder is not None else -1
        new = updated(old, cd_code)
        at = _now_ns()
        info = {
            "coder": coder,
            "touchpoint_id": place[0] if place else None,
            "stage_id": place[1] if place else stage_id,
            "emotion": value,
            "labels": self._names(mask_a) if labels is not None else None,
            "add_labels": self._names(mask_b) if add_labels is not None else None,
        }
        coding = None
        if coder is not None:  # the coder's own coding: their previous one + these fields
            previous = self._coder_previous(rows, cd_code)
            mine = updated(previous, cd_code)
            coding = _Coding(rows, cd_code, mine, np.full(len(rows), at, np.int64))
        if new.same_as(old) and (coding is None or mine.same_as(previous)):
            # the same tag again (a re-run cell): no undo step, no change event, no save
            none = rows[:0]
            empty = TagSlice.take(self._tag_arrays(), none)
            return EvidenceChange("tag", none, empty, empty, self._ids_of)
        return self._commit("tag", rows, old, new, at, info, coding=coding)

    def accept_suggestions(self, suggestions: Any, *, by: str, **kw: Any) -> EvidenceChange:
        """Tag rows as suggested by ``cjm.suggest`` and accepted by ``by`` (one undo step).

        Usage: ``ev.accept_suggestions(table.head(20), by="anna")`` (see evidence/provenance.py)
        """
        from cjm_widgets.evidence.provenance import accept_suggestions

        return accept_suggestions(self, suggestions, by=by, **kw)

    def reject_suggestions(self, suggestions: Any, *, by: str, **kw: Any) -> EvidenceChange:
        """Record that ``by`` rejected suggestions (no tag changes; one undo step).

        Usage: ``ev.reject_suggestions(table, by="anna", ids=["review:7"])``
        """
        from cjm_widgets.evidence.provenance import reject_suggestions

        return reject_suggestions(self, suggestions, by=by, **kw)

    def untag(
        self,
        selector: Selector,
        *,
        labels: str | Iterable[str] | None = None,
        coder: str | None = None,
    ) -> EvidenceChange:
        """Remove tags: only ``labels`` when given, else every tag of the selected rows.

        Usage: ``ev.untag("P1:3")`` or ``ev.untag(mask, labels=["quote"])``
        """
        if coder is not None and (not isinstance(coder, str) or not coder.strip()):
            raise TagError(f"coder must be a name (text), got {coder!r}.")
        _, mask = self._label_codes(labels, "labels", register=False)
        rows = self._select(selector)
        old = TagSlice.take(self._tag_arrays(), rows)
        k = len(rows)
        cd_code = self._register_coder(coder.strip()) if coder is not None else -1
        if labels is not None:
            new = TagSlice(
                old.touchpoint.copy(),
                old.stage.copy(),
                old.emotion.copy(),
                old.labels & ~np.int64(mask),
                np.full(k, cd_code, np.int32) if coder is not None else old.coder,
            )
            at_values = None
        else:
            new = TagSlice(
                np.full(k, -1, np.int32),
                np.full(k, -1, np.int32),
                np.full(k, np.nan),
                np.zeros(k, np.int64),
                np.full(k, -1, np.int32),
            )
            at_values = np.full(k, NAT, np.int64)
        at = _now_ns()
        info = {"coder": coder, "labels": self._names(mask) if labels is not None else None}
        coding = None
        if coder is not None:
            prev = self._coder_previous(rows, cd_code)
            if labels is not None:
                mine = TagSlice(
                    prev.touchpoint,
                    prev.stage,
                    prev.emotion,
                    prev.labels & ~np.int64(mask),
                    prev.coder,
                )
            else:
                mine = TagSlice(new.touchpoint, new.stage, new.emotion, new.labels, prev.coder)
            coding = _Coding(rows, cd_code, mine, np.full(k, at, np.int64))
        return self._commit("untag", rows, old, new, at, info, coding=coding, at_values=at_values)

    def move_tags(
        self,
        from_touchpoint: TouchpointRef | None = None,
        to_touchpoint: TouchpointRef | None = None,
        *,
        from_stage: StageRef | None = None,
        to_stage: StageRef | None = None,
        journey: Journey | None = None,
    ) -> EvidenceChange:
        """Move every tag of one touchpoint (or stage) to another; undoable and observed.

        ``from_*`` may be an id no longer in the journey (after a removal). Usage::

            removal = journey.remove_touchpoint("Fax order")   # removal.evidence_rows == 12
            ev.move_tags("t7", "Web form")
        """
        journey = journey if journey is not None else self._journey
        if (from_touchpoint is None) == (from_stage is None):
            raise TagError("move_tags() needs from_touchpoint or from_stage (one of them).")
        if to_touchpoint is None and to_stage is None:
            raise TagError("move_tags() needs to_touchpoint or to_stage.")
        place, stage_id, journey = self._resolve_place(journey, to_touchpoint, to_stage)
        what: TouchpointRef | StageRef
        if from_touchpoint is not None:
            code = self._source_code(from_touchpoint, self._tp_code, "touchpoint", journey)
            rows = np.flatnonzero(self._tp == code)
            what = from_touchpoint
        else:
            assert from_stage is not None  # checked above: exactly one of them is given
            code = self._source_code(from_stage, self._st_code, "stage", journey)
            rows = np.flatnonzero(self._st == code)
            what = from_stage
        if len(rows) == 0:
            raise TagError(f"No evidence is tagged to {what!r}; nothing was moved.")
        old = TagSlice.take(self._tag_arrays(), rows)
        tp, st = old.touchpoint.copy(), old.stage.copy()
        if place is not None:
            st_code = self._register_stage(place[1])
            tp[:] = self._register_tp(place[0], st_code)
            st[:] = st_code
        else:
            assert stage_id is not None  # _resolve_place gives a touchpoint or a stage
            st_code = self._register_stage(stage_id)
            keep = np.append(self._tp_stage, np.int32(-2))[tp] == st_code
            tp = np.where(keep, tp, -1).astype(np.int32)
            st[:] = st_code
        new = TagSlice(tp, st, old.emotion.copy(), old.labels.copy(), old.coder.copy())
        info = {
            "touchpoint_id": place[0] if place else None,
            "stage_id": place[1] if place else stage_id,
        }
        old_at = self._at[rows]
        field = "touchpoint" if from_touchpoint is not None else "stage"
        target_tp = self._tp_code[place[0]] if place is not None else -1
        moved: list[_Coding] = []
        for chunk in self._codings:  # coders' codings move with the tags
            values = chunk.values
            hit = getattr(values, field) == code
            if hit.any():
                ctp, cst = values.touchpoint.copy(), values.stage.copy()
                cst[hit] = st_code
                ctp[hit] = (
                    target_tp
                    if place is not None
                    else np.where(
                        np.append(self._tp_stage, np.int32(-2))[ctp[hit]] == st_code, ctp[hit], -1
                    )
                )
                values = TagSlice(ctp, cst, values.emotion, values.labels, values.coder)
                chunk = _Coding(chunk.rows, chunk.coder, values, chunk.tagged_at, chunk.extra)
            moved.append(chunk)
        return self._commit(
            "move_tags",
            rows.astype(np.int64),
            old,
            new,
            _now_ns(),
            info,
            at_values=old_at.copy(),
            codings_after=moved,
        )

    def _source_code(
        self,
        ref: TouchpointRef | StageRef,
        codes: Mapping[str, int],
        kind: str,
        journey: Journey | None,
    ) -> int:
        key = ref if isinstance(ref, str) else getattr(ref, "id", None)  # an entity: its id
        if isinstance(key, str) and key in codes:
            return codes[key]
        if journey is not None and isinstance(key, str):
            try:
                found = journey.touchpoint(key) if kind == "touchpoint" else journey.stage(key)
            except NotFoundError:
                found = None
            if found is not None and found.id in codes:
                return codes[found.id]
        known = ", ".join(codes) or "none"
        raise TagError(f"No evidence is tagged to {kind} {ref!r}. Tagged {kind}s: {known}.")

    def _coder_previous(self, rows: np.ndarray, coder: int) -> TagSlice:
        """One coder's latest coding of ``rows`` (sorted, unique); empty where none."""
        k = len(rows)
        tp, st = np.full(k, -1, np.int32), np.full(k, -1, np.int32)
        em, lb = np.full(k, np.nan), np.zeros(k, np.int64)
        if k:
            first, last = int(rows[0]), int(rows[-1])
            for chunk in self._codings:
                if chunk.coder != coder or chunk.hi < first or chunk.lo > last:
                    continue  # another coder's, empty, or no row in common
                at = np.minimum(np.searchsorted(rows, chunk.rows), k - 1)
                hit = rows[at] == chunk.rows
                dst = at[hit]
                tp[dst] = chunk.values.touchpoint[hit]
                st[dst] = chunk.values.stage[hit]
                em[dst] = chunk.values.emotion[hit]
                lb[dst] = chunk.values.labels[hit]
        return TagSlice(tp, st, em, lb, np.full(k, coder, np.int32))
