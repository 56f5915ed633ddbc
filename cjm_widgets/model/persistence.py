"""Journey files: migration, JSON Schema validation, atomic save and load.

Usage::

    journey.save("checkout.journey.json")
    journey = cjm.Journey.load("checkout.journey.json")

Files are sorted, indented UTF-8 JSON with a ``schema_version`` (readable and git-diffable).
Loading upgrades older versions (:mod:`~cjm_widgets.model.migrations`), checks the data against
``schema/journey.schema.json`` and the rules a schema cannot express (unique ids and names,
references that exist), and never touches the file. Every error is a
:class:`~cjm_widgets.errors.SchemaError` naming the file and the JSON path of the bad field.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cjm_widgets._atomic import atomic_write_text
from cjm_widgets._text import char_label, find_control
from cjm_widgets.errors import JourneyError, SchemaError
from cjm_widgets.model._names import _fold
from cjm_widgets.model.journey import Journey
from cjm_widgets.model.migrations import migrate

if TYPE_CHECKING:
    import jsonschema

__all__ = ["dumps", "journey_schema", "load", "prepare", "save"]

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


@cache
def _schema_text() -> str:
    package = resources.files("cjm_widgets.model")
    return package.joinpath("schema").joinpath("journey.schema.json").read_text(encoding="utf-8")


def journey_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of journey files, as a fresh dict.

    Usage: ``journey_schema()["properties"]["state"]``
    """
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema


@cache
def _validator() -> jsonschema.Draft202012Validator:
    # imported on first validation only: saving never needs it, and importing jsonschema can
    # take seconds where its optional format checkers (rfc3987-syntax) are installed
    import jsonschema

    schema = journey_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _json_path(parts: Iterable[Any]) -> str:
    """``["stages", 2, "name"]`` → ``$.stages[2].name`` (odd keys as ``['my key']``)."""
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _KEY.match(str(part)):
            path += f".{part}"
        else:
            quoted = str(part).replace("\\", "\\\\").replace("'", "\\'")
            path += f"['{quoted}']"
    return path


def prepare(data: Mapping[str, Any]) -> dict[str, Any]:
    """Migrate ``data`` to the current schema version and validate it.

    Returns new data (``data`` itself is never modified). Raises
    :class:`~cjm_widgets.errors.SchemaError` naming the JSON path of the most relevant problem
    and what is allowed there.

    Usage: ``prepare(json.loads(text))``
    """
    from jsonschema.exceptions import best_match

    data = migrate(data)
    error = best_match(_validator().iter_errors(data))
    if error is not None:
        parts = list(error.absolute_path)
        if "propertyNames" in error.schema_path:
            parts.append(error.instance)  # the bad key itself
        raise SchemaError(_explain(error), path=_json_path(parts))
    _check_semantics(data)
    _check_texts(data, ["$"])
    return data


#: Fields whose text mirrors the evidence or the caller's own data, not text typed into the map.
_FREE_FIELDS = frozenset({"metadata", "segment"})


def _check_texts(value: Any, path: list[str]) -> None:
    """Refuse control characters (as the journey's setters do) in every text of the file but
    the metadata and persona segments, naming the JSON path and the character."""
    if isinstance(value, str):
        at = find_control(value)
        if at >= 0:
            raise SchemaError(
                f"the text holds {char_label(value[at])} at position {at}, a character that "
                "cannot be shown or printed; remove it from the file",
                path="".join(path),
            )
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in _FREE_FIELDS:
                _check_texts(item, [*path, _json_path([key])[1:]])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_texts(item, [*path, f"[{index}]"])


