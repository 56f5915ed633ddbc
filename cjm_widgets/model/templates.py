"""Journey templates and their labels in five languages.

The language-neutral structure (which lanes a template has, which stages a preset has) is in
``templates/structure.json``; every label of a language is in ``templates/<language>.json``.
Nothing is translated in code. Usage::

    cjm.templates()                                    # what exists
    template_spec("service_blueprint", language="sv")  # lanes and stages in Swedish
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from cjm_widgets.errors import JourneyError

__all__ = [
    "LANGUAGES",
    "STAGE_PRESETS",
    "TEMPLATES",
    "LaneSpec",
    "TemplateSpec",
    "labels",
    "lane_spec",
    "template_spec",
    "templates",
]

LANGUAGES: tuple[str, ...] = ("en", "fi", "sv", "pl", "ms")


@cache
def _read(name: str) -> dict[str, Any]:
    text = (
        resources.files("cjm_widgets.model")
        .joinpath("templates", f"{name}.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def _structure() -> dict[str, Any]:
    return _read("structure")


TEMPLATES: tuple[str, ...] = tuple(_structure()["template_order"])
STAGE_PRESETS: tuple[str, ...] = tuple(_structure()["stage_presets"])


@dataclass(frozen=True)
class LaneSpec:
    """A lane of a template: its language-neutral id, its label and kind."""

    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class TemplateSpec:
    """What a template lays out in one language (see :func:`template_spec`)."""

    template: str
    language: str
    state: str
    lanes: tuple[LaneSpec, ...]
    stages: tuple[str, ...]
    stage_keys: tuple[str | None, ...]


def _language(language: str) -> str:
    if not isinstance(language, str):
        raise JourneyError(f"A language is a code such as 'fi', got {language!r}.")
    code = language.strip().replace("_", "-").split("-")[0].casefold()
    if code not in LANGUAGES:
        raise JourneyError(f"Unknown language {language!r}. Available: {', '.join(LANGUAGES)}.")
    return code


def labels(language: str = "en") -> dict[str, Any]:
    """Every label of one language (stages, lanes, channels, phases, states, UI words).

    Usage: ``labels("fi")["lanes"]["pain_points"]  # "Kipupisteet"``
    """
    return _read(_language(language))


def lane_spec(lane: str, language: str = "en") -> LaneSpec:
    """The lane ``lane`` (an id of the lane vocabulary) labelled in ``language``.

    Usage: ``lane_spec("backstage", "sv").name  # "Bakom scenen"``
    """
    names = labels(language)["lanes"]
    if lane not in names:
        raise JourneyError(
            f"Unknown lane {lane!r}. The lane vocabulary: {', '.join(sorted(names))}."
        )
    kind = _structure()["lane_kinds"].get(lane, "text")
    return LaneSpec(lane, names[lane], kind)


def template_spec(
    template: str,
    stages: str | Sequence[str] | None = None,
    language: str = "en",
) -> TemplateSpec:
    """The lanes and stages a template lays out, labelled in ``language``.

    ``stages`` is a preset name (``five_stage``, ``seven_stage``, ``day_in_the_life``,
    ``service_blueprint``), your own list of stage names (kept verbatim), or None for the
    template's default.

    Usage: ``template_spec("current_state", stages="seven_stage", language="pl")``
    """
    structure = _structure()
    if template not in structure["templates"]:
        raise JourneyError(f"Unknown template {template!r}. Available: {', '.join(TEMPLATES)}.")
    code = _language(language)
    words = labels(code)
    info = structure["templates"][template]
    lanes = tuple(lane_spec(lane, code) for lane in info["lanes"])
    if stages is None:
        stages = info["default_stages"]
    if isinstance(stages, str):
        if stages not in structure["stage_presets"]:
            raise JourneyError(
                f"Unknown stage preset {stages!r}. Presets: {', '.join(STAGE_PRESETS)}; "
                "or pass your own list of stage names."
            )
        keys: tuple[str | None, ...] = tuple(structure["stage_presets"][stages])
        names = tuple(words["stages"][key] for key in keys)
    else:
        names = tuple(stages)
        if not names:
            raise JourneyError("The list of stages is empty; give at least one stage name.")
        for name in names:
            if not isinstance(name, str):
                raise JourneyError(f"Stage names must be text, got {name!r}.")
        keys = (None,) * len(names)
    return TemplateSpec(template, code, info["state"], lanes, names, keys)


def templates() -> pd.DataFrame:
    """The templates that exist, with their lanes, default stages and languages.

    Usage: ``cjm.templates()``
    """
    structure = _structure()
    english = labels("en")
    rows = []
    for template in TEMPLATES:
        info = structure["templates"][template]
        rows.append(
            {
                "template": template,
                "name": english["templates"][template]["name"],
                "description": english["templates"][template]["description"],
                "state": info["state"],
                "default_stages": info["default_stages"],
                "stage_presets": ", ".join(STAGE_PRESETS),
                "lanes": ", ".join(info["lanes"]),
                "languages": ", ".join(LANGUAGES),
            }
        )
    return pd.DataFrame(rows)
