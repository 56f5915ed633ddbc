"""Upgrades of older journey files to the current schema version.

``MIGRATIONS[v]`` turns version ``v`` data into version ``v + 1``. Version 0 is a journey
written by hand or by an early draft: no ``schema_version``, stages and touchpoints given as
plain names or objects without ids. Usage::

    migrate({"title": "Checkout", "stages": ["Browse", {"name": "Pay", "touchpoints": ["Card"]}]})
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from cjm_widgets.errors import SchemaError

__all__ = ["MIGRATIONS", "migrate"]

_DEFAULT_LANES = [
    {"id": "actions", "name": "Actions", "kind": "text"},
    {"id": "thoughts_feelings", "name": "Thoughts and feelings", "kind": "text"},
    {"id": "touchpoints", "name": "Touchpoints", "kind": "touchpoints"},
    {"id": "pain_points", "name": "Pain points", "kind": "text"},
    {"id": "opportunities", "name": "Opportunities", "kind": "text"},
]


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    counters = {"stage": 1, "touchpoint": 1, "opportunity": 1, "persona": 1, "lane": 1}

    def take(kind: str, prefix: str) -> str:
        ident = f"{prefix}{counters[kind]}"
        counters[kind] += 1
        return ident

    def named(item: Any, where: str) -> dict[str, Any]:
        if isinstance(item, str):
            return {"name": item}
        if isinstance(item, Mapping):
            return dict(item)
        raise SchemaError(
            f"expected a name or an object, got {type(item).__name__} {item!r}", path=where
        )

    out: dict[str, Any] = {
        "schema_version": 1,
        "title": data.get("title", "Untitled journey"),
        "scope": data.get("scope", data.get("goal", "")),
        "state": data.get("state", "current"),
        "template": data.get("template"),
        "language": data.get("language", "en"),
        "metadata": data.get("metadata", {}),
        "lanes": [],
        "personas": [],
        "stages": [],
        "opportunities": [],
    }
    lanes = data.get("lanes", copy.deepcopy(_DEFAULT_LANES))
    for index, lane in enumerate(lanes):
        lane = named(lane, f"$.lanes[{index}]")
        lane.setdefault("kind", "touchpoints" if lane.get("id") == "touchpoints" else "text")
        lane.setdefault("id", take("lane", "lane"))
        out["lanes"].append(lane)
    personas = data.get("personas", [])
    if "persona" in data:
        personas = [data["persona"], *personas]
    for index, persona in enumerate(personas):
        persona = named(persona, f"$.personas[{index}]")
        persona.setdefault("id", take("persona", "p"))
        out["personas"].append(persona)
    touchpoint_ids: dict[str, str] = {}
    for s_index, stage in enumerate(data.get("stages", [])):
        stage = named(stage, f"$.stages[{s_index}]")
        stage.setdefault("id", take("stage", "s"))
        tps = []
        for t_index, tp in enumerate(stage.get("touchpoints", [])):
            tp = named(tp, f"$.stages[{s_index}].touchpoints[{t_index}]")
            tp.setdefault("id", take("touchpoint", "t"))
            if isinstance(tp.get("name"), str):
                touchpoint_ids.setdefault(tp["name"], tp["id"])
            tps.append(tp)
        stage["touchpoints"] = tps
        out["stages"].append(stage)
    for index, opp in enumerate(data.get("opportunities", [])):
        opp = named(opp, f"$.opportunities[{index}]")
        if "text" not in opp and "name" in opp:
            opp["text"] = opp.pop("name")
        opp.setdefault("id", take("opportunity", "o"))
        opp["touchpoints"] = [touchpoint_ids.get(t, t) for t in opp.get("touchpoints", [])]
        out["opportunities"].append(opp)
    out["next_ids"] = counters
    return out


#: version → function upgrading data of that version by one version.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1}


def migrate(data: Mapping[str, Any], current: int | None = None) -> dict[str, Any]:
    """Upgrade journey data to the current schema version (the input is not modified).

    Usage: ``migrate(json.loads(text))``
    """
    from cjm_widgets.model.journey import SCHEMA_VERSION

    target = SCHEMA_VERSION if current is None else current
    if not isinstance(data, Mapping):
        raise SchemaError(f"a journey is a JSON object, got {type(data).__name__}", path="$")
    version = data.get("schema_version", 0)
    if isinstance(version, bool) or not isinstance(version, int):
        raise SchemaError(
            f"schema_version must be a whole number, got {version!r}", path="$.schema_version"
        )
    if version > target:
        raise SchemaError(
            f"this journey was written by a newer cjm-widgets (schema {version}); this version "
            f"reads schema versions up to {target}. Upgrade cjm-widgets to open it",
            path="$.schema_version",
        )
    if version < 0:
        raise SchemaError(f"schema_version {version} does not exist", path="$.schema_version")
    result = copy.deepcopy(dict(data))
    while version < target:
        result = MIGRATIONS[version](result)
        version += 1
        result["schema_version"] = version
    return result
