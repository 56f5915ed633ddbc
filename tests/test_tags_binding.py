"""Tags files bound to the evidence and journey they were made on (issue 14, case 3)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cjm_widgets as cjm
from cjm_widgets.errors import TagsMismatchError
from cjm_widgets.evidence import Evidence

TAG_COLUMNS = ["stage_id", "touchpoint_id", "emotion", "labels", "coder"]


def reviews(texts: list[str], prefix: str = "review") -> Evidence:
    """Reviews with ids ``review:0..n-1`` (ids like these repeat across review sets)."""
    df = pd.DataFrame(
        {
            "evidence_id": [f"{prefix}:{i}" for i in range(len(texts))],
            "source": "review",
            "text": texts,
        }
    )
    return Evidence(df)


def lounge_journey() -> cjm.Journey:
    j = cjm.Journey("Lounge")
    j.add_stage("Airport")
    j.add_touchpoint("Airport", "Lounge access")  # t1
    j.add_touchpoint("Airport", "Lounge food")  # t2
    return j


def seat_journey() -> cjm.Journey:
    j = cjm.Journey("Seat")
    j.add_stage("Flight")
    j.add_touchpoint("Flight", "Legroom")  # t1, the same id as "Lounge access"
    j.add_touchpoint("Flight", "Recline")
    return j


LOUNGE = [f"The lounge was crowded, visit {i}" for i in range(6)]
SEATS = [f"Seat {i} had no legroom at all" for i in range(4)]


def saved_lounge_tags(tmp_path: Path) -> tuple[Evidence, cjm.Journey, Path]:
    journey = lounge_journey()
    ev = reviews(LOUNGE).link(journey)
    ev.tag(["review:1", "review:3", "review:5"], touchpoint="Lounge access", emotion=-2)
    path = tmp_path / "lounge.tags.json"
    ev.save_tags(path)
    return ev, journey, path


def test_tags_of_other_evidence_are_refused_and_nothing_is_loaded(tmp_path: Path) -> None:
    # the case: lounge-review tags loaded into seat reviews whose ids all exist
    _, _, path = saved_lounge_tags(tmp_path)
    seats = reviews(SEATS).link(seat_journey())
    seats.tag("review:0", emotion=1)
    before = seats.frame[TAG_COLUMNS].copy()
    with pytest.raises(TagsMismatchError) as err:
        seats.load_tags(path)
    text = str(err.value)
    assert "made on 6 rows, this evidence has 4" in text
    assert "1 tagged row have another text" not in text
    assert "tagged rows have another text or source here" in text
    assert "rebind=True" in text
    pd.testing.assert_frame_equal(seats.frame[TAG_COLUMNS], before)
    assert seats.history["action"].tolist() == ["tag"]  # no load_tags step


def test_same_row_count_but_other_texts_is_refused(tmp_path: Path) -> None:
    _, journey, path = saved_lounge_tags(tmp_path)
    other = reviews([f"Other review {i}" for i in range(6)]).link(journey)
    with pytest.raises(TagsMismatchError, match="the texts or sources differ") as err:
        other.load_tags(path)
    assert "3 tagged rows have another text or source here (e.g. 'review:1'" in str(err.value)
    assert not other.tagged_mask.any()


def test_tags_made_with_another_journey_are_refused(tmp_path: Path) -> None:
    _, _, path = saved_lounge_tags(tmp_path)
    same_rows = reviews(LOUNGE).link(seat_journey())
    with pytest.raises(TagsMismatchError) as err:
        same_rows.load_tags(path)
    text = str(err.value)
    assert "touchpoint t1 was 'Lounge access' when the tags were saved" in text
    assert "in this journey it is 'Legroom'" in text
    assert not same_rows.tagged_mask.any()


def test_same_evidence_and_journey_load_without_a_word(tmp_path: Path) -> None:
    ev, journey, path = saved_lounge_tags(tmp_path)
    fresh = reviews(LOUNGE).link(journey)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = fresh.load_tags(path)
    assert report["binding"]["status"] == "same" and report["applied"] == 3
    pd.testing.assert_frame_equal(fresh.frame[TAG_COLUMNS], ev.frame[TAG_COLUMNS])


def test_rebind_matches_moves_and_drops_by_content(tmp_path: Path) -> None:
    _, journey, path = saved_lounge_tags(tmp_path)
    # review:1 is the same; review:3's text now sits at review:0 (re-ordered); review:5 is gone
    # and its id now holds another review; two new reviews at the end
    texts = [LOUNGE[3], LOUNGE[1], LOUNGE[2], LOUNGE[0], LOUNGE[4], "Something else", "New"]
    ev = reviews(texts).link(journey)
    report = ev.load_tags(path, rebind=True)
    binding = report["binding"]
    assert binding["status"] == "rebound"
    assert binding["matched"] == 1
    assert binding["moved"] == {"review:3": "review:0"}
    assert binding["dropped"] == {"review:5": "no row here has its text and source"}
    tagged = ev.frame.loc[ev.tagged_mask, ["evidence_id", "text", "touchpoint_id", "emotion"]]
    assert tagged["evidence_id"].tolist() == ["review:0", "review:1"]
    assert tagged["text"].tolist() == [LOUNGE[3], LOUNGE[1]]
    assert set(tagged["touchpoint_id"]) == {"t1"} and set(tagged["emotion"]) == {-2.0}
    ev.undo()  # one undoable step
    assert not ev.tagged_mask.any()


def test_rebind_drops_rows_whose_text_is_not_unique(tmp_path: Path) -> None:
    _, journey, path = saved_lounge_tags(tmp_path)
    texts = [LOUNGE[3], LOUNGE[3], "x", "y", "z", LOUNGE[5], LOUNGE[1]]
    ev = reviews(texts).link(journey)
    report = ev.load_tags(path, rebind=True)["binding"]
    assert report["dropped"] == {"review:3": "2 rows here have its text and source"}
    assert report["moved"] == {"review:1": "review:6"}
    assert report["matched"] == 1  # review:5 has its text still


def test_rebind_moves_tags_to_the_touchpoint_of_their_name(tmp_path: Path) -> None:
    _, _, path = saved_lounge_tags(tmp_path)
    journey = cjm.Journey("Lounge, rebuilt")
    journey.add_stage("Before")  # s1
    journey.add_stage("Airport")  # s2
    journey.add_touchpoint("Before", "Check-in")  # t1
    journey.add_touchpoint("Airport", "Lounge access")  # t2
    ev = reviews(LOUNGE).link(journey)
    with pytest.raises(TagsMismatchError, match="touchpoint t1 was 'Lounge access'"):
        ev.load_tags(path)
    report = ev.load_tags(path, rebind=True)
    assert report["binding"]["places"]["t1"] == "t2"
    tagged = ev.frame.loc[ev.tagged_mask]
    assert set(tagged["touchpoint_id"]) == {"t2"} and set(tagged["stage_id"]) == {"s2"}


def test_a_renamed_touchpoint_keeps_its_tags_when_rebound(tmp_path: Path) -> None:
    ev, journey, path = saved_lounge_tags(tmp_path)
    journey.rename_touchpoint("t1", "Lounge entry")
    fresh = reviews(LOUNGE).link(journey)
    with pytest.raises(TagsMismatchError, match="in this journey it is 'Lounge entry'"):
        fresh.load_tags(path)
    report = fresh.load_tags(path, rebind=True)
    assert report["binding"]["places"] == {"t1": "t1"}
    pd.testing.assert_frame_equal(fresh.frame[TAG_COLUMNS], ev.frame[TAG_COLUMNS])


def test_old_file_without_fingerprint_loads_with_a_warning(tmp_path: Path) -> None:
    _, journey, path = saved_lounge_tags(tmp_path)
    data = json.loads(path.read_text())
    del data["fingerprint"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    fresh = reviews(LOUNGE).link(journey)
    with pytest.warns(UserWarning, match="has no fingerprint"):
        report = fresh.load_tags(old)
    assert report["binding"]["status"] == "unchecked" and report["applied"] == 3
    # its row count is still checked
    with pytest.raises(TagsMismatchError, match="evidence of 6 rows; this evidence has 4"):
        reviews(SEATS).load_tags(old)


def test_fingerprint_records_rows_and_touchpoints(tmp_path: Path) -> None:
    ev, _, path = saved_lounge_tags(tmp_path)
    fp = json.loads(path.read_text())["fingerprint"]
    assert fp["n_rows"] == 6 and len(fp["ids"]) == 32 and len(fp["content"]) == 32
    assert fp["touchpoints"] == {"t1": "Lounge access", "t2": "Lounge food"}
    assert ev.tags_dict()["fingerprint"] == fp
    # the same texts under other ids: same content digest, other ids digest
    other = reviews(LOUNGE, prefix="r")
    other.save_tags(tmp_path / "other.json")
    fp2 = json.loads((tmp_path / "other.json").read_text())["fingerprint"]
    assert fp2["content"] == fp["content"] and fp2["ids"] != fp["ids"]


def test_rows_hash_alike_whatever_the_column_dtype() -> None:
    from cjm_widgets.evidence.binding import row_hashes

    a = reviews(LOUNGE)
    df = pd.DataFrame(
        {
            "evidence_id": [f"review:{i}" for i in range(6)],
            "source": pd.Categorical(["review"] * 6),
            "text": pd.Series(LOUNGE, dtype="category"),
        }
    )
    b = Evidence(df)
    assert np.array_equal(row_hashes(a), row_hashes(b))
    assert len(set(row_hashes(a).tolist())) == 6


@pytest.mark.data
def test_real_reviews_tags_of_one_cabin_refused_in_another(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from needs import real_data

    df = pd.read_csv(real_data("ba_reviews_airlinequality_markphamm.csv.gz"))
    df = df.dropna(subset=["review_bodies"])

    def cabin(seat: str) -> Evidence:
        part = df[df["Seat Type"] == seat].reset_index(drop=True)
        ids = [f"review:{i}" for i in range(len(part))]  # ids repeat across the two sets
        return Evidence(pd.DataFrame({"evidence_id": ids, "source": "review",
                                      "text": part["review_bodies"]}))  # fmt: skip

    economy, business = cabin("Economy Class"), cabin("Business Class")
    lounge = cjm.Journey("Lounge")
    lounge.add_stage("Airport")
    lounge.add_touchpoint("Airport", "Lounge")
    economy.link(lounge).tag(economy.search("lounge"), touchpoint="Lounge", emotion=-1)
    n_tagged = int(economy.tagged_mask.sum())
    assert n_tagged > 20
    economy.save_tags(tmp_path / "economy.tags.json")
    business.link(lounge)
    with pytest.raises(TagsMismatchError) as err:
        business.load_tags(tmp_path / "economy.tags.json")
    assert f"made on {len(economy):,} rows, this evidence has {len(business):,}" in str(err.value)
    assert not business.tagged_mask.any()
    report = business.load_tags(tmp_path / "economy.tags.json", rebind=True)["binding"]
    # no economy review is a business review: nothing lands on another review
    assert report["matched"] == 0 and report["moved"] == {}
    assert len(report["dropped"]) + len(business.orphan_tags) == n_tagged
    assert not business.tagged_mask.any()
