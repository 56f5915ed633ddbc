"""Editing a journey's lanes (rows and cells), personas and opportunities.

Each method validates first (nothing changes when it raises), is one undo step and one change
event; adding what is already there returns it (see :mod:`cjm_widgets.model.idempotent`).

Usage: ``journey.set_lane("Purchase", "pain_points", ["Delivery fee shown late"])``
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from cjm_widgets.errors import JourneyError
from cjm_widgets.model import idempotent as _idem
from cjm_widgets.model._names import _UNSET, _clean_name, _fold, _score, _segment, _text, _text_list
from cjm_widgets.model._stage_edits import StageEdits
from cjm_widgets.model.entities import (
    LANE_KINDS,
    JourneyChange,
    Lane,
    Opportunity,
    Persona,
    Stage,
    Touchpoint,
)
from cjm_widgets.model.templates import lane_spec

__all__ = ["PartEdits"]


class PartEdits(StageEdits):
    """Lane, persona and opportunity edits (see module doc)."""

    # ------------------------------------------------------------------ lanes
    def set_lane(
        self, stage: str | Stage, lane: str | Lane, items: str | Sequence[str]
    ) -> list[str]:
        """Set the text items of one cell (stage × lane); an empty list clears it.

        Usage: ``journey.set_lane("Purchase", "pain_points", ["Delivery fee shown late"])``
        """
        st, ln = self.stage(stage), self.lane(lane)
        if ln.kind == "touchpoints":
            raise JourneyError(
                f"The lane {ln.name!r} shows the stage's touchpoints; add or edit them with "
                "add_touchpoint / update_touchpoint instead of set_lane."
            )
        values = [item.strip() for item in _text_list(items, "Lane items")]
        values = [item for item in values if item]
        old = list(st.lanes.get(ln.id, []))
        if values == old:  # nothing changes: no undo step, no change event
            return list(values)

        def apply() -> None:
            if values:
                st.lanes[ln.id] = list(values)
            else:
                st.lanes.pop(ln.id, None)

        self._edit(JourneyChange("lane_set", (st.id, ln.id), {"old": old, "new": values}), apply)
        return list(values)

    def add_lane_item(self, stage: str | Stage, lane: str | Lane, item: str) -> list[str]:
        """Add one text item to a cell (stage × lane) unless the cell already has it (case and
        accents ignored); returns the cell's items. Re-running it changes nothing.

        Usage: ``journey.add_lane_item("Purchase", "pain_points", "Delivery fee shown late")``
        """
        text = _text(item, "A lane item").strip()
        if not text:
            raise JourneyError("The lane item is empty; give it some text.")
        items = self.cell(stage, lane)
        if any(_fold(existing) == _fold(text) for existing in items):
            return items
        return self.set_lane(stage, lane, [*items, text])

    def add_lane(
        self,
        lane: str,
        after: str | Lane | None = None,
        *,
        kind: str | None = None,
        name: str | None = None,
        update: bool = False,
    ) -> Lane:
        """Add a row to the map: a lane id of the vocabulary (``"pain_points"``,
        ``"backstage"`` … named in the journey's language) or a name of your own.

        A lane with that id or name already there is returned (see
        :mod:`~cjm_widgets.model.idempotent`; ``update=True`` renames it to ``name``).

        Usage: ``journey.add_lane("pain_points", after="actions")``
        """
        try:
            spec = lane_spec(lane, self._language)
            lane_id, lane_name, lane_kind = spec.id, spec.name, spec.kind
        except JourneyError:
            lane_id, lane_name, lane_kind = "", _clean_name(lane, "lane"), "text"
        if name is not None:
            lane_name = _clean_name(name, "lane")
        if kind is not None:
            if kind not in LANE_KINDS:
                raise JourneyError(
                    f"Unknown lane kind {kind!r}. Use one of: {', '.join(LANE_KINDS)}."
                )
            lane_kind = kind
        for existing in self._lanes:
            if (lane_id and existing.id == lane_id) or _fold(existing.name) == _fold(lane_name):
                return _idem.check_same(
                    "lane",
                    existing.name,
                    existing,
                    {"kind": (kind, None), "name": (name, None)},
                    update=update,
                    apply_update=functools.partial(self._update_lane, existing),
                )
        position = self._position(self._lanes, after, None, self.lane)
        new_lane = Lane(lane_id, lane_name, lane_kind)

        def apply() -> None:
            if not new_lane.id:
                new_lane.id = self._take_id("lane")
            self._lanes.insert(position, new_lane)

        self._edit(JourneyChange("lane_added"), apply, ids=lambda: (new_lane.id,))
        return new_lane

    def _update_lane(self, lane: Lane, fields: Mapping[str, Any]) -> Lane:
        if "kind" in fields:
            raise JourneyError(
                f"The lane {lane.name!r} ({lane.id}) holds {lane.kind} items and cannot change "
                "kind; add a lane with another name, or remove this one first."
            )
        return self.rename_lane(lane, fields["name"])

    def rename_lane(self, lane: str | Lane, name: str) -> Lane:
        """Rename a lane (its id stays).

        Usage: ``journey.rename_lane("how_why", "Why it matters")``
        """
        ln = self.lane(lane)
        new_name = _clean_name(name, "lane")
        if any(_fold(o.name) == _fold(new_name) and o.id != ln.id for o in self._lanes):
            raise JourneyError(f"The journey already has a lane named {new_name!r}.")
        old = ln.name

        def apply() -> None:
            ln.name = new_name

        self._edit(JourneyChange("lane_renamed", (ln.id,), {"old": old, "new": new_name}), apply)
        return ln

    def move_lane(self, lane: str | Lane, position: int) -> Lane:
        """Move a lane to ``position`` (0-based).

        Usage: ``journey.move_lane("touchpoints", 0)``
        """
        ln = self.lane(lane)
        rest = [x for x in self._lanes if x is not ln]
        new = self._target_position(rest, position, None, None, self.lane, ln)

        def apply() -> None:
            self._lanes.remove(ln)
            self._lanes.insert(new, ln)

        self._edit(JourneyChange("lane_moved", (ln.id,), {"new": new}), apply)
        return ln

    def remove_lane(self, lane: str | Lane) -> Lane:
        """Remove a lane and its cells (undo brings them back).

        Usage: ``journey.remove_lane("how_why")``
        """
        ln = self.lane(lane)

        def apply() -> None:
            self._lanes.remove(ln)
            for st in self._stages:
                st.lanes.pop(ln.id, None)

        self._edit(JourneyChange("lane_removed", (ln.id,)), apply)
        return ln

    # ------------------------------------------------------------------ personas
    def add_persona(
        self,
        name: str,
        *,
        description: str = "",
        goals: Sequence[str] = (),
        needs: Sequence[str] = (),
        segment: Mapping[str, Any] | None = None,
        update: bool = False,
    ) -> Persona:
        """Add a persona; ``segment`` filters evidence to it (e.g. ``{"Class": "Business"}``).

        A persona of that name already there is returned (see
        :mod:`~cjm_widgets.model.idempotent` for when the arguments differ, and ``update=True``).

        Usage: ``journey.add_persona("Business traveller", segment={"Class": "Business"})``
        """
        folded = _fold(_clean_name(name, "persona"))
        for same in self._personas:
            if _fold(same.name) == folded:
                return _idem.check_same(
                    "persona",
                    same.name,
                    same,
                    {
                        "description": (description, ""),
                        "goals": (list(goals), []),
                        "needs": (list(needs), []),
                        "segment": (segment, None),
                    },
                    update=update,
                    apply_update=lambda fields: self.update_persona(same, **fields),  # noqa: B023
                    compare={"segment": _segment},
                )
        persona = self._make_persona(
            {
                "name": name,
                "description": description,
                "goals": goals,
                "needs": needs,
                "segment": segment,
            },
            take_id=False,
        )

        def apply() -> None:
            persona.id = self._take_id("persona")
            self._personas.append(persona)

        self._edit(JourneyChange("persona_added"), apply, ids=lambda: (persona.id,))
        return persona

    def update_persona(self, persona: str | Persona, **fields: Any) -> Persona:
        """Change a persona's name, description, goals, needs or segment.

        Usage: ``journey.update_persona("Busy parent", goals=["Order in 5 minutes"])``
        """
        current = self.persona_named(persona)
        allowed = {"name", "description", "goals", "needs", "segment"}
        unknown = sorted(set(fields) - allowed)
        if unknown:
            raise JourneyError(
                f"Unknown persona field(s) {', '.join(unknown)}. "
                f"Allowed: {', '.join(sorted(allowed))}."
            )
        merged = {key: getattr(current, key) for key in allowed} | fields
        merged["id"] = current.id
        updated = self._make_persona(merged, take_id=False)

        def apply() -> None:
            for key in allowed:
                setattr(current, key, getattr(updated, key))

        self._edit(JourneyChange("persona_updated", (current.id,)), apply)
        return current

    def remove_persona(self, persona: str | Persona) -> Persona:
        """Remove a persona.

        Usage: ``journey.remove_persona("p2")``
        """
        current = self.persona_named(persona)

        def apply() -> None:
            self._personas.remove(current)

        self._edit(JourneyChange("persona_removed", (current.id,)), apply)
        return current

    # ------------------------------------------------------------------ opportunities
    def add_opportunity(
        self,
        text: str,
        touchpoints: str | Sequence[str | Touchpoint] = (),
        *,
        impact: int = 3,
        effort: int = 3,
        notes: str = "",
        update: bool = False,
    ) -> Opportunity:
        """Add an opportunity linked to touchpoints, with impact and effort (1–5).

        An opportunity with the same text is returned (see :mod:`~cjm_widgets.model.idempotent`
        for when the arguments differ, and ``update=True``).

        Usage: ``journey.add_opportunity("Show fees up front", ["Checkout"], impact=5, effort=1)``
        """
        folded = _fold(_clean_name(text, "opportunity"))
        for same in self._opportunities:
            if _fold(same.text) == folded:
                return _idem.check_same(
                    "opportunity",
                    same.text,
                    same,
                    {
                        "touchpoints": (touchpoints, ()),
                        "impact": (impact, 3),
                        "effort": (effort, 3),
                        "notes": (notes, ""),
                    },
                    update=update,
                    apply_update=lambda fields: self.update_opportunity(same, **fields),  # noqa: B023
                    compare={"touchpoints": self._touchpoint_ids},
                )
        opp = Opportunity(
            "",
            _clean_name(text, "opportunity"),
            touchpoints=self._touchpoint_ids(touchpoints),
            impact=_score(impact, "Impact"),
            effort=_score(effort, "Effort"),
            notes=_text(notes, "Notes"),
        )

        def apply() -> None:
            opp.id = self._take_id("opportunity")
            self._opportunities.append(opp)

        self._edit(
            JourneyChange("opportunity_added"), apply, ids=lambda: (opp.id, *opp.touchpoints)
        )
        return opp

    def update_opportunity(
        self,
        opportunity: str | Opportunity,
        *,
        text: str = _UNSET,
        touchpoints: str | Sequence[str | Touchpoint] = _UNSET,
        impact: int = _UNSET,
        effort: int = _UNSET,
        notes: str = _UNSET,
    ) -> Opportunity:
        """Change an opportunity's text, touchpoints, impact, effort or notes.

        Usage: ``journey.update_opportunity("o1", impact=4)``
        """
        opp = self.opportunity(opportunity)
        new = {
            "text": opp.text if text is _UNSET else _clean_name(text, "opportunity"),
            "touchpoints": list(opp.touchpoints)
            if touchpoints is _UNSET
            else self._touchpoint_ids(touchpoints),
            "impact": opp.impact if impact is _UNSET else _score(impact, "Impact"),
            "effort": opp.effort if effort is _UNSET else _score(effort, "Effort"),
            "notes": opp.notes if notes is _UNSET else _text(notes, "Notes"),
        }

        def apply() -> None:
            for key, value in new.items():
                setattr(opp, key, value)

        self._edit(JourneyChange("opportunity_updated", (opp.id,)), apply)
        return opp

    def remove_opportunity(self, opportunity: str | Opportunity) -> Opportunity:
        """Remove an opportunity.

        Usage: ``journey.remove_opportunity("o1")``
        """
        opp = self.opportunity(opportunity)

        def apply() -> None:
            self._opportunities.remove(opp)

        self._edit(JourneyChange("opportunity_removed", (opp.id,)), apply)
        return opp
