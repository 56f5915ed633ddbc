"""The same calls on Apache Spark give the same results as on DuckDB (exact counts, times to the
second), on both real event logs. One local Spark session for the whole test run."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from needs import module, real_data, unavailable
from test_behaviour import HELPDESK_MAP, helpdesk_journey

import cjm_widgets as cjm

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def spark():
    module("ibis")
    sql = module("pyspark.sql")
    if shutil.which("java") is None:
        unavailable("Spark needs Java (apt-get install -y default-jre-headless)")
    session = (
        sql.SparkSession.builder.master("local[1]")
        .appName("cjm-widgets-tests")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False, check_exact=False
    )


def both(spark, name: str, journey, mapping, **columns):
    path = str(real_data(name))
    on_duckdb = cjm.Events(path, **columns).map_to(journey, mapping)
    frame = spark.read.csv(path, header=True)  # every column as text, like the DuckDB reader
    on_spark = cjm.Events(frame, **columns).map_to(journey, mapping)
    assert on_spark.backend.name == "pyspark" and on_duckdb.backend.name == "duckdb"
    same(on_spark.quality, on_duckdb.quality)
    return on_duckdb, on_spark


def test_helpdesk_log_gives_the_same_results_on_spark(spark):
    journey = helpdesk_journey()
    duck, spk = both(
        spark, "helpdesk_tickets.csv.gz", journey, HELPDESK_MAP,
        case="case_id", activity="activity", time="timestamp", segments=["seriousness_2"],
    )  # fmt: skip
    calls = [
        (cjm.reach, {}),
        (cjm.funnel, {"by": "seriousness_2"}),
        (cjm.flows, {}),
        (cjm.variants, {"top": 20}),
        (cjm.contacts, {"within_days": 3}),
        (cjm.compare_periods, {"change": "2012-01-01", "measure": "time"}),
    ]
    for fn, kw in calls:
        same(fn(journey, spk, **kw), fn(journey, duck, **kw))


def test_permit_log_with_channels_gives_the_same_results_on_spark(spark):
    journey = cjm.Journey("Permit")
    for stage in ("Receipt", "Assessment"):
        journey.add_stage(stage)
    journey.add_touchpoint("Receipt", "Confirmation")
    journey.add_touchpoint("Assessment", "Advice")

    def mapping(activity: str) -> str | None:
        if "confirmation" in activity.lower():
            return "Confirmation"
        return "Advice" if "advice" in activity.lower() else None

    duck, spk = both(
        spark, "wabo_receipt_permit_applications.csv.gz", journey, mapping,
        case="case_id", activity="activity", time="timestamp", channel="channel",
    )  # fmt: skip
    for fn, kw in [
        (cjm.reach, {"by": "channel"}),
        (cjm.funnel, {"by": "period", "change": "2011-06-01"}),
        (cjm.flows, {"by": "channel"}),
        (cjm.contacts, {"within_days": 7}),
    ]:
        same(fn(journey, spk, **kw), fn(journey, duck, **kw))
