"""Journey files: exact round trips, schema errors with JSON paths, migration, atomic writes."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cjm_widgets as cjm
from cjm_widgets import JourneyError, SchemaError
from cjm_widgets.model.entities import LANE_KINDS
from cjm_widgets.model.journey import SCHEMA_VERSION
from cjm_widgets.model.migrations import DEFAULT_LANES, MIGRATIONS, migrate
from cjm_widgets.model.persistence import dumps, journey_schema, prepare


@pytest.fixture
def journey() -> cjm.Journey:
    j = cjm.Journey.from_template(
        "service_blueprint",
        language="fi",
        title="Tuki — Käyttäjä 🛟",
        persona={"name": "Maija", "segment": {"Class": "Business", "Wave": [1, 2]}},
    )
    j.add_touchpoint(j.stages[0], "Sovellus", channel="mobile app", phase="post-purchase")
    j.add_touchpoint(j.stages[2], "Chat-tuki", channel="chat", owner="Asiakaspalvelu")
    j.set_lane(j.stages[1], "backstage", ["Lokit", "Valvonta"])
    j.add_opportunity("Parempi ohje", ["Sovellus"], impact=4, effort=2)
    j.update(metadata={"project": "Q3", "waves": [1, 2], "nested": {"ok": True}})
    return j


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


# ---------------------------------------------------------------- round trips
def test_round_trip_is_exact_and_bytes_are_stable(journey, tmp_path):
    path = tmp_path / "a.journey.json"
    journey.save(path)
    first = path.read_bytes()
    loaded = cjm.Journey.load(path)
    assert loaded == journey
    assert loaded.to_dict() == journey.to_dict()
    journey.save(path)  # saving twice: identical bytes
    assert path.read_bytes() == first
    loaded.save(str(tmp_path / "b.journey.json"))  # str paths too; same bytes from the copy
    assert (tmp_path / "b.journey.json").read_bytes() == first


def test_file_format_is_sorted_indented_utf8(journey, tmp_path):
    path = tmp_path / "a.journey.json"
    journey.save(path)
    text = path.read_bytes().decode("utf-8")
    assert text == journey.to_json()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    data = json.loads(text)
    assert data["schema_version"] == SCHEMA_VERSION
    # keys sorted at every level, two-space indentation: re-dumping changes nothing
    assert json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n" == text
    assert dumps(data) == text
    assert text.startswith('{\n  "lanes": [\n    {\n      "id": ')
    assert "Käyttäjä 🛟" in text and "\\u" not in text  # unicode kept readable


def test_to_json_equals_the_file(journey, tmp_path):
    path = tmp_path / "j.json"
    returned = cjm.model.persistence.save(journey, path)
    assert returned == path
    assert path.read_text(encoding="utf-8") == journey.to_json()


def test_ids_are_not_reused_after_load(journey, tmp_path):
    removed_tp = journey.touchpoint("Chat-tuki").id
    removed_stage = journey.stages[-1].id
    journey.remove_touchpoint(removed_tp)
    journey.remove_stage(removed_stage)
    journey.remove_opportunity("Parempi ohje")
    journey.save(tmp_path / "j.json")
    loaded = cjm.Journey.load(tmp_path / "j.json")
    assert loaded == journey
    assert loaded.add_touchpoint(loaded.stages[0], "Uusi").id not in {removed_tp, "t1"}
    assert loaded.add_stage("Uusi vaihe").id != removed_stage
    assert loaded.add_opportunity("Uusi").id != "o1"


def test_copy_is_equal_and_independent(journey):
    journey.observe(lambda change: None)
    twin = journey.copy()
    assert twin == journey and twin is not journey
    assert not twin.can_undo and not twin.can_redo
    assert twin._observers == []
    twin.rename_stage(twin.stages[0], "Muu")
    with pytest.raises(cjm.errors.ReadOnlyError, match="update_persona"):
        twin.persona.segment["Class"] = "Eco"  # a direct poke is refused: edit via the journey
    twin.update_persona(twin.persona, segment={"Class": "Eco"})
    assert journey.stages[0].name != "Muu"
    assert journey.persona.segment["Class"] == "Business"
    before = twin.to_dict()
    journey.add_stage("Vain alkuperäisessä")
    journey.set_lane(journey.stages[0], "frontstage", ["x"])
    assert twin.to_dict() == before
    assert twin != journey


def test_copy_keeps_id_counters(journey):
    journey.remove_touchpoint("Chat-tuki")
    twin = journey.copy()
    assert twin.to_dict()["next_ids"] == journey.to_dict()["next_ids"]
    assert (
        twin.add_touchpoint(twin.stages[0], "X").id
        == journey.add_touchpoint(journey.stages[0], "X").id
    )


# what a researcher can type into the map: no control characters but tab and line breaks,
# no surrogates, no U+FFFE/U+FFFF (the journey refuses those, see test_fuzz_output.py)
_TYPED = st.characters(
    blacklist_categories=("Cs", "Cc"),
    whitelist_characters="\t\n\r",
    blacklist_characters="\ufffe\uffff",
)

# ---------------------------------------------------------------- generated journeys
SPECIAL_NAMES = [
    "🛒 Kassa",
    "👩‍👩‍👧 Perhe",  # ZWJ sequence
    "الدفع عبر الإنترنت",  # Arabic (RTL)
    "שלום עולם",  # Hebrew (RTL)
    "e\u0301te\u0301",  # combining acute accents
    "Zoë's ﬁrst order",  # ligature, apostrophe
    "注文する",
    "Ünïcödé  spaced",
    "line one\nline two",
    'quote " and \\ backslash',
    "\u200fRTL mark",
    "x" * 500,
]
names = st.one_of(
    st.sampled_from(SPECIAL_NAMES),
    st.text(alphabet=_TYPED, min_size=1, max_size=24),
)
texts = st.text(alphabet=_TYPED, max_size=30)


def all_ids(j: cjm.Journey) -> set[str]:
    ids = {s.id for s in j.stages} | {t.id for t in j.touchpoints}
    ids |= {o.id for o in j.opportunities} | {p.id for p in j.personas}
    return ids | {ln.id for ln in j.lanes}


def build_journey(data: st.DataObject) -> tuple[cjm.Journey, set[str]]:
    """A journey made through the public editing API, with removals so ids have gaps.
    Returns it and every id it ever held."""
    j = cjm.Journey(
        title=data.draw(texts, label="title"),
        scope=data.draw(texts, label="scope"),
        state=data.draw(st.sampled_from(cjm.STATES), label="state"),
    )
    ever = all_ids(j)

    def attempt(edit, *args, **kwargs):
        with contextlib.suppress(JourneyError):
            edit(*args, **kwargs)
        ever.update(all_ids(j))

    for _ in range(data.draw(st.integers(0, 40), label="number of stages")):
        attempt(j.add_stage, data.draw(names), description=data.draw(texts))
    ops = st.sampled_from(
        [
            *["touchpoint"] * 6,
            *["opportunity"] * 2,
            *["lane"] * 3,
            "empty lane",
            "opportunity",
            "persona",
            "add lane",
            "remove stage",
            "remove touchpoint",
            "remove persona",
            "remove opportunity",
            "remove lane",
            "move touchpoint",
            "metadata",
        ]
    )
    for _ in range(data.draw(st.integers(0, 80), label="number of edits")):
        op = data.draw(ops)
        stages, tps = list(j.stages), list(j.touchpoints)
        text_lanes = [ln for ln in j.lanes if ln.kind == "text"]
        if op == "touchpoint" and stages:
            attempt(
                j.add_touchpoint,
                data.draw(st.sampled_from(stages)),
                data.draw(names),
                channel=data.draw(st.sampled_from(cjm.CHANNELS)),
                phase=data.draw(st.sampled_from((None, *cjm.PHASES))),
                owner=data.draw(texts),
                description=data.draw(texts),
            )
        elif op in ("lane", "empty lane") and stages and text_lanes:
            items = data.draw(st.lists(texts, max_size=4)) if op == "lane" else []
            attempt(
                j.set_lane,
                data.draw(st.sampled_from(stages)),
                data.draw(st.sampled_from(text_lanes)),
                items,
            )
        elif op == "opportunity":
            linked = data.draw(st.lists(st.sampled_from(tps), max_size=3)) if tps else []
            attempt(
                j.add_opportunity,
                data.draw(names),
                linked,
                impact=data.draw(st.integers(1, 5)),
                effort=data.draw(st.integers(1, 5)),
                notes=data.draw(texts),
            )
        elif op == "persona":
            segment = data.draw(
                st.dictionaries(
                    st.text(min_size=1, max_size=8),
                    st.one_of(
                        st.text(max_size=8),
                        st.integers(-5, 5),
                        st.booleans(),
                        st.lists(st.text(max_size=5), min_size=2, max_size=3),
                    ),
                    max_size=2,
                )
            )
            attempt(
                j.add_persona,
                data.draw(names),
                description=data.draw(texts),
                goals=data.draw(st.lists(texts, max_size=2)),
                needs=data.draw(st.lists(texts, max_size=2)),
                segment=segment,
            )
        elif op == "add lane":
            attempt(j.add_lane, data.draw(st.sampled_from(["backstage", "feelings", "Own lane"])))
        elif op == "remove stage" and stages:
            attempt(j.remove_stage, data.draw(st.sampled_from(stages)))
        elif op == "remove touchpoint" and tps:
            attempt(j.remove_touchpoint, data.draw(st.sampled_from(tps)))
        elif op == "remove persona" and j.personas:
            attempt(j.remove_persona, data.draw(st.sampled_from(j.personas)))
        elif op == "remove opportunity" and j.opportunities:
            attempt(j.remove_opportunity, data.draw(st.sampled_from(j.opportunities)))
        elif op == "remove lane" and j.lanes:
            attempt(j.remove_lane, data.draw(st.sampled_from(j.lanes)))
        elif op == "move touchpoint" and tps and stages:
            attempt(
                j.move_touchpoint,
                data.draw(st.sampled_from(tps)),
                stage=data.draw(st.sampled_from(stages)),
            )
        elif op == "metadata":
            attempt(j.update, metadata={"note": data.draw(texts), "n": data.draw(st.integers())})
    return j, ever


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_round_trip_over_generated_journeys(tmp_path_factory, data):
    j, ever = build_journey(data)
    path = tmp_path_factory.mktemp("rt") / "j.journey.json"
    j.save(path)
    first = path.read_bytes()
    loaded = cjm.Journey.load(path)
    assert loaded == j
    assert loaded.to_json() == j.to_json() == first.decode("utf-8")
    assert j.copy() == j
    loaded.save(path)
    assert path.read_bytes() == first
    # further edits after load never hand out an id the journey ever used
    fresh = [loaded.add_stage("zz new stage ✓"), loaded.add_persona("zz new persona")]
    fresh.append(loaded.add_touchpoint(fresh[0], "zz new touchpoint"))
    fresh.append(loaded.add_opportunity("zz new opportunity", [fresh[2]]))
    fresh.append(loaded.add_lane("zz new lane"))
    new_ids = [item.id for item in fresh]
    assert not set(new_ids) & ever, (new_ids, sorted(ever))
    assert len(set(new_ids)) == len(new_ids)


def test_every_channel_and_phase_and_forty_stages_round_trip(tmp_path):
    j = cjm.Journey("Big", lanes=[])
    for i in range(40):
        j.add_stage(f"Vaihe {i} · مرحلة")
    for i, channel in enumerate(cjm.CHANNELS):
        for k, phase in enumerate((None, *cjm.PHASES)):
            j.add_touchpoint(j.stages[i], f"{channel} {k}", channel=channel, phase=phase)
    j.add_lane("Cells")
    j.set_lane(j.stages[39], "Cells", ["one", "two"])
    j.save(tmp_path / "big.json")
    loaded = cjm.Journey.load(tmp_path / "big.json")
    assert loaded == j
    assert {(t.channel, t.phase) for t in loaded.touchpoints} == {
        (c, p) for c in cjm.CHANNELS for p in (None, *cjm.PHASES)
    }


# ---------------------------------------------------------------- broken files
def broken(journey: cjm.Journey, edit) -> object:
    data = journey.to_dict()
    result = edit(data)
    return data if result is None or result is data else result


def _fold_upper(name: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name) if c.isascii()).upper()


CASES = [
    (
        lambda d: d["stages"][0]["touchpoints"].append(
            {"id": "t99", "name": "Faksi", "channel": "fax"}
        ),
        "$.stages[0].touchpoints[1].channel",
        "'fax' is not allowed here; use one of: web, mobile app, social",
    ),
    (
        lambda d: d["stages"][2]["touchpoints"][0].update(phase="during"),
        "$.stages[2].touchpoints[0].phase",
        "pre-purchase, purchase, post-purchase, null",
    ),
    (
        lambda d: d["opportunities"][0].update(impact=9),
        "$.opportunities[0].impact",
        "from 1 to 5, got 9",
    ),
    (
        lambda d: d["opportunities"][0].update(effort="low"),
        "$.opportunities[0].effort",
        "must be a whole number, got text 'low'",
    ),
    (lambda d: d.update(state="past"), "$.state", "use one of: current, future"),
    (lambda d: d["stages"][1].update(name=""), "$.stages[1].name", "must not be empty"),
    (lambda d: d["stages"][1].update(name="   "), "$.stages[1].name", "blank"),
    (lambda d: d["stages"][1].update(id="bad id!"), "$.stages[1].id", "not a valid id"),
    (lambda d: d["stages"][1].update(colour="red"), "$.stages[1]", "unknown field(s) 'colour'"),
    (
        lambda d: d.update(titel=d.pop("title")),
        "$",
        "'titel' (did you mean 'title'?)",
    ),
    (lambda d: d["lanes"][0].update(kind="grid"), "$.lanes[0].kind", "text, touchpoints"),
    (lambda d: d["stages"][1].update(id=d["stages"][0]["id"]), "$.stages[1].id", "used twice"),
    (
        lambda d: d["stages"][2]["touchpoints"][0].update(id=d["stages"][0]["id"]),
        "$.stages[2].touchpoints[0].id",
        "used twice (first at $.stages[0].id)",
    ),
    (
        lambda d: d["stages"][1].update(name=_fold_upper(d["stages"][0]["name"])),
        "$.stages[1].name",
        "stage names must be unique",
    ),
    (
        lambda d: d["stages"][0]["touchpoints"].append({"id": "t77", "name": "SOVELLUS"}),
        "$.stages[0].touchpoints[1].name",
        "two touchpoints named 'SOVELLUS'",
    ),
    (
        lambda d: d["opportunities"][0].update(touchpoints=["t404"]),
        "$.opportunities[0].touchpoints[0]",
        "'t404', which does not exist",
    ),
    (
        lambda d: d["stages"][0]["lanes"].update(nope=["x"]),
        "$.stages[0].lanes.nope",
        "unknown lane 'nope'",
    ),
    (
        lambda d: d["stages"][0]["lanes"].update({"my lane": ["x"]}),
        "$.stages[0].lanes['my lane']",
        "not a valid id",
    ),
    (
        lambda d: d["stages"][0]["lanes"].update(touchpoints=["x"]),
        "$.stages[0].lanes.touchpoints",
        "shows touchpoints",
    ),
    (lambda d: d.__delitem__("stages"), "$", "'stages' is missing"),
    (lambda d: d["stages"][3].update(touchpoints="Chat"), "$.stages[3].touchpoints", "a list"),
    (
        lambda d: d["personas"][0]["segment"].update(Class={"a": 1}),
        "$.personas[0].segment.Class",
        "a segment value is text, a number",
    ),
    (lambda d: d["next_ids"].update(stage=0), "$.next_ids.stage", "at least 1"),
    (lambda d: d.update(schema_version="one"), "$.schema_version", "whole number"),
    (lambda d: d.update(schema_version=1.5), "$.schema_version", "whole number"),
    (lambda d: d.update(schema_version=-1), "$.schema_version", "does not exist"),
    (lambda d: [d], "$", "a journey is a JSON object"),
]


@pytest.mark.parametrize(("edit", "path", "words"), CASES)
def test_schema_errors_name_the_json_path_and_leave_the_file(journey, tmp_path, edit, path, words):
    file = tmp_path / "broken.journey.json"
    file.write_text(json.dumps(broken(journey, edit), ensure_ascii=False), encoding="utf-8")
    before = snapshot(file)
    with pytest.raises(SchemaError) as err:
        cjm.Journey.load(file)
    message = str(err.value)
    assert err.value.path == path
    assert err.value.file == str(file)
    assert message.startswith(f"{file}: ") and message.endswith(f" (at {path})")
    assert message.count("(at ") == 1  # the file name is added once, not nested
    assert words in message
    assert snapshot(file) == before
    # the same data from memory: same path, no file name
    with pytest.raises(SchemaError) as err2:
        cjm.Journey.from_dict(json.loads(file.read_text(encoding="utf-8")))
    assert err2.value.path == path and err2.value.file is None


def test_prepare_does_not_modify_its_input(journey):
    data = journey.to_dict()
    frozen = copy.deepcopy(data)
    result = prepare(data)
    assert result == frozen and result is not data
    assert data == frozen


def test_newer_schema_is_refused(journey, tmp_path):
    file = tmp_path / "future.journey.json"
    file.write_text(json.dumps(journey.to_dict() | {"schema_version": SCHEMA_VERSION + 2}))
    before = snapshot(file)
    with pytest.raises(SchemaError) as err:
        cjm.Journey.load(file)
    assert (
        f"written by a newer cjm-widgets (schema {SCHEMA_VERSION + 2}); this version reads up "
        f"to {SCHEMA_VERSION} — upgrade cjm-widgets" in str(err.value)
    )
    assert err.value.path == "$.schema_version"
    assert snapshot(file) == before


def test_invalid_json_names_line_and_column(tmp_path):
    file = tmp_path / "x.journey.json"
    file.write_text('{\n  "title": "A",\n  "stages": [,]\n}\n', encoding="utf-8")
    before = snapshot(file)
    with pytest.raises(SchemaError) as err:
        cjm.Journey.load(file)
    assert "not valid JSON at line 3, column 14: Expecting value" in str(err.value)
    assert err.value.file == str(file) and err.value.path == "$"
    assert snapshot(file) == before


def test_truncated_file_is_an_error_not_a_crash(journey, tmp_path):
    file = tmp_path / "cut.journey.json"
    text = journey.to_json()
    file.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SchemaError, match="not valid JSON at line"):
        cjm.Journey.load(file)


def test_byte_order_mark_is_tolerated(journey, tmp_path):
    file = tmp_path / "bom.journey.json"
    file.write_bytes(b"\xef\xbb\xbf" + journey.to_json().encode("utf-8"))
    assert cjm.Journey.load(file) == journey


def test_non_utf8_file_is_named(journey, tmp_path):
    file = tmp_path / "latin1.journey.json"
    file.write_bytes(journey.to_json().encode("utf-8").replace("ä".encode(), b"\xe4"))
    with pytest.raises(SchemaError, match=r"not UTF-8 text \(byte \d+, line \d+\)"):
        cjm.Journey.load(file)


def test_missing_file_and_folder_are_clear(journey, tmp_path):
    with pytest.raises(FileNotFoundError, match=r"No journey file at .*nope\.json"):
        cjm.Journey.load(tmp_path / "nope.json")
    with pytest.raises(IsADirectoryError, match="is a folder"):
        cjm.Journey.load(tmp_path)
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        journey.save(tmp_path)


def test_save_into_missing_folder_is_clear(journey, tmp_path):
    with pytest.raises(FileNotFoundError, match=r"does not exist\. Create it first"):
        journey.save(tmp_path / "no" / "j.json")
    assert list(tmp_path.iterdir()) == []


def test_non_json_metadata_is_rejected_at_the_edit(journey, tmp_path):
    import datetime

    before = journey.to_dict()
    with pytest.raises(JourneyError, match=r"metadata must hold only JSON data.*date"):
        journey.update(metadata={"when": {"start": datetime.date(2026, 1, 2)}})
    assert journey.to_dict() == before  # rejected at the edit: nothing half-applied
    journey.save(tmp_path / "j.json")
    assert cjm.Journey.load(tmp_path / "j.json") == journey


def test_broken_unicode_names_the_path(tmp_path):
    j = cjm.Journey()
    j.add_stage("ok")
    # a lone surrogate, as from a mis-decoded file name: the name is refused at once ...
    with pytest.raises(JourneyError, match=r"stage name contains U\+DCE4, a lone surrogate"):
        j.add_stage("bad \udce4 text")
    # ... and metadata (free data) holding one is refused on save, naming its path
    j.update(metadata={"source": "bad \udce4 text"})
    with pytest.raises(JourneyError, match=r"at \$\.metadata\.source holds a broken"):
        j.save(tmp_path / "j.json")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- migration of version 0
V0 = {
    "title": "X",
    "stages": [
        "Awareness",
        {"name": "Purchase", "touchpoints": ["Checkout", {"name": "App", "channel": "mobile app"}]},
    ],
}


def test_minimal_hand_written_journey_is_migrated():
    frozen = copy.deepcopy(V0)
    data = migrate(V0)
    assert frozen == V0  # input never modified
    assert data["schema_version"] == SCHEMA_VERSION
    assert [(s["id"], s["name"]) for s in data["stages"]] == [
        ("s1", "Awareness"),
        ("s2", "Purchase"),
    ]
    assert data["stages"][1]["touchpoints"] == [
        {"id": "t1", "name": "Checkout", "channel": "other", "phase": None, "owner": "",
         "description": ""},
        {"id": "t2", "name": "App", "channel": "mobile app", "phase": None, "owner": "",
         "description": ""},
    ]  # fmt: skip
    journey = cjm.Journey.from_dict(V0)
    default = cjm.Journey("X")
    assert journey.lanes == default.lanes
    assert [(i, n, k) for i, n, k in DEFAULT_LANES] == [
        (ln.id, ln.name, ln.kind) for ln in default.lanes
    ]
    assert journey.personas == () and journey.opportunities == ()
    assert (journey.title, journey.scope, journey.state) == ("X", "", "current")
    assert journey.stages[0].touchpoints == [] and journey.stages[0].lanes == {}
    # every field defaulted: the migrated data is exactly what the journey writes back
    assert journey.to_dict() == data
    assert journey.add_stage("Retention").id == "s3"
    assert journey.add_touchpoint("Purchase", "Receipt").id == "t3"


def test_single_persona_as_text_or_object():
    by_name = cjm.Journey.from_dict(V0 | {"persona": "Frequent flyer"})
    assert [(p.id, p.name) for p in by_name.personas] == [("p1", "Frequent flyer")]
    as_object = cjm.Journey.from_dict(
        V0
        | {
            "persona": {"name": "Parent", "goals": "Order fast", "segment": {"Kids": True}},
            "personas": ["Student"],
        }
    )
    assert [p.name for p in as_object.personas] == ["Parent", "Student"]
    assert as_object.persona.goals == ["Order fast"]
    assert as_object.persona.segment == {"Kids": True}
    assert as_object.add_persona("Third").id == "p3"


def test_v0_everyday_words_lanes_cells_and_opportunities():
    data = {
        "title": "Airline",
        "goal": "From booking to arrival",
        "state": "Future",
        "lanes": ["actions", "Pain points", "touchpoints", "Own ideas"],
        "stages": [
            {
                "name": "Booking",
                "touchpoints": [{"name": "Website", "channel": "Website", "phase": "Pre purchase"}],
                "lanes": {"Actions": "Compare prices", "pain_points": ["Hidden fees"]},
            },
            {"name": "Airport", "touchpoints": ["Check-in"], "lanes": {"Own ideas": ["Kiosk"]}},
        ],
        "opportunities": [
            {"text": "Faster check-in", "touchpoints": ["check-in"], "impact": 4, "effort": 2},
            "Show all fees",
            {"name": "Kiosk app", "touchpoints": "Website"},
        ],
    }
    frozen = copy.deepcopy(data)
    j = cjm.Journey.from_dict(data)
    assert data == frozen
    assert (j.scope, j.state) == ("From booking to arrival", "future")
    assert [(ln.id, ln.name, ln.kind) for ln in j.lanes] == [
        ("actions", "Actions", "text"),
        ("pain_points", "Pain points", "text"),
        ("touchpoints", "Touchpoints", "touchpoints"),
        ("lane1", "Own ideas", "text"),
    ]
    tp = j.touchpoint("Website")
    assert (tp.channel, tp.phase) == ("web", "pre-purchase")
    assert j.cell("Booking", "actions") == ["Compare prices"]
    assert j.cell("Booking", "pain_points") == ["Hidden fees"]
    assert j.cell("Airport", "Own ideas") == ["Kiosk"]
    assert [(o.text, o.touchpoints, o.impact, o.effort) for o in j.opportunities] == [
        ("Faster check-in", [j.touchpoint("Check-in").id], 4, 2),
        ("Show all fees", [], 3, 3),
        ("Kiosk app", [tp.id], 3, 3),
    ]
    assert j.add_lane("Second own").id == "lane2"


def test_v0_keeps_given_ids_and_never_duplicates_them():
    j = cjm.Journey.from_dict(
        {
            "stages": [
                "B",
                {"name": "A", "id": "s1", "touchpoints": [{"name": "T", "id": "t2"}, "U"]},
            ]
        }
    )
    assert [s.id for s in j.stages] == ["s2", "s1"]
    assert [t.id for t in j.touchpoints] == ["t2", "t1"]
    assert j.add_stage("C").id == "s3"
    assert j.add_touchpoint("A", "V").id == "t3"


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [
        ({"titel": "X", "stages": []}, "$", "did you mean 'title'?"),
        ({"stages": "Awareness, Purchase"}, "$.stages", "must be a list"),
        ({"stages": ["A", 3]}, "$.stages[1]", "must be an object"),
        ({"stages": ["A", "a"]}, "$.stages[1].name", "stage names must be unique"),
        (
            {"stages": [{"name": "A", "touchpoints": [{"name": "T", "channel": "pigeon"}]}]},
            "$.stages[0].touchpoints[0].channel",
            "use one of: web",
        ),
        (
            {
                "stages": [
                    {"name": "A", "touchpoints": ["T"]},
                    {"name": "B", "touchpoints": ["T"]},
                ],
                "opportunities": [{"text": "O", "touchpoints": ["T"]}],
            },
            "$.opportunities[0].touchpoints[0]",
            "is in several stages",
        ),
        (
            {"stages": ["A"], "opportunities": [{"text": "O", "touchpoints": ["Nope"]}]},
            "$.opportunities[0].touchpoints[0]",
            "does not exist",
        ),
        (
            {"stages": [{"name": "A", "lanes": {"Nope": "x"}}]},
            "$.stages[0].lanes.Nope",
            "unknown lane",
        ),
        ({}, "$", "'stages' is missing"),
    ],
)
def test_v0_errors_name_the_path(data, path, words):
    with pytest.raises(SchemaError) as err:
        cjm.Journey.from_dict(data)
    assert err.value.path == path
    assert words in str(err.value)


def test_v0_file_loads_and_is_left_as_written(tmp_path):
    file = tmp_path / "hand.journey.json"
    file.write_text(json.dumps(V0 | {"persona": "Maija"}, indent=4), encoding="utf-8")
    before = snapshot(file)
    j = cjm.Journey.load(file)
    assert snapshot(file) == before
    assert j.persona.name == "Maija" and len(j.touchpoints) == 2
    j.save(tmp_path / "saved.journey.json")
    assert json.loads((tmp_path / "saved.journey.json").read_text())["schema_version"] == 1
    assert cjm.Journey.load(tmp_path / "saved.journey.json") == j


def test_migrations_cover_every_version(journey):
    assert sorted(MIGRATIONS) == list(range(SCHEMA_VERSION))
    current = journey.to_dict()
    frozen = copy.deepcopy(current)
    migrated = migrate(current)
    assert migrated == frozen and migrated is not current
    migrated["stages"][0]["touchpoints"].clear()
    assert current == frozen  # a deep copy, even at the current version


# ---------------------------------------------------------------- the schema itself
def walk(node, path="#"):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


def test_schema_is_valid_draft_2020_12_without_urls():
    schema = journey_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"cjm-widgets:journey:{SCHEMA_VERSION}"
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    import importlib.resources

    text = (
        importlib.resources.files("cjm_widgets.model")
        .joinpath("schema")
        .joinpath("journey.schema.json")
        .read_text(encoding="utf-8")
    )
    assert not re.search(r"(?i)https?://", text)
    assert journey_schema() is not journey_schema()  # callers get their own copy


def test_every_object_is_closed_except_metadata_and_segment():
    open_objects = []
    for path, node in walk(journey_schema()):
        if node.get("type") == "object" and node.get("additionalProperties") is not False:
            open_objects.append(path)
    assert sorted(open_objects) == [
        "#/$defs/persona/properties/segment",
        "#/$defs/stage/properties/lanes",  # lane id -> list of text (values checked)
        "#/properties/metadata",
    ]


def test_schema_enums_match_the_code():
    schema = journey_schema()
    defs = schema["$defs"]
    assert tuple(defs["touchpoint"]["properties"]["channel"]["enum"]) == cjm.CHANNELS
    assert tuple(defs["touchpoint"]["properties"]["phase"]["enum"]) == (*cjm.PHASES, None)
    assert tuple(schema["properties"]["state"]["enum"]) == cjm.STATES
    assert tuple(defs["lane"]["properties"]["kind"]["enum"]) == LANE_KINDS


def test_every_template_journey_is_valid():
    for template in cjm.TEMPLATES:
        for language in cjm.LANGUAGES:
            j = cjm.Journey.from_template(template, language=language, persona="P")
            assert cjm.Journey.from_dict(json.loads(j.to_json())) == j


# ---------------------------------------------------------------- atomic saves
@pytest.mark.parametrize("failing", ["replace", "fsync", "write"])
def test_failed_save_keeps_the_old_file(journey, tmp_path, monkeypatch, failing):
    path = tmp_path / "j.json"
    journey.save(path)
    before = path.read_bytes()
    journey.rename_stage(journey.stages[0], "Changed")

    def crash(*args, **kwargs):
        raise OSError("disk unplugged")

    if failing == "write":
        monkeypatch.setattr(os, "fdopen", lambda fd, mode: _Crashing(fd))
    else:
        monkeypatch.setattr(os, failing, crash)
    with pytest.raises(OSError, match="disk unplugged"):
        journey.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.json"]  # no temp file left


class _Crashing:
    """A file object that writes half the data, then fails (like a full disk)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __enter__(self) -> _Crashing:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def write(self, data: bytes) -> int:
        os.write(self.fd, data[: len(data) // 2])
        raise OSError("disk unplugged")


SAVER = textwrap.dedent(
    """
    import os, sys, time
    import cjm_widgets as cjm

    path = sys.argv[1]
    big = cjm.Journey(title="big")
    for i in range(30):  # large in bytes (the kill window), modest in objects (fast to check)
        stage = big.add_stage(f"Stage {i} ✓")
        big.set_lane(stage, "actions", ["ä" * 1000, "b" * 1000])
        for k in range(6):
            big.add_touchpoint(stage, f"Touchpoint {k}", owner="x" * 600)
    big.save(path)
    print("ready", flush=True)
    for line in sys.stdin:  # one child per request, forked from this fresh interpreter
        command = line.strip()
        if command in ("loop", "stall"):
            pid = os.fork()
            if pid == 0:
                if command == "stall":  # written, not yet renamed: stop inside fsync
                    def stall(fd):
                        print("in fsync", flush=True)
                        time.sleep(120)
                    os.fsync = stall
                    big.update(title="never saved")
                    big.save(path)
                n = 0
                while True:  # save forever, until SIGKILLed
                    n += 1
                    big.update(title=f"big {n}")
                    big.save(path)
            print(pid, flush=True)
        elif command == "reap":
            os.waitpid(pid, 0)
            print("reaped", flush=True)
    """
)


@pytest.fixture
def saver(tmp_path):
    """A fresh interpreter that forks saving children on request (no threads, no pytest)."""
    path = tmp_path / "big.journey.json"
    server = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )

    children: list[int] = []

    def ask(command: str) -> str:
        server.stdin.write(command + "\n")
        server.stdin.flush()
        answer = server.stdout.readline().strip()
        if answer.isdigit():
            children.append(int(answer))
        return answer

    try:
        assert server.stdout.readline().strip() == "ready"
        yield path, ask, server
    finally:
        for pid in children:  # a failed test must not leave a child saving forever
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        server.stdin.close()
        server.wait(timeout=30)


def leftovers(path: Path) -> list[str]:
    others = [p.name for p in path.parent.iterdir() if p.name != path.name]
    # a killed save may orphan its temporary file, never touch the journey itself
    assert all(n.startswith(f".{path.name}.") and n.endswith(".tmp") for n in others), others
    return others


def test_sigkill_mid_save_never_leaves_a_broken_file(saver):
    """A process saving a large journey in a loop is SIGKILLed at random moments, 30 times:
    the file always parses and loads, never truncated."""
    path, ask, server = saver
    assert path.stat().st_size > 200_000
    rng = random.Random(20261122)
    titles = set()
    for _ in range(30):
        pid = int(ask("loop"))
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=rng.uniform(0.005, 0.12))  # a precise sleep
        os.kill(pid, signal.SIGKILL)
        assert ask("reap") == "reaped"
        loaded = cjm.Journey.load(path)  # parses and validates: never truncated
        assert len(loaded.stages) == 30 and len(loaded.touchpoints) == 180
        titles.add(loaded.title)
    assert len(titles) > 1, "the children never finished a save: the test proved nothing"
    leftovers(path)


