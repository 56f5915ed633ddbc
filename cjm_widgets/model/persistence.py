"""Journey files: JSON Schema validation, migration, atomic save and load.

Usage::

    journey.save("checkout.journey.json")
    journey = cjm.Journey.load("checkout.journey.json")

Files are sorted, indented UTF-8 JSON (git-diffable) with a ``schema_version``. Loading checks
the file against ``schema/journey.schema.json`` and the rules a schema cannot express (unique
ids and names, references that exist); every error names the JSON path of the bad field.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema

from cjm_widgets._atomic import atomic_write_text
from cjm_widgets.errors import SchemaError
from cjm_widgets.model.migrations import migrate

if TYPE_CHECKING:
    from cjm_widgets.model.journey import Journey

__all__ = ["dumps", "journey_schema", "load", "prepare", "save"]


@cache
def journey_schema() -> dict[str, Any]:
    """The JSON Schema of journey files (schema version 1).

    Usage: ``journey_schema()["properties"]["state"]``
    """
    text = resources.files("cjm_widgets.model").joinpath("schema", "journey.schema.json")
    return json.loads(text.read_text(encoding="utf-8"))


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(journey_schema())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def _json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def prepare(data: Mapping[str, Any]) -> dict[str, Any]:
    """Migrate ``data`` to the current schema and validate it; raise :class:`SchemaError`
    naming the JSON path of the first problem.

    Usage: ``prepare(json.loads(text))``
    """
    data = migrate(data)
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        raise SchemaError(_explain(error), path=_json_path(error.absolute_path))
    _check_semantics(data)
    return data


def _explain(error: jsonschema.ValidationError) -> str:
    if error.validator == "enum":
        allowed = ", ".join("null" if v is None else str(v) for v in error.validator_value)
        return f"{error.instance!r} is not allowed here; use one of: {allowed}"
    if error.validator == "additionalProperties":
        return f"{error.message}; remove it or check its spelling"
    if error.validator == "pattern" and error.schema.get("pattern", "").startswith("^[A-Za-z"):
        return f"{error.instance!r} is not a valid id (letters, digits, _ . - ; at most 64)"
    if error.validator == "pattern":
        return f"{error.instance!r} must not be blank"
    return error.message


def _check_semantics(data: dict[str, Any]) -> None:
    seen: dict[str, str] = {}

    def unique_id(ident: str, path: str) -> None:
        if ident in seen:
            raise SchemaError(f"the id {ident!r} is used twice (also at {seen[ident]})", path=path)
        seen[ident] = path

    lanes = {}
    for i, lane in enumerate(data["lanes"]):
        unique_id(lane["id"], f"$.lanes[{i}].id")
        lanes[lane["id"]] = lane.get("kind", "text")
    for i, persona in enumerate(data.get("personas", [])):
        unique_id(persona["id"], f"$.personas[{i}].id")
    stage_names: dict[str, int] = {}
    touchpoints: set[str] = set()
    for i, stage in enumerate(data["stages"]):
        unique_id(stage["id"], f"$.stages[{i}].id")
        key = _fold(stage["name"])
        if key in stage_names:
            raise SchemaError(
                f"two stages are named {stage['name']!r} (also $.stages[{stage_names[key]}]); "
                "stage names must be unique",
                path=f"$.stages[{i}].name",
            )
        stage_names[key] = i
        tp_names: dict[str, int] = {}
        for j, tp in enumerate(stage.get("touchpoints", [])):
            unique_id(tp["id"], f"$.stages[{i}].touchpoints[{j}].id")
            touchpoints.add(tp["id"])
            tkey = _fold(tp["name"])
            if tkey in tp_names:
                raise SchemaError(
                    f"stage {stage['name']!r} has two touchpoints named {tp['name']!r}",
                    path=f"$.stages[{i}].touchpoints[{j}].name",
                )
            tp_names[tkey] = j
        for lane_id in stage.get("lanes", {}):
            if lane_id not in lanes:
                raise SchemaError(
                    f"cell for unknown lane {lane_id!r}; lanes: {', '.join(lanes)}",
                    path=f"$.stages[{i}].lanes.{lane_id}",
                )
            if lanes[lane_id] != "text":
                raise SchemaError(
                    f"the lane {lane_id!r} shows touchpoints and holds no text items",
                    path=f"$.stages[{i}].lanes.{lane_id}",
                )
    for i, opp in enumerate(data.get("opportunities", [])):
        unique_id(opp["id"], f"$.opportunities[{i}].id")
        for j, tp_id in enumerate(opp.get("touchpoints", [])):
            if tp_id not in touchpoints:
                raise SchemaError(
                    f"opportunity {opp['text']!r} refers to touchpoint {tp_id!r}, which does "
                    "not exist",
                    path=f"$.opportunities[{i}].touchpoints[{j}]",
                )


def dumps(data: Mapping[str, Any]) -> str:
    """Sorted, indented JSON text with a final newline (stable for git diffs).

    Usage: ``dumps(journey.to_dict())``
    """
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def save(journey: Journey, path: str | os.PathLike[str]) -> Path:
    """Write ``journey`` to ``path`` atomically (temporary file, fsync, rename).

    Usage: ``save(journey, "checkout.journey.json")``
    """
    return atomic_write_text(path, journey.to_json())


def load(path: str | os.PathLike[str]) -> Journey:
    """Read and validate a journey file; the file itself is never modified.

    Usage: ``journey = load("checkout.journey.json")``
    """
    from cjm_widgets.model.journey import Journey

    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"No journey file at {file} (looked in {file.resolve().parent}).")
    text = file.read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise SchemaError(
            f"not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}",
            path="$",
            file=str(file),
        ) from None
    try:
        return Journey.from_dict(data)
    except SchemaError as err:
        message = str(err.args[0]) if err.args else str(err)
        message = message.rsplit(f" (at {err.path})", 1)[0]
        raise SchemaError(message, path=err.path, file=str(file)) from None
