"""The tagger's quotes from Python: the quote handler, the window's quote info, rating rows."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import cjm_widgets as cjm
from cjm_widgets.errors import CJMError, EvidenceError
from cjm_widgets.evidence.display import display_texts, quote_context, rating_text

BODY = "Check-in was quick 😀.\r\nThe bag never arrived and nobody called back."


@pytest.fixture
def setup() -> tuple[cjm.Journey, cjm.Evidence, cjm.EvidenceTagger]:
    journey = cjm.Journey.from_template("current_state", stages="five_stage")
    journey.add_touchpoint("Purchase", "Ground Service")
    df = pd.DataFrame({"body": [BODY, "Fine."], "Ground Service": [1, None]})
    ev = cjm.Evidence.from_frame(df, text="body", ratings=["Ground Service"], journey=journey)
    return journey, ev, cjm.EvidenceTagger(journey, ev)


def test_quote_from_the_tagger_is_selected_under_its_parent(setup) -> None:  # type: ignore[no-untyped-def]
    _, ev, tagger = setup
    start = BODY.index("The bag")
    end = start + len("The bag never arrived")
    qid = tagger._h_quote(row=0, start=start, end=end, text="The bag never arrived")
    assert tagger.selected_ids == [qid]
    rows = tagger._window["rows"]
    assert [r[1] for r in rows[:2]] == ["review:0", qid]  # right under its parent
    info = tagger._window["quotes"]
    assert info["0"]["spans"] == [[start, end, qid]]
    quote_row = str(rows[1][0])
    assert info[quote_row]["parent"] == "review:0"
    assert info[quote_row]["before"] == ""  # the quote starts its line
    assert info[quote_row]["after"] == " and nobody called back."
    assert "Quoted “The bag never arrived”" in tagger.status
    tagger._h_tag(emotion=-2)  # a face key on the selection
    table = ev.quotes_of("review:0")
    assert table[["evidence_id", "start", "end", "emotion"]].values.tolist() == [
        [qid, start, end, -2.0]
    ]
    json.dumps(tagger._window)  # the wire format stays JSON


def test_a_bad_selection_changes_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    _, ev, tagger = setup
    with pytest.raises(EvidenceError, match="reads"):
        tagger._h_quote(row=0, start=0, end=5, text="Other")
    with pytest.raises(CJMError, match="No row 99"):
        tagger._h_quote(row=99, start=0, end=5)
    assert len(ev) == 4 and tagger._n == 4


def test_undo_and_redo_of_a_quote_follow_in_the_tagger(setup) -> None:  # type: ignore[no-untyped-def]
    _, ev, tagger = setup
    qid = tagger._h_quote(row=0, start=0, end=8)
    tagger._h_undo()
    assert len(ev) == 4 and tagger._n == 4 and tagger.selected_ids == []
    assert qid not in [r[1] for r in tagger._window["rows"]]
    tagger._h_redo()
    assert tagger._n == 5 and qid in [r[1] for r in tagger._window["rows"]]


def test_rating_rows_read_as_item_and_value_with_their_review(setup) -> None:  # type: ignore[no-untyped-def]
    _, ev, tagger = setup
    info = tagger._window["quotes"]
    rows = {r[1]: str(r[0]) for r in tagger._window["rows"]}
    rated = info[rows["review:0:Ground Service"]]
    assert rated["rating"] == "Ground Service ★1/5"
    assert rated["parent"] == "review:0" and rated["parent_text"] == BODY
    assert info[rows["review:1:Ground Service"]]["rating"] == "Ground Service: not rated"
    assert ev.search_rows("Ground Service").size == 0  # display only: not searched
    assert display_texts(ev, [0, 1]) == [BODY, "Ground Service ★1/5"]


def test_rating_text_on_other_scales() -> None:
    assert rating_text("Food", 4.0, (1, 5)) == "Food ★4/5"
    assert rating_text("NPS", 9.0, (0, 10)) == "NPS ★9/10"
    assert rating_text("Ease", 2.0, (-3, 3)) == "Ease: 2 on -3–3"
    assert rating_text("Wifi", 0.0, (1, 5), (0,)) == "Wifi: n/a (0)"


def test_quote_context_is_the_line_around_the_quote() -> None:
    text = "First line.\nSecond line has the words we want in it.\nThird."
    start = text.index("the words")
    before, after = quote_context(text, start, start + len("the words"))
    assert (before, after) == ("Second line has ", " we want in it.")
    long = "x" * 300 + " the words " + "y" * 300
    before, after = quote_context(long, 301, 310, width=20)
    assert before.startswith("…") and after.endswith("…") and len(before) <= 21


def test_the_snapshot_shows_quotes_in_context_escaped(setup) -> None:  # type: ignore[no-untyped-def]
    _, _ev, tagger = setup
    start = BODY.index("The bag")
    tagger._h_quote(row=0, start=start, end=start + 7)
    snap = tagger._static_html()
    assert snap is not None
    assert '<mark class="cjm-quote-span">The bag</mark> never arrived' in snap  # in its parent
    assert "(a quote of review:0)" in snap
    assert "<em>Ground Service ★1/5</em>" in snap


def test_the_report_shows_a_quote_inside_its_parent(tmp_path) -> None:  # type: ignore[no-untyped-def]
    journey = cjm.Journey.from_template("current_state", stages="five_stage")
    journey.add_touchpoint("Purchase", "Baggage claim")
    text = "Fine check-in.\nThe bag <b>never</b> arrived, nobody called."
    ev = cjm.Evidence.from_frame(pd.DataFrame({"body": [text] * 3}), text="body")
    start = text.index("The bag")
    for i in range(3):
        q = ev.add_quote(f"review:{i}", start, start + len("The bag <b>never</b> arrived"))
        ev.tag(q, journey=journey, touchpoint="Baggage claim", emotion=-2)
    out = cjm.export.html_report(journey, ev, tmp_path / "r.html").read_text(encoding="utf-8")
    assert (
        '<mark class="cjm-r-mark">The bag &lt;b&gt;never&lt;/b&gt; arrived</mark>'
        '<span class="cjm-r-ctx">, nobody called.</span>'
    ) in out
    assert "a quote of review:0" in out and "<b>never" not in out
