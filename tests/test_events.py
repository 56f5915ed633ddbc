"""cjm.Events: reading event logs lazily and reporting what was found (never dropping silently)."""

from __future__ import annotations

import sys

import pandas as pd
import pytest
from needs import module

import cjm_widgets as cjm

module("duckdb")
module("ibis")


def log(rows: list[tuple], **kw) -> cjm.Events:
    frame = pd.DataFrame(rows, columns=["case", "act", "ts"])
    return cjm.Events(frame, case="case", activity="act", time="ts", **kw)


def count(events: cjm.Events, check: str) -> int:
    q = events.quality
    return int(q.loc[q["check"].str.startswith(check), "count"].iloc[0])


def test_import_cjm_widgets_loads_no_engine():
    import subprocess

    code = "import sys, cjm_widgets; print('duckdb' in sys.modules, 'ibis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_missing_column_is_named_with_the_columns_there():
    frame = pd.DataFrame({"case": ["a"], "act": ["x"], "when": ["2020-01-01"]})
    with pytest.raises(cjm.EventsError, match=r"time column 'ts'.*'when'"):
        cjm.Events(frame, case="case", activity="act", time="ts")


def test_empty_log_is_an_error():
    frame = pd.DataFrame({"case": pd.Series([], dtype=str), "act": [], "ts": []}).astype(str)
    with pytest.raises(cjm.EventsError, match="empty"):
        cjm.Events(frame, case="case", activity="act", time="ts")


def test_null_case_is_an_error_naming_the_column_unless_dropped():
    rows = [("a", "x", "2020-01-01T10:00:00Z"), (None, "y", "2020-01-02T10:00:00Z")]
    with pytest.raises(cjm.EventsError, match=r"column 'case' has 1 null or empty case ids"):
        log(rows)
    events = log(rows, invalid="drop")
    assert count(events, "null or empty case") == 1
    assert events.summary()["events"] == 1
    assert events.excluded().count().to_pandas() == 1


def test_unparseable_times_are_shown_in_the_error():
    rows = [("a", "x", "2020-01-01T10:00:00Z"), ("a", "y", "yesterday noon")]
    with pytest.raises(cjm.EventsError, match=r"'ts' has 1 times that cannot be parsed.*yesterday"):
        log(rows)
    assert count(log(rows, invalid="drop"), "unparseable time") == 1


def test_impossible_dates_are_excluded_and_counted():
    rows = [("a", "x", "2019-05-01T10:00:00Z"), ("a", "y", "1948-05-01T10:00:00Z")]
    events = log(rows)
    assert count(events, "impossible date") == 1
    assert events.summary()["events"] == 1
    assert log(rows, valid=(None, None)).summary()["events"] == 2


def test_zones_are_converted_to_utc_and_naive_times_reported():
    rows = [
        ("a", "x", "2020-01-01T10:00:00+02:00"),
        ("a", "y", "2020-01-01T09:00:00Z"),
        ("a", "z", "2020-01-01 09:30:00"),
    ]
    events = log(rows)
    assert count(events, "time with a non-UTC offset") == 1
    assert count(events, "time text without a zone") == 1
    times = events.table.order_by("time").to_pandas()
    assert list(times["activity"]) == ["x", "y", "z"]  # 10:00+02:00 is 08:00 UTC
    assert times["time"].iloc[0] == pd.Timestamp("2020-01-01 08:00", tz="UTC")


def test_duplicates_kept_once_by_default_and_ties_reported():
    rows = [
        ("a", "x", "2020-01-01T10:00:00Z"),
        ("a", "x", "2020-01-01T10:00:00Z"),
        ("a", "y", "2020-01-01T10:00:00Z"),
        ("b", "x", "2020-01-01T11:00:00Z"),
    ]
    events = log(rows)
    assert count(events, "exact duplicates") == 1
    assert count(events, "tied events") == 2
    assert events.summary()["events"] == 3
    assert log(rows, duplicates="keep").summary()["events"] == 4


def test_duckdb_relation_and_parquet_glob(tmp_path):
    import duckdb

    con = duckdb.connect()
    rel = con.sql(
        "select * from (values ('a','x',timestamp '2020-01-01 10:00'),"
        " ('a','y',timestamp '2020-01-02 10:00')) t(c, a, ts)"
    )
    events = cjm.Events(rel, case="c", activity="a", time="ts", con=con)
    assert events.summary()["events"] == 2
    for i in range(2):
        con.sql(
            f"copy (select 'c{i}' as c, 'x' as a, timestamp '2021-01-01' as ts) "
            f"to '{tmp_path}/part{i}.parquet' (format parquet)"
        )
    events = cjm.Events(str(tmp_path / "*.parquet"), case="c", activity="a", time="ts")
    assert events.summary()["cases"] == 2


def test_map_to_keeps_and_reports_unmapped_activities():
    journey = cjm.Journey("J")
    journey.add_stage("S")
    journey.add_touchpoint("S", "Form")
    rows = [("a", "x", "2020-01-01T10:00:00Z"), ("a", "y", "2020-01-02T10:00:00Z")]
    mapped = log(rows).map_to(journey, {"x": "Form", "nope": "Form"})
    assert list(mapped.unmapped["activity"]) == ["y"]
    assert mapped.unmapped.attrs["not_in_log"] == ["nope"]
    assert mapped.summary()["events"] == 2  # unmapped events stay in the log
    with pytest.raises(cjm.EventsError, match=r"unknown touchpoint.*Form"):
        log(rows).map_to(journey, {"x": "Fomr"})