def test_sigkill_between_write_and_rename_keeps_the_old_file(saver):
    path, ask, server = saver
    before = path.read_bytes()
    first = ask("stall")  # the pid, or the child's "in fsync" if it got there first
    second = server.stdout.readline().strip()
    assert {first, second} - {"in fsync"} and "in fsync" in {first, second}
    pid = int(first if first.isdigit() else second)
    os.kill(pid, signal.SIGKILL)
    assert ask("reap") == "reaped"
    (temp,) = leftovers(path)  # the new version was written in full beside the old one …
    assert "never saved" in (path.parent / temp).read_text(encoding="utf-8")
    assert path.read_bytes() == before  # … and the journey file is the old one, intact
    assert cjm.Journey.load(path).title == "big"


# ---------------------------------------------------------------- journey.py round-trip rules
def test_constructor_ids_survive_a_round_trip(tmp_path):
    j = cjm.Journey(personas=[{"id": "p5", "name": "A"}], lanes=[{"id": "lane3", "name": "X"}])
    j.save(tmp_path / "j.json")
    assert cjm.Journey.load(tmp_path / "j.json") == j


@pytest.mark.parametrize("stages", [["Visit", "VISIT"], ["Visit", ""]])
def test_template_with_bad_stage_names_is_refused(stages):
    with pytest.raises(JourneyError):
        cjm.Journey.from_template("current_state", stages=stages)


def test_metadata_with_tuples_round_trips(tmp_path):
    j = cjm.Journey()
    j.update(metadata={"waves": (1, 2)})
    j.save(tmp_path / "j.json")
    assert cjm.Journey.load(tmp_path / "j.json") == j
