"""The DuckDB SQL path (one ordered table per log and mapping) gives the same frames as the
engine-agnostic Ibis path that Spark runs, on the real logs and on logs with duplicates,
ties and unmapped events in between; and the quality report still says what it found."""

from __future__ import annotations

import pandas as pd
import pytest
from needs import module, real_data
from test_behaviour import HELPDESK_MAP, helpdesk_journey, small_log

import cjm_widgets as cjm
from cjm_widgets.analysis.behaviour import _duck

module("duckdb")
module("ibis")

CALLS = [
    (cjm.reach, {}),
    (cjm.reach, {"level": "stage"}),
    (cjm.funnel, {}),
    (cjm.funnel, {"level": "touchpoint"}),
    (cjm.flows, {}),
    (cjm.flows, {"level": "stage"}),
    (cjm.variants, {"top": None}),
    (cjm.variants, {"level": "stage", "top": 5}),
]


def on_both(monkeypatch, journey, events, fn, **kw):
    """(SQL path, Ibis path) results of one call."""
    assert _duck.applies(events)
    fast = fn(journey, events, **kw)
    with monkeypatch.context() as m:
        m.setattr(_duck, "applies", lambda events: False)
        slow = fn(journey, events, **kw)
    return fast, slow


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False, check_exact=False
    )
    assert a.attrs == b.attrs


@pytest.fixture(scope="module")
def helpdesk():
    journey = helpdesk_journey()
    events = cjm.Events(
        str(real_data("helpdesk_tickets.csv.gz")),
        case="case_id",
        activity="activity",
        time="timestamp",
        segments=["seriousness_2"],
    ).map_to(journey, HELPDESK_MAP)
    return journey, events


@pytest.mark.parametrize(("fn", "kw"), CALLS)
def test_sql_path_equals_ibis_path_on_the_helpdesk_log(monkeypatch, helpdesk, fn, kw):
    journey, events = helpdesk
    same(*on_both(monkeypatch, journey, events, fn, **kw))


@pytest.mark.parametrize("by", [{"by": "seriousness_2"}, {"by": "period", "change": "2012-01-01"}])
def test_sql_path_equals_ibis_path_by_segment_and_period(monkeypatch, helpdesk, by):
    journey, events = helpdesk
    for fn in (cjm.reach, cjm.funnel, cjm.flows, cjm.variants):
        same(*on_both(monkeypatch, journey, events, fn, **by))


#: contacts and compare_periods go through the same shared tables (same frames as Ibis).
LATER_CALLS = [
    (cjm.contacts, {}),
    (cjm.contacts, {"within_days": 0.5}),
    (cjm.contacts, {"by": "seriousness_2", "within_days": 3}),
    (cjm.contacts, {"by": "period", "change": "2012-01-01"}),
    (cjm.compare_periods, {"change": "2012-01-01"}),
    (cjm.compare_periods, {"change": "2012-01-01", "measure": "time"}),
    (cjm.compare_periods, {"change": "2011-06-01", "measure": "time", "level": "stage"}),
]


@pytest.mark.parametrize(("fn", "kw"), LATER_CALLS)
def test_contacts_and_periods_equal_the_ibis_path_on_the_helpdesk_log(
    monkeypatch, helpdesk, fn, kw
):
    journey, events = helpdesk
    fast, slow = on_both(monkeypatch, journey, events, fn, **kw)
    same(fast, slow)
    assert len(fast) > 1


def test_permit_log_by_channel(monkeypatch):
    journey = cjm.Journey("Permit")
    journey.add_stage("Receipt")
    journey.add_stage("Assessment")
    journey.add_touchpoint("Receipt", "Confirmation")
    journey.add_touchpoint("Assessment", "Advice")
    events = cjm.Events(
        str(real_data("wabo_receipt_permit_applications.csv.gz")),
        case="case_id", activity="activity", time="timestamp", channel="channel",
    ).map_to(
        journey,
        lambda a: "Confirmation" if "confirmation" in a.lower()
        else ("Advice" if "advice" in a.lower() else None),
    )  # fmt: skip
    for fn in (cjm.reach, cjm.funnel, cjm.flows, cjm.variants, cjm.contacts):
        same(*on_both(monkeypatch, journey, events, fn, by="channel"))
    same(*on_both(monkeypatch, journey, events, cjm.contacts, within_days=2))
    same(*on_both(monkeypatch, journey, events, cjm.compare_periods, change="2011-06-01"))


@pytest.fixture()
def messy():
    """Duplicates (also of an unmapped event and across an unmapped event), a duplicate that
    differs only in its channel, ties at one time, and a case with only unmapped events."""
    journey = cjm.Journey("Shop")
    journey.add_stage("Find")
    journey.add_stage("Buy")
    journey.add_touchpoint("Find", "Search")
    journey.add_touchpoint("Buy", "Checkout")
    rows = [
        ("a", "search", "2024-01-01T10:00:00Z", "web"),
        ("a", "search", "2024-01-01T10:00:00Z", "web"),  # exact duplicate
        ("a", "log", "2024-01-01T10:05:00Z", "web"),  # unmapped in between
        ("a", "log", "2024-01-01T10:05:00Z", "web"),  # its duplicate
        ("a", "pay", "2024-01-01T10:10:00Z", "web"),
        ("a", "pay", "2024-01-01T10:10:00Z", "app"),  # same key, other channel: kept
        ("b", "pay", "2024-01-02T09:00:00Z", "web"),
        ("b", "search", "2024-01-02T09:00:00Z", "web"),  # tie: journey order puts it first
        ("c", "log", "2024-01-03T09:00:00Z", None),
    ]
    return journey, rows, {"search": "Search", "pay": "Checkout"}


