"""Quotes are spans: ev.add_quote, ev.quotes_of, undo/redo, the tags file and rebinding."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cjm_widgets as cjm
from cjm_widgets.errors import EvidenceError, TagsMismatchError

TEXTS = [
    "Check-in was quick. The bag never arrived 😀 and nobody called back.",
    "Caf\u00e9 on board: the cre\u0300me was cold.\r\nStaff were kind.",
    "Fine flight.",
]


def reviews(texts: list[str] = TEXTS) -> cjm.Evidence:
    df = pd.DataFrame({"body": texts, "country": ["UK", "FI", "SE"], "stars": [1, 4, 5]})
    return cjm.Evidence.from_frame(df, text="body", segments=["country"])


def test_add_quote_copies_the_parent_and_cuts_its_text() -> None:
    ev = reviews()
    start = TEXTS[0].index("The bag")
    end = TEXTS[0].index(" and nobody")
    q = ev.add_quote("review:0", start, end, text_check="The bag never arrived 😀")
    assert q == f"review:0#{start}-{end}"
    row = ev.frame.set_index("evidence_id").loc[q]
    parent = ev.frame.set_index("evidence_id").loc["review:0"]
    assert row["text"] == "The bag never arrived 😀"
    assert (row["parent_id"], row["span_start"], row["span_end"]) == ("review:0", start, end)
    for column in ("participant", "source", "document", "country"):
        assert row[column] == parent[column]
    assert "parent_id" not in ev.segments and ev.segments == ["country"]
    table = ev.quotes_of("review:0")
    assert table[["evidence_id", "start", "end", "text"]].values.tolist() == [
        [q, start, end, "The bag never arrived 😀"]
    ]


def test_offsets_count_code_points_of_the_raw_text() -> None:
    ev = reviews()
    text = TEXTS[1]
    start = text.index("cre\u0300me")  # e + combining grave: two code points
    q = ev.add_quote("review:1", start, start + 6)
    assert ev.frame.set_index("evidence_id").loc[q, "text"] == "cre\u0300me"
    crlf = text.index("\r\n")
    q2 = ev.add_quote("review:1", crlf - 5, crlf + 7)
    assert ev.frame.set_index("evidence_id").loc[q2, "text"] == "cold.\r\nStaff"


def test_adding_the_same_span_twice_changes_nothing() -> None:
    ev = reviews()
    q = ev.add_quote("review:0", 0, 19)
    n, steps = len(ev), len(ev.history)
    assert ev.add_quote("review:0", 0, 19) == q
    assert (len(ev), len(ev.history)) == (n, steps)


def test_a_quote_is_tagged_like_any_row_and_undo_redo_keep_its_id() -> None:
    journey = cjm.Journey.from_template("current_state", stages="five_stage")
    journey.add_touchpoint("Purchase", "Baggage claim")
    ev = reviews()
    q = ev.add_quote("review:0", 20, 41)
    ev.tag(q, journey=journey, touchpoint="Baggage claim", emotion=-2)
    curve = cjm.emotion_curve(journey, ev).set_index("touchpoint")
    assert curve.loc["Baggage claim", "n"] == 1
    ev.undo()  # the tag
    ev.undo()  # the quote
    assert len(ev) == 3 and q not in set(ev.frame["evidence_id"])
    assert "parent_id" not in ev.frame.columns
    ev.redo()
    assert ev.frame["evidence_id"].tolist()[-1] == q
    ev.redo()
    assert ev.quotes_of("review:0")["emotion"].tolist() == [-2.0]
    assert cjm.emotion_curve(journey, ev).set_index("touchpoint").loc["Baggage claim", "n"] == 1


def test_a_quote_of_a_quote_points_at_the_original_parent() -> None:
    ev = reviews()
    outer = ev.add_quote("review:0", 20, 62)  # "The bag never arrived 😀 and nobody called"
    inner = ev.add_quote(outer, 4, 7)  # "bag"
    assert inner == "review:0#24-27"
    row = ev.frame.set_index("evidence_id").loc[inner]
    assert (row["parent_id"], row["text"]) == ("review:0", "bag")
    assert ev.quotes_of("review:0")["evidence_id"].tolist() == [outer, inner]


@pytest.mark.parametrize(
    ("parent", "start", "end", "words"),
    [
        ("review:9", 0, 3, "no evidence row 'review:9'"),
        ("review:2", 5, 3, "need 0 <= start < end <= 12"),
        ("review:2", 0, 13, "need 0 <= start < end <= 12"),
        ("review:2", -1, 3, "need 0 <= start < end <= 12"),
        ("review:2", 4, 5, "only white space"),
        ("review:2", 1.0, 3, "start must be a whole number"),
        ("review:2", 0, True, "end must be a whole number"),
    ],
)
def test_bad_spans_are_refused_and_nothing_changes(
    parent: str, start: object, end: object, words: str
) -> None:
    ev = reviews()
    with pytest.raises(EvidenceError, match=words.replace("(", r"\(").replace("[", r"\[")):
        ev.add_quote(parent, start, end)  # type: ignore[arg-type]
    assert len(ev) == 3 and not ev.can_undo


def test_text_check_names_what_the_span_reads() -> None:
    ev = reviews()
    with pytest.raises(EvidenceError, match="reads 'Fine', not 'Good'"):
        ev.add_quote("review:2", 0, 4, text_check="Good")
    assert len(ev) == 3


def test_a_rating_row_has_no_text_to_quote() -> None:
    journey = cjm.Journey.from_template("current_state", stages="five_stage")
    journey.add_touchpoint("Purchase", "Seat Comfort")
    df = pd.DataFrame({"body": ["Seats fine."], "Seat Comfort": [4]})
    ev = cjm.Evidence.from_frame(
        df, text="body", ratings=["Seat Comfort"], scale=(1, 5), journey=journey
    )
    rating = next(i for i in ev.frame["evidence_id"] if i != "review:0")
    with pytest.raises(EvidenceError, match="no text to quote"):
        ev.add_quote(rating, 0, 1)


def test_quotes_and_their_tags_survive_save_and_reopen(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "t.tags.json"
    ev = reviews().open_tags(path, delay=0.5)
    q = ev.add_quote("review:0", 20, 41)
    ev.tag(q, emotion=-2, labels="pain point", coder="anna")
    ev.tag("review:2", emotion=1)
    ev.save_tags(path)
    again = reviews().open_tags(path, delay=0.5)  # a notebook run again
    assert again.frame["evidence_id"].tolist() == ev.frame["evidence_id"].tolist()
    table = again.quotes_of("review:0")
    assert table[["evidence_id", "start", "end", "emotion"]].values.tolist() == [[q, 20, 41, -2.0]]
    assert table["labels"].tolist() == [("pain point",)]
    assert again.codings.set_index("evidence_id").loc[q, "coder"] == "anna"
    again.undo()  # the load
    again.undo()  # the quotes it re-created
    assert len(again) == 3


def test_a_parent_whose_text_changed_moves_or_drops_its_quotes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "t.tags.json"
    ev = reviews()
    moved = ev.add_quote("review:0", 20, 41)  # "The bag never arrived"
    gone = ev.add_quote("review:2", 0, 4)  # "Fine"
    ev.tag([moved, gone], emotion=-1)
    ev.save_tags(path)
    changed = [
        "Oh. " + TEXTS[0],  # the words are still there, 4 characters later
        TEXTS[1],
        "Awful flight.",  # "Fine" is gone
    ]
    other = reviews(changed)
    with pytest.raises(TagsMismatchError, match="rebind=True"):
        other.load_tags(path)
    assert len(other) == 3 and not other.can_undo  # nothing half-applied
    report = other.load_tags(path, rebind=True)["binding"]
    assert report["moved"][moved] == "review:0#24-45"
    assert "no longer in it" in report["dropped"][gone]
    assert report["quotes"] == {"restored": 1, "moved": 1, "dropped": 1}
    table = other.quotes_of("review:0")
    assert table[["evidence_id", "text", "emotion"]].values.tolist() == [
        ["review:0#24-45", "The bag never arrived", -1.0]
    ]
    assert other.quotes_of("review:2").empty
    assert gone not in other.orphan_tags


def test_a_failed_load_removes_the_quotes_it_made(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "t.tags.json"
    ev = reviews()
    ev.add_quote("review:0", 20, 41)
    ev.save_tags(path)
    text = path.read_text()
    path.write_text(text.replace('{"n_rows": 4, "ids"', '{"n_rows": 5, "ids"'))
    fresh = reviews()
    with pytest.raises(TagsMismatchError):
        fresh.load_tags(path)
    assert len(fresh) == 3 and not fresh.can_undo and fresh.history.empty


def test_quote_spans_lists_the_spans_of_parents() -> None:
    ev = reviews()
    a = ev.add_quote("review:0", 20, 41)
    b = ev.add_quote("review:0", 0, 19)
    spans = ev.quote_spans(np.array([0, 1]))
    assert spans == {0: [(0, 19, b), (20, 41, a)]}


def test_a_store_with_quotes_copies_and_pickles() -> None:
    import copy
    import pickle

    ev = reviews()
    q = ev.add_quote("review:0", 20, 41)
    ev.tag(q, emotion=-1)
    for other in (copy.deepcopy(ev), pickle.loads(pickle.dumps(ev))):
        assert other.quotes_of("review:0")["emotion"].tolist() == [-1.0]
        other.undo()
        other.undo()
        assert len(other) == 3
    assert len(ev) == 4  # the original is untouched


def test_a_survey_store_takes_quotes_of_its_free_text() -> None:
    df = pd.DataFrame(
        {"id": [1, 2], "Q1": [4, 2], "Comment": ["Quick and easy checkout.", "Slow site."]}
    )
    journey = cjm.Journey.from_template("current_state", stages="five_stage")
    journey.add_touchpoint("Purchase", "Q1")
    ev = cjm.Evidence.from_survey(
        df, items=["Q1"], text_items=["Comment"], respondent="id", journey=journey
    )
    n = len(ev)
    row = ev.frame[ev.frame["text"].fillna("").str.startswith("Quick")].iloc[0]
    q = ev.add_quote(row["evidence_id"], 0, 5)
    assert ev.frame.set_index("evidence_id").loc[q, "text"] == "Quick"
    assert ev.frame["evidence_id"].tolist()[-1] == q
    ev.undo()
    assert q not in set(ev.frame["evidence_id"]) and len(ev) == n
    assert ev.rows_of([row["evidence_id"]]).tolist() == [row.name]