def _explain(error: jsonschema.ValidationError) -> str:
    """A message for people editing the file: what is wrong and what is allowed."""
    value, schema, kind = error.instance, error.schema, error.validator
    if kind == "enum":
        choices = ", ".join("null" if v is None else str(v) for v in error.validator_value)
        return f"{value!r} is not allowed here; use one of: {choices}"
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(value) - set(allowed)) if isinstance(value, Mapping) else []
        hints = [difflib.get_close_matches(key, allowed, n=1) for key in extra]
        did_you_mean = "".join(f" (did you mean {hint[0]!r}?)" for hint in hints if hint)
        return (
            f"unknown field(s) {', '.join(map(repr, extra))}{did_you_mean}; "
            f"allowed: {', '.join(allowed)}"
        )
    if kind == "required":
        return f"{error.message.split(' is a required')[0]} is missing; it is required here"
    if kind == "type":
        expected = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        words = " or ".join(str(_TYPE_WORDS.get(t, t)) for t in expected)
        return f"must be {words}, got {_TYPE_WORDS.get(_json_type(value), 'a value')} {value!r}"
    if kind in ("minimum", "maximum") and "minimum" in schema and "maximum" in schema:
        low, high = schema["minimum"], schema["maximum"]
        return f"must be a whole number from {low} to {high}, got {value}"
    if kind == "minimum":
        return f"must be at least {schema['minimum']}, got {value}"
    if kind == "minLength":
        return "must not be empty"
    if kind == "maxLength":
        return f"is {len(value)} characters long; at most {schema['maxLength']} are allowed"
    if kind == "pattern" and schema.get("pattern", "").startswith("^[A-Za-z0-9"):
        return (
            f"{value!r} is not a valid id: use 1 to 64 letters, digits, '_', '.' or '-' (e.g. 's3')"
        )
    if kind == "pattern":
        return f"{value!r} is blank; give it a name"
    if kind == "uniqueItems":
        return f"lists the same item twice: {value!r}"
    if kind == "const":
        return f"must be {error.validator_value!r}, got {value!r}"
    if kind == "anyOf" and "segment" in error.absolute_path:
        return f"a segment value is text, a number, true/false or a list of those; got {value!r}"
    return str(error.message)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _check_semantics(data: Mapping[str, Any]) -> None:
    """What the schema cannot say: unique ids and names, references that exist."""
    seen: dict[str, str] = {}

    def unique_id(ident: str, path: str) -> None:
        if ident in seen:
            raise SchemaError(
                f"the id {ident!r} is used twice (first at {seen[ident]}); every stage, "
                "touchpoint, lane, persona and opportunity needs its own id",
                path=path,
            )
        seen[ident] = path

    lanes: dict[str, str] = {}
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
                f"two stages are named {stage['name']!r} (the other is $.stages"
                f"[{stage_names[key]}]); stage names must be unique (ignoring case and accents)",
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
                    f"stage {stage['name']!r} has two touchpoints named {tp['name']!r} (the "
                    f"other is touchpoints[{tp_names[tkey]}]); touchpoint names must be unique "
                    "within a stage",
                    path=f"$.stages[{i}].touchpoints[{j}].name",
                )
            tp_names[tkey] = j
        for lane_id in stage.get("lanes", {}):
            path = _json_path(["stages", i, "lanes", lane_id])
            text_lanes = [lane for lane, kind in lanes.items() if kind == "text"]
            if lane_id not in lanes:
                raise SchemaError(
                    f"a cell for the unknown lane {lane_id!r}; text lanes: "
                    f"{', '.join(text_lanes) or 'none'}",
                    path=path,
                )
            if lanes[lane_id] != "text":
                raise SchemaError(
                    f"the lane {lane_id!r} shows touchpoints and holds no text items; text "
                    f"lanes: {', '.join(text_lanes) or 'none'}",
                    path=path,
                )
    for i, opp in enumerate(data.get("opportunities", [])):
        unique_id(opp["id"], f"$.opportunities[{i}].id")
        for j, tp_id in enumerate(opp.get("touchpoints", [])):
            if tp_id not in touchpoints:
                raise SchemaError(
                    f"opportunity {opp['text']!r} refers to the touchpoint {tp_id!r}, which "
                    "does not exist; refer to touchpoints by their id",
                    path=f"$.opportunities[{i}].touchpoints[{j}]",
                )


