"""The Journey: stages, touchpoints, lanes, personas and opportunities, edited with undo.

Usage::

    import cjm_widgets as cjm

    journey = cjm.Journey.from_template("current_state", stages="seven_stage", language="fi")
    journey.add_touchpoint("Harkinta", "Hintavertailu", channel="web")
    journey.undo()

Every edit is validated first and changes nothing when rejected; every accepted edit is one
undo step and is delivered to the callbacks registered with :meth:`Journey.observe`.
Stages, touchpoints and opportunities have stable short ids (``s3``, ``t12``, ``o2``) that are
never reused, so anything that refers to an id survives renames and moves.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import difflib
import os
import unicodedata
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cjm_widgets._text import check_text
from cjm_widgets.errors import JourneyError, NotFoundError
from cjm_widgets.model import idempotent as _idem
from cjm_widgets.model.entities import (
    CHANNELS,
    LANE_KINDS,
    PHASES,
    STATES,
    JourneyChange,
    Lane,
    Opportunity,
    Persona,
    Stage,
    Touchpoint,
)

__all__ = ["SCHEMA_VERSION", "Journey", "Removal"]

#: The version of the journey file format written by :meth:`Journey.to_dict`.
SCHEMA_VERSION = 1

MAX_NAME_LENGTH = 500

_UNSET: Any = object()

_CHANNEL_ALIASES = {
    "website": "web",
    "online": "web",
    "app": "mobile app",
    "mobile": "mobile app",
    "mobileapp": "mobile app",
    "social media": "social",
    "e-mail": "email",
    "mail": "email",
    "telephone": "phone",
    "call": "phone",
    "call center": "phone",
    "live chat": "chat",
    "store": "in store",
    "instore": "in store",
    "shop": "in store",
    "inperson": "in person",
    "face to face": "in person",
    "letter": "print",
}

_PHASE_ALIASES = {
    "pre purchase": "pre-purchase",
    "prepurchase": "pre-purchase",
    "before purchase": "pre-purchase",
    "post purchase": "post-purchase",
    "postpurchase": "post-purchase",
    "after purchase": "post-purchase",
}

_ID_PREFIX = {"stage": "s", "touchpoint": "t", "opportunity": "o", "persona": "p", "lane": "lane"}


@dataclass(frozen=True)
class _Delta:
    """One side of an undo step recorded as an operation (see ``Journey._edit_delta``):
    insert the touchpoint of ``fields`` into a stage at ``index``, or remove it (by ids, so
    it holds no reference to the journey: it pickles and deep-copies with it)."""

    op: str  # "insert" | "remove"
    stage_id: str
    index: int
    fields: dict[str, Any]

    def run(self, journey: Journey) -> None:
        stage = journey.stage(self.stage_id)
        if self.op == "insert":
            stage.touchpoints.insert(self.index, Touchpoint(**self.fields))
        else:
            tp_id = self.fields["id"]
            stage.touchpoints[:] = [t for t in stage.touchpoints if t.id != tp_id]


Observer = Callable[[JourneyChange], None]
ReferenceCounter = Callable[[frozenset[str], frozenset[str]], int]


@dataclass(frozen=True)
class Removal:
    """What a removal took away, returned by ``remove_stage`` / ``remove_touchpoint``.

    ``evidence_rows`` counts the evidence rows tagged to the removed stage or touchpoints (from
    every :class:`~cjm_widgets.Evidence` linked to this journey). Those tags are kept, not
    lost: move them with ``evidence.move_tags(...)`` or bring the stage back with ``undo()``.
    """

    stage_ids: tuple[str, ...]
    touchpoint_ids: tuple[str, ...]
    evidence_rows: int = 0


def _fold(text: str) -> str:
    """Case- and accent-insensitive key for matching names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def _choice_key(value: str) -> str:
    return " ".join(value.replace("_", " ").replace("-", " ").split()).casefold()


