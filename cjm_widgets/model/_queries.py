"""Finding a journey's parts by id or name (case- and accent-insensitive), with hints.

:class:`JourneyQueries` adds the lookups every edit uses: :meth:`~JourneyQueries.stage`,
:meth:`~JourneyQueries.touchpoint`, :meth:`~JourneyQueries.lane` … An unknown name raises
:class:`~cjm_widgets.errors.NotFoundError` listing the valid names and the closest match; a
renamed stage or touchpoint is still found by its former name (with a warning).

Usage: ``journey.stage("Purchase").touchpoints``
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from cjm_widgets.errors import NotFoundError
from cjm_widgets.model import idempotent as _idem
from cjm_widgets.model._names import _fold
from cjm_widgets.model._undoable import JourneyUndo
from cjm_widgets.model.entities import Lane, Opportunity, Persona, Stage, Touchpoint

__all__ = ["JourneyQueries"]


class JourneyQueries(JourneyUndo):
    """Lookups by id or name (see module doc)."""

    def stage(self, ref: str | Stage) -> Stage:
        """The stage with this id or name (case- and accent-insensitive).

        Usage: ``journey.stage("Purchase").touchpoints``
        """
        if isinstance(ref, Stage):
            ref = ref.id
        if not isinstance(ref, str):
            raise NotFoundError(f"A stage is named by its id or name (text), got {ref!r}.")
        for stage in self._stages:
            if stage.id == ref:
                return stage
        for stage in self._stages:
            if stage.name == ref:
                return stage
        folded = _fold(ref)
        for stage in self._stages:
            if _fold(stage.name) == folded:
                return stage
        renamed = _idem.former_stage(self, ref)
        if renamed is not None:
            return renamed
        names = [stage.name for stage in self._stages]
        hint = difflib.get_close_matches(ref, names, n=1)
        did_you_mean = f" Did you mean {hint[0]!r}?" if hint else ""
        valid = ", ".join(f"{s.name!r} ({s.id})" for s in self._stages) or "none yet"
        raise NotFoundError(f"Unknown stage {ref!r}.{did_you_mean} Stages: {valid}.")

    def touchpoint(self, ref: str | Touchpoint, stage: str | Stage | None = None) -> Touchpoint:
        """The touchpoint with this id or name; pass ``stage`` when a name is in several stages.

        Usage: ``journey.touchpoint("Checkout").channel``
        """
        if isinstance(ref, Touchpoint):
            ref = ref.id
        if not isinstance(ref, str):
            raise NotFoundError(f"A touchpoint is named by its id or name (text), got {ref!r}.")
        stages = [self.stage(stage)] if stage is not None else self._stages
        for st in stages:
            for tp in st.touchpoints:
                if tp.id == ref:
                    return tp
        for match in (lambda tp: tp.name == ref, lambda tp: _fold(tp.name) == _fold(ref)):
            found = [(st, tp) for st in stages for tp in st.touchpoints if match(tp)]
            if len(found) == 1:
                return found[0][1]
            if len(found) > 1:
                places = ", ".join(f"{tp.id} in {st.name!r}" for st, tp in found)
                raise NotFoundError(
                    f"Touchpoint name {ref!r} is in several stages ({places}). "
                    "Name it by id, or pass stage=…"
                )
        renamed = _idem.former_touchpoint(self, ref, stages)
        if renamed is not None:
            return renamed
        pairs = [(st, tp) for st in stages for tp in st.touchpoints]
        hint = difflib.get_close_matches(ref, [tp.name for _, tp in pairs], n=1)
        did_you_mean = f" Did you mean {hint[0]!r}?" if hint else ""
        valid = ", ".join(f"{tp.name!r} ({tp.id}, {st.name})" for st, tp in pairs) or "none yet"
        where = f" in stage {stages[0].name!r}" if stage is not None else ""
        raise NotFoundError(
            f"Unknown touchpoint {ref!r}{where}.{did_you_mean} Touchpoints: {valid}."
        )

    def stage_of(self, touchpoint: str | Touchpoint) -> Stage:
        """The stage that holds a touchpoint.

        Usage: ``journey.stage_of("Checkout").name``
        """
        tp = self.touchpoint(touchpoint)
        for stage in self._stages:
            if any(t.id == tp.id for t in stage.touchpoints):
                return stage
        raise AssertionError("unreachable: touchpoint without stage")  # pragma: no cover

    def lane(self, ref: str | Lane) -> Lane:
        """The lane with this id or name.

        Usage: ``journey.lane("actions").name``
        """
        if isinstance(ref, Lane):
            ref = ref.id
        for lane in self._lanes:
            if lane.id == ref:
                return lane
        if isinstance(ref, str):
            for lane in self._lanes:
                if _fold(lane.name) == _fold(ref):
                    return lane
        valid = ", ".join(f"{lane.name!r} ({lane.id})" for lane in self._lanes) or "none"
        raise NotFoundError(f"Unknown lane {ref!r}. Lanes: {valid}.")

    def opportunity(self, ref: str | Opportunity) -> Opportunity:
        """The opportunity with this id or text.

        Usage: ``journey.opportunity("o1").impact``
        """
        if isinstance(ref, Opportunity):
            ref = ref.id
        for opp in self._opportunities:
            if opp.id == ref:
                return opp
        if isinstance(ref, str):
            for opp in self._opportunities:
                if _fold(opp.text) == _fold(ref):
                    return opp
        valid = ", ".join(f"{o.text!r} ({o.id})" for o in self._opportunities) or "none yet"
        raise NotFoundError(f"Unknown opportunity {ref!r}. Opportunities: {valid}.")

    def persona_named(self, ref: str | Persona) -> Persona:
        """The persona with this id or name.

        Usage: ``journey.persona_named("Busy parent").segment``
        """
        if isinstance(ref, Persona):
            ref = ref.id
        for persona in self._personas:
            if persona.id == ref or (isinstance(ref, str) and _fold(persona.name) == _fold(ref)):
                return persona
        valid = ", ".join(f"{p.name!r} ({p.id})" for p in self._personas) or "none yet"
        raise NotFoundError(f"Unknown persona {ref!r}. Personas: {valid}.")

    def cell(self, stage: str | Stage, lane: str | Lane) -> list[str]:
        """The text items of one map cell (a copy).

        Usage: ``journey.cell("Purchase", "actions")``
        """
        st, ln = self.stage(stage), self.lane(lane)
        if ln.kind == "touchpoints":
            return [tp.name for tp in st.touchpoints]
        return list(st.lanes.get(ln.id, []))

    def count_references(
        self,
        stages: Iterable[str | Stage] = (),
        touchpoints: Iterable[str | Touchpoint] = (),
    ) -> int:
        """How many evidence rows (from every linked evidence store) are tagged to these
        stages or touchpoints; a stage counts its touchpoints too. Editors use it to confirm
        a removal ("3 quotes are tagged to 'Checkout'").

        Usage: ``journey.count_references(stages=["Purchase"])``
        """
        stage_ids = {self.stage(s).id for s in stages}
        tp_ids = {self.touchpoint(t).id for t in touchpoints}
        for sid in stage_ids:
            tp_ids |= {tp.id for tp in self.stage(sid).touchpoints}
        return self._count_references(stage_ids, tp_ids)

    def _touchpoint_ids(self, refs: str | Touchpoint | Sequence[str | Touchpoint]) -> list[str]:
        if isinstance(refs, str | Touchpoint):
            refs = [refs]
        ids: list[str] = []
        for ref in refs:
            tp_id = self.touchpoint(ref).id
            if tp_id not in ids:
                ids.append(tp_id)
        return ids
