"""Journey files: round trip, schema validation with JSON paths, migration, atomic writes."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cjm_widgets as cjm
from cjm_widgets import SchemaError
from cjm_widgets.model.journey import SCHEMA_VERSION
from cjm_widgets.model.migrations import migrate
from cjm_widgets.model.persistence import journey_schema


@pytest.fixture
def journey() -> cjm.Journey:
    j = cjm.Journey.from_template(
        "service_blueprint",
        language="fi",
        title="Tuki",
        persona={"name": "Maija", "segment": {"Class": "Business"}},
    )
    j.add_touchpoint(j.stages[0], "Sovellus", channel="mobile app", phase="post-purchase")
    j.add_touchpoint(j.stages[2], "Chat-tuki", channel="chat", owner="Asiakaspalvelu")
    j.set_lane(j.stages[1], "backstage", ["Lokit", "Valvonta"])
    j.add_opportunity("Parempi ohje", ["Sovellus"], impact=4, effort=2)
    return j


def test_round_trip_is_exact_and_bytes_are_stable(journey, tmp_path):
    path = tmp_path / "a.journey.json"
    journey.save(path)
    first = path.read_bytes()
    loaded = cjm.Journey.load(path)
    assert loaded == journey
    loaded.save(path)
    assert path.read_bytes() == first
    assert first.decode() == journey.to_json()
    data = json.loads(first)
    assert data["schema_version"] == SCHEMA_VERSION
    assert list(data) == sorted(data)
    assert first.startswith(b'{\n  "lanes"')
    assert "Valvonta" in first.decode()  # unicode kept readable, not \u-escaped


def test_ids_are_not_reused_after_load(journey, tmp_path):
    removed = journey.touchpoint("Chat-tuki").id
    journey.remove_touchpoint(removed)
    journey.save(tmp_path / "j.json")
    loaded = cjm.Journey.load(tmp_path / "j.json")
    assert loaded.add_touchpoint(loaded.stages[0], "Uusi").id != removed


def test_copy_is_equal_and_independent(journey):
    twin = journey.copy()
    assert twin == journey
    twin.rename_stage(twin.stages[0], "Muu")
    assert twin != journey


names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20
).filter(lambda s: s.strip() and len(" ".join(s.split())) == len(s.strip()) and s == s.strip())


@st.composite
def journeys(draw):
    j = cjm.Journey(title=draw(st.text(max_size=30)), scope=draw(st.text(max_size=30)))
    for name in draw(st.lists(names, max_size=40, unique_by=lambda s: s.casefold())):
        with contextlib.suppress(cjm.JourneyError):
            j.add_stage(name)
    for stage in list(j.stages):
        for name in draw(st.lists(names, max_size=3)):
            with contextlib.suppress(cjm.JourneyError):
                j.add_touchpoint(
                    stage,
                    name,
                    channel=draw(st.sampled_from(cjm.CHANNELS)),
                    phase=draw(st.sampled_from((None, *cjm.PHASES))),
                    owner=draw(st.text(max_size=8)),
                )
        if draw(st.booleans()):
            j.set_lane(stage, "actions", draw(st.lists(st.text(max_size=15), max_size=3)))
    if j.stages and draw(st.booleans()):
        j.remove_stage(draw(st.sampled_from(j.stages)))  # ids get gaps
    tps = list(j.touchpoints)
    if tps and draw(st.booleans()):
        j.add_opportunity(
            draw(names), [tps[0]], impact=draw(st.integers(1, 5)), effort=draw(st.integers(1, 5))
        )
    if draw(st.booleans()):
        j.add_persona(
            draw(names),
            goals=draw(st.lists(st.text(max_size=10), max_size=2)),
            segment={"Class": draw(st.sampled_from(["Eco", "Business"]))},
        )
    return j


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys())
def test_round_trip_over_generated_journeys(tmp_path_factory, j):
    path = tmp_path_factory.mktemp("rt") / "j.json"
    j.save(path)
    loaded = cjm.Journey.load(path)
    assert loaded == j
    existing = {s.id for s in j.stages} | {t.id for t in j.touchpoints}
    fresh = loaded.add_stage("zz-new-stage-zz")
    assert fresh.id not in existing


def broken(journey, edit):
    data = journey.to_dict()
    edit(data)
    return data


CASES = [
    (
        lambda d: d["stages"][0]["touchpoints"].append(
            {"id": "t99", "name": "X", "channel": "fax"}
        ),
        "$.stages[0].touchpoints[1].channel",
        "use one of: web",
    ),
    (lambda d: d["opportunities"][0].update(impact=9), "$.opportunities[0].impact", "9"),
    (lambda d: d.update(state="past"), "$.state", "current, future"),
    (lambda d: d["stages"][1].update(name=""), "$.stages[1].name", ""),
    (lambda d: d["stages"][1].update(name="   "), "$.stages[1].name", "blank"),
    (lambda d: d["stages"][1].update(id="bad id!"), "$.stages[1].id", "not a valid id"),
    (lambda d: d["stages"][1].update(colour="red"), "$.stages[1]", "colour"),
    (lambda d: d["stages"][1].update(id=d["stages"][0]["id"]), "$.stages[1].id", "used twice"),
    (
        lambda d: d["stages"][1].update(name=d["stages"][0]["name"].upper()),
        "$.stages[1].name",
        "unique",
    ),
    (
        lambda d: d["opportunities"][0].update(touchpoints=["t404"]),
        "$.opportunities[0].touchpoints[0]",
        "does not exist",
    ),
    (
        lambda d: d["stages"][0]["lanes"].update(nope=["x"]),
        "$.stages[0].lanes.nope",
        "unknown lane",
    ),
    (
        lambda d: d["stages"][0]["lanes"].update(touchpoints=["x"]),
        "$.stages[0].lanes.touchpoints",
        "shows touchpoints",
    ),
    (lambda d: d.pop("stages"), "$", "stages"),
    (lambda d: d.update(schema_version="one"), "$.schema_version", "whole number"),
]


@pytest.mark.parametrize(("edit", "path", "words"), CASES)
def test_schema_errors_name_the_json_path_and_leave_the_file(journey, tmp_path, edit, path, words):
    file = tmp_path / "broken.journey.json"
    file.write_text(json.dumps(broken(journey, edit)), encoding="utf-8")
    before, mtime = file.read_bytes(), file.stat().st_mtime_ns
    with pytest.raises(SchemaError) as err:
        cjm.Journey.load(file)
    assert err.value.path == path
    assert f"(at {path})" in str(err.value)
    assert words in str(err.value)
    assert str(file) in str(err.value)
    assert file.read_bytes() == before and file.stat().st_mtime_ns == mtime


def test_newer_schema_is_refused(journey):
    data = journey.to_dict() | {"schema_version": SCHEMA_VERSION + 2}
    with pytest.raises(SchemaError, match=r"newer cjm-widgets .*Upgrade cjm-widgets"):
        cjm.Journey.from_dict(data)


def test_invalid_json_names_line_and_column(tmp_path):
    file = tmp_path / "x.json"
    file.write_text('{\n  "title": "A",\n  "stages": [,]\n}\n')
    with pytest.raises(SchemaError, match="not valid JSON at line 3, column 14"):
        cjm.Journey.load(file)


def test_missing_file_is_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match="No journey file at"):
        cjm.Journey.load(tmp_path / "nope.json")


def test_hand_written_version_0_is_migrated():
    data = {
        "title": "Airline",
        "persona": "Frequent flyer",
        "stages": [
            "Booking",
            {
                "name": "Airport",
                "touchpoints": ["Check-in", {"name": "App", "channel": "mobile app"}],
            },
        ],
        "opportunities": [
            {"text": "Faster check-in", "touchpoints": ["Check-in"], "impact": 4, "effort": 2}
        ],
    }
    original = json.dumps(data)
    journey = cjm.Journey.from_dict(data)
    assert json.dumps(data) == original  # input untouched
    assert [s.name for s in journey.stages] == ["Booking", "Airport"]
    assert [t.name for t in journey.touchpoints] == ["Check-in", "App"]
    assert journey.touchpoint("App").channel == "mobile app"
    assert journey.persona.name == "Frequent flyer"
    assert journey.opportunities[0].touchpoints == [journey.touchpoint("Check-in").id]
    assert journey.add_stage("Arrival").id == "s3"
    assert migrate(data)["schema_version"] == SCHEMA_VERSION


def test_schema_enums_match_the_code():
    defs = journey_schema()["$defs"]
    assert tuple(defs["touchpoint"]["properties"]["channel"]["enum"]) == cjm.CHANNELS
    assert tuple(defs["touchpoint"]["properties"]["phase"]["enum"][:-1]) == cjm.PHASES
    assert tuple(journey_schema()["properties"]["state"]["enum"]) == cjm.STATES


def test_failed_save_keeps_the_old_file(journey, tmp_path, monkeypatch):
    path = tmp_path / "j.json"
    journey.save(path)
    before = path.read_bytes()
    journey.rename_stage(journey.stages[0], "Changed")

    def crash(*args):
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk unplugged"):
        journey.save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.json"]


def test_save_into_missing_folder_is_clear(journey, tmp_path):
    with pytest.raises(FileNotFoundError, match=r"does not exist\. Create it first"):
        journey.save(tmp_path / "no" / "j.json")


def test_sigkill_mid_save_never_leaves_a_broken_file(tmp_path):
    """A child process saves in a loop and is SIGKILLed at random moments, 30 times."""
    path = tmp_path / "big.journey.json"
    big = cjm.Journey(title="big")
    for i in range(60):
        stage = big.add_stage(f"Stage {i}")
        for k in range(8):
            big.add_touchpoint(stage, f"Touchpoint {k}", owner="x" * 200)
    big.save(path)
    rng = random.Random(7)
    for _ in range(30):
        pid = os.fork()
        if pid == 0:  # child: save forever until killed
            try:
                n = 0
                while True:
                    n += 1
                    big.update(title=f"big {n}")
                    big.save(path)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.002, 0.06))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        loaded = cjm.Journey.load(path)  # parses and validates: never truncated
        assert len(loaded.stages) == 60
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != path.name]
    assert all(name.endswith(".tmp") for name in leftovers)  # at most orphaned temp files
