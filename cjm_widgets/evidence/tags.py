"""Tag state types of the evidence store and the tags file format (internal helpers).

The store keeps tags in numpy arrays (see :class:`TagArrays`); every change is delivered to
observers as an :class:`EvidenceChange` with the old and new :class:`TagSlice`. Usage::

    ev.observe(lambda change: print(change.kind, change.ids, change.new.emotion))
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cjm_widgets.errors import SchemaError, TagError

__all__ = [
    "BUILTIN_LABELS",
    "NAT",
    "TAGS_SCHEMA_VERSION",
    "EvidenceChange",
    "TagArrays",
    "TagSlice",
    "label_key",
    "parse_tags_file",
]

#: The built-in labels, bits 0..4 of the labels bitmask, in this order.
BUILTIN_LABELS: tuple[str, ...] = ("pain point", "delight", "need", "opportunity", "quote")
#: int64 value of "no timestamp" in the ``tagged_at`` array (numpy's NaT).
NAT = np.iinfo(np.int64).min
TAGS_SCHEMA_VERSION = 1
MAX_LABELS = 63  # bits of a non-negative int64


def label_key(name: str) -> str:
    """Matching key of a label: case-insensitive, ``_`` / ``-`` / spaces alike."""
    return " ".join(name.replace("_", " ").replace("-", " ").split()).casefold()


@dataclass(frozen=True)
class TagArrays:
    """The store's tag state as numpy arrays, all ``len(ev)`` long (no copies; do not modify:
    until the store's first change they may be read-only, even constants with stride 0).

    ``touchpoint`` / ``stage`` / ``coder`` are int32 codes into ``ev.touchpoint_ids`` /
    ``ev.stage_ids`` / ``ev.coders`` (-1 = none); ``emotion`` is float64 (NaN = none);
    ``labels`` is an int64 bitmask over ``ev.label_names``; ``tagged_at`` int64 ns UTC
    (``NAT`` = never).
    """

    touchpoint: np.ndarray
    stage: np.ndarray
    emotion: np.ndarray
    labels: np.ndarray
    coder: np.ndarray
    tagged_at: np.ndarray


@dataclass(frozen=True)
class TagSlice:
    """Tag values of some store rows, aligned with :attr:`EvidenceChange.rows`."""

    touchpoint: np.ndarray
    stage: np.ndarray
    emotion: np.ndarray
    labels: np.ndarray
    coder: np.ndarray

    def same_as(self, other: TagSlice) -> bool:
        """True when both hold the same tag values (an emotion NaN equals NaN)."""
        return (
            np.array_equal(self.touchpoint, other.touchpoint)
            and np.array_equal(self.stage, other.stage)
            and np.array_equal(self.emotion, other.emotion, equal_nan=True)
            and np.array_equal(self.labels, other.labels)
            and np.array_equal(self.coder, other.coder)
        )

    @classmethod
    def take(cls, arrays: TagArrays, rows: np.ndarray) -> TagSlice:
        return cls(
            arrays.touchpoint[rows],
            arrays.stage[rows],
            arrays.emotion[rows],
            arrays.labels[rows],
            arrays.coder[rows],
        )


@dataclass(frozen=True)
class EvidenceChange:
    """One change of the tag state, delivered to ``ev.observe`` callbacks.

    ``kind`` is ``"tag"``, ``"untag"``, ``"undo"``, ``"redo"``, ``"load_tags"`` or
    ``"move_tags"``; ``rows`` the store rows changed (unique, sorted int64); ``old`` / ``new``
    their tag values before and after. ``ids`` gives the evidence ids (computed on first use).
    """

    kind: str
    rows: np.ndarray
    old: TagSlice
    new: TagSlice
    _id_lookup: Callable[[np.ndarray], np.ndarray] | None = field(
        default=None, repr=False, compare=False
    )

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"EvidenceChange(kind={self.kind!r}, rows={len(self.rows):,})"

    @functools.cached_property
    def ids(self) -> np.ndarray:
        """Evidence ids of ``rows`` (numpy object array of str)."""
        if self._id_lookup is None:
            return np.array([], dtype=object)
        return self._id_lookup(self.rows)


# ------------------------------------------------------------------------------ tags file


def check_emotion(value: object) -> float:
    """The emotion as float, or TagError when it is not a number in −2..+2."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TagError(f"emotion must be a number from -2 to +2, got {value!r}.")
    number = float(value)
    if math.isnan(number) or not -2.0 <= number <= 2.0:
        raise TagError(f"emotion must be from -2 to +2, got {value!r}.")
    return number


def _fail(message: str, path: object, file: str | None) -> SchemaError:
    return SchemaError(message, path=str(path), file=file)


