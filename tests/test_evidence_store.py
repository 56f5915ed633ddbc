"""The evidence store: construction, frame, readers wiring, concat, display, real data."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

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


def data_file(name: str) -> Path:
    env = os.environ.get("CJM_DATA_DIR")
    folder = Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "data"
    path = folder / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"real data {name} must be present in CI; not found in {folder}")
        pytest.skip(f"real data {name} not found in {folder} (set CJM_DATA_DIR to its folder)")
    return path


def airline_journey() -> cjm.Journey:
    return cjm.datasets.airline_journey(title="Flight")


@pytest.mark.data
@pytest.mark.slow
def test_real_airline_survey_store() -> None:
    path = data_file("airline_passenger_satisfaction_train.csv.gz")
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
    start = time.perf_counter()
    ev.tag(ids.iloc[12_345], emotion=-2, labels="pain point", coder="AK")
    assert time.perf_counter() - start < 0.05
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
    path = data_file("ba_reviews_airlinequality_markphamm.csv.gz")
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