@pytest.mark.parametrize("duplicates", ["drop", "keep"])
def test_duplicates_and_ties_give_the_same_frames_on_both_paths(monkeypatch, messy, duplicates):
    journey, rows, mapping = messy
    events = small_log(rows, duplicates=duplicates).map_to(journey, mapping)
    for fn, kw in CALLS:
        same(*on_both(monkeypatch, journey, events, fn, **kw))
    for by in ("channel",):
        for fn in (cjm.reach, cjm.flows, cjm.contacts):
            same(*on_both(monkeypatch, journey, events, fn, by=by))
    for days in (0.001, 7):
        same(*on_both(monkeypatch, journey, events, cjm.contacts, within_days=days))
    for measure in ("reach", "time"):
        kw = {"change": "2024-01-02", "measure": measure, "min_n": 1}
        same(*on_both(monkeypatch, journey, events, cjm.compare_periods, **kw))


def test_duplicates_are_counted_once_by_hand(messy):
    journey, rows, mapping = messy
    events = small_log(rows).map_to(journey, mapping)
    r = cjm.reach(journey, events).set_index("touchpoint")
    assert r["events"].to_dict() == {"Search": 2, "Checkout": 3}  # a: 1 + 2 channels, b: 1
    assert r.attrs["unmapped_events"] == 2  # a's "log" once, c's "log"
    fl = cjm.flows(journey, events).set_index(["source", "target"])
    assert fl.loc[("Search", "Checkout"), "count"] == 2  # a (across its unmapped event), b
    assert fl.loc[("Search", "Checkout"), "median_s"] == (600 + 0) / 2
    assert fl.loc[("Checkout", "Checkout"), "count"] == 1  # a's two channels of "pay"
    q = events.quality.set_index("check")["count"]
    assert q["exact duplicates (case, activity, time)"] == 3
    assert q["tied events (same case and time, other activity)"] == 2


def test_a_changed_journey_order_is_not_served_from_the_cache(messy):
    journey, rows, mapping = messy
    events = small_log(rows).map_to(journey, mapping)
    before = cjm.funnel(journey, events, level="touchpoint")
    journey.move_touchpoint("Checkout", "Find", 0)
    after = cjm.funnel(journey, events, level="touchpoint")
    assert list(before["touchpoint"]) == ["Search", "Checkout"]
    assert list(after["touchpoint"]) == ["Checkout", "Search"]
    assert after.set_index("touchpoint").loc["Search", "reached"] == 2


def test_groupings_in_slices_of_cases_give_the_same_frames(monkeypatch, helpdesk):
    """Large logs group by case in slices of case ids (bounded hash tables): forced here on
    the helpdesk log with slices of ~1,000 steps, the frames are those of one slice."""
    journey, events = helpdesk
    calls = [*CALLS, (cjm.flows, {"by": "seriousness_2"}), *LATER_CALLS]
    whole = [fn(journey, events, **kw) for fn, kw in calls]
    monkeypatch.setattr(_duck, "SLICE_ROWS", 1000)
    _duck.forget(events)
    assert len(_duck.slices(events.backend.con, *_tables(journey, events))) > 10
    for (fn, kw), want in zip(calls, whole, strict=True):
        same(fn(journey, events, **kw), want)
    monkeypatch.undo()
    _duck.forget(events)


def _tables(journey, events):
    t = _duck.prepared_tables(journey, events, None, None)
    return t.steps, t.cases


@pytest.mark.parametrize("by", [None, "seriousness_2"])
def test_per_case_masks_give_the_frames_of_the_per_place_tables(monkeypatch, helpdesk, by):
    """Journeys of up to MASK_PLACES touchpoints get reach and the stage funnel from one
    per-case table (visited touchpoints as bits); larger ones from the per-place tables. Forced
    onto the per-place tables here, the frames are the same."""
    journey, events = helpdesk
    calls = [(cjm.reach, {"by": by}), (cjm.reach, {"by": by, "level": "stage"}),
             (cjm.funnel, {"by": by})]  # fmt: skip
    _duck.forget(events)
    masked = [fn(journey, events, **kw) for fn, kw in calls]
    assert _duck.prepared_tables(journey, events, by, None).maskable
    monkeypatch.setattr(_duck, "MASK_PLACES", 0)
    _duck.forget(events)
    assert not _duck.prepared_tables(journey, events, by, None).maskable
    for (fn, kw), want in zip(calls, masked, strict=True):
        same(fn(journey, events, **kw), want)
    monkeypatch.undo()
    _duck.forget(events)