def dumps(data: Mapping[str, Any]) -> str:
    """Sorted, indented JSON text with a final newline (stable for git diffs, unicode kept).

    Usage: ``dumps(journey.to_dict())``
    """
    try:
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    except TypeError as err:
        found = _find_unwritable(data, ["$"])
        if found is None:
            raise JourneyError(f"Cannot write the journey as JSON: {err}.") from None
        path, value = found
        raise JourneyError(
            f"Cannot write the journey as JSON: the value at {path} is a "
            f"{type(value).__name__} ({value!r}). Use text, numbers, true/false, null, lists "
            "and dicts with text keys (e.g. a date as value.isoformat())."
        ) from None
    except ValueError as err:  # a circular reference in metadata
        raise JourneyError(f"Cannot write the journey as JSON: {err}.") from None


def _find_unwritable(value: Any, path: list[str]) -> tuple[str, Any] | None:
    """The JSON path and value of the first thing ``json.dumps`` cannot write."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str | int | float | bool) and key is not None:
                return "".join(path), key
            found = _find_unwritable(item, [*path, _json_path([key])[1:]])
            if found:
                return found
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _find_unwritable(item, [*path, f"[{index}]"])
            if found:
                return found
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return None
    return "".join(path), value


def _find_surrogate(value: Any, path: str = "$") -> str | None:
    """The JSON path of the first text that cannot be encoded as UTF-8 (a lone surrogate)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = _find_surrogate(key, path) or _find_surrogate(
                item, path + _json_path([key])[1:]
            )
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_surrogate(item, f"{path}[{index}]")
            if found:
                return found
    return None


def save(journey: Journey, path: str | os.PathLike[str]) -> Path:
    """Write ``journey`` to ``path`` atomically: a temporary file in the same folder, fsynced,
    then renamed over the target, so a crash never leaves half a file. The folder must exist.

    Usage: ``save(journey, "checkout.journey.json")``
    """
    target = Path(os.fspath(path))
    if target.is_dir():
        raise IsADirectoryError(
            f"Cannot save the journey to {target}: it is a folder. Give a file name, e.g. "
            f"{target / 'journey.json'}."
        )
    data = journey.to_dict()
    text = dumps(data)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        where = _find_surrogate(data) or "$"
        raise JourneyError(
            f"Cannot save the journey: the text at {where} holds a broken character (a lone "
            "surrogate, usually from text decoded with the wrong encoding); fix that text first."
        ) from None
    return atomic_write_text(target, text)


def load(path: str | os.PathLike[str], cls: type[Journey] = Journey) -> Journey:
    """Read, migrate and validate a journey file as ``cls``; the file itself is never modified.

    Usage: ``journey = load("checkout.journey.json")``
    """
    file = Path(os.fspath(path))
    if file.is_dir():
        raise IsADirectoryError(f"{file} is a folder, not a journey file.")
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(
            f"No journey file at {file} (looked in {file.resolve().parent}). Check the name, "
            "or save a journey there first with journey.save(...)."
        ) from None
    name = str(file)
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark (from some Windows editors) is fine
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise SchemaError(
            f"not UTF-8 text (byte {err.start}, line {line}); save the file as UTF-8",
            file=name,
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise SchemaError(
            f"not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}", file=name
        ) from None
    try:
        return cls.from_dict(data)
    except SchemaError as err:
        raise SchemaError(_bare_message(err), path=err.path, file=name) from None
    except JourneyError as err:  # data the schema allows but the model refuses
        raise SchemaError(str(err), file=name) from None


def _bare_message(err: SchemaError) -> str:
    """The message of ``err`` without the ``file: `` prefix and ``(at path)`` suffix."""
    message = str(err)
    if err.file and message.startswith(f"{err.file}: "):
        message = message[len(err.file) + 2 :]
    suffix = f" (at {err.path})"
    return message[: -len(suffix)] if message.endswith(suffix) else message
