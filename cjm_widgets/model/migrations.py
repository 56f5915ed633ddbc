"""Upgrades of older journey data to the current schema version.

``MIGRATIONS[v]`` turns version ``v`` data into version ``v + 1``; :func:`migrate` applies the
steps from the data's ``schema_version`` up to :data:`~cjm_widgets.model.journey.SCHEMA_VERSION`
and never modifies its input.

Version 0 is a journey written by hand (or by an early draft): no ``schema_version``, stages,
touchpoints, lanes, personas and opportunities given as plain names or as objects without ids,
``persona`` as a single name or object, channels and phases in everyday words. Usage::

    migrate({
        "title": "Checkout",
        "persona": "Busy parent",
        "stages": ["Browse", {"name": "Pay", "touchpoints": ["Card", {"name": "App",
                                                                   "channel": "mobile"}]}],
        "opportunities": [{"text": "Save the card", "touchpoints": ["Card"], "impact": 4}],
    })

Anything a step cannot make sense of is left as it is, so the schema check that follows names
its JSON path.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Mapping
from typing import Any

from cjm_widgets.errors import JourneyError, SchemaError
from cjm_widgets.model._names import SCHEMA_VERSION, _fold, normalize_channel, normalize_phase
from cjm_widgets.model.templates import labels, lane_spec

__all__ = ["MIGRATIONS", "migrate"]

Migration = Callable[[dict[str, Any]], dict[str, Any]]

#: The lanes of a journey that names none (the same as ``Journey(lanes=None)``).
DEFAULT_LANES: tuple[tuple[str, str, str], ...] = (
    ("actions", "Actions", "text"),
    ("thoughts_feelings", "Thoughts and feelings", "text"),
    ("touchpoints", "Touchpoints", "touchpoints"),
    ("pain_points", "Pain points", "text"),
    ("opportunities", "Opportunities", "text"),
)

_PREFIX = {"stage": "s", "touchpoint": "t", "opportunity": "o", "persona": "p", "lane": "lane"}


class _Ids:
    """Hands out fresh ids (``s1``, ``t4`` …) that no object of the data uses already."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.taken: set[str] = set()
        self._collect(data)
        self.counters = dict.fromkeys(_PREFIX, 1)

    def _collect(self, data: Any) -> None:
        for key in ("lanes", "personas", "stages", "opportunities", "touchpoints"):
            items = data.get(key) if isinstance(data, Mapping) else None
            if isinstance(items, list):
                for item in items:
                    if isinstance(item, Mapping):
                        if isinstance(item.get("id"), str):
                            self.taken.add(item["id"])
                        self._collect(item)
        persona = data.get("persona") if isinstance(data, Mapping) else None
        if isinstance(persona, Mapping) and isinstance(persona.get("id"), str):
            self.taken.add(persona["id"])

    def take(self, kind: str) -> str:
        while True:
            ident = f"{_PREFIX[kind]}{self.counters[kind]}"
            self.counters[kind] += 1
            if ident not in self.taken:
                self.taken.add(ident)
                return ident


def _named(item: Any, field: str = "name") -> Any:
    """A name given as plain text becomes ``{field: text}``; an object is copied."""
    if isinstance(item, str):
        return {field: item}
    if isinstance(item, Mapping):
        return dict(item)
    return item  # left for the schema check to report


def _as_list(value: Any) -> Any:
    """A single name or object where a list belongs becomes a one-item list."""
    if isinstance(value, str | Mapping):
        return [value]
    return value


def _v0_lanes(lanes: Any, language: str, ids: _Ids) -> Any:
    """Lanes as vocabulary ids ("pain_points"), vocabulary labels ("Pain points"), own names
    or objects; no lanes given → the default lanes."""
    if lanes is None:
        return [{"id": i, "name": n, "kind": k} for i, n, k in DEFAULT_LANES]
    lanes = _as_list(lanes)
    if not isinstance(lanes, list):
        return lanes
    try:
        vocabulary: dict[str, str] = dict(labels(language)["lanes"])
    except JourneyError:
        vocabulary = dict(labels("en")["lanes"])
    by_label = {_fold(name): key for key, name in vocabulary.items()}
    converted = []
    for lane in lanes:
        if isinstance(lane, str):
            key = lane if lane in vocabulary else by_label.get(_fold(lane))
            if key is not None and key not in ids.taken:
                ids.taken.add(key)
                lane = {"id": key, "name": vocabulary[key]}
        lane = _named(lane)
        if isinstance(lane, dict):
            if "id" not in lane:
                lane["id"] = ids.take("lane")
            if "kind" not in lane:
                known = isinstance(lane["id"], str) and lane["id"] in vocabulary
                lane["kind"] = _lane_kind(lane["id"]) if known else "text"
        converted.append(lane)
    return converted


