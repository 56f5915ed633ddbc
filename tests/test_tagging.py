"""Tagging the evidence store: tag/untag, errors, undo/redo, history, observe, search, tags files,
journey removals."""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from needs import real_data

import cjm_widgets as cjm
from cjm_widgets.errors import EvidenceError, SchemaError, TagError, TagsMismatchError
from cjm_widgets.evidence import Evidence, EvidenceChange, TagSlice
from cjm_widgets.evidence.tags import BUILTIN_LABELS

TEXTS = [
    "The café was lovely",
    "CAFE closed early",
    "Delivery fee only at checkout",
    "Evening slots are always full",
    "<script>alert('x')</script> & \"quotes\"",
    "Courier was friendly",
    "",
    "Naïve question about the crème brûlée",
]


def make_ev(n: int = 8) -> Evidence:
    df = pd.DataFrame(
        {
            "evidence_id": [f"e{i}" for i in range(n)],
            "source": "interview",
            "document": "doc.txt",
            "participant": [f"P{i % 3}" for i in range(n)],
            "position": np.arange(n),
            "text": [TEXTS[i % len(TEXTS)] for i in range(n)],
            "rating": np.nan,
            "household": ["Family", "Single"] * (n // 2) + ["Family"] * (n % 2),
        }
    )
    return Evidence(df)


@pytest.fixture
def journey() -> cjm.Journey:
    return cjm.datasets.grocery_journey()


@pytest.fixture
def ev(journey: cjm.Journey) -> Evidence:
    ev = make_ev()
    ev.link(journey)
    return ev


def same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal frames; categories may have grown (codes are stable, lists only grow)."""
    pd.testing.assert_frame_equal(left, right, check_categorical=False)


def tp_id(journey: cjm.Journey, name: str) -> str:
    return journey.touchpoint(name).id


# ------------------------------------------------------------------------------ tagging


def test_tag_one_row_sets_touchpoint_stage_and_more(ev: Evidence, journey: cjm.Journey) -> None:
    before = pd.Timestamp.now(tz="UTC").floor("s")
    ev.tag("e2", touchpoint="Basket and payment", emotion=-2, labels=["pain point"], coder="AK")
    after = pd.Timestamp.now(tz="UTC").ceil("s")
    row = ev.frame.iloc[2]
    assert row["touchpoint_id"] == tp_id(journey, "Basket and payment")
    assert row["stage_id"] == journey.stage("Checkout").id
    assert row["emotion"] == -2
    assert row["labels"] == ("pain point",)
    assert row["coder"] == "AK"
    assert row["tagged_at"].tzinfo is not None
    assert before <= row["tagged_at"] <= after  # the time of the tag, not of the file
    others = ev.frame.drop(index=2)
    assert others["touchpoint_id"].isna().all() and others["emotion"].isna().all()


def test_selectors_list_mask_query(ev: Evidence) -> None:
    ev.tag(["e0", "e1"], emotion=1)
    assert ev.frame["emotion"].notna().sum() == 2
    mask = ev.frame["household"] == "Single"
    ev.tag(mask, add_labels="quote")
    assert ev.has_label("quote").sum() == int(mask.sum())
    ev.tag("participant == 'P0'", emotion=2)
    assert (ev.frame.loc[ev.frame["participant"] == "P0", "emotion"] == 2).all()
    ev.tag(mask.to_numpy(), stage="Usage")
    assert (ev.frame.loc[mask, "stage_id"].notna()).all()


def test_labels_replace_add_and_custom(ev: Evidence) -> None:
    ev.tag("e0", labels=["pain point", "need"])
    ev.tag("e0", add_labels=["Families", "delight"])
    assert set(ev.frame.loc[0, "labels"]) == {"pain point", "need", "Families", "delight"}
    assert "Families" in ev.label_names and ev.label_names[:5] == list(BUILTIN_LABELS)
    ev.tag("e0", labels="families")  # case-insensitive match of the custom label
    assert ev.frame.loc[0, "labels"] == ("Families",)
    ev.tag("e0", labels=[])
    assert ev.frame.loc[0, "labels"] == ()


def test_stage_alone_and_touchpoint_in_other_stage(ev: Evidence, journey: cjm.Journey) -> None:
    ev.tag("e0", touchpoint="Courier at the door")
    ev.tag("e0", stage="Usage")  # same stage: touchpoint kept
    assert ev.frame.loc[0, "touchpoint_id"] == tp_id(journey, "Courier at the door")
    ev.tag("e0", stage="Checkout")  # other stage: touchpoint dropped
    assert pd.isna(ev.frame.loc[0, "touchpoint_id"])
    assert ev.frame.loc[0, "stage_id"] == journey.stage("Checkout").id


def test_untag_all_and_labels(ev: Evidence) -> None:
    ev.tag(["e0", "e1"], stage="Usage", emotion=1, labels=["quote", "need"], coder="AK")
    ev.untag("e0", labels="quote")
    assert ev.frame.loc[0, "labels"] == ("need",) and ev.frame.loc[0, "emotion"] == 1
    ev.untag("e1")
    row = ev.frame.loc[1]
    assert pd.isna(row["stage_id"]) and np.isnan(row["emotion"]) and row["labels"] == ()
    assert pd.isna(row["coder"]) and pd.isna(row["tagged_at"])


def test_journey_link_by_first_tag(journey: cjm.Journey) -> None:
    ev = make_ev()
    assert ev.journey is None
    with pytest.raises(TagError, match="journey="):
        ev.tag("e0", touchpoint="Substitutions")
    ev.tag("e0", journey=journey, touchpoint="Substitutions")
    assert ev.journey is journey
    assert journey.count_references(touchpoints=["Substitutions"]) == 1


# ------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"selector": "e0", "touchpoint": "Fax order"}, "Unknown touchpoint.*Touchpoints:"),
        ({"selector": "e0", "stage": "Nowhere"}, "Unknown stage.*Stages:"),
        ({"selector": "e0", "emotion": 3}, "-2 to \\+2"),
        ({"selector": "e0", "emotion": -2.5}, "-2 to \\+2"),
        ({"selector": "e0", "emotion": "bad"}, "number"),
        ({"selector": "e0", "emotion": True}, "number"),
        ({"selector": "e0", "emotion": float("nan")}, "-2 to \\+2"),
        ({"selector": ["e0", "zz1", "zz2"], "emotion": 1}, "2 unknown evidence id.*'zz1'"),
        ({"selector": "text == 'nothing like this'", "emotion": 1}, "matched no evidence"),
        ({"selector": np.zeros(8, bool), "emotion": 1}, "matched no evidence"),
        ({"selector": np.zeros(3, bool), "emotion": 1}, "needs 8 values"),
        ({"selector": "not a query (", "emotion": 1}, "not a known evidence id"),
        ({"selector": [1, 2], "emotion": 1}, "got 1"),
        ({"selector": 3.5, "emotion": 1}, "got float"),
        ({"selector": "e0"}, "Nothing to tag"),
        ({"selector": "e0", "labels": [""]}, "label names"),
        ({"selector": "e0", "emotion": 1, "coder": ""}, "coder"),
        (
            {"selector": "e0", "touchpoint": "Courier at the door", "stage": "Checkout"},
            "is in stage 'Usage', not 'Checkout'",
        ),
    ],
)
def test_tag_errors_change_nothing(ev: Evidence, kwargs: dict, match: str) -> None:
    ev.tag("e5", touchpoint="Substitutions", emotion=1, labels="quote", coder="AK")
    before = ev.frame.copy()
    labels_before = list(ev.label_names)
    history = len(ev.history)
    selector = kwargs.pop("selector")
    with pytest.raises(TagError, match=match):
        ev.tag(selector, **kwargs)
    pd.testing.assert_frame_equal(ev.frame, before)
    assert ev.label_names == labels_before
    assert len(ev.history) == history


def test_untag_unknown_label_and_id(ev: Evidence) -> None:
    before = ev.frame.copy()
    with pytest.raises(TagError, match="Unknown label 'nope'"):
        ev.untag("e0", labels="nope")
    with pytest.raises(TagError, match="unknown evidence id"):
        ev.untag(["e0", "missing"])
    pd.testing.assert_frame_equal(ev.frame, before)


def test_unknown_ids_message_shows_first_few_and_count(ev: Evidence) -> None:
    with pytest.raises(TagError) as info:
        ev.tag([f"x{i}" for i in range(40)], emotion=1)
    message = str(info.value)
    assert "40 unknown" in message and "'x0'" in message and "'x39'" not in message


def test_errors_are_cjm_errors() -> None:
    assert issubclass(TagError, EvidenceError) and issubclass(TagError, cjm.CJMError)


# ------------------------------------------------------------------------------ undo / history


def test_undo_redo_restore_state(ev: Evidence) -> None:
    empty = ev.frame.copy()
    ev.tag("e0", touchpoint="Substitutions", emotion=-1, coder="AK")
    one = ev.frame.copy()
    ev.tag(["e0", "e1"], labels="quote", coder="BM")
    two = ev.frame.copy()
    assert ev.undo() is not None
    same(ev.frame, one)
    ev.undo()
    same(ev.frame, empty)
    assert ev.undo() is None and not ev.can_undo
    ev.redo()
    ev.redo()
    same(ev.frame, two)
    assert ev.redo() is None
    ev.undo()
    ev.tag("e3", emotion=2)  # a new edit clears the redo stack
    assert not ev.can_redo


def test_undo_restores_codings(ev: Evidence) -> None:
    ev.tag("e0", emotion=1, coder="AK")
    ev.tag("e0", emotion=-1, coder="BM")
    assert set(ev.codings["coder"]) == {"AK", "BM"}
    ev.undo()
    assert ev.codings["coder"].tolist() == ["AK"]
    ev.redo()
    assert len(ev.codings) == 2


def test_history_log(ev: Evidence, journey: cjm.Journey) -> None:
    ids = [f"e{i}" for i in range(8)]
    ev.tag(ids, touchpoint="Substitutions", emotion=-1, labels="pain point", coder="AK")
    ev.untag("e0")
    ev.undo()
    ev.redo()
    h = ev.history
    assert h["action"].tolist() == ["tag", "untag", "undo", "redo"]
    assert h["op"].tolist() == [1, 2, 3, 4]
    first = h.iloc[0]
    assert first["coder"] == "AK" and first["n_rows"] == 8
    assert first["touchpoint_id"] == tp_id(journey, "Substitutions")
    assert first["stage_id"] == journey.stage("Usage").id
    assert first["emotion"] == -1 and first["labels"] == ("pain point",)
    assert first["ids"] == tuple(ids)
    assert str(h["at"].dtype) == "datetime64[ns, UTC]"
    assert h["target_op"].tolist()[2:] == [2, 2]
    assert ev.history_ids(1) == ids
    with pytest.raises(EvidenceError, match="No operation"):
        ev.history_ids(99)


def test_history_ids_first_ten_only() -> None:
    ev = make_ev(30)
    ev.tag(np.ones(30, bool), emotion=0)
    assert len(ev.history.iloc[0]["ids"]) == 10 and ev.history.iloc[0]["n_rows"] == 30
    assert len(ev.history_ids(1)) == 30


# ------------------------------------------------------------------------------ observe


def test_observe_payloads_including_undo_redo(ev: Evidence) -> None:
    seen: list[EvidenceChange] = []
    cb = ev.observe(seen.append)
    ev.tag(["e3", "e1"], emotion=2, labels="delight", coder="AK")
    ev.tag("e1", emotion=-1)
    ev.undo()
    ev.redo()
    ev.untag("e3")
    assert [c.kind for c in seen] == ["tag", "tag", "undo", "redo", "untag"]
    first = seen[0]
    assert first.rows.dtype == np.int64 and first.rows.tolist() == [1, 3]
    assert first.ids.tolist() == ["e1", "e3"]
    assert isinstance(first.old, TagSlice) and np.isnan(first.old.emotion).all()
    assert first.new.emotion.tolist() == [2, 2]
    assert first.new.labels.tolist() == [2, 2]  # bit 1 = delight
    assert first.new.coder.dtype == np.int32 and ev.coders[first.new.coder[0]] == "AK"
    undo = seen[2]
    assert undo.rows.tolist() == [1] and undo.old.emotion.tolist() == [-1]
    assert undo.new.emotion.tolist() == [2]
    redo = seen[3]
    assert redo.old.emotion.tolist() == [2] and redo.new.emotion.tolist() == [-1]
    assert seen[4].new.touchpoint.tolist() == [-1] and seen[4].new.stage.dtype == np.int32
    ev.unobserve(cb)
    ev.tag("e0", emotion=0)
    assert len(seen) == 5


def test_observer_error_warns_but_keeps_change(ev: Evidence) -> None:
    def broken(change: EvidenceChange) -> None:
        raise RuntimeError("boom")

    ev.observe(broken)
    with pytest.warns(RuntimeWarning, match="boom"):
        ev.tag("e0", emotion=1)
    assert ev.frame.loc[0, "emotion"] == 1


def test_tag_arrays_contract(ev: Evidence, journey: cjm.Journey) -> None:
    ev.tag("e4", touchpoint="Referral code", emotion=1.5, labels=["quote", "x-custom"], coder="AK")
    arrays = ev._tag_arrays()
    assert arrays.touchpoint.dtype == np.int32 and arrays.stage.dtype == np.int32
    assert arrays.labels.dtype == np.int64 and arrays.coder.dtype == np.int32
    assert ev.touchpoint_ids[arrays.touchpoint[4]] == tp_id(journey, "Referral code")
    assert ev.stage_ids[arrays.stage[4]] == journey.stage("Advocacy").id
    assert arrays.labels[4] == (1 << 4) | (1 << ev.label_names.index("x-custom"))
    assert (arrays.touchpoint[:4] == -1).all()
    assert ev.column("text").iloc[4] == TEXTS[4]


# ------------------------------------------------------------------------------ search


def test_search_case_all_words_accents_kept(ev: Evidence) -> None:
    assert ev.search("CAFÉ") == ["e0"]  # accents count unless asked to fold them
    assert ev.search("cafe") == ["e1"]
    assert ev.search("cafe lovely") == []
    assert ev.search("café lovely") == ["e0"]
    assert ev.search("crème brûlée") == ["e7"]
    assert ev.search("creme brulee") == []
    assert ev.search("cafe missing") == []
    assert len(ev.search("   ")) == len(ev)  # an empty query matches every row
    assert ev.search("<script>") == ["e4"]
    ev.tag(ev.search("delivery fee"), labels="pain point")
    assert ev.has_label("pain point").tolist()[2]


def test_search_accents_folded_when_asked(ev: Evidence) -> None:
    assert ev.search("cafe", accents="fold") == ["e0", "e1"]
    assert ev.search("CAFÉ", accents="fold") == ["e0", "e1"]
    assert ev.search("naive brulee", accents="fold") == ["e7"]
    assert ev.search("cafe lovely", accents="fold") == ["e0"]


def test_search_whole_words_phrases_and_exact(ev: Evidence) -> None:
    assert ev.search("slot") == ["e3"]  # inside "slots"
    assert ev.search("slot", match="words") == []
    assert ev.search("slots", match="words") == ["e3"]
    assert ev.search("fee only", match="words") == ["e2"]  # both words, anywhere
    assert ev.search('"only at"', match="words") == ["e2"]  # a phrase
    assert ev.search('"at only"') == []
    assert ev.search("Delivery fee", match="exact") == ["e2"]
    assert ev.search("delivery fee", match="exact") == []  # case counts
    assert ev.search("<script>", match="words") == ["e4"]  # punctuation at the edges


def test_search_options_are_checked(ev: Evidence) -> None:
    with pytest.raises(EvidenceError, match="match must be one of"):
        ev.search("x", match="regex")
    with pytest.raises(EvidenceError, match="accents must be"):
        ev.search("x", accents="strip")
    with pytest.raises(EvidenceError, match="language must be one of"):
        ev.search("x", accents="fold", language="xx")
    with pytest.raises(EvidenceError, match="cannot fold accents"):
        ev.search("x", match="exact", accents="fold")


def test_search_swedish_letters_are_letters() -> None:
    texts = ["Lång kö i kassan", "Vi ska köpa en ko", "Kön var kort", "Kökö", "Det var en kö."]
    ev = Evidence.from_frame(pd.DataFrame({"text": texts}))
    rows = lambda q, **kw: ev.rows_of(ev.search(q, **kw)).tolist()  # noqa: E731
    assert rows("kö", match="words") == [0, 4]
    assert rows("kö") == [0, 1, 2, 3, 4]
    assert rows("ko", match="words") == [1]
    assert rows("ko", match="words", accents="fold") == [0, 1, 4]  # ö folded to o
    assert rows("ko", match="words", accents="fold", language="sv") == [1]  # ö is a letter


def test_search_white_space_and_unicode_forms() -> None:
    nfd = "cafe\u0301"  # "café" written with a combining accent
    texts = ["lost\nluggage at the belt", "LOST\u00a0 LUGGAGE", "lostluggage", nfd]
    ev = Evidence.from_frame(pd.DataFrame({"text": texts}))
    rows = lambda q, **kw: ev.rows_of(ev.search(q, **kw)).tolist()  # noqa: E731
    assert rows('"lost luggage"') == [0, 1]
    assert rows("lost luggage", match="exact") == [0]
    assert rows("café") == [3]  # NFC query finds NFD text


def test_search_one_huge_text() -> None:
    big = "Ordinary words about the trip. " * 200_000 + "The bag never came. " + "Fine. " * 1000
    ev = Evidence.from_frame(pd.DataFrame({"text": [big, "short text", "bag"]}))
    assert ev.rows_of(ev.search("never came")).tolist() == [0]
    assert ev.rows_of(ev.search("bag", match="words")).tolist() == [0, 2]
    assert ev.search("absent") == []


def test_search_real_swedish_reviews() -> None:
    path = real_data("swedish_customer_reviews_sentiment.csv.gz")
    df = pd.read_csv(path)
    ev = Evidence.from_frame(pd.DataFrame({"text": df["text"].astype(str)}))
    words = set(ev.search("kö", match="words"))
    contains = set(ev.search("kö"))
    folded = set(ev.search("kö", accents="fold"))
    # independent count: "kö" as a whole word, by Python's re over the same texts
    expect = {
        f"{i}"
        for i, t in enumerate(df["text"].astype(str))
        if re.search(r"(?<![\w])kö(?![\w])", t.lower())
    }
    assert {x.split(":")[-1] for x in words} == expect
    assert words < contains < folded
    assert len(words) < 0.1 * len(df) < len(folded)


# ------------------------------------------------------------------------------ tags files


def test_save_load_round_trip(tmp_path, journey: cjm.Journey) -> None:
    ev = make_ev()
    ev.tag(
        ["e0", "e1"],
        journey=journey,
        touchpoint="Substitutions",
        emotion=-1,
        labels=["pain point", "diet"],
        coder="AK",
    )
    ev.tag("e1", emotion=1, coder="BM")
    ev.tag("e5", stage="Usage", emotion=0.5)
    path = tmp_path / "tags.json"
    ev.save_tags(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and set(data["tags"]) == {"e0", "e1", "e5"}
    assert data["labels"] == ["diet"]
    assert {(c["evidence_id"], c["coder"]) for c in data["codings"]} == {
        ("e0", "AK"),
        ("e1", "AK"),
        ("e1", "BM"),
    }
    fresh = make_ev()
    fresh.link(journey)
    seen = []
    fresh.observe(seen.append)
    report = fresh.load_tags(path)
    assert report["applied"] == 3 and report["orphans"] == []
    pd.testing.assert_frame_equal(fresh.frame, ev.frame, check_categorical=False)
    pd.testing.assert_frame_equal(fresh.codings, ev.codings, check_categorical=False)
    assert seen[0].kind == "load_tags"
    fresh.undo()
    assert not fresh.tagged_mask.any() and fresh.codings.empty


def test_save_writes_only_changes_from_import(tmp_path) -> None:
    demo = cjm.datasets.demo()
    survey = Evidence.from_survey(
        demo.survey,
        items=demo.survey_items,
        scale=(1, 5),
        missing=(0,),
        respondent="respondent",
        segments=["household"],
        journey=demo.journey,
    )
    path = tmp_path / "tags.json"
    survey.save_tags(path)
    assert json.loads(path.read_text())["tags"] == {}
    first = survey.column("evidence_id").iloc[0]
    second = survey.column("evidence_id").iloc[1]
    survey.untag(first)
    survey.tag(second, emotion=2)
    survey.save_tags(path)
    tags = json.loads(path.read_text())["tags"]
    assert set(tags) == {first, second}
    assert tags[first]["touchpoint_id"] is None and tags[second]["emotion"] == 2
    fresh = Evidence.from_survey(
        demo.survey,
        items=demo.survey_items,
        scale=(1, 5),
        missing=(0,),
        respondent="respondent",
        segments=["household"],
        journey=demo.journey,
    )
    fresh.load_tags(path)
    pd.testing.assert_frame_equal(fresh.frame, survey.frame)


def test_orphan_tags_reported_kept_and_saved_again(tmp_path) -> None:
    big = make_ev(8)
    big.tag(["e1", "e7"], emotion=-2, coder="AK")
    path = tmp_path / "tags.json"
    big.save_tags(path)
    small = make_ev(4)  # e7 no longer exists: other evidence, loaded only when re-bound
    with pytest.raises(TagsMismatchError, match=r"made on 8 rows, this evidence has 4"):
        small.load_tags(path)
    with pytest.warns(UserWarning, match=r"1 tag\(s\) and 1 coding"):
        report = small.load_tags(path, rebind=True)
    assert report["orphans"] == ["e7"] and report["orphan_codings"] == 1
    assert report["binding"]["matched"] == 1 and not report["binding"]["dropped"]
    assert "e7" in small.orphan_tags and small.frame.loc[1, "emotion"] == -2
    again = tmp_path / "again.json"
    small.save_tags(again)
    data = json.loads(again.read_text())
    assert data["tags"]["e7"]["emotion"] == -2
    assert {c["evidence_id"] for c in data["codings"]} == {"e1", "e7"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        big2 = make_ev(8)
        big2.load_tags(again, rebind=True)  # e7 kept its row hash as an orphan: matched
    pd.testing.assert_frame_equal(big2.frame, big.frame, check_categorical=False)


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.update(schema_version=7), "$.schema_version"),
        (lambda d: d["tags"]["e1"].update(emotion=5), '$.tags["e1"].emotion'),
        (lambda d: d["tags"]["e1"].update(labels="quote"), '$.tags["e1"].labels'),
        (lambda d: d["tags"]["e1"].update(colour="red"), '$.tags["e1"].colour'),
        (lambda d: d["tags"]["e1"].update(tagged_at="yesterday"), '$.tags["e1"].tagged_at'),
        (lambda d: d.update(tags=[]), "$.tags"),
        (lambda d: d["codings"][0].pop("coder"), "$.codings[0].coder"),
    ],
)
def test_broken_tags_file_schema_error(tmp_path, mutate, path: str) -> None:
    ev = make_ev()
    ev.tag("e1", emotion=1, coder="AK")
    file = tmp_path / "tags.json"
    ev.save_tags(file)
    data = json.loads(file.read_text())
    mutate(data)
    text = json.dumps(data)
    file.write_text(text)
    target = make_ev()
    before = target.frame.copy()
    with pytest.raises(SchemaError) as info:
        target.load_tags(file)
    assert info.value.path == path and str(file) in str(info.value)
    assert file.read_text() == text
    pd.testing.assert_frame_equal(target.frame, before)


def test_not_json_tags_file(tmp_path) -> None:
    file = tmp_path / "tags.json"
    file.write_text("{not json")
    with pytest.raises(SchemaError, match=r"not valid JSON.*line 1"):
        make_ev().load_tags(file)
    with pytest.raises(EvidenceError, match="No tags file"):
        make_ev().load_tags(tmp_path / "missing.json")


def test_a_journey_file_is_not_taken_for_tags(tmp_path) -> None:
    """Loading the journey file by mistake must not silently clear the hand tags."""
    ev = make_ev()
    ev.tag("e4", labels="quote")
    journey_file = tmp_path / "j.json"
    cjm.Journey.from_template("current_state").save(journey_file)
    with pytest.raises(SchemaError, match="looks like a journey file") as info:
        ev.load_tags(journey_file)
    assert info.value.path == "$.tags"
    assert ev.has_label("quote").sum() == 1  # nothing changed


def test_save_is_atomic_and_keyed_by_id(tmp_path) -> None:
    ev = make_ev()
    ev.tag("e4", labels="quote")
    path = ev.save_tags(tmp_path / "t.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.json"]
    assert "e4" in json.loads(path.read_text())["tags"]


# ------------------------------------------------------------------------------ removals


def test_removal_counts_and_move_tags(ev: Evidence, journey: cjm.Journey) -> None:
    ev.tag(["e0", "e1", "e2"], touchpoint="Substitutions", emotion=-1)
    ev.tag("e3", stage="Usage")
    assert ev.count_tagged(touchpoint_ids=[tp_id(journey, "Substitutions")]) == 3
    removal = journey.remove_touchpoint("Substitutions")
    assert removal.evidence_rows == 3
    orphans = ev.orphaned()
    assert orphans.to_dict("records") == [
        {"kind": "touchpoint", "id": removal.touchpoint_ids[0], "n_rows": 3}
    ]
    seen = []
    ev.observe(seen.append)
    ev.move_tags(removal.touchpoint_ids[0], "Courier at the door")
    assert seen[-1].kind == "move_tags" and seen[-1].rows.tolist() == [0, 1, 2]
    assert ev.orphaned().empty
    assert (ev.frame.loc[:2, "touchpoint_id"] == tp_id(journey, "Courier at the door")).all()
    assert (ev.frame.loc[:2, "emotion"] == -1).all()
    ev.undo()
    assert len(ev.orphaned()) == 1
    stage_removal = journey.remove_stage("Usage")
    assert stage_removal.evidence_rows == 4  # 3 on the (gone) touchpoint's stage + e3
    with pytest.raises(TagError, match="No evidence is tagged"):
        ev.move_tags("t999", "Referral code")
    ev.move_tags(from_stage=stage_removal.stage_ids[0], to_stage="Retention")
    assert ev.orphaned().empty
    assert (ev.frame.loc[:3, "stage_id"] == journey.stage("Retention").id).all()


# ------------------------------------------------------------------------------ property test

LABELS = ["pain point", "quote", "custom-a"]


class Reference:
    """A naive per-row model of the tag state."""

    def __init__(self, n: int) -> None:
        self.rows = [dict(tp=None, emotion=None, labels=frozenset()) for _ in range(n)]
        self.undo: list[list[dict]] = []
        self.redo: list[list[dict]] = []

    def snapshot(self) -> list[dict]:
        return [dict(r) for r in self.rows]

    def push(self) -> None:
        self.undo.append(self.snapshot())
        self.redo.clear()


OPS = st.one_of(
    st.tuples(
        st.just("tag"),
        st.sets(st.integers(0, 7), min_size=1),
        st.sampled_from([None, "Substitutions", "Referral code"]),
        st.sampled_from([None, -2, 0, 1.5]),
        st.sampled_from([None, (), ("quote",), ("pain point", "custom-a")]),
        st.sampled_from([None, ("quote",)]),
    ),
    st.tuples(
        st.just("untag"),
        st.sets(st.integers(0, 7), min_size=1),
        st.sampled_from([None, ("quote",)]),
    ),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPS, max_size=25))
def test_random_ops_match_reference_model(ops) -> None:
    journey = cjm.datasets.grocery_journey()
    ev = make_ev(8)
    ev.link(journey)
    ref = Reference(8)
    for op in ops:
        if op[0] == "tag":
            _, rows, tp, emotion, labels, add = op
            if tp is None and emotion is None and labels is None and add is None:
                with pytest.raises(TagError):
                    ev.tag([f"e{i}" for i in rows])
                continue
            ev.tag(
                [f"e{i}" for i in sorted(rows)],
                touchpoint=tp,
                emotion=emotion,
                labels=labels,
                add_labels=add,
            )
            before, redo = ref.snapshot(), list(ref.redo)
            ref.push()
            for i in rows:
                r = ref.rows[i]
                if tp is not None:
                    r["tp"] = tp
                if emotion is not None:
                    r["emotion"] = emotion
                if labels is not None:
                    r["labels"] = frozenset(labels)
                if add is not None:
                    r["labels"] = r["labels"] | set(add)
            if ref.rows == before:  # the rows had that tag already: no edit, no undo step
                ref.undo.pop()
                ref.redo = redo
        elif op[0] == "untag":
            _, rows, labels = op
            known = {label for r in ref.rows for label in r["labels"]} | set(BUILTIN_LABELS)
            ev.untag([f"e{i}" for i in rows], labels=labels)
            assert labels is None or set(labels) <= known
            ref.push()
            for i in rows:
                if labels is None:
                    ref.rows[i] = dict(tp=None, emotion=None, labels=frozenset())
                else:
                    ref.rows[i]["labels"] = ref.rows[i]["labels"] - set(labels)
        elif op[0] == "undo":
            ev.undo()
            if ref.undo:
                ref.redo.append(ref.snapshot())
                ref.rows = ref.undo.pop()
        else:
            ev.redo()
            if ref.redo:
                ref.undo.append(ref.snapshot())
                ref.rows = ref.redo.pop()
        frame = ev.frame
        for i, r in enumerate(ref.rows):
            got_tp = frame.loc[i, "touchpoint_id"]
            want_tp = tp_id(journey, r["tp"]) if r["tp"] else None
            assert (None if pd.isna(got_tp) else got_tp) == want_tp
            got_em = frame.loc[i, "emotion"]
            assert (None if np.isnan(got_em) else got_em) == r["emotion"]
            assert set(frame.loc[i, "labels"]) == set(r["labels"])


def test_codings_record_only_what_each_coder_set() -> None:
    """Coder C setting only the emotion must not be credited with B's touchpoint and labels."""
    j = cjm.Journey()
    j.add_stage("Buy")
    j.add_touchpoint("Buy", "Checkout")
    j.add_touchpoint("Buy", "Basket")
    ev = cjm.Evidence(pd.DataFrame({"evidence_id": ["a", "b"], "text": ["x", "y"]}))
    ev.tag("a", journey=j, touchpoint="Checkout", labels="pain point", coder="B")
    ev.tag("a", emotion=-1, coder="C")
    codings = ev.codings.set_index("coder")
    assert codings.loc["B", "touchpoint_id"] == "t1"
    assert tuple(codings.loc["B", "labels"]) == ("pain point",)
    assert pd.isna(codings.loc["B", "emotion"])
    assert pd.isna(codings.loc["C", "touchpoint_id"])
    assert tuple(codings.loc["C", "labels"]) == ()
    assert codings.loc["C", "emotion"] == -1
    # the row itself holds the merged latest state
    row = ev.frame.set_index("evidence_id").loc["a"]
    assert (row["touchpoint_id"], row["emotion"]) == ("t1", -1)
    # B adds a label later: B's coding keeps B's touchpoint
    ev.tag("a", add_labels="quote", coder="B")
    b = ev.codings.set_index("coder").loc["B"]
    assert b["touchpoint_id"] == "t1" and set(b["labels"]) == {"pain point", "quote"}


def test_move_tags_moves_the_coders_codings_too() -> None:
    j = cjm.Journey()
    j.add_stage("Buy")
    j.add_touchpoint("Buy", "Fax order")
    j.add_touchpoint("Buy", "Web form")
    ev = cjm.Evidence(pd.DataFrame({"evidence_id": ["a", "b"], "text": ["x", "y"]}))
    ev.tag(["a", "b"], journey=j, touchpoint="Fax order", emotion=-2, coder="B")
    removal = j.remove_touchpoint("Fax order")
    assert removal.evidence_rows == 2
    ev.move_tags("t1", "Web form")
    assert set(ev.codings["touchpoint_id"]) == {"t2"}
    ev.undo()
    assert set(ev.codings["touchpoint_id"]) == {"t1"}


# ----------------------------------------------------------------------------- large tag sets


def test_tags_file_has_one_exact_json_line_per_tag_and_coding(tmp_path, journey) -> None:
    """Rows with the same tag share one encoding in the file writer; every line must still be
    that row's own entry, with ints as ints, halves as floats and text as written."""
    ev = make_ev(40)
    ev.link(journey)
    tps = [t.id for t in journey.touchpoints]
    ids = [f"e{i}" for i in range(40)]
    ev.tag(ids[:30], touchpoint=tps[0], emotion=-2, labels=["pain point"], coder="AK")  # bulk
    ev.tag(ids[5], emotion=0.5, coder="Zoë")
    ev.tag(ids[6], labels=['say "hi" <b>', "quote"], coder="AK")
    ev.tag(ids[31:35], touchpoint=tps[1], emotion=1)
    ev.tag(ids[35], stage=journey.stages[2].id)
    ev.untag(ids[7])
    ev._orphans["gone:1"] = {  # as load_tags keeps a tag of evidence not in the store
        "stage_id": "s9", "touchpoint_id": None, "emotion": 2, "labels": [], "coder": None,
        "tagged_at": None,
    }  # fmt: skip
    path = ev.save_tags(tmp_path / "tags.json")
    text = path.read_text(encoding="utf-8")
    data = ev.tags_dict()
    assert json.loads(text) == data
    lines = text.splitlines()
    tag_lines = [f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
                 for k, v in data["tags"].items()]  # fmt: skip
    start = lines.index(' "tags": {') + 1
    assert [line.rstrip(",") for line in lines[start : start + len(tag_lines)]] == tag_lines
    coding_lines = [f"  {json.dumps(c, ensure_ascii=False)}" for c in data["codings"]]
    start = lines.index(' "codings": [') + 1
    assert [line.rstrip(",") for line in lines[start : start + len(coding_lines)]] == coding_lines
    assert data["tags"]["e5"]["emotion"] == 0.5 and '"emotion": 0.5' in text
    assert '"emotion": -2,' in text and '"emotion": -2.0' not in text
    assert "Zoë" in text and '\\"hi\\" <b>' in text
    # and it loads back into the same state
    fresh = make_ev(40)
    fresh.link(journey)
    with pytest.warns(UserWarning, match="1 tag"):
        fresh.load_tags(path)
    same(fresh.frame, ev.frame)
    pd.testing.assert_frame_equal(fresh.codings, ev.codings)


def test_identical_entries_are_checked_once_but_a_bad_one_is_still_named(tmp_path) -> None:
    entry = {"stage_id": None, "touchpoint_id": None, "emotion": 1, "labels": ["quote"],
             "coder": None, "tagged_at": "2026-01-02T03:04:05+00:00"}  # fmt: skip
    tags = {f"e{i}": dict(entry) for i in range(6)}
    tags["e6"] = {**entry, "emotion": True}  # equal to 1 in Python, not a valid emotion
    file = tmp_path / "tags.json"
    file.write_text(json.dumps({"schema_version": 1, "tags": tags, "codings": []}))
    with pytest.raises(SchemaError) as info:
        make_ev().load_tags(file)
    assert info.value.path == '$.tags["e6"].emotion'
    tags["e6"] = {**entry, "emotion": 1.0}
    tags["e7"] = {**entry, "labels": ["quote", ""]}
    file.write_text(json.dumps({"schema_version": 1, "tags": tags, "codings": []}))
    with pytest.raises(SchemaError) as info:
        make_ev().load_tags(file)
    assert info.value.path == '$.tags["e7"].labels[1]'
    del tags["e7"]
    file.write_text(json.dumps({"schema_version": 1, "tags": tags, "codings": []}))
    ev = make_ev()
    assert ev.load_tags(file)["applied"] == 7
    frame = ev.frame.set_index("evidence_id")
    assert frame.loc[[f"e{i}" for i in range(7)], "emotion"].tolist() == [1.0] * 7
    assert all(labels == ("quote",) for labels in frame.loc[["e0", "e6"], "labels"])
    ev.tag("e0", labels=["pain point"])  # rows that shared one entry in the file stay apart
    assert ev.frame.set_index("evidence_id").loc["e1", "labels"] == ("quote",)


def test_entries_differing_in_one_field_round_trip_through_load_and_save(tmp_path) -> None:
    at = "2026-01-02T03:04:05+00:00"
    base = {"stage_id": "s1", "touchpoint_id": None, "emotion": 1, "labels": ["quote"],
            "coder": "AK", "tagged_at": at}  # fmt: skip
    variants = [
        {}, {"emotion": 2}, {"emotion": 0.5}, {"emotion": None}, {"labels": []},
        {"labels": ["pain point", "quote"]}, {"coder": None}, {"coder": "Zoë"},
        {"stage_id": "s2"}, {"tagged_at": "2026-01-02T03:04:06+00:00"}, {"emotion": -1},
    ]  # fmt: skip
    tags = {f"e{i}": {**base, **v} for i, v in enumerate(variants)}
    file = tmp_path / "in.json"
    file.write_text(json.dumps({"schema_version": 1, "tags": tags, "codings": []}))
    ev = make_ev(len(variants))
    ev.load_tags(file)
    saved = json.loads(ev.save_tags(tmp_path / "out.json").read_text())["tags"]
    assert saved == tags
    assert [type(saved[k]["emotion"]) for k in ("e0", "e2")] == [int, float]


def test_garbage_collection_is_back_on_after_a_good_and_a_bad_tags_file(tmp_path) -> None:
    """Saving and loading pause the cyclic collector for speed; it must never stay off."""
    import gc

    ev = make_ev()
    ev.tag("e1", emotion=1)
    good = ev.save_tags(tmp_path / "good.json")
    assert gc.isenabled()
    make_ev().load_tags(good)
    assert gc.isenabled()
    bad = tmp_path / "bad.json"
    bad.write_text(good.read_text().replace('"emotion": 1', '"emotion": 9'))
    with pytest.raises(SchemaError):
        make_ev().load_tags(bad)
    assert gc.isenabled()
    gc.disable()  # and a caller's own choice is kept
    try:
        make_ev().load_tags(good)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_tag_options_are_keyword_only(ev: Evidence, journey: cjm.Journey) -> None:
    first = str(ev.frame["evidence_id"].iloc[0])
    with pytest.raises(TypeError):
        ev.tag(first, journey, "Basket and payment")  # type: ignore[misc]
    with pytest.raises(TypeError):
        ev.untag(first, "pain point")  # type: ignore[misc]
    assert not ev.tagged_mask.any()  # nothing half-applied
    ev.tag(first, journey, touchpoint="Basket and payment", emotion=-1)
    ev.untag(first, labels="pain point")
    assert ev.frame["emotion"].iloc[0] == -1


@pytest.mark.parametrize(
    "query", ["text:x", "(source", "nosuch > 1", "text.strip()", "rating > 'x'", "[1][5]"]
)
def test_a_bad_query_names_itself_and_changes_nothing(ev: Evidence, query: str) -> None:
    before = ev.frame
    with pytest.raises(TagError, match="not a valid query"):
        ev.tag(query, emotion=1)
    same(ev.frame, before)
