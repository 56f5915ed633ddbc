"""cjm.curve_from_engine: the emotion curve of a survey computed in the engine (DuckDB here)
equals the pandas path (Evidence.from_survey + emotion_curve) on the real airline survey:
same n, means and intervals; bad input gets an error naming the column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from needs import module, real_data

import cjm_widgets as cjm

module("duckdb")
module("ibis")

SURVEY = "airline_passenger_satisfaction_train.csv.gz"


def same_curve(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == list(want.columns)
    assert got["n"].tolist() == want["n"].tolist()
    assert got["n_participants"].tolist() == want["n_participants"].tolist()
    assert got["series"].tolist() == want["series"].tolist()
    for col in ("mean", "sd", "ci_low", "ci_high"):
        np.testing.assert_allclose(got[col], want[col], rtol=0, atol=1e-9, equal_nan=True)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=0, atol=1e-9)
    assert {k: v for k, v in got.attrs.items() if k != "engine"} == want.attrs


@pytest.fixture(scope="module")
def airline():
    path = real_data(SURVEY)
    journey = cjm.datasets.airline_journey()
    ev = cjm.Evidence.from_survey(
        str(path), items=cjm.datasets.AIRLINE_ITEMS, missing=(0,), respondent="id",
        journey=journey,
    )  # fmt: skip
    return path, journey, ev


@pytest.mark.parametrize(
    "kw", [{}, {"by": "Class"}, {"by": "Type of Travel", "level": "stage", "overall": True}]
)
def test_curve_from_the_survey_file_equals_the_pandas_path(airline, kw):
    path, journey, ev = airline
    want = cjm.emotion_curve(journey, ev, **kw)
    got = cjm.curve_from_engine(
        journey, str(path), items=cjm.datasets.AIRLINE_ITEMS, missing=(0,), **kw
    )
    same_curve(got, want)
    assert got.attrs["engine"] == "duckdb"
    assert (got["ci_low"].dropna() >= -2).all() and (got["ci_high"].dropna() <= 2).all()


def test_curve_from_parquet_equals_the_pandas_path(airline, tmp_path):
    import duckdb

    path, journey, ev = airline
    out = tmp_path / "survey.parquet"
    duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{path}')) TO '{out}' (FORMAT parquet)")
    got = cjm.curve_from_engine(
        journey, str(out), items=cjm.datasets.AIRLINE_ITEMS, missing=(0,), by="Class"
    )
    same_curve(got, cjm.emotion_curve(journey, ev, by="Class"))


@pytest.fixture()
def small():
    journey = cjm.Journey("J")
    journey.add_stage("S")
    journey.add_touchpoint("S", "Seat")
    journey.add_touchpoint("S", "Food")
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5, 6],
            "seat": [1, 2, 3, 4, 5, 0],
            "food": [5, 5, 4, None, 3, 2],
            "group": ["x", "x", "y", None, "y", "x"],
        }
    )
    return journey, frame


@pytest.mark.parametrize("by_missing", ["drop", "label"])
def test_small_frame_by_hand_and_against_the_store(small, by_missing):
    journey, frame = small
    items = {"seat": "Seat", "food": "Food"}
    got = cjm.curve_from_engine(journey, frame, items=items, by="group", by_missing=by_missing)
    ev = cjm.Evidence.from_survey(frame, items=items, journey=journey, respondent="id")
    same_curve(got, cjm.emotion_curve(journey, ev, by="group", missing=by_missing))
    x = got[(got.touchpoint == "Seat") & (got.series == "x")].iloc[0]
    assert x["n"] == 2 and x["mean"] == pytest.approx((-2 + -1) / 2)  # 0 is "not rated"


def test_bad_input_is_named(small):
    journey, frame = small
    with pytest.raises(cjm.EvidenceError, match="'legroom' is not in the survey"):
        cjm.curve_from_engine(journey, frame, items={"legroom": "Seat"})
    with pytest.raises(cjm.EvidenceError, match=r"'seat' holds values outside its scale 1–4"):
        cjm.curve_from_engine(journey, frame, items={"seat": "Seat"}, scale=(1, 4))
    ok = cjm.curve_from_engine(
        journey, frame, items={"seat": "Seat"}, scale=(1, 4), on_invalid="missing"
    )
    assert ok.loc[ok.touchpoint == "Seat", "n"].item() == 4
    text = frame.astype({"seat": str})
    text.loc[0, "seat"] = "good"
    with pytest.raises(cjm.EvidenceError, match=r"'seat' holds 1 text answers.*'good'"):
        cjm.curve_from_engine(journey, text, items={"seat": "Seat"})
    with pytest.raises(cjm.EvidenceError, match="unknown touchpoint"):
        cjm.curve_from_engine(journey, frame, items={"seat": "Sofa"})


def test_a_respondent_on_two_rows_counts_once(small):
    journey, frame = small
    twice = frame.assign(id=[1, 1, 2, 3, 4, 5])  # respondent 1 answered on two rows
    items = {"seat": "Seat", "food": "Seat"}  # two items on one touchpoint
    got = cjm.curve_from_engine(journey, twice, items=items, by="group")
    seat_x = got[(got.touchpoint == "Seat") & (got.series == "x")].iloc[0]
    assert seat_x["n"] == 5  # group x: seat 1, 2 and food 5, 5, 2 (the seat 0 is not rated)
    assert seat_x["n_participants"] == 2  # respondents 1 and 5
    plain = cjm.curve_from_engine(journey, frame, items=items, by="group")
    p_x = plain[(plain.touchpoint == "Seat") & (plain.series == "x")].iloc[0]
    assert p_x["n"] == seat_x["n"] and p_x["n_participants"] == 3
