"""The evidence store: construction, frame, readers wiring, concat, display, real data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from needs import real_data

import cjm_widgets as cjm
from cjm_widgets.errors import EvidenceError, TagError
from cjm_widgets.evidence import Evidence, RawEvidence, TagArrays
from cjm_widgets.evidence.readers import read_survey

XSS = "<img src=x onerror=\"alert('hi')\"> & <b>bold</b>"
TAG_COLUMNS = ["stage_id", "touchpoint_id", "emotion", "labels", "coder", "tagged_at"]


def small_frame(n: int = 6, prefix: str = "d") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "evidence_id": [f"{prefix}:{i}" for i in range(n)],
            "source": "review",
            "document": "reviews.csv",
            "participant": [f"C{i}" for i in range(n)],
            "position": np.arange(n),
            "text": [XSS if i == 0 else f"review {i}" for i in range(n)],
            "rating": np.nan,
            "region": [("north", "south")[i % 2] for i in range(n)],
        }
    )


def survey_raw(touchpoints: list[object]) -> RawEvidence:
    n = len(touchpoints)
    frame = pd.DataFrame(
        {
            "evidence_id": [f"s:{i}" for i in range(n)],
            "source": pd.Categorical(["survey"] * n),
            "document": "s",
            "participant": [f"R{i // 2}" for i in range(n)],
            "position": np.arange(n) // 2,
            "text": "",
            "rating": np.arange(n, dtype=float) % 5 + 1,
            "item": pd.Categorical(["q1", "q2"] * (n // 2)),
            "touchpoint": pd.Categorical(touchpoints),
            "emotion": (np.arange(n, dtype=float) % 5) - 2,
            "Class": "Eco",
        }
    )
    return RawEvidence(frame, {"reader": "read_survey", "warnings": []})


# ------------------------------------------------------------------------------ construction


def test_frame_columns_and_dtypes() -> None:
    ev = Evidence(small_frame())
    f = ev.frame
    assert list(f.columns)[:7] == [
        "evidence_id",
        "source",
        "document",
        "participant",
        "position",
        "text",
        "rating",
    ]
    assert list(f.columns)[-6:] == TAG_COLUMNS
    assert "region" in f.columns and ev.segments == ["region"]
    assert isinstance(f.index, pd.RangeIndex) and len(ev) == 6
    assert str(f["tagged_at"].dtype) == "datetime64[ns, UTC]"
    assert f["emotion"].dtype == np.float64
    assert f["labels"].tolist() == [()] * 6
    assert f["touchpoint_id"].isna().all()


def test_frame_cached_and_rebuilt_after_change() -> None:
    ev = Evidence(small_frame())
    first = ev.frame
    cached = ev._frame
    ev.frame  # noqa: B018 - a second read reuses the cache
    assert ev._frame is cached
    ev.tag("d:1", emotion=1)
    assert ev._frame is None or ev._frame is not cached
    assert ev.frame.loc[1, "emotion"] == 1
    assert pd.isna(first.loc[1, "emotion"])  # an earlier frame is a snapshot


def test_editing_the_frame_never_edits_the_store() -> None:
    ev = Evidence(small_frame())
    frame = ev.frame
    frame.loc[0, "emotion"] = 9
    frame.loc[0, "text"] = "changed"
    assert pd.isna(ev.frame.loc[0, "emotion"])
    assert ev.frame.loc[0, "text"] != "changed"


def test_raw_columns_immutable() -> None:
    df = small_frame()
    ev = Evidence(df)
    df.loc[1, "text"] = "changed outside"
    frame = ev.frame
    frame.loc[2, "text"] = "changed the copy"
    ev.tag("d:3", emotion=1)
    assert ev.frame.loc[1, "text"] == "review 1" and ev.frame.loc[2, "text"] == "review 2"
    assert ev.column("text").iloc[2] == "review 2"


def test_minimal_frame_gets_defaults_and_bad_input_errors() -> None:
    ev = Evidence(pd.DataFrame({"evidence_id": ["a", "b"], "text": ["x", "y"]}))
    assert ev.frame["source"].tolist() == ["other", "other"]
    with pytest.raises(EvidenceError, match=r"Missing column 'evidence_id'.*'text'"):
        Evidence(pd.DataFrame({"text": ["x"]}))
    with pytest.raises(EvidenceError, match="RawEvidence"):
        Evidence([1, 2, 3])
    dup = Evidence(pd.DataFrame({"evidence_id": ["a", "a"], "text": ["x", "y"]}))
    with pytest.raises(EvidenceError, match=r"not unique.*'a'"):
        dup.tag("a", emotion=1)


def test_meta_kept_from_reader() -> None:
    ev = Evidence(survey_raw(["Substitutions", None]), journey=cjm.datasets.grocery_journey())
    assert ev.meta["reader"] == "read_survey"


def test_survey_rows_arrive_tagged() -> None:
    journey = cjm.datasets.grocery_journey()
    ev = Evidence(survey_raw(["Substitutions", "t9", None, "courier at the door"]), journey=journey)
    f = ev.frame
    assert f["touchpoint_id"].tolist()[:2] == [journey.touchpoint("Substitutions").id, "t9"]
    assert pd.isna(f.loc[2, "touchpoint_id"])
    assert f.loc[3, "touchpoint_id"] == journey.touchpoint("Courier at the door").id
    assert f.loc[0, "stage_id"] == journey.stage("Usage").id
    assert f["emotion"].tolist() == [-2, -1, 0, 1]
    assert "touchpoint" not in f.columns  # resolved into touchpoint_id / stage_id
    assert ev.journey is journey
    assert journey.count_references(touchpoints=["Substitutions"]) == 1
    assert f["coder"].isna().all() and f["tagged_at"].isna().all()
    assert ev.codings.empty  # import pre-tags are not codings


def test_survey_mapping_errors() -> None:
    journey = cjm.datasets.grocery_journey()
    with pytest.raises(EvidenceError, match=r"'Fax order'.*Touchpoints:.*'Substitutions'"):
        Evidence(survey_raw(["Fax order", "Substitutions"]), journey=journey)
    with pytest.raises(EvidenceError, match="journey="):
        Evidence(survey_raw(["Substitutions", "Referral code"]))


def test_tag_arrays_shapes() -> None:
    ev = Evidence(small_frame())
    arrays = ev._tag_arrays()
    assert isinstance(arrays, TagArrays)
    assert all(
        len(a) == len(ev)
        for a in (arrays.touchpoint, arrays.stage, arrays.emotion, arrays.labels, arrays.coder)
    )
    assert ev.label_names[:5] == ["pain point", "delight", "need", "opportunity", "quote"]


# ------------------------------------------------------------------------------ concat


def test_concat_keeps_ids_tags_and_categories() -> None:
    journey = cjm.datasets.grocery_journey()
    a = Evidence(small_frame(4, "a"))
    a.tag("a:1", labels=["custom"], emotion=1, coder="AK")
    b = Evidence(survey_raw(["Substitutions", "Referral code"]), journey=journey)
    both = Evidence.concat([a, b])
    f = both.frame
    assert f["evidence_id"].tolist() == ["a:0", "a:1", "a:2", "a:3", "s:0", "s:1"]
    assert f.loc[1, "labels"] == ("custom",) and f.loc[1, "coder"] == "AK"
    assert f.loc[4, "touchpoint_id"] == journey.touchpoint("Substitutions").id
    assert isinstance(f["source"].dtype, pd.CategoricalDtype)
    assert set(f["source"]) == {"review", "survey"}
    assert both.journey is journey
    assert both.codings["evidence_id"].tolist() == ["a:1"]
    assert both.meta["reader"] == "concat" and len(both.meta["parts"]) == 2
    both.tag("s:1", emotion=-2)  # id index works on the combined store
    assert both.frame.loc[5, "emotion"] == -2
    # survey pre-tags still count as the import state
    assert set(both.tags_dict()["tags"]) == {"a:1", "s:1"}


def test_concat_collision_error_and_prefixes() -> None:
    a = Evidence(small_frame(3, "x"))
    b = Evidence(small_frame(3, "x"))
    with pytest.raises(EvidenceError, match=r"3 evidence ids.*'x:0'.*prefixes="):
        Evidence.concat([a, b])
    both = Evidence.concat([a, b], prefixes=["a/", "b/"])
    assert both.frame["evidence_id"].tolist()[:2] == ["a/x:0", "a/x:1"]
    assert len(set(both.frame["evidence_id"])) == 6
    with pytest.raises(EvidenceError, match="non-empty list"):
        Evidence.concat([])


# ------------------------------------------------------------------------------ display


def test_xss_quote_kept_verbatim_and_escaped_in_html() -> None:
    ev = Evidence(small_frame())
    assert ev.frame.loc[0, "text"] == XSS
    assert ev.search("onerror") == ["d:0"]
    ev.tag("d:0", labels="quote")
    html = ev._repr_html_()
    assert "<img" not in html and "&lt;img" in html
    assert ev.frame.loc[0, "text"] == XSS


def test_summary_and_repr() -> None:
    ev = Evidence(small_frame())
    ev.tag(["d:0", "d:1"], emotion=1)
    s = ev.summary()
    assert s.loc[0, "rows"] == 6 and s.loc[0, "tagged"] == 2 and s.loc[0, "with_emotion"] == 2
    assert "6 rows, 2 tagged" in repr(ev)
    assert ev.nbytes() > 0


# ------------------------------------------------------------------------------ demo


def test_demo_survey_part_is_tagged() -> None:
    demo = cjm.datasets.demo()
    ev = Evidence.from_survey(
        demo.survey,
        items=demo.survey_items,
        scale=(1, 5),
        missing=(0,),
        respondent="respondent",
        segments=["household", "age_band"],
        text_items=["comment"],
        document="grocery_survey",
        journey=demo.journey,
    )
    f = ev.frame
    rated = f[f["item"].astype("str").isin(list(demo.survey_items))]
    assert len(rated) == len(demo.survey) * len(demo.survey_items)
    assert rated["touchpoint_id"].notna().all() and rated["stage_id"].notna().all()
    zero = rated["rating"] == 0
    assert rated.loc[zero, "emotion"].isna().all()
    assert rated.loc[~zero, "emotion"].between(-2, 2).all()
    assert ev.segments == ["household", "age_band"]


def test_demo_evidence_builds_with_tagged_survey_rows() -> None:
    demo = cjm.datasets.demo()
    ev = demo.evidence()
    f = ev.frame
    survey = f[f["source"] == "survey"]
    rated = survey[survey["item"].astype("str").isin(list(demo.survey_items))]
    assert rated["touchpoint_id"].notna().all()
    assert rated["stage_id"].notna().all()
    assert rated["emotion"].between(-2, 2).any()
    interviews = f[f["source"] == "interview"]
    assert len(interviews) == len(demo.interviews)
    assert interviews["touchpoint_id"].isna().all()
    assert (interviews["role"] == "interviewer").sum() == 40  # questions kept, marked
    assert ev.journey is demo.journey
    assert f["evidence_id"].is_unique
    ev.tag(
        ev.search("evening slot"),
        touchpoint="Delivery slot picker",
        emotion=-2,
        labels="pain point",
        coder="demo",
    )
    assert ev.has_label("pain point").sum() > 0


# ------------------------------------------------------------------------------ real data


def airline_journey() -> cjm.Journey:
    return cjm.datasets.airline_journey(title="Flight")


@pytest.mark.data
@pytest.mark.slow
def test_real_airline_survey_store() -> None:
    path = real_data("airline_passenger_satisfaction_train.csv.gz")
    journey = airline_journey()
    items = list(cjm.datasets.AIRLINE_ITEMS)
    ev = Evidence.from_survey(path, items=items, scale=(1, 5), missing=(0,), journey=journey)
    assert len(ev) == 103_904 * 14
    arrays = ev._tag_arrays()
    assert (arrays.touchpoint >= 0).all() and (arrays.stage >= 0).all()
    raw = pd.read_csv(path)
    assert int(np.isnan(arrays.emotion).sum()) == int((raw[items] == 0).sum().sum())
    ids = ev.column("evidence_id")
    one = ids.iloc[700_001]
    ev.tag(one, emotion=2, coder="AK")  # builds the id index
    ev.tag(ids.iloc[12_345], emotion=-2, labels="pain point", coder="AK")  # timed in benchmarks/
    assert ev.has_label("pain point").sum() == 1 and ev.tagged_mask[12_345]
    mask = np.zeros(len(ev), bool)
    mask[::14] = True
    ev.tag(mask, add_labels="quote")
    assert ev.has_label("quote").sum() == 103_904
    assert ev.count_tagged(touchpoint_ids=[journey.touchpoint("Seat comfort").id]) == 103_904
    long_raw = read_survey(path, items=items, scale=(1, 5), missing=(0,)).frame
    assert ev.nbytes() <= 2 * int(long_raw.memory_usage(deep=True).sum())
    f = ev.frame
    assert f.loc[700_001, "emotion"] == 2 and f.loc[700_001, "coder"] == "AK"
    with pytest.raises(TagError, match="not a known evidence id"):
        ev.tag("airline:nope", emotion=1)


@pytest.mark.data
def test_real_ba_reviews_store() -> None:
    path = real_data("ba_reviews_airlinequality_markphamm.csv.gz")
    df = pd.read_csv(path)
    journey = cjm.Journey(title="BA")
    journey.add_stage("Flight")
    for name in ("Seat", "Cabin crew", "Catering"):
        journey.add_touchpoint("Flight", name)
    ev = Evidence.from_frame(
        df,
        text="review_bodies",
        participant="customer_names",
        missing=(0,),
        journey=journey,
        ratings={
            "Seat Comfort": "Seat",
            "Cabin Staff Service": "Cabin crew",
            "Food & Beverages": "Catering",
        },
    )
    assert len(ev) == len(df) * 4
    hits = ev.search("legroom")
    assert hits and all(isinstance(x, str) for x in hits)
    ev.tag(hits, touchpoint="Seat", labels="pain point", coder="AK")
    assert ev.codings["evidence_id"].nunique() == len(hits)


# ------------------------------------------------------------------------------ more wiring


def test_store_from_its_own_frame_keeps_tags() -> None:
    journey = cjm.datasets.grocery_journey()
    ev = Evidence(small_frame())
    ev.tag(
        ["d:1", "d:2"],
        journey=journey,
        touchpoint="Referral code",
        emotion=-1,
        labels=["quote", "mine"],
        coder="AK",
    )
    again = Evidence(ev.frame)
    pd.testing.assert_frame_equal(again.frame, ev.frame, check_categorical=False)


def test_from_transcripts_wiring() -> None:
    fixtures = Path(__file__).resolve().parent / "fixtures"
    path = fixtures / "interview_anna.txt"  # committed with the tests
    ev = Evidence.from_transcripts([path])
    f = ev.frame
    assert set(f["role"].astype("str")) <= {"interviewer", "participant"}
    assert (f["source"] == "interview").all()
    assert f["touchpoint_id"].isna().all()
    assert ev.meta["reader"] == "read_transcripts" and ev.meta["files"]
    hits = ev.search("PAYMENT")
    assert hits
    ev.tag(hits, labels="pain point")
    assert ev.has_label("pain point").sum() == len(hits)


def test_from_frame_ratings_arrive_tagged() -> None:
    journey = cjm.datasets.grocery_journey()
    reviews = pd.DataFrame({"body": ["Great courier", "Slots full"], "courier": [5, 2]})
    ev = Evidence.from_frame(
        reviews, text="body", ratings={"courier": "Courier at the door"}, journey=journey
    )
    f = ev.frame
    rated = f[f["rating"].notna()]
    assert rated["touchpoint_id"].tolist() == [journey.touchpoint("Courier at the door").id] * 2
    assert rated["emotion"].tolist() == [2.0, -1.0]
    assert f.loc[f["rating"].isna(), "touchpoint_id"].isna().all()


# ------------------------------------------------------------------------------ lazy survey ids

LAZY_ITEMS = ["Seat comfort", "Food and drink", "Checkin service"]


def lazy_survey_df(ids: list[object] | None = None) -> pd.DataFrame:
    ids = ids if ids is not None else [101, 7, 55, 3000, 42]
    n = len(ids)
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"id": ids})
    for item in LAZY_ITEMS:
        df[item] = rng.integers(0, 6, n)
    df["Class"] = [("Eco", "Business")[i % 2] for i in range(n)]
    df["Age"] = np.arange(n) + 20
    return df


def expected_ids(doc: str, respondents: list[object], items: list[str]) -> list[str]:
    """The ids as the reader always wrote them: "<document>:<respondent>:<item>"."""
    return [f"{doc}:{r}:{item}" for r in respondents for item in items]


def test_survey_ids_derived_on_demand_equal_the_written_ids() -> None:
    df = lazy_survey_df()
    ev = Evidence.from_survey(df, items=LAZY_ITEMS, journey=airline_journey(), document="wave1")
    want = expected_ids("wave1", list(df["id"]), LAZY_ITEMS)
    assert ev._ids_built == 0
    # lookups, change ids, history and tags file use the derived ids without building them
    assert ev.rows_of(want).tolist() == list(range(len(want)))
    change = ev.tag(np.arange(len(ev)) % 4 == 1, emotion=1, coder="AK")
    assert change.ids.tolist() == want[1::4]
    assert ev.history_ids(1) == want[1::4]
    assert list(ev.tags_dict()["tags"]) == want[1::4]
    assert ev.codings["evidence_id"].tolist() == want[1::4]
    assert ev._ids_built == 0
    # the full column, when asked for, holds exactly the same ids
    assert ev.column("evidence_id").tolist() == want
    assert ev.frame["evidence_id"].tolist() == want
    assert ev._ids_built == 1
    assert ev.rows_of(want[::-1]).tolist() == list(range(len(want)))[::-1]
    assert ev._ids_built == 1
    with pytest.raises(TagError, match="unknown evidence id"):
        ev.rows_of(["wave1:101:Legroom", "wave1:9:Seat comfort", "wave1:101", "x"])


def test_survey_ids_of_text_and_colon_respondents() -> None:
    keys = ["a:1", " b ", "c:2:Food and drink", "d"]
    df = lazy_survey_df(keys)
    ev = Evidence.from_survey(df, items=LAZY_ITEMS, journey=airline_journey(), document="s")
    want = expected_ids("s", [k.strip() for k in keys], LAZY_ITEMS)
    assert ev._ids_of(np.arange(len(ev))).tolist() == want
    rows = ev.rows_of(want[::3])
    assert rows.tolist() == list(range(0, len(want), 3))
    assert ev.column("evidence_id").tolist() == want


def test_survey_ids_many_at_once_same_as_one_by_one() -> None:
    df = lazy_survey_df(list(range(500, 2500)))
    ev = Evidence.from_survey(df, items=LAZY_ITEMS, journey=airline_journey(), document="s")
    want = expected_ids("s", list(df["id"]), LAZY_ITEMS)
    picks = np.random.default_rng(0).permutation(len(want))[:1500]  # > 1000: vectorised path
    keys = [want[i] for i in picks] + ["s:500:Nope", "s:99999:Seat comfort", "no-colon"]
    rows = ev._lookup(keys)
    assert rows[:-3].tolist() == picks.tolist() and rows[-3:].tolist() == [-1, -1, -1]
    assert [ev._lookup([k])[0] for k in keys[:20]] == picks[:20].tolist()
    assert ev._ids_built == 0


def test_survey_ids_with_colons_in_items_fall_back_to_the_full_index() -> None:
    # "s:a:x:y" is both (a, "x:y") and ("a:x", "y"): the ids collide and lookups say so
    df = pd.DataFrame({"id": ["a", "a:x"], "x:y": [1, 2], "y": [3, 4]})
    journey = cjm.Journey(title="Colons")
    journey.add_stage("Flight")
    for name in ("x:y", "y"):
        journey.add_touchpoint("Flight", name)
    ev = Evidence.from_survey(df, items=["x:y", "y"], document="s", journey=journey)
    assert ev.column("evidence_id").tolist() == ["s:a:x:y", "s:a:y", "s:a:x:x:y", "s:a:x:y"]
    with pytest.raises(EvidenceError, match="not unique"):
        ev.rows_of("s:a:y")
    ok = Evidence.from_survey(
        df.assign(id=["a", "b"]), items=["x:y", "y"], document="s", journey=journey
    )
    assert ok.rows_of(["s:b:x:y", "s:a:y"]).tolist() == [2, 1]


def test_lazy_ids_not_built_by_tagging_curves_or_tags_files(tmp_path: Path) -> None:
    df = lazy_survey_df(list(range(1, 301)))
    journey = airline_journey()
    ev = Evidence.from_survey(df, items=LAZY_ITEMS, journey=journey, document="s")
    mask = ev.column("Class").to_numpy() == "Business"
    ev.tag(mask, touchpoint="Seat comfort", add_labels="quote", coder="AK")
    ev.tag("s:17:Food and drink", emotion=-2, labels="pain point", coder="BO")
    ev.untag(["s:18:Checkin service"])
    ev.undo()
    curve = cjm.emotion_curve(journey, ev, by="Class", min_n=1)
    assert set(curve["series"]) == {"Eco", "Business"}
    ev.save_tags(tmp_path / "tags.json")
    fresh = Evidence.from_survey(df, items=LAZY_ITEMS, journey=journey, document="s")
    fresh.load_tags(tmp_path / "tags.json")
    assert ev._ids_built == 0 and fresh._ids_built == 0
    pd.testing.assert_frame_equal(fresh.frame[TAG_COLUMNS], ev.frame[TAG_COLUMNS])


def test_ids_stable_across_save_and_load(tmp_path: Path) -> None:
    df = lazy_survey_df(list(range(10, 40)))
    journey = airline_journey()
    ev = Evidence.from_survey(df, items=LAZY_ITEMS, journey=journey, document="s")
    ev.tag(np.arange(len(ev)) % 7 == 0, emotion=2, labels=["delight"], coder="AK")
    ev.tag("s:12:Seat comfort", touchpoint="Food and drink", coder="BO")
    file = ev.save_tags(tmp_path / "tags.json")
    saved = json.loads(file.read_text(encoding="utf-8"))
    want = expected_ids("s", list(df["id"]), LAZY_ITEMS)
    assert list(saved["tags"]) == sorted({*want[::7], "s:12:Seat comfort"}, key=want.index)
    # a second store of the same survey (ids built eagerly here) reads the same file
    again = Evidence.from_survey(df, items=LAZY_ITEMS, journey=journey, document="s")
    assert again.column("evidence_id").tolist() == want
    report = again.load_tags(file)
    assert report["orphans"] == [] and report["applied"] == len(saved["tags"])
    pd.testing.assert_frame_equal(again.frame, ev.frame)
    assert again.tags_dict() == ev.tags_dict()


def test_tags_file_written_by_hand_in_the_id_format_loads(tmp_path: Path) -> None:
    # a tags file as earlier versions wrote it: keyed by "<document>:<respondent>:<item>"
    df = lazy_survey_df()
    journey = airline_journey()
    tp = journey.touchpoint("Food and drink")
    entry = {
        "stage_id": journey.stage_of(tp).id,
        "touchpoint_id": tp.id,
        "emotion": -1,
        "labels": ["pain point"],
        "coder": "AK",
        "tagged_at": "2025-01-02T03:04:05Z",
    }
    data = {
        "schema_version": 1,
        "kind": "cjm-evidence-tags",
        "n_rows": 15,
        "labels": [],
        "tags": {"wave1:55:Seat comfort": entry, "wave1:9999:Seat comfort": entry},
        "codings": [],
    }
    (tmp_path / "old.json").write_text(json.dumps(data), encoding="utf-8")
    ev = Evidence.from_survey(df, items=LAZY_ITEMS, journey=journey, document="wave1")
    with pytest.warns(UserWarning, match="not in this store"):
        report = ev.load_tags(tmp_path / "old.json")
    assert report["orphans"] == ["wave1:9999:Seat comfort"]
    row = LAZY_ITEMS.index("Seat comfort") + 2 * len(LAZY_ITEMS)  # respondent 55 is third
    f = ev.frame
    assert f.loc[row, "evidence_id"] == "wave1:55:Seat comfort"
    assert f.loc[row, "touchpoint_id"] == tp.id and f.loc[row, "emotion"] == -1
    assert f.loc[row, "labels"] == ("pain point",)


def test_tagging_never_writes_into_the_reader_result_or_the_input() -> None:
    df = lazy_survey_df()
    raw = read_survey(df, items=LAZY_ITEMS)
    ev = Evidence(raw, journey=airline_journey())
    before = ev.frame["emotion"].to_numpy().copy()
    ev.tag(np.ones(len(ev), bool), emotion=2)
    ev.tag("survey:7:Seat comfort", touchpoint="Checkin service")
    np.testing.assert_array_equal(raw.frame["emotion"].to_numpy(), before)
    assert (raw.frame["touchpoint"] == raw.frame["item"].astype(str)).all()
    ev.undo()
    ev.undo()
    np.testing.assert_array_equal(ev.frame["emotion"].to_numpy(), before)
    # the input frame changed afterwards: the evidence keeps what was read
    ev2 = Evidence.from_survey(df, items=LAZY_ITEMS, journey=airline_journey())
    df.loc[0, "Class"] = "Changed"
    df.loc[0, "Age"] = -1
    assert ev2.column("Class").iloc[0] == "Eco" and ev2.column("Age").iloc[0] == 20


def test_lazy_survey_frame_equals_the_general_path() -> None:
    # plain numeric ratings take the fast path; the same ratings as text take the general one
    df = lazy_survey_df(list(range(1, 41)))
    df.loc[3, "Seat comfort"] = 0
    as_text = df.astype({item: str for item in LAZY_ITEMS})
    fast = read_survey(df, items=LAZY_ITEMS, missing=(0,))
    slow = read_survey(as_text, items=LAZY_ITEMS, missing=(0,))
    assert fast.lazy() is not None
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.lazy() is None  # read once: the store then takes the built frame
    assert np.isnan(fast.frame.loc[3 * len(LAZY_ITEMS), "emotion"])
    assert fast.frame.loc[3 * len(LAZY_ITEMS), "rating"] == 0


@pytest.mark.data
def test_real_airline_survey_ids_unchanged() -> None:
    path = real_data("airline_passenger_satisfaction_train.csv.gz")
    items = list(cjm.datasets.AIRLINE_ITEMS)
    ev = Evidence.from_survey(path, items=items, missing=(0,), journey=airline_journey())
    respondents = pd.read_csv(path)["id"].tolist()
    k = len(items)
    picks = np.random.default_rng(5).choice(len(ev), 3000, replace=False)
    doc = "airline_passenger_satisfaction_train"
    want = [f"{doc}:{respondents[r // k]}:{items[r % k]}" for r in picks]
    assert ev.rows_of(want).tolist() == picks.tolist()
    assert ev._ids_of(picks).tolist() == want
    assert ev._ids_built == 0
    column = ev.column("evidence_id")
    assert column.iloc[picks].tolist() == want and column.is_unique