def _lane_kind(lane_id: str) -> str:
    try:
        return lane_spec(lane_id).kind
    except JourneyError:
        return "text"


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Hand-written journey (no ids, plain names) → schema version 1."""
    ids = _Ids(data)
    out = dict(data)
    out.pop("schema_version", None)
    out["schema_version"] = 1
    if "scope" not in out and isinstance(out.get("goal"), str):
        out["scope"] = out.pop("goal")
    out.setdefault("title", "Untitled journey")
    out.setdefault("scope", "")
    state = out.setdefault("state", "current")
    if isinstance(state, str):
        out["state"] = state.strip().casefold()
    out.setdefault("template", None)
    out.setdefault("language", "en")
    language = out["language"] if isinstance(out["language"], str) else "en"
    if out.get("metadata") is None:
        out["metadata"] = {}

    out["lanes"] = _v0_lanes(out.get("lanes"), language, ids)
    lane_ids: dict[str, str] = {}
    if isinstance(out["lanes"], list):
        for lane in out["lanes"]:
            if isinstance(lane, Mapping) and isinstance(lane.get("id"), str):
                lane_ids[lane["id"]] = lane["id"]
                if isinstance(lane.get("name"), str):
                    lane_ids.setdefault(_fold(lane["name"]), lane["id"])

    # personas: "persona" (a name or an object) comes first, then "personas"
    personas = _as_list(out.pop("personas", None))
    if personas is None:
        personas = []
    if "persona" in out:
        persona = out.pop("persona")
        if isinstance(personas, list) and persona is not None:
            personas = [persona, *personas]
    if isinstance(personas, list):
        converted = []
        for persona in personas:
            persona = _named(persona)
            if isinstance(persona, dict):
                if "id" not in persona:
                    persona["id"] = ids.take("persona")
                persona.setdefault("description", "")
                for key in ("goals", "needs"):
                    persona[key] = _as_list(persona.get(key)) or []
                if persona.get("segment") is None:
                    persona["segment"] = {}
            converted.append(persona)
        personas = converted
    out["personas"] = personas

    # stages with their touchpoints and lane cells
    tp_by_name: dict[str, list[str]] = {}
    tp_by_fold: dict[str, list[str]] = {}
    tp_ids: set[str] = set()
    stages = out.get("stages")
    if isinstance(stages, list):
        converted = []
        for stage in stages:
            stage = _named(stage)
            if isinstance(stage, dict):
                if "id" not in stage:
                    stage["id"] = ids.take("stage")
                stage.setdefault("description", "")
                stage.setdefault("key", None)
                touchpoints = _as_list(stage.get("touchpoints"))
                if touchpoints is None:
                    touchpoints = []
                if isinstance(touchpoints, list):
                    touchpoints = [_v0_touchpoint(tp, ids) for tp in touchpoints]
                    for tp in touchpoints:
                        if not isinstance(tp, dict) or not isinstance(tp.get("id"), str):
                            continue
                        tp_ids.add(tp["id"])
                        if isinstance(tp.get("name"), str):
                            tp_by_name.setdefault(tp["name"], []).append(tp["id"])
                            tp_by_fold.setdefault(_fold(tp["name"]), []).append(tp["id"])
                stage["touchpoints"] = touchpoints
                stage["lanes"] = _v0_cells(stage.get("lanes"), lane_ids)
            converted.append(stage)
        stages = converted
        out["stages"] = stages

    # opportunities: touchpoints named by id or by (unique) name
    opportunities = _as_list(out.get("opportunities"))
    if opportunities is None:
        opportunities = []
    if isinstance(opportunities, list):
        converted = []
        for index, opp in enumerate(opportunities):
            opp = _named(opp, "text")
            if isinstance(opp, dict):
                if "text" not in opp and "name" in opp:
                    opp["text"] = opp.pop("name")
                if "id" not in opp:
                    opp["id"] = ids.take("opportunity")
                refs = _as_list(opp.get("touchpoints"))
                if refs is None:
                    refs = []
                if isinstance(refs, list):
                    refs = [
                        _touchpoint_ref(ref, tp_ids, tp_by_name, tp_by_fold, index, j)
                        for j, ref in enumerate(refs)
                    ]
                opp["touchpoints"] = refs
                opp.setdefault("impact", 3)
                opp.setdefault("effort", 3)
                opp.setdefault("notes", "")
            converted.append(opp)
        opportunities = converted
    out["opportunities"] = opportunities

    out.setdefault("next_ids", ids.counters)
    return out


def _v0_cells(cells: Any, lane_ids: Mapping[str, str]) -> Any:
    """A stage's lane cells keyed by lane id or lane name; one text item may stand alone."""
    if cells is None:
        return {}
    if not isinstance(cells, Mapping):
        return cells
    converted: dict[Any, Any] = {}
    for key, items in cells.items():
        lane = key
        if isinstance(key, str) and key not in lane_ids.values():
            lane = lane_ids.get(_fold(key), key)
        converted[lane] = [items] if isinstance(items, str) else items
    return converted