class _Path:
    """A JSON path made only when an error needs it (``$.tags["id"]``, ``$.codings[3]``)."""

    __slots__ = ("base", "key")

    def __init__(self, base: str, key: str | int) -> None:
        self.base, self.key = base, key

    def __str__(self) -> str:
        if isinstance(self.key, int):
            return f"{self.base}[{self.key}]"
        return _key_path(self.base, self.key)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _key_path(base: str, key: str) -> str:
    return f"{base}[{json.dumps(key, ensure_ascii=False)}]"


_TAG_FIELDS = frozenset({"stage_id", "touchpoint_id", "emotion", "labels", "coder", "tagged_at"})
_CODING_FIELDS = _TAG_FIELDS | {"evidence_id"}


@functools.lru_cache(maxsize=4096)
def _parse_stamp(stamp: str) -> int:
    """ISO 8601 text → int64 ns UTC (naive times are UTC); cached: a file repeats them."""
    if not isinstance(stamp, str):
        raise TypeError(stamp)
    ts = pd.Timestamp(stamp)
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    return int(ts.tz_convert("UTC").as_unit("ns").value)


def _check_entry(
    entry: object,
    path: _Path,
    file: str | None,
    *,
    coding: bool,
    memo: dict[tuple[Any, ...], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One validated entry. With ``memo``, entries of the same content (a bulk tag writes
    thousands of identical ones) are validated once and share one result dict."""
    key = None if memo is None else _content_key(entry, coding)
    if memo is not None and key is not None and (hit := memo.get(key)) is not None:
        return hit
    out = _fast_entry(entry, _CODING_FIELDS if coding else _TAG_FIELDS)
    if out is None:
        out = _slow_entry(entry, path, file, coding=coding)
    if memo is not None and key is not None:
        memo[key] = out
    return out


def _content_key(entry: object, coding: bool) -> tuple[Any, ...] | None:
    """A hashable key of a plain entry's tag fields (None: no key, check it alone). An entry
    with a field not allowed has none; a coding's ``evidence_id`` is checked apart and left
    out. The emotion's type is part of the key because ``1 == 1.0 == True`` in Python."""
    allowed = _CODING_FIELDS if coding else _TAG_FIELDS
    if type(entry) is not dict or not allowed.issuperset(entry):
        return None
    lb = entry.get("labels", [])
    if type(lb) is not list:
        return None
    em = entry.get("emotion")
    try:
        return (
            entry.get("stage_id"),
            entry.get("touchpoint_id"),
            em,
            type(em),
            tuple(lb),
            entry.get("coder"),
            entry.get("tagged_at"),
            "labels" in entry,
        )
    except TypeError:  # pragma: no cover - tuple() of a list never fails
        return None


def _fast_entry(entry: object, allowed: frozenset[str]) -> dict[str, Any] | None:
    """The common, well-formed entry checked in one go (None: take the detailed path)."""
    if type(entry) is not dict or not allowed.issuperset(entry):
        return None
    st, tp, cd = entry.get("stage_id"), entry.get("touchpoint_id"), entry.get("coder")
    em, lb, at = entry.get("emotion"), entry.get("labels", []), entry.get("tagged_at")
    ok = (
        (st is None or (type(st) is str and st != ""))
        and (tp is None or (type(tp) is str and tp != "" and st is not None))
        and (cd is None or (type(cd) is str and cd != ""))
        and (em is None or (type(em) in (int, float) and -2 <= em <= 2))
        and type(lb) is list
        and all(type(x) is str and x.strip() for x in lb)
        and (at is None or type(at) is str)
    )
    if not ok:
        return None
    try:
        stamp = _parse_stamp(at) if at is not None else None
    except ValueError:
        return None
    return {
        "stage_id": st,
        "touchpoint_id": tp,
        "coder": cd,
        "emotion": float(em) if em is not None else None,
        "labels": lb,
        "tagged_at": stamp,
    }


def _slow_entry(entry: object, path: _Path, file: str | None, *, coding: bool) -> dict[str, Any]:
    if not isinstance(entry, Mapping):
        raise _fail(f"expected an object, got {type(entry).__name__}", path, file)
    allowed = _CODING_FIELDS if coding else _TAG_FIELDS
    unknown = sorted(set(entry) - allowed) if not allowed.issuperset(entry) else []
    if unknown:
        raise _fail(
            f"unknown field {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}",
            f"{path}.{unknown[0]}",
            file,
        )
    out: dict[str, Any] = {}
    for name in ("stage_id", "touchpoint_id", "coder"):
        value = entry.get(name)
        if value is not None and (not isinstance(value, str) or not value):
            raise _fail(f"{name} must be a non-empty string or null", f"{path}.{name}", file)
        out[name] = value
    emotion = entry.get("emotion")
    if emotion is not None:
        try:
            emotion = check_emotion(emotion)
        except TagError as err:
            raise _fail(str(err), f"{path}.emotion", file) from None
    out["emotion"] = emotion
    labels = entry.get("labels", [])
    if labels is None:
        labels = []
    if not isinstance(labels, list):
        raise _fail("labels must be a list of strings", f"{path}.labels", file)
    for i, label in enumerate(labels):
        if not isinstance(label, str) or not label.strip():
            raise _fail("a label must be a non-empty string", f"{path}.labels[{i}]", file)
    out["labels"] = list(labels)
    stamp = entry.get("tagged_at")
    if stamp is not None:
        try:
            out["tagged_at"] = _parse_stamp(stamp)
        except (TypeError, ValueError):
            raise _fail(
                f"tagged_at must be an ISO 8601 time, got {stamp!r}", f"{path}.tagged_at", file
            ) from None
    else:
        out["tagged_at"] = None
    if out["touchpoint_id"] is not None and out["stage_id"] is None:
        raise _fail("a touchpoint_id needs its stage_id", f"{path}.stage_id", file)
    return out


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building a million small dicts otherwise triggers
    it again and again, each time walking every object the kernel holds (1.5x slower in a
    busy kernel). JSON data has no cycles, so nothing is left for it to find."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def parse_tags_file(text: str, file: str | None = None) -> dict[str, Any]:
    """Validate a tags file; returns ``{"tags": {id: entry}, "codings": [entry], "labels"}``.

    Raises :class:`SchemaError` with the JSON path of the first bad field. Tag entries of the
    same content are checked once and share one (read-only) entry dict.
    """
    with gc_paused():
        return _parse_tags_file(text, file)


def _parse_tags_file(text: str, file: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise _fail(
            f"not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})", "$", file
        ) from None
    if not isinstance(data, Mapping):
        raise _fail("a tags file is a JSON object", "$", file)
    version = data.get("schema_version")
    if version != TAGS_SCHEMA_VERSION:
        raise _fail(
            f"schema_version must be {TAGS_SCHEMA_VERSION}, got {version!r}",
            "$.schema_version",
            file,
        )
    if "tags" not in data:
        what = " (it looks like a journey file)" if "stages" in data else ""
        raise _fail(
            f"a tags file has a 'tags' object; this file has none{what}. Tags are saved with "
            "ev.save_tags(path)",
            "$.tags",
            file,
        )
    labels = data.get("labels", [])
    if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
        raise _fail("labels must be a list of label names", "$.labels", file)
    colours = data.get("label_colours", {})
    if not isinstance(colours, Mapping):
        raise _fail("label_colours must be an object: label → colour", "$.label_colours", file)
    for name, colour in colours.items():
        if not isinstance(colour, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            raise _fail("a label colour is #rrggbb", f"$.label_colours[{name!r}]", file)
    tags = data.get("tags", {})
    if not isinstance(tags, Mapping):
        raise _fail("tags must be an object keyed by evidence_id", "$.tags", file)
    parsed: dict[str, dict[str, Any]] = {}
    memo: dict[tuple[Any, ...], dict[str, Any]] = {}
    for key, entry in tags.items():
        parsed[str(key)] = _check_entry(
            entry, _Path("$.tags", str(key)), file, coding=False, memo=memo
        )
    codings = data.get("codings", [])
    if not isinstance(codings, list):
        raise _fail("codings must be a list", "$.codings", file)
    parsed_codings: list[dict[str, Any]] = []
    for i, entry in enumerate(codings):
        path = _Path("$.codings", i)
        item = _check_entry(entry, path, file, coding=True, memo=memo)
        evid = entry.get("evidence_id") if isinstance(entry, Mapping) else None
        if not isinstance(evid, str) or not evid:
            raise _fail("evidence_id must be a non-empty string", f"{path}.evidence_id", file)
        if item["coder"] is None:
            raise _fail("a coding needs its coder", f"{path}.coder", file)
        parsed_codings.append({**item, "evidence_id": evid})
    return {
        "tags": parsed,
        "codings": parsed_codings,
        "labels": list(labels),
        **(
            {"label_colours": {str(k): v.lower() for k, v in colours.items()}}
            if "label_colours" in data
            else {}
        ),
        "n_rows": data.get("n_rows"),
        "fingerprint": data.get("fingerprint"),
        "quotes": data.get("quotes", []),  # checked by evidence/_quote_files.py
    }


def iso(ns: int | None) -> str | None:
    """int64 ns UTC → ISO 8601 text (None for NaT)."""
    if ns is None or ns == NAT:
        return None
    return pd.Timestamp(int(ns), tz="UTC").isoformat()


def entry_json(
    stage: str | None,
    touchpoint: str | None,
    emotion: float,
    labels: Iterable[str],
    coder: str | None,
    tagged_at: int,
) -> dict[str, Any]:
    """One tags-file entry (JSON-ready)."""
    value: float | int | None = None
    if not math.isnan(emotion):
        value = int(emotion) if float(emotion).is_integer() else float(emotion)
    return {
        "stage_id": stage,
        "touchpoint_id": touchpoint,
        "emotion": value,
        "labels": list(labels),
        "coder": coder,
        "tagged_at": iso(tagged_at),
    }
