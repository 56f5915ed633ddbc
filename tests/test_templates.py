"""Templates: four templates × five languages × stage presets, labels complete and translated."""

from __future__ import annotations

import json
from importlib import resources

import pytest

import cjm_widgets as cjm
from cjm_widgets import JourneyError
from cjm_widgets.model.templates import (
    LANGUAGES,
    STAGE_PRESETS,
    TEMPLATES,
    labels,
    lane_spec,
    template_spec,
)

EXPECTED_LANES = {
    "current_state": 5,
    "future_state": 5,
    "day_in_the_life": 5,
    "service_blueprint": 6,
}
PRESET_SIZES = {"five_stage": 5, "seven_stage": 7, "day_in_the_life": 5, "service_blueprint": 5}


def keys(tree, prefix=""):
    out = set()
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        out |= keys(value, path) if isinstance(value, dict) else {path}
    return out


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_file_has_every_label(language):
    reference = keys(labels("en"))
    mine = keys(labels(language))
    assert mine == reference, (
        f"{language}.json misses {sorted(reference - mine)}, has extra {sorted(mine - reference)}"
    )
    for path in mine:
        value = labels(language)
        for part in path.split("."):
            value = value[part]
        assert isinstance(value, str) and value.strip(), f"{language}.json: {path} is empty"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_labels_are_really_translated(language):
    en, other = labels("en"), labels(language)
    same = [k for k in en["stages"] if en["stages"][k] == other["stages"][k]]
    assert not same, f"{language}: stage labels not translated: {same}"
    same_lanes = [k for k in en["lanes"] if en["lanes"][k] == other["lanes"][k]]
    assert not same_lanes, f"{language}: lane labels not translated: {same_lanes}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_in_every_language(template, language):
    journey = cjm.Journey.from_template(template, language=language)
    assert len(journey.lanes) == EXPECTED_LANES[template]
    assert len({lane.name for lane in journey.lanes}) == len(journey.lanes)
    assert journey.language == language and journey.template == template
    assert journey.state == ("future" if template == "future_state" else "current")
    assert journey.title == labels(language)["templates"][template]["name"]
    names = [s.name for s in journey.stages]
    assert len(set(names)) == len(names) and all(names)
    kinds = [lane.kind for lane in journey.lanes]
    assert kinds.count("touchpoints") == 1


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("preset", STAGE_PRESETS)
def test_every_preset_in_every_language(preset, language):
    journey = cjm.Journey.from_template("current_state", stages=preset, language=language)
    assert len(journey.stages) == PRESET_SIZES[preset]
    expected = [labels(language)["stages"][s.key] for s in journey.stages]
    assert [s.name for s in journey.stages] == expected


def test_finnish_seven_stage_labels():
    journey = cjm.Journey.from_template("current_state", stages="seven_stage", language="fi")
    assert [s.name for s in journey.stages][:3] == ["Tietoisuus", "Harkinta", "Päätös/Osto"]
    assert journey.lane("touchpoints").name == "Kosketuspisteet"


def test_day_in_the_life_and_blueprint_structure():
    day = cjm.Journey.from_template("day_in_the_life")
    assert [s.name for s in day.stages] == [
        "Early morning",
        "Late morning",
        "Afternoon",
        "Early evening",
        "Night",
    ]
    assert day.lane("touchpoints_at_time").kind == "touchpoints"
    blueprint = cjm.Journey.from_template("service_blueprint", language="sv")
    assert [ln.id for ln in blueprint.lanes] == [
        "customer_actions",
        "touchpoints",
        "frontstage",
        "backstage",
        "support_processes",
        "physical_evidence",
    ]
    assert blueprint.lane("backstage").name == "Bakom scenen"


def test_custom_stage_names_are_kept_verbatim():
    journey = cjm.Journey.from_template("current_state", stages=["Booking", "Airport ✈", "Flight"])
    assert [s.name for s in journey.stages] == ["Booking", "Airport ✈", "Flight"]
    assert all(s.key is None for s in journey.stages)


def test_fields_and_persona():
    journey = cjm.Journey.from_template(
        "future_state", title="Checkout", scope="Web", persona="Busy parent"
    )
    assert (journey.title, journey.scope, journey.persona.name) == (
        "Checkout",
        "Web",
        "Busy parent",
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: template_spec("journey"), "Unknown template 'journey'. Available: current_state"),
        (
            lambda: template_spec("current_state", language="de"),
            "Unknown language 'de'. Available: en, fi, sv, pl, ms",
        ),
        (
            lambda: template_spec("current_state", stages="six_stage"),
            "Unknown stage preset 'six_stage'. Presets: five_stage",
        ),
        (lambda: template_spec("current_state", stages=[]), "list of stages is empty"),
        (lambda: lane_spec("feelingz"), "Unknown lane 'feelingz'. The lane vocabulary"),
        (
            lambda: cjm.Journey.from_template("current_state", colour="red"),
            "Unknown argument\\(s\\) colour",
        ),
    ],
)
def test_errors_list_the_valid_choices(call, message):
    with pytest.raises(JourneyError, match=message):
        call()


def test_language_codes_are_forgiving():
    assert template_spec("current_state", language="FI").language == "fi"
    assert template_spec("current_state", language="sv-FI").language == "sv"


def test_templates_frame():
    frame = cjm.templates()
    assert list(frame["template"]) == list(TEMPLATES)
    assert set(frame.columns) >= {"template", "name", "description", "lanes", "languages"}
    assert (
        frame.loc[frame.template == "service_blueprint", "lanes"]
        .item()
        .startswith("customer_actions")
    )


def test_structure_lists_only_known_lanes():
    structure = json.loads(
        resources.files("cjm_widgets.model").joinpath("templates", "structure.json").read_text()
    )
    vocabulary = set(labels("en")["lanes"])
    for info in structure["templates"].values():
        assert set(info["lanes"]) <= vocabulary