def _v0_touchpoint(tp: Any, ids: _Ids) -> Any:
    tp = _named(tp)
    if not isinstance(tp, dict):
        return tp
    if "id" not in tp:
        tp["id"] = ids.take("touchpoint")
    if tp.get("channel") is None:
        tp["channel"] = "other"
    # everyday words → canonical values ("Website" → "web", "Pre purchase" → "pre-purchase");
    # a value that means nothing stays, and the schema check names its path and the choices
    with contextlib.suppress(JourneyError):
        tp["channel"] = normalize_channel(tp["channel"])
    with contextlib.suppress(JourneyError):
        tp["phase"] = normalize_phase(tp.get("phase"))
    tp.setdefault("owner", "")
    tp.setdefault("description", "")
    return tp


def _touchpoint_ref(
    ref: Any,
    tp_ids: set[str],
    by_name: dict[str, list[str]],
    by_fold: dict[str, list[str]],
    opp_index: int,
    ref_index: int,
) -> Any:
    """A touchpoint reference by id or name → the touchpoint's id."""
    if not isinstance(ref, str) or ref in tp_ids:
        return ref
    for table, key in ((by_name, ref), (by_fold, _fold(ref))):
        found = table.get(key, [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise SchemaError(
                f"the touchpoint name {ref!r} is in several stages; give the touchpoints ids "
                "and refer to the id",
                path=f"$.opportunities[{opp_index}].touchpoints[{ref_index}]",
            )
    return ref  # unknown: the reference check names it


#: version → function upgrading data of that version by one version.
MIGRATIONS: dict[int, Migration] = {0: _v0_to_v1}


def migrate(data: Mapping[str, Any], current: int | None = None) -> dict[str, Any]:
    """Upgrade journey data to the current schema version (``data`` is not modified).

    Raises :class:`~cjm_widgets.errors.SchemaError` for data that is not an object, a
    ``schema_version`` that is not a whole number, or one newer than this version can read.

    Usage: ``migrate(json.loads(text))``
    """
    target = SCHEMA_VERSION if current is None else current
    if not isinstance(data, Mapping):
        raise SchemaError(
            f"a journey is a JSON object ({{...}}), got {type(data).__name__}", path="$"
        )
    version = data.get("schema_version", 0)
    if isinstance(version, bool) or not isinstance(version, int):
        raise SchemaError(
            f"schema_version must be a whole number such as {target}, got {version!r}",
            path="$.schema_version",
        )
    if version > target:
        raise SchemaError(
            f"this journey was written by a newer cjm-widgets (schema {version}); this version "
            f"reads up to {target} — upgrade cjm-widgets to open it",
            path="$.schema_version",
        )
    if version < 0:
        raise SchemaError(
            f"schema_version {version} does not exist; versions are 0 to {target}",
            path="$.schema_version",
        )
    result = copy.deepcopy(dict(data))
    while version < target:
        step = MIGRATIONS.get(version)
        if step is None:  # pragma: no cover - a gap in MIGRATIONS is a bug, tested below
            raise SchemaError(
                f"no migration from schema {version} to {version + 1}", path="$.schema_version"
            )
        result = step(result)
        version += 1
        result["schema_version"] = version
    return result
