"""Normalisers and validators of journey fields: names, text, channels, phases, scores.

Every function either returns the clean value or raises :class:`~cjm_widgets.errors.JourneyError`
naming the problem and the valid choices. The model's lowest module (after the entities).

Usage::

    from cjm_widgets.model._names import normalize_channel
    normalize_channel("E-mail")  # "email"
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from cjm_widgets._text import check_text
from cjm_widgets.errors import JourneyError
from cjm_widgets.model.entities import CHANNELS, PHASES, STATES

__all__ = ["MAX_NAME_LENGTH", "SCHEMA_VERSION", "normalize_channel", "normalize_phase"]

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
    if not isinstance(value, Mapping):
        raise JourneyError(f"{what} must be a mapping, got {type(value).__name__}.")
    try:
        data: dict[str, Any] = json.loads(json.dumps(dict(value), allow_nan=False))
        return data
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
