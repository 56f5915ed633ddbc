"""The journey's state: its fields, ids, snapshots and the helpers every edit uses.

:class:`JourneyState` is the bottom of the Journey's class chain (state → undo → queries →
stage edits → part edits → :class:`~cjm_widgets.model.journey.Journey`). It holds the data, hands
out ids that are never reused, turns the journey into plain data (:meth:`to_dict`) and back
(:meth:`_restore`), and checks names and positions.

Usage: internal to the model; use :class:`cjm_widgets.Journey`.
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

from cjm_widgets._history import History
from cjm_widgets.errors import JourneyError
from cjm_widgets.model._names import (
    SCHEMA_VERSION,
    _clean_name,
    _fold,
    _plain_json,
    _segment,
    _state,
    _text,
    _text_list,
)
from cjm_widgets.model.entities import (
    LANE_KINDS,
    JourneyChange,
    Lane,
    Opportunity,
    Persona,
    Stage,
    Touchpoint,
    editing,
    plain,
)

__all__ = ["ID_PREFIX", "JourneyState", "State"]

#: The prefix of each kind of id (``s3``, ``t12``, ``o2``, ``p1``, ``lane4``).
ID_PREFIX = {"stage": "s", "touchpoint": "t", "opportunity": "o", "persona": "p", "lane": "lane"}
_ID_PREFIX = ID_PREFIX

_T = TypeVar("_T")


@dataclass(frozen=True)
class _Delta:
    """One side of an undo step recorded as an operation (see ``Journey._edit_delta``):
    insert the touchpoint of ``fields`` into a stage at ``index``, or remove it (by ids, so
    it holds no reference to the journey: it pickles and deep-copies with it)."""

    op: str  # "insert" | "remove"
    stage_id: str
    index: int
    fields: dict[str, Any]

    def run(self, journey: JourneyState) -> None:
        """Apply this side to ``journey`` (inside the model's ``editing()``)."""
        stage = next(st for st in journey._stages if st.id == self.stage_id)
        if self.op == "insert":
            stage.touchpoints.insert(self.index, Touchpoint(**self.fields))
        else:
            tp_id = self.fields["id"]
            stage.touchpoints[:] = [t for t in stage.touchpoints if t.id != tp_id]


#: What an undo step goes back to: a snapshot of the whole journey, or a delta.
State: TypeAlias = "dict[str, Any] | _Delta"


class JourneyState:
    """The data of a journey and the helpers that keep it consistent (see module doc)."""

    def __init__(
        self,
        title: str = "Untitled journey",
        *,
        scope: str = "",
        state: str = "current",
        template: str | None = None,
        language: str = "en",
        personas: Sequence[Persona | Mapping[str, Any]] = (),
        lanes: Sequence[Lane | Mapping[str, Any]] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self._title = _text(title, "The title")
        self._scope = _text(scope, "The scope")
        self._state = _state(state)
        self._template = template
        self._language = language
        self._stages: list[Stage] = []
        self._personas: list[Persona] = []
        self._opportunities: list[Opportunity] = []
        self._metadata: dict[str, Any] = _plain_json(metadata or {}, "metadata")
        self._next_ids: dict[str, int] = dict.fromkeys(_ID_PREFIX, 1)
        self._history: History[State, JourneyChange] = History(name="journey", error=JourneyError)
        self._counters: list[weakref.WeakMethod[Any] | Callable[..., int]] = []
        self._name_index: dict[str, set[str]] | None = None  # see _names_in
        self._known_ids: set[str] | None = None  # see _take_id
        if lanes is None:
            lanes = [
                Lane("actions", "Actions"),
                Lane("thoughts_feelings", "Thoughts and feelings"),
                Lane("touchpoints", "Touchpoints", "touchpoints"),
                Lane("pain_points", "Pain points"),
                Lane("opportunities", "Opportunities"),
            ]
        self._lanes: list[Lane] = []
        for lane in lanes:
            self._lanes.append(self._make_lane(lane))
        for persona in personas:
            self._personas.append(self._make_persona(persona))
        for kind in _ID_PREFIX:  # never hand out an id the journey already holds
            self._next_ids[kind] = max(self._next_ids[kind], self._min_next(kind))
        self._forget_indexes()

    @property
    def touchpoints(self) -> tuple[Touchpoint, ...]:
        """All touchpoints in journey order (stage by stage)."""
        return tuple(tp for stage in self._stages for tp in stage.touchpoints)

    def to_dict(self) -> dict[str, Any]:
        """The journey as plain JSON-ready data (the file format, ``schema_version`` 1).

        Usage: ``data = journey.to_dict()``
        """
        return {
            "schema_version": SCHEMA_VERSION,
            "title": self._title,
            "scope": self._scope,
            "state": self._state,
            "template": self._template,
            "language": self._language,
            "personas": [
                {
                    "id": p.id,
                    "name": p.name,
                    "description": p.description,
                    "goals": list(p.goals),
                    "needs": list(p.needs),
                    "segment": plain(p.segment),
                }
                for p in self._personas
            ],
            "lanes": [{"id": ln.id, "name": ln.name, "kind": ln.kind} for ln in self._lanes],
            "stages": [
                {
                    "id": st.id,
                    "name": st.name,
                    "description": st.description,
                    "key": st.key,
                    "touchpoints": [
                        {
                            "id": tp.id,
                            "name": tp.name,
                            "channel": tp.channel,
                            "phase": tp.phase,
                            "owner": tp.owner,
                            "description": tp.description,
                        }
                        for tp in st.touchpoints
                    ],
                    "lanes": {lane: list(items) for lane, items in st.lanes.items() if items},
                }
                for st in self._stages
            ],
            "opportunities": [
                {
                    "id": o.id,
                    "text": o.text,
                    "touchpoints": list(o.touchpoints),
                    "impact": o.impact,
                    "effort": o.effort,
                    "notes": o.notes,
                }
                for o in self._opportunities
            ],
            "next_ids": dict(self._next_ids),
            "metadata": copy.deepcopy(self._metadata),
        }

    def _names_in(self, stage: Stage) -> set[str]:
        """The folded touchpoint names of ``stage`` (kept between adds; any other edit,
        undo or redo drops the index and the next add makes it again)."""
        if self._name_index is None:
            self._name_index = {}
        names = self._name_index.get(stage.id)
        if names is None:
            names = self._name_index[stage.id] = {_fold(t.name) for t in stage.touchpoints}
        return names

    def _forget_indexes(self) -> None:
        self._name_index = None
        self._known_ids = None

    def _snapshot(self) -> dict[str, Any]:
        """The whole journey as plain data, without the id counters (an undo state)."""
        data = self.to_dict()
        data.pop("next_ids")
        return data

    def _restore(self, data: Mapping[str, Any] | _Delta, *, snapshot: bool = True) -> None:
        """Go back to a snapshot (or run a delta) of :meth:`_snapshot` / ``_edit_delta``;
        ``snapshot=False``: ``data`` is any :meth:`to_dict`-shaped data (missing optional
        fields take their defaults)."""
        self._forget_indexes()
        if isinstance(data, _Delta):
            with editing():
                data.run(self)
            return
        self._title = data.get("title", "")
        self._scope = data.get("scope", "")
        self._state = data.get("state", "current")
        self._template = data.get("template")
        self._language = data.get("language", "en")
        self._metadata = copy.deepcopy(dict(data.get("metadata") or {}))
        self._lanes = [Lane(ln["id"], ln["name"], ln.get("kind", "text")) for ln in data["lanes"]]
        self._personas = [
            Persona(
                p["id"],
                p["name"],
                p.get("description", ""),
                list(p.get("goals", [])),
                list(p.get("needs", [])),
                copy.deepcopy(dict(p.get("segment") or {})),
            )
            for p in data.get("personas", [])
        ]
        live = {tp.id: tp for stage in self._stages for tp in stage.touchpoints}
        self._stages = [
            Stage(
                st["id"],
                st["name"],
                st.get("description", ""),
                st.get("key"),
                Touchpoint._from_data(st.get("touchpoints", ()), complete=snapshot, reuse=live),
                {lane: list(items) for lane, items in (st.get("lanes") or {}).items() if items},
            )
            for st in data["stages"]
        ]
        self._opportunities = [
            Opportunity(
                o["id"],
                o["text"],
                list(o.get("touchpoints", [])),
                int(o.get("impact", 3)),
                int(o.get("effort", 3)),
                o.get("notes", ""),
            )
            for o in data.get("opportunities", [])
        ]

    def _min_next(self, kind: str) -> int:
        """The smallest counter that cannot collide with an id already in the journey."""
        prefix = _ID_PREFIX[kind]
        ids: list[str] = {
            "stage": [s.id for s in self._stages],
            "touchpoint": [t.id for t in self.touchpoints],
            "opportunity": [o.id for o in self._opportunities],
            "persona": [p.id for p in self._personas],
            "lane": [ln.id for ln in self._lanes],
        }[kind]
        highest = 0
        for ident in ids:
            tail = ident[len(prefix) :]
            if ident.startswith(prefix) and tail.isdigit():
                highest = max(highest, int(tail))
        return highest + 1

    def _take_id(self, kind: str) -> str:
        if self._known_ids is None:
            self._known_ids = self._all_ids()
        existing = self._known_ids
        while True:
            ident = f"{_ID_PREFIX[kind]}{self._next_ids[kind]}"
            self._next_ids[kind] += 1
            if ident not in existing:
                return ident

    def _all_ids(self) -> set[str]:
        ids = {s.id for s in self._stages} | {t.id for t in self.touchpoints}
        ids |= {o.id for o in self._opportunities} | {p.id for p in self._personas}
        return ids | {ln.id for ln in self._lanes}

    def _new_stage(
        self, name: str, *, key: str | None = None, description: str = "", dry_run: bool = False
    ) -> Stage:
        return Stage("" if dry_run else self._take_id("stage"), name, description, key)

    def _insert_stage(self, stage: Stage, position: int) -> None:
        self._stages.insert(position, stage)

    def _make_lane(self, lane: Lane | Mapping[str, Any]) -> Lane:
        if isinstance(lane, Lane):
            lane = {"id": lane.id, "name": lane.name, "kind": lane.kind}
        kind = lane.get("kind", "text")
        if kind not in LANE_KINDS:
            raise JourneyError(f"Unknown lane kind {kind!r}. Use one of: {', '.join(LANE_KINDS)}.")
        name = _clean_name(lane.get("name", ""), "lane")
        ident = lane.get("id") or self._take_id("lane")
        if any(existing.id == ident for existing in self._lanes):
            raise JourneyError(f"Duplicate lane id {ident!r}.")
        return Lane(ident, name, kind)

    def _make_persona(self, data: Persona | Mapping[str, Any], *, take_id: bool = True) -> Persona:
        if isinstance(data, Persona):
            data = {
                "id": data.id,
                "name": data.name,
                "description": data.description,
                "goals": data.goals,
                "needs": data.needs,
                "segment": data.segment,
            }
        allowed = {"id", "name", "description", "goals", "needs", "segment"}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise JourneyError(
                f"Unknown persona field(s) {', '.join(unknown)}. "
                f"Allowed: {', '.join(sorted(allowed))}."
            )
        return Persona(
            data.get("id") or (self._take_id("persona") if take_id else ""),
            _clean_name(data.get("name", ""), "persona"),
            _text(data.get("description"), "The persona description"),
            _text_list(data.get("goals"), "Goals"),
            _text_list(data.get("needs"), "Needs"),
            _segment(data.get("segment")),
        )

    def _check_stage_name(self, name: str, ignore: str | None = None) -> None:
        for stage in self._stages:
            if stage.id != ignore and _fold(stage.name) == _fold(name):
                raise JourneyError(
                    f"There is already a stage named {stage.name!r} ({stage.id}). "
                    "Stage names must be unique; choose another name."
                )

    def _check_touchpoint_name(self, stage: Stage, name: str, ignore: str | None = None) -> None:
        for tp in stage.touchpoints:
            if tp.id != ignore and _fold(tp.name) == _fold(name):
                raise JourneyError(
                    f"Stage {stage.name!r} already has a touchpoint named {tp.name!r} ({tp.id}). "
                    "Touchpoint names must be unique within a stage."
                )

    def _drop_opportunity_links(self, tp_ids: set[str]) -> None:
        for opp in self._opportunities:
            opp.touchpoints = [t for t in opp.touchpoints if t not in tp_ids]

    @staticmethod
    def _clamp(position: int | None, length: int) -> int:
        if position is None:
            return length
        if isinstance(position, bool) or not isinstance(position, int):
            raise JourneyError(f"A position must be a whole number, got {position!r}.")
        if position < 0:
            position += length + 1
        if not 0 <= position <= length:
            raise JourneyError(f"Position {position} is out of range; use 0 to {length}.")
        return position

    def _position(
        self,
        items: Sequence[Any],
        after: Any,
        before: Any,
        resolve: Callable[[Any], Any],
    ) -> int:
        if after is not None and before is not None:
            raise JourneyError("Give either after= or before=, not both.")
        if after is not None:
            return list(items).index(resolve(after)) + 1
        if before is not None:
            return list(items).index(resolve(before))
        return len(items)

    def _target_position(
        self,
        rest: Sequence[Any],
        position: int | None,
        after: Any,
        before: Any,
        resolve: Callable[[Any], Any],
        moving: Any,
    ) -> int:
        given = sum(x is not None for x in (position, after, before))
        if given != 1:
            raise JourneyError("Say where to move it: give one of position, after= or before=.")
        if position is not None:
            if isinstance(position, bool) or not isinstance(position, int):
                raise JourneyError(f"A position must be a whole number, got {position!r}.")
            length = len(rest)
            pos = position + length + 1 if position < 0 else position
            if not 0 <= pos <= length:
                raise JourneyError(f"Position {position} is out of range; use 0 to {length}.")
            return pos
        anchor = resolve(after if after is not None else before)
        if anchor is moving:
            raise JourneyError("Cannot move something relative to itself.")
        index = list(rest).index(anchor)
        return index + 1 if after is not None else index
