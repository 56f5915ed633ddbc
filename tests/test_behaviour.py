"""Behaviour analyses (reach, funnel, flows, variants, contacts) against values worked out
independently with plain pandas, on the two real event logs and on small hand-made logs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from needs import module, real_data

import cjm_widgets as cjm

module("duckdb")
module("ibis")

HELPDESK_MAP = {
    "Insert ticket": "Ticket form",
    "Assign seriousness": "Seriousness set",
    "Take in charge ticket": "Taken in charge",
    "Wait": "Waiting",
    "Resolve ticket": "Resolved",
    "Closed": "Closed",
}


def helpdesk_journey() -> cjm.Journey:
    journey = cjm.Journey("Helpdesk ticket")
    for stage in ("Contact", "Triage", "Resolution", "Closure"):
        journey.add_stage(stage)
    journey.add_touchpoint("Contact", "Ticket form", channel="web")
    journey.add_touchpoint("Triage", "Seriousness set", channel="email")
    journey.add_touchpoint("Triage", "Taken in charge", channel="phone")
    journey.add_touchpoint("Resolution", "Waiting", channel="email")
    journey.add_touchpoint("Resolution", "Resolved", channel="phone")
    journey.add_touchpoint("Closure", "Closed", channel="email")
    return journey


@pytest.fixture(scope="module")
def helpdesk():
    path = real_data("helpdesk_tickets.csv.gz")
    journey = helpdesk_journey()
    events = cjm.Events(
        str(path),
        case="case_id",
        activity="activity",
        time="timestamp",
        segments=["seriousness_2"],
    ).map_to(journey, HELPDESK_MAP)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw = raw.drop_duplicates(["case_id", "activity", "timestamp"])  # as duplicates="drop"
    raw["t"] = pd.to_datetime(raw["timestamp"], utc=True, format="ISO8601")
    names = {tp.name: (tp.id, i) for i, tp in enumerate(journey.touchpoints)}
    stage_of = {tp.id: k for k, st in enumerate(journey.stages) for tp in st.touchpoints}
    raw["tp"] = raw["activity"].map(
        lambda a: names[HELPDESK_MAP[a]][0] if a in HELPDESK_MAP else None
    )
    raw["tp_order"] = raw["activity"].map(
        lambda a: names[HELPDESK_MAP[a]][1] if a in HELPDESK_MAP else np.nan
    )
    raw["stage"] = raw["tp"].map(stage_of)
    raw["sec"] = (
        raw["t"].astype("int64") // 10**9
        if raw["t"].dtype.unit == "ns"
        else (raw["t"].dt.floor("s") - pd.Timestamp(0, tz="UTC")).dt.total_seconds().astype("int64")
    )
    return journey, events, raw


def test_reach_matches_pandas_on_the_helpdesk_log(helpdesk):
    journey, events, raw = helpdesk
    got = cjm.reach(journey, events)
    mapped = raw[raw["tp"].notna()]
    want_cases = mapped.groupby("tp")["case_id"].nunique()
    want_events = mapped.groupby("tp").size()
    assert list(got["touchpoint"]) == [tp.name for tp in journey.touchpoints]
    assert got["cases"].tolist() == [int(want_cases.get(t, 0)) for t in got["touchpoint_id"]]
    assert got["events"].tolist() == [int(want_events.get(t, 0)) for t in got["touchpoint_id"]]
    assert (got["cases_total"] == raw["case_id"].nunique()).all()
    assert got.attrs["unmapped_events"] == int(raw["tp"].isna().sum())
    assert ((got["ci_low"] <= got["share"]) & (got["share"] <= got["ci_high"])).all()


def test_funnel_matches_pandas_on_the_helpdesk_log(helpdesk):
    journey, events, raw = helpdesk
    got = cjm.funnel(journey, events)
    far = raw.groupby("case_id")["stage"].max()
    k = len(journey.stages)
    reached = [int((far >= s).sum()) for s in range(k)]
    assert got["reached"].tolist() == reached
    assert got["left_after"].tolist() == [int((far == s).sum()) for s in range(k)]
    assert (np.diff(got["reached"]) <= 0).all()  # a funnel never widens
    start = raw.groupby("case_id")["sec"].min()
    for s in range(k):
        at = raw[raw["stage"] == s].groupby("case_id")["sec"].min()
        secs = at - start.loc[at.index]
        row = got.iloc[s]
        assert row["visited"] == len(at)
        assert row["time_median_s"] == pytest.approx(secs.median())
        assert row["time_p90_s"] == pytest.approx(secs.quantile(0.9))


def pandas_order(raw: pd.DataFrame) -> pd.DataFrame:
    mapped = raw[raw["tp"].notna()].sort_values(["case_id", "t", "tp_order", "activity"])
    mapped = mapped.copy()
    mapped["next"] = mapped.groupby("case_id")["tp"].shift(-1)
    mapped["next_sec"] = mapped.groupby("case_id")["sec"].shift(-1)
    return mapped


def test_flows_match_pandas_directly_follows_on_the_helpdesk_log(helpdesk):
    journey, events, raw = helpdesk
    got = cjm.flows(journey, events).set_index(["source_id", "target_id"])
    pairs = pandas_order(raw).dropna(subset=["next"])
    pairs = pairs.assign(gap=pairs["next_sec"] - pairs["sec"])
    want = pairs.groupby(["tp", "next"]).agg(count=("gap", "size"), median=("gap", "median"))
    assert len(got) == len(want)
    for (a, b), row in want.iterrows():
        assert got.loc[(a, b), "count"] == row["count"]
        assert got.loc[(a, b), "median_s"] == pytest.approx(row["median"])
    share = got.groupby(level=0)["share"].sum()
    assert np.allclose(share, 1.0)


def test_variants_match_pandas_on_the_helpdesk_log(helpdesk):
    journey, events, raw = helpdesk
    got = cjm.variants(journey, events, top=5)
    paths = pandas_order(raw).groupby("case_id")["tp"].agg(tuple).value_counts()
    top = paths.sort_values(ascending=False).head(5)
    assert got["cases"].tolist() == top.tolist()
    assert [tuple(p) for p in got["path_ids"]][:2] == list(top.index[:2])
    assert got["share"].iloc[0] == pytest.approx(top.iloc[0] / paths.sum())


def test_contacts_on_the_permit_log_match_pandas():
    path = real_data("wabo_receipt_permit_applications.csv.gz")
    journey = cjm.Journey("Permit")
    journey.add_stage("Receipt")
    journey.add_touchpoint("Receipt", "Confirmation")
    events = cjm.Events(
        str(path), case="case_id", activity="activity", time="timestamp", channel="channel"
    ).map_to(journey, lambda a: "Confirmation" if "confirmation" in a.lower() else None)
    got = cjm.contacts(journey, events, within_days=1).set_index("channel")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw["t"] = pd.to_datetime(raw["timestamp"], utc=True, format="ISO8601")
    raw["sec"] = (raw["t"].dt.floor("s") - pd.Timestamp(0, tz="UTC")).dt.total_seconds()
    raw = raw.sort_values(["case_id", "channel", "t"])
    gap = raw["sec"] - raw.groupby(["case_id", "channel"])["sec"].shift(1)
    raw["repeat"] = gap <= 86400
    want = raw.groupby("channel").agg(
        contacts=("sec", "size"), repeats=("repeat", "sum"), cases=("case_id", "nunique")
    )
    for channel, row in want.iterrows():
        assert got.loc[channel, "contacts"] == row["contacts"]
        assert got.loc[channel, "repeats"] == row["repeats"]
        assert got.loc[channel, "cases"] == row["cases"]
    assert got["switches_in"].sum() == 0  # one intake channel per application
    assert got.loc["Internet", "cases"] == 1250  # the data README's count


def small_log(rows, **kw):
    frame = pd.DataFrame(rows, columns=["case", "act", "ts", "chan"])
    return cjm.Events(frame, case="case", activity="act", time="ts", channel="chan", **kw)


@pytest.fixture()
def shop():
    journey = cjm.Journey("Shop")
    journey.add_stage("Find")
    journey.add_stage("Buy")
    journey.add_touchpoint("Find", "Search", channel="web")
    journey.add_touchpoint("Buy", "Checkout", channel="web")
    journey.add_touchpoint("Buy", "Support", channel="phone")
    rows = [
        ("a", "search", "2024-01-01T10:00:00Z", "web"),
        ("a", "pay", "2024-01-01T10:10:00Z", "web"),
        ("a", "call", "2024-01-02T10:00:00Z", "phone"),
        ("a", "call", "2024-01-05T10:00:00Z", "phone"),
        ("b", "search", "2024-02-01T09:00:00Z", "web"),
        ("c", "search", "2024-03-01T09:00:00Z", "app"),
        ("c", "pay", "2024-03-01T09:30:00Z", "app"),
    ]
    mapping = {"search": "Search", "pay": "Checkout", "call": "Support"}
    return journey, small_log(rows).map_to(journey, mapping)


def test_hand_made_log_gives_the_hand_worked_numbers(shop):
    journey, events = shop
    r = cjm.reach(journey, events).set_index("touchpoint")
    assert r["cases"].to_dict() == {"Search": 3, "Checkout": 2, "Support": 1}
    assert r.loc["Support", "events"] == 2
    f = cjm.funnel(journey, events).set_index("stage")
    assert f["reached"].to_dict() == {"Find": 3, "Buy": 2}
    assert f["left_after"].to_dict() == {"Find": 1, "Buy": 2}
    assert f.loc["Buy", "time_median_s"] == (600 + 1800) / 2  # a: 10 min, c: 30 min
    fl = cjm.flows(journey, events).set_index(["source", "target"])
    assert fl.loc[("Search", "Checkout"), "count"] == 2
    assert fl.loc[("Support", "Support"), "median_s"] == 3 * 86400
    v = cjm.variants(journey, events)
    assert dict(zip(v["path"], v["cases"], strict=True)) == {
        "Search → Checkout → Support → Support": 1,
        "Search": 1,
        "Search → Checkout": 1,
    }
    assert v["share"].sum() == pytest.approx(1.0)
    c = cjm.contacts(journey, events, within_days=7).set_index("channel")
    assert c.loc["phone", "repeats"] == 1  # the second call, 3 days after the first
    assert c.loc["phone", "switches_in"] == 1 and c.loc["web", "switches_out"] == 1
    assert (
        cjm.contacts(journey, events, within_days=2)
        .loc[lambda d: d.channel == "phone", "repeats"]
        .item()
        == 0
    )


def test_by_channel_and_period(shop):
    journey, events = shop
    r = cjm.reach(journey, events, by="channel")
    assert set(r["series"]) == {"web", "app"}
    assert r.loc[(r.series == "web") & (r.touchpoint == "Search"), "cases_total"].item() == 2
    p = cjm.funnel(journey, events, by="period", change="2024-01-15")
    assert list(p["series"].unique()) == ["before", "after"]
    assert p.loc[p.series == "after", "cases_total"].iloc[0] == 2
    with pytest.raises(cjm.EventsError, match="change="):
        cjm.reach(journey, events, by="period")
    with pytest.raises(cjm.EventsError, match="'region' is not a column"):
        cjm.reach(journey, events, by="region")


def test_analyses_need_a_mapped_log():
    journey = helpdesk_journey()
    rows = [("a", "x", "2024-01-01T10:00:00Z", "web")]
    with pytest.raises(cjm.EventsError, match="map_to"):
        cjm.reach(journey, small_log(rows))


def test_compare_periods_is_welch_on_the_per_case_values(helpdesk):
    from scipy import stats

    journey, events, raw = helpdesk
    change = "2012-01-01"
    got = cjm.compare_periods(journey, events, change=change).set_index("touchpoint")
    start = raw.groupby("case_id")["t"].min()
    after = start >= pd.Timestamp(change, tz="UTC")
    tp = journey.touchpoint("Waiting").id
    hit = raw[raw["tp"] == tp].groupby("case_id").size().reindex(start.index).notna()
    a, b = hit[~after].astype(float), hit[after].astype(float)
    row = got.loc["Waiting"]
    assert (row["n_a"], row["n_b"]) == (len(a), len(b))
    assert row["mean_b"] - row["mean_a"] == pytest.approx(b.mean() - a.mean())
    want = stats.ttest_ind(b, a, equal_var=False)
    assert row["t"] == pytest.approx(want.statistic)
    assert row["p"] == pytest.approx(want.pvalue)
    assert row["ci_low"] < row["diff"] < row["ci_high"]
    times = cjm.compare_periods(journey, events, change=change, measure="time")
    secs = raw.groupby("case_id")["sec"].min()
    at = (raw[raw["tp"] == tp].groupby("case_id")["sec"].min() - secs).dropna()
    ta, tb = at[~after.loc[at.index]], at[after.loc[at.index]]
    trow = times.set_index("touchpoint").loc["Waiting"]
    assert trow["mean_a"] == pytest.approx(ta.mean()) and trow["sd_b"] == pytest.approx(tb.std())
    assert trow["p"] == pytest.approx(stats.ttest_ind(tb, ta, equal_var=False).pvalue)