def _clean_name(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise JourneyError(f"The {what} name must be text, got {type(value).__name__} {value!r}.")
    check_text(value, f"The {what} name")
    name = " ".join(value.split()) if "\n" not in value else value.strip()
    if not name:
        raise JourneyError(f"The {what} name is empty. Give the {what} a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise JourneyError(
            f"The {what} name is {len(name)} characters long; keep it under "
            f"{MAX_NAME_LENGTH} (put longer text in the description)."
        )
    return name


def _text(value: object, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise JourneyError(f"{what} must be text, got {type(value).__name__} {value!r}.")
    return check_text(value, what)


def _text_list(value: object, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        raise JourneyError(f"{what} must be a list of text, got {type(value).__name__}.")
    items: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise JourneyError(
                f"{what} must be a list of text; item {item!r} is {type(item).__name__}."
            )
        items.append(check_text(item, f"{what} item {len(items) + 1}"))
    return items


def normalize_channel(channel: object) -> str:
    """Return the canonical channel name for ``channel`` (``"Mobile"`` → ``"mobile app"``).

    Usage: ``normalize_channel("E-mail")  # "email"``
    """
    if isinstance(channel, str):
        key = _choice_key(channel)
        for known in CHANNELS:
            if key == _choice_key(known):
                return known
        alias = _CHANNEL_ALIASES.get(key) or _CHANNEL_ALIASES.get(key.replace(" ", ""))
        if alias:
            return alias
    raise JourneyError(f"Unknown channel {channel!r}. Use one of: {', '.join(CHANNELS)}.")


def normalize_phase(phase: object) -> str | None:
    """Return the canonical phase (``"Pre purchase"`` → ``"pre-purchase"``) or None.

    Usage: ``normalize_phase("post purchase")  # "post-purchase"``
    """
    if phase is None or phase == "":
        return None
    if isinstance(phase, str):
        key = _choice_key(phase)
        for known in PHASES:
            if key == _choice_key(known):
                return known
        if key in _PHASE_ALIASES:
            return _PHASE_ALIASES[key]
    raise JourneyError(
        f"Unknown phase {phase!r}. Use one of: {', '.join(PHASES)} (or None for no phase)."
    )


def _plain_json(value: object, what: str) -> dict[str, Any]:
    """``value`` as plain JSON data (tuples become lists); reject what JSON cannot hold."""
    import json

    if not isinstance(value, Mapping):
        raise JourneyError(f"{what} must be a mapping, got {type(value).__name__}.")
    try:
        return json.loads(json.dumps(dict(value), allow_nan=False))
    except (TypeError, ValueError) as err:
        raise JourneyError(
            f"{what} must hold only JSON data (text, numbers, booleans, None, lists, "
            f"mappings): {err}"
        ) from None


def _score(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise JourneyError(f"{what} must be a whole number from 1 to 5, got {value!r}.")
    if isinstance(value, float) and not value.is_integer():
        raise JourneyError(f"{what} must be a whole number from 1 to 5, got {value!r}.")
    score = int(value)
    if not 1 <= score <= 5:
        raise JourneyError(f"{what} must be from 1 to 5, got {score}.")
    return score


def _state(value: object) -> str:
    if isinstance(value, str) and value.strip().casefold() in STATES:
        return value.strip().casefold()
    raise JourneyError(f"Unknown journey state {value!r}. Use one of: {', '.join(STATES)}.")


def _segment(value: object) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise JourneyError(
            f"A persona's segment must be a mapping of column to value(s), e.g. "
            f"{{'Class': 'Business'}}; got {type(value).__name__}."
        )
    segment: dict[str, Any] = {}
    for column, wanted in value.items():
        if not isinstance(column, str) or not column:
            raise JourneyError(f"Segment columns must be non-empty text, got {column!r}.")
        if isinstance(wanted, list | tuple | set | frozenset):
            values = list(wanted)
        else:
            values = [wanted]
        for item in values:
            if not (item is None or isinstance(item, str | int | float | bool)):
                raise JourneyError(
                    f"Segment value {item!r} for {column!r} must be text, a number or a boolean."
                )
        segment[column] = values if len(values) != 1 else values[0]
    return segment


class Journey:
    """A customer journey map: persona(s), scope, stages with touchpoints, lanes, opportunities.

    Build one from a template (:meth:`from_template`), from a dict or file (:meth:`from_dict`,
    :meth:`load`), or from scratch::

        journey = cjm.Journey(title="First grocery order", scope="From ad to first delivery")
        journey.add_stage("Discover")

    Name stages and touchpoints by id or by name in every method. Edits are undoable
    (:meth:`undo`, :meth:`redo`) and observable (:meth:`observe`).
    """

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
        self._observers: list[Observer] = []
        self._counters: list[weakref.WeakMethod[Any] | Callable[..., int]] = []
        self._undo_stack: list[tuple[dict[str, Any], dict[str, Any], JourneyChange]] = []
        self._redo_stack: list[tuple[dict[str, Any], dict[str, Any], JourneyChange]] = []
        self._name_index: dict[str, set[str]] | None = None  # see _names_in
        self._known_ids: set[str] | None = None  # see _take_id
        self._batch_depth = 0
        self._batch_before: dict[str, Any] | None = None
        self._batch_changes: list[JourneyChange] = []
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

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_template(
        cls,
        template: str = "current_state",
        stages: str | Sequence[str] | None = None,
        language: str = "en",
        **fields: Any,
    ) -> Journey:
        """A journey laid out from a template, with labels in one of five languages.

        ``template`` is ``current_state``, ``future_state``, ``day_in_the_life`` or
        ``service_blueprint``; ``stages`` a preset (``five_stage``, ``seven_stage`` …) or
        your own list of stage names; ``language`` one of ``en fi sv pl ms``. ``fields`` sets
        ``title``, ``scope``, ``persona`` (a name or a dict), ``personas``, ``state``,
        ``metadata``. See :func:`cjm_widgets.templates` for what exists.

        Usage: ``cjm.Journey.from_template("current_state", stages="seven_stage", language="fi")``
        """
        from cjm_widgets.model.templates import labels, template_spec

        allowed = {"title", "scope", "persona", "personas", "state", "metadata"}
        unknown = sorted(set(fields) - allowed)
        if unknown:
            raise JourneyError(
                f"Unknown argument(s) {', '.join(unknown)} for Journey.from_template. "
                f"Allowed: template, stages, language, {', '.join(sorted(allowed))}."
            )
        spec = template_spec(template, stages=stages, language=language)
        personas: list[Any] = list(fields.get("personas") or [])
        if fields.get("persona") is not None:
            persona = fields["persona"]
            personas.insert(0, {"name": persona} if isinstance(persona, str) else persona)
        title = fields.get("title")
        if title is None:
            title = labels(spec.language)["templates"][spec.template]["name"]
        journey = cls(
            title=title,
            scope=fields.get("scope", ""),
            state=fields.get("state", spec.state),
            template=spec.template,
            language=spec.language,
            personas=personas,
            lanes=[Lane(lane.id, lane.name, lane.kind) for lane in spec.lanes],
            metadata=fields.get("metadata"),
        )
        for name, key in zip(spec.stages, spec.stage_keys, strict=True):
            clean = _clean_name(name, "stage")
            journey._check_stage_name(clean)
            journey._insert_stage(journey._new_stage(clean, key=key), len(journey._stages))
        return journey

    # ------------------------------------------------------------------ plain fields
    @property
    def title(self) -> str:
        """The map's title. Setting it is an undoable edit."""
        return self._title

    @title.setter
    def title(self, value: str) -> None:
        self.update(title=value)

    @property
    def scope(self) -> str:
        """The scope or goal of the map (what part of the experience it covers and why)."""
        return self._scope

    @scope.setter
    def scope(self, value: str) -> None:
        self.update(scope=value)

    @property
    def state(self) -> str:
        """``"current"`` (how it is) or ``"future"`` (how it should be)."""
        return self._state

    @state.setter
    def state(self, value: str) -> None:
        self.update(state=value)

    @property
    def template(self) -> str | None:
        """The template the journey was made from, if any."""
        return self._template

    @property
    def language(self) -> str:
        """Language code of the template labels (``en``, ``fi``, ``sv``, ``pl``, ``ms``)."""
        return self._language

    @property
    def metadata(self) -> dict[str, Any]:
        """A copy of the free-form metadata (set with :meth:`update`)."""
        return copy.deepcopy(self._metadata)

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The stages in journey order (read-only view; edit through the journey)."""
        return tuple(self._stages)

    @property
    def lanes(self) -> tuple[Lane, ...]:
        """The lanes (rows of the map) in order."""
        return tuple(self._lanes)

    @property
    def personas(self) -> tuple[Persona, ...]:
        """The personas; the first is the map's main persona."""
        return tuple(self._personas)

    @property
    def persona(self) -> Persona | None:
        """The main persona, or None."""
        return self._personas[0] if self._personas else None

    @property
    def opportunities(self) -> tuple[Opportunity, ...]:
        """The opportunities in the order they were added."""
        return tuple(self._opportunities)

    @property
    def touchpoints(self) -> tuple[Touchpoint, ...]:
        """All touchpoints in journey order (stage by stage)."""
        return tuple(tp for stage in self._stages for tp in stage.touchpoints)

    def update(
        self,
        *,
        title: str = _UNSET,
        scope: str = _UNSET,
        state: str = _UNSET,
        metadata: Mapping[str, Any] = _UNSET,
    ) -> None:
        """Change the title, scope, state or metadata in one undoable edit.

        Usage: ``journey.update(title="Checkout", scope="Web shop, first order")``
        """
        new_title = self._title if title is _UNSET else _text(title, "The title")
        new_scope = self._scope if scope is _UNSET else _text(scope, "The scope")
        new_state = self._state if state is _UNSET else _state(state)
        new_meta = self._metadata if metadata is _UNSET else _plain_json(metadata, "metadata")

        def apply() -> None:
            self._title, self._scope, self._state = new_title, new_scope, new_state
            self._metadata = copy.deepcopy(new_meta)

        self._edit(JourneyChange("journey_updated"), apply)

    # ------------------------------------------------------------------ lookups
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
        if new["name"] != tp.name:
            self._check_touchpoint_name(st, new["name"], ignore=tp.id)
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
        from cjm_widgets.model.templates import lane_spec

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
                    apply_update=lambda fields, ln=existing: self._update_lane(ln, fields),
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
                    apply_update=lambda fields, p=same: self.update_persona(p, **fields),
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
                    apply_update=lambda fields, o=same: self.update_opportunity(o, **fields),
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

    # ------------------------------------------------------------------ undo / batches
    @property
    def can_undo(self) -> bool:
        """True when there is an edit to undo."""
        return bool(self._undo_stack)

    @property
    def can_redo(self) -> bool:
        """True when there is an undone edit to redo."""
        return bool(self._redo_stack)

    def undo(self) -> JourneyChange | None:
        """Undo the last edit (or batch); returns what was undone, or None when nothing is left.

        Usage: ``journey.undo()``
        """
        if self._batch_depth:
            raise JourneyError("Cannot undo inside a batch; finish the batch first.")
        if not self._undo_stack:
            return None
        before, after, change = self._undo_stack.pop()
        self._restore(before)
        self._redo_stack.append((before, after, change))
        event = JourneyChange("undo", change.ids, {"change": change.kind, **change.detail})
        self._emit(event)
        return change

    def redo(self) -> JourneyChange | None:
        """Redo the last undone edit; returns it, or None when there is nothing to redo.

        Usage: ``journey.redo()``
        """
        if self._batch_depth:
            raise JourneyError("Cannot redo inside a batch; finish the batch first.")
        if not self._redo_stack:
            return None
        before, after, change = self._redo_stack.pop()
        self._restore(after)
        self._undo_stack.append((before, after, change))
        self._emit(JourneyChange("redo", change.ids, {"change": change.kind, **change.detail}))
        return change

    @contextlib.contextmanager
    def batch(self, label: str = "batch") -> Iterator[Journey]:
        """Group several edits into one undo step; if any edit fails, all are rolled back.

        Usage::

            with journey.batch("add delivery"):
                journey.add_stage("Delivery")
                journey.add_touchpoint("Delivery", "Courier", channel="in person")
        """
        outer = self._batch_depth == 0
        if outer:
            self._batch_before = self._snapshot()
            self._batch_changes = []
        self._batch_depth += 1
        try:
            yield self
        except BaseException:
            self._batch_depth -= 1
            if outer:
                before = self._batch_before
                assert before is not None
                self._batch_before = None
                self._restore(before)
                changes, self._batch_changes = self._batch_changes, []
                if changes:
                    ids = tuple(dict.fromkeys(i for c in changes for i in c.ids))
                    self._emit(JourneyChange("reverted", ids, {"label": label}))
            raise
        self._batch_depth -= 1
        if outer:
            before = self._batch_before
            assert before is not None
            self._batch_before = None
            changes, self._batch_changes = self._batch_changes, []
            if changes:
                ids = tuple(dict.fromkeys(i for c in changes for i in c.ids))
                summary = JourneyChange(
                    "batch", ids, {"label": label, "changes": [c.kind for c in changes]}
                )
                self._undo_stack.append((before, self._snapshot(), summary))
                self._redo_stack.clear()

    def replace(self, other: Journey) -> None:
        """Make this journey a copy of ``other``, in place, as one undo step: open views
        follow, and ``journey.undo()`` brings the previous content back. Ids of ``other``
        are kept; new ids never reuse an id either journey has given.

        Usage: ``journey.replace(cjm.Journey.load("checkout.journey.json"))``
        """
        if not isinstance(other, Journey):
            raise TypeError(f"replace() takes a Journey, got {type(other).__name__}.")
        if self._batch_depth:
            raise JourneyError("Cannot replace a journey inside a batch; finish the batch first.")
        data = other._snapshot()
        counters = dict(other._next_ids)

        def apply() -> None:
            self._restore(data)
            for kind, value in counters.items():
                self._next_ids[kind] = max(self._next_ids.get(kind, 1), value)

        self._edit(JourneyChange("replaced", (), {"title": other.title}), apply)

    # ------------------------------------------------------------------ observing
    def observe(self, callback: Observer) -> Observer:
        """Call ``callback(change)`` after every edit, undo and redo; returns the callback.

        Stop with :meth:`unobserve`. A callback that raises does not undo the edit; its error
        is reported as a warning.

        Usage: ``journey.observe(lambda change: print(change.kind, change.ids))``
        """
        if not callable(callback):
            raise JourneyError(f"observe() needs a callable, got {callback!r}.")
        self._observers.append(callback)
        return callback

    def unobserve(self, callback: Observer) -> None:
        """Stop delivering changes to ``callback`` (no error if it was not observing).

        Usage: ``journey.unobserve(my_callback)``
        """
        self._observers = [cb for cb in self._observers if cb != callback]

    def __getstate__(self) -> dict[str, Any]:
        """Pickle and deepcopy: the copy has no observers and no reference counters (they are
        callbacks of widgets and stores bound to this object). A linked Evidence copied with
        it registers itself again on the copy (see ``Evidence.__setstate__``)."""
        state = self.__dict__.copy()
        state["_observers"] = []
        state["_counters"] = []
        return state

    def add_reference_counter(self, counter: ReferenceCounter) -> None:
        """Register ``counter(stage_ids, touchpoint_ids) -> rows`` so removals report how many
        evidence rows were tagged to what they removed. Bound methods are held weakly.

        Usage: ``journey.add_reference_counter(evidence.count_tagged)``
        """
        if hasattr(counter, "__self__") and hasattr(counter, "__func__"):
            self._counters.append(weakref.WeakMethod(counter))
        else:
            self._counters.append(counter)

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

    def remove_reference_counter(self, counter: Callable[..., int]) -> None:
        """Undo :meth:`add_reference_counter`."""
        kept: list[Any] = []
        for entry in self._counters:
            fn = entry() if isinstance(entry, weakref.WeakMethod) else entry
            if fn is not None and fn != counter:
                kept.append(entry)
        self._counters = kept

    # ------------------------------------------------------------------ persistence
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
                    "segment": copy.deepcopy(p.segment),
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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, validate: bool = True) -> Journey:
        """A journey from :meth:`to_dict` data; older schema versions are migrated first and
        the data is validated against the JSON schema (errors name the JSON path).

        Usage: ``cjm.Journey.from_dict(json.loads(text))``
        """
        if validate:
            from cjm_widgets.model.persistence import prepare

            data = prepare(data)
        journey = cls(
            title=data.get("title", ""),
            scope=data.get("scope", ""),
            state=data.get("state", "current"),
            template=data.get("template"),
            language=data.get("language", "en"),
            lanes=[Lane(ln["id"], ln["name"], ln.get("kind", "text")) for ln in data["lanes"]],
            metadata=data.get("metadata") or {},
        )
        journey._restore(data)
        counters = data.get("next_ids") or {}
        for kind in _ID_PREFIX:
            journey._next_ids[kind] = max(
                int(counters.get(kind, 1)), journey._next_ids[kind], journey._min_next(kind)
            )
        return journey

    def to_json(self) -> str:
        """The journey as sorted, indented, git-diffable JSON text.

        Usage: ``Path("map.journey.json").write_text(journey.to_json())``
        """
        from cjm_widgets.model.persistence import dumps

        return dumps(self.to_dict())

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the journey to a JSON file atomically (a crash never leaves half a file).

        Usage: ``journey.save("checkout.journey.json")``
        """
        from cjm_widgets.model.persistence import save

        save(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Journey:
        """Read a journey file written by :meth:`save` (validated; older versions migrated).

        Usage: ``journey = cjm.Journey.load("checkout.journey.json")``
        """
        from cjm_widgets.model.persistence import load

        return load(path)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        template: str = "current_state",
        stages: str | Sequence[str] | None = None,
        language: str = "en",
        *,
        delay: float = 0.5,
        **fields: Any,
    ) -> Journey:
        """Load the journey in ``path``, or create it there from the template arguments (those
        of :meth:`from_template`); every later edit is saved to that file. When the file
        exists it wins over the arguments (a warning names any that differ). Details:
        :mod:`cjm_widgets.model.open`.

        Usage: ``journey = cjm.Journey.open("work/x.journey.json", stages="seven_stage")``
        """
        from cjm_widgets.model.open import open_journey

        return open_journey(
            cls, path, template, stages=stages, language=language, delay=delay, **fields
        )

    def copy(self) -> Journey:
        """An independent copy (no observers, no undo history).

        Usage: ``future = journey.copy(); future.state = "future"``
        """
        return type(self).from_dict(self.to_dict(), validate=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Journey):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        n_tp = sum(len(st.touchpoints) for st in self._stages)
        return (
            f"Journey({self._title!r}, state={self._state!r}, stages={len(self._stages)}, "
            f"touchpoints={n_tp}, lanes={len(self._lanes)})"
        )

    # ------------------------------------------------------------------ views
    def to_frame(self) -> Any:
        """The map as a pandas DataFrame: one row per lane, one column per stage.

        Usage: ``journey.to_frame()``
        """
        from cjm_widgets.model.render import journey_frame

        return journey_frame(self)

    def _repr_html_(self) -> str:
        from cjm_widgets.model.render import journey_html

        return journey_html(self)

    def to_markdown(self) -> str:
        """The map as Markdown (a table of lanes × stages, personas, opportunities); user text
        escaped. For findings from evidence use ``cjm.export.to_markdown(journey, ev)``.

        Usage: ``Path("map.md").write_text(journey.to_markdown())``
        """
        from cjm_widgets.model.markdown import journey_markdown

        return journey_markdown(self)

    def to_mermaid(
        self, scores: Any = None, *, series: str | None = None, title: str | None = None
    ) -> str:
        """A Mermaid ``journey`` diagram: stages as sections, touchpoints as tasks scored 0–5.

        ``scores``: touchpoint → emotion −2..+2, or an ``emotion_curve`` frame (``series``
        picks one); else the scores read by :meth:`from_mermaid`, else a neutral 3. For scores
        from evidence (one diagram per series with ``by=``) use
        ``cjm.export.to_mermaid(journey, ev, by=...)``.

        Usage: ``print(journey.to_mermaid(cjm.emotion_curve(journey, ev)))``
        """
        from cjm_widgets.model.mermaid import journey_to_mermaid

        return journey_to_mermaid(self, scores, series=series, title=title)

    @classmethod
    def from_mermaid(cls, text: str) -> Journey:
        """A journey from a Mermaid ``journey`` diagram (sections → stages, tasks →
        touchpoints, actors → personas); a malformed line raises JourneyError with its number.

        Usage: ``journey = cjm.Journey.from_mermaid(Path("map.mmd").read_text())``
        """
        from cjm_widgets.model.mermaid import journey_from_mermaid

        return journey_from_mermaid(text, cls)

    # ------------------------------------------------------------------ internals
    def _edit(
        self,
        change: JourneyChange,
        apply: Callable[[], None],
        ids: Callable[[], tuple[str, ...]] | None = None,
    ) -> None:
        """Apply one validated edit as an undo step; restore everything if it fails."""
        before = self._snapshot()
        counters = dict(self._next_ids)
        try:
            apply()
        except BaseException:
            self._restore(before)
            self._next_ids = counters
            raise
        finally:
            self._forget_indexes()
        if ids is not None:
            change = JourneyChange(change.kind, ids() + change.ids, change.detail)
        if self._batch_depth:
            self._batch_changes.append(change)
        else:
            self._undo_stack.append((before, self._snapshot(), change))
            self._redo_stack.clear()
        self._emit(change)

    def _emit(self, change: JourneyChange) -> None:
        for callback in list(self._observers):
            try:
                callback(change)
            except Exception as exc:  # an observer must not break the edit
                warnings.warn(
                    f"A journey observer ({getattr(callback, '__qualname__', callback)!r}) "
                    f"failed on {change.kind!r}: {type(exc).__name__}: {exc}",
                    RuntimeWarning,
                    stacklevel=3,
                )

    def _edit_delta(self, change: JourneyChange, *, undo: _Delta, redo: _Delta) -> None:
        """Record an edit already applied as an undo step of its own inverse (``undo`` /
        ``redo``, by ids) instead of two snapshots of the whole journey: an add stays O(1)."""
        if self._batch_depth:
            self._batch_changes.append(change)
        else:
            self._undo_stack.append((undo, redo, change))  # type: ignore[arg-type]
            self._redo_stack.clear()
        self._emit(change)

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
        data = self.to_dict()
        data.pop("next_ids")
        return data

    def _restore(self, data: Mapping[str, Any] | _Delta) -> None:
        self._forget_indexes()
        if isinstance(data, _Delta):
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
        self._stages = [
            Stage(
                st["id"],
                st["name"],
                st.get("description", ""),
                st.get("key"),
                [
                    Touchpoint(
                        tp["id"],
                        tp["name"],
                        tp.get("channel", "other"),
                        tp.get("phase"),
                        tp.get("owner", ""),
                        tp.get("description", ""),
                    )
                    for tp in st.get("touchpoints", [])
                ],
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

    def _touchpoint_ids(self, refs: str | Touchpoint | Sequence[str | Touchpoint]) -> list[str]:
        if isinstance(refs, str | Touchpoint):
            refs = [refs]
        ids: list[str] = []
        for ref in refs:
            tp_id = self.touchpoint(ref).id
            if tp_id not in ids:
                ids.append(tp_id)
        return ids

    def _drop_opportunity_links(self, tp_ids: set[str]) -> None:
        for opp in self._opportunities:
            opp.touchpoints = [t for t in opp.touchpoints if t not in tp_ids]

    def _count_references(self, stage_ids: set[str], tp_ids: set[str]) -> int:
        total = 0
        alive: list[Any] = []
        for entry in self._counters:
            fn = entry() if isinstance(entry, weakref.WeakMethod) else entry
            if fn is None:
                continue
            alive.append(entry)
            total += int(fn(frozenset(stage_ids), frozenset(tp_ids)))
        self._counters = alive
        return total

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
