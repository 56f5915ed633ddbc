"""Adding, renaming, moving and removing stages and touchpoints of a journey.

Each method validates first (nothing changes when it raises), is one undo step and one change
event; adding what is already there returns it (see :mod:`cjm_widgets.model.idempotent`).

Usage: ``journey.add_touchpoint("Purchase", "Checkout", channel="web")``
"""

from __future__ import annotations

import dataclasses

from cjm_widgets.errors import JourneyError
from cjm_widgets.model import idempotent as _idem
from cjm_widgets.model._names import (
    _UNSET,
    _clean_name,
    _fold,
    _text,
    normalize_channel,
    normalize_phase,
)
from cjm_widgets.model._queries import JourneyQueries
from cjm_widgets.model._state import _Delta
from cjm_widgets.model.entities import JourneyChange, Removal, Stage, Touchpoint, editing

__all__ = ["StageEdits"]


class StageEdits(JourneyQueries):
    """Stage and touchpoint edits (see module doc)."""

    # ------------------------------------------------------------------ stages
    def add_stage(
        self,
        name: str,
        after: str | Stage | None = None,
        *,
        before: str | Stage | None = None,
        description: str = "",
        update: bool = False,
    ) -> Stage:
        """Add a stage after ``after`` (or before ``before``; at the end by default).

        A stage of that name already there is returned (see :mod:`~cjm_widgets.model.idempotent`
        for when the arguments differ, and ``update=True``).

        Usage: ``journey.add_stage("Delivery", after="Purchase")``
        """
        name = _clean_name(name, "stage")
        same = _idem.find_stage(self, name)
        if same is not None:
            return _idem.check_same(
                "stage",
                same.name,
                same,
                {"description": (description, "")},
                update=update,
                apply_update=lambda fields: self.update_stage(same, **fields),
            )
        self._check_stage_name(name)
        description = _text(description, "The description")
        position = self._position(self._stages, after, before, self.stage)
        stage = self._new_stage(name, description=description, dry_run=True)

        def apply() -> None:
            stage.id = self._take_id("stage")
            self._insert_stage(stage, position)

        self._edit(
            JourneyChange("stage_added", (), {"position": position}), apply, ids=lambda: (stage.id,)
        )
        return stage

    def rename_stage(self, stage: str | Stage, name: str) -> Stage:
        """Rename a stage; ids, tags and references stay as they are.

        Usage: ``journey.rename_stage("Purchase", "Checkout")``
        """
        done = _idem.already_renamed(self, "stage", stage, name)
        return done if done is not None else self.update_stage(stage, name=name)

    def update_stage(
        self, stage: str | Stage, *, name: str = _UNSET, description: str = _UNSET
    ) -> Stage:
        """Change a stage's name and/or description.

        Usage: ``journey.update_stage("Usage", description="First four weeks")``
        """
        st = self.stage(stage)
        new_name = st.name if name is _UNSET else _clean_name(name, "stage")
        if new_name != st.name:
            self._check_stage_name(new_name, ignore=st.id)
        new_desc = st.description if description is _UNSET else _text(description, "Description")
        old_name = st.name
        if (new_name, new_desc) == (st.name, st.description):
            return st  # nothing changes: no undo step, no change event

        def apply() -> None:
            if new_name != st.name:
                _idem.record_rename(self, st.id, st.name)
            st.name, st.description = new_name, new_desc

        kind = "stage_renamed" if new_name != old_name else "stage_updated"
        self._edit(JourneyChange(kind, (st.id,), {"old": old_name, "new": new_name}), apply)
        return st

    def move_stage(
        self,
        stage: str | Stage,
        position: int | None = None,
        *,
        after: str | Stage | None = None,
        before: str | Stage | None = None,
    ) -> Stage:
        """Move a stage to ``position`` (0-based; negative counts from the end), or after /
        before another stage.

        Usage: ``journey.move_stage("Advocacy", before="Retention")``
        """
        st = self.stage(stage)
        old = self._stages.index(st)
        rest = [s for s in self._stages if s is not st]
        new = self._target_position(rest, position, after, before, self.stage, st)

        def apply() -> None:
            self._stages.remove(st)
            self._stages.insert(new, st)

        self._edit(JourneyChange("stage_moved", (st.id,), {"old": old, "new": new}), apply)
        return st

    def remove_stage(self, stage: str | Stage) -> Removal:
        """Remove a stage with its touchpoints and lane cells (undo brings them back).

        Evidence tagged to it keeps its tags; the returned :class:`Removal` says how many rows.

        Usage: ``journey.remove_stage("Advocacy").evidence_rows``
        """
        st = self.stage(stage)
        tp_ids = tuple(tp.id for tp in st.touchpoints)
        rows = self._count_references({st.id}, set(tp_ids))

        def apply() -> None:
            self._stages.remove(st)
            self._drop_opportunity_links(set(tp_ids))

        self._edit(
            JourneyChange(
                "stage_removed", (st.id, *tp_ids), {"name": st.name, "evidence_rows": rows}
            ),
            apply,
        )
        return Removal((st.id,), tp_ids, rows)

    # ------------------------------------------------------------------ touchpoints
    def add_touchpoint(
        self,
        stage: str | Stage,
        name: str,
        *,
        channel: str = "other",
        phase: str | None = None,
        owner: str = "",
        description: str = "",
        position: int | None = None,
        update: bool = False,
    ) -> Touchpoint:
        """Add a touchpoint to a stage (at the end, or at ``position``).

        A touchpoint of that name already in the stage is returned (see
        :mod:`~cjm_widgets.model.idempotent` for when the arguments differ, and ``update=True``).

        Usage: ``journey.add_touchpoint("Purchase", "Checkout", channel="web",
        phase="purchase", owner="E-commerce")``
        """
        st = self.stage(stage)
        name = _clean_name(name, "touchpoint")
        names = self._names_in(st)  # an index: adding n touchpoints takes O(n), not O(n²)
        history = _idem.FORMER_NAMES in self._metadata or _idem.MOVED_FROM in self._metadata
        same = _idem.find_touchpoint(self, st, name) if _fold(name) in names or history else None
        if same is not None:
            return _idem.check_same(
                "touchpoint",
                same.name,
                same,
                {
                    "channel": (channel, "other"),
                    "phase": (phase, None),
                    "owner": (owner, ""),
                    "description": (description, ""),
                },
                update=update,
                apply_update=lambda fields: self.update_touchpoint(same, **fields),
                compare={"channel": normalize_channel, "phase": normalize_phase},
            )
        if _fold(name) in names:  # the index knows the stage's names: no scan when it is new
            self._check_touchpoint_name(st, name)
        tp = Touchpoint(
            "",
            name,
            channel=normalize_channel(channel),
            phase=normalize_phase(phase),
            owner=_text(owner, "The owner"),
            description=_text(description, "The description"),
        )
        index = self._clamp(position, len(st.touchpoints))
        with editing():
            tp.id = self._take_id("touchpoint")
            fields = dataclasses.asdict(tp)
            st.touchpoints.insert(index, tp)
        names.add(_fold(name))
        assert self._known_ids is not None  # made by _take_id
        self._known_ids.add(tp.id)
        self._edit_delta(
            JourneyChange("touchpoint_added", (tp.id, st.id), {"stage": st.id}),
            undo=_Delta("remove", st.id, index, fields),
            redo=_Delta("insert", st.id, index, fields),
        )
        return tp

    def update_touchpoint(
        self,
        touchpoint: str | Touchpoint,
        *,
        name: str = _UNSET,
        channel: str = _UNSET,
        phase: str | None = _UNSET,
        owner: str = _UNSET,
        description: str = _UNSET,
        stage: str | Stage | None = None,
    ) -> Touchpoint:
        """Change any of a touchpoint's name, channel, phase, owner, description.

        Usage: ``journey.update_touchpoint("Checkout", channel="mobile app", owner="Web team")``
        """
        tp = self.touchpoint(touchpoint, stage=stage)
        st = self.stage_of(tp)
        new = {
            "name": tp.name if name is _UNSET else _clean_name(name, "touchpoint"),
            "channel": tp.channel if channel is _UNSET else normalize_channel(channel),
            "phase": tp.phase if phase is _UNSET else normalize_phase(phase),
            "owner": tp.owner if owner is _UNSET else _text(owner, "The owner"),
            "description": tp.description
            if description is _UNSET
            else _text(description, "The description"),
        }
        new_name = str(new["name"])
        if new_name != tp.name:
            self._check_touchpoint_name(st, new_name, ignore=tp.id)
        old = {key: getattr(tp, key) for key in new}
        changed = {key: value for key, value in new.items() if old[key] != value}
        if not changed:
            return tp  # nothing changes: no undo step, no change event

        def apply() -> None:
            if new["name"] != tp.name:
                _idem.record_rename(self, tp.id, tp.name)
            for key, value in new.items():
                setattr(tp, key, value)

        kind = "touchpoint_renamed" if set(changed) == {"name"} else "touchpoint_updated"
        self._edit(
            JourneyChange(
                kind, (tp.id, st.id), {"old": {k: old[k] for k in changed}, "new": changed}
            ),
            apply,
        )
        return tp

    def rename_touchpoint(self, touchpoint: str | Touchpoint, name: str) -> Touchpoint:
        """Rename a touchpoint (tags refer to its id, so nothing is orphaned).

        Usage: ``journey.rename_touchpoint("Checkout", "Payment")``
        """
        done = _idem.already_renamed(self, "touchpoint", touchpoint, name)
        return done if done is not None else self.update_touchpoint(touchpoint, name=name)

    def move_touchpoint(
        self,
        touchpoint: str | Touchpoint,
        stage: str | Stage | None = None,
        position: int | None = None,
        *,
        after: str | Touchpoint | None = None,
        before: str | Touchpoint | None = None,
    ) -> Touchpoint:
        """Move a touchpoint within its stage or to another stage.

        ``position`` is 0-based in the target stage (end by default); or give ``after`` /
        ``before`` another touchpoint (its stage becomes the target).

        Usage: ``journey.move_touchpoint("Delivery slot", stage="Purchase", position=0)``
        """
        tp = self.touchpoint(touchpoint)
        source = self.stage_of(tp)
        anchor_ref = after if after is not None else before
        if anchor_ref is not None:
            anchor = self.touchpoint(anchor_ref)
            if anchor.id == tp.id:
                raise JourneyError("A touchpoint cannot be moved relative to itself.")
            target = self.stage_of(anchor)
            if stage is not None and self.stage(stage).id != target.id:
                raise JourneyError(
                    f"{anchor.name!r} is in stage {target.name!r}, not {self.stage(stage).name!r}."
                )
        else:
            target = self.stage(stage) if stage is not None else source
        if target is not source:
            self._check_touchpoint_name(target, tp.name)
        rest = [t for t in target.touchpoints if t is not tp]
        if position is None and anchor_ref is None:
            if target is source:
                raise JourneyError(
                    "Say where to move it: give stage=, position=, after= or before=."
                )
            position = len(rest)  # to the end of the other stage
        index = self._target_position(rest, position, after, before, self.touchpoint, tp)
        old_index = source.touchpoints.index(tp)

        def apply() -> None:
            if target is not source:
                _idem.record_move(self, tp.id, source.id)
            source.touchpoints.remove(tp)
            target.touchpoints.insert(index, tp)

        self._edit(
            JourneyChange(
                "touchpoint_moved",
                (tp.id, source.id, target.id),
                {"from_stage": source.id, "to_stage": target.id, "old": old_index, "new": index},
            ),
            apply,
        )
        return tp

    def remove_touchpoint(self, touchpoint: str | Touchpoint) -> Removal:
        """Remove a touchpoint. Evidence tagged to it keeps its tags (see :class:`Removal`).

        Usage: ``journey.remove_touchpoint("Fax order")``
        """
        tp = self.touchpoint(touchpoint)
        st = self.stage_of(tp)
        rows = self._count_references(set(), {tp.id})

        def apply() -> None:
            st.touchpoints.remove(tp)
            self._drop_opportunity_links({tp.id})

        self._edit(
            JourneyChange(
                "touchpoint_removed", (tp.id, st.id), {"name": tp.name, "evidence_rows": rows}
            ),
            apply,
        )
        return Removal((), (tp.id,), rows)
