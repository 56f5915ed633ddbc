"""split="sentence" | "paragraph": hand-counted sentences in five languages, and the readers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from needs import real_data

import cjm_widgets as cjm
from cjm_widgets.evidence.sentences import paragraph_spans, sentence_spans


def sentences(text: str, language: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text, language=language)]


# Written for these tests (a Finnish, a Polish and a Malay review); counted by hand.
WRITTEN = [
    (
        "fi",
        "Lento lähti klo 7.15 ja oli esim. puoli tuntia myöhässä... mutta henkilökunta oli "
        "ystävällistä. Ruoka maksoi n. 12,50 €. Matkalaukku katosi :( Soitin mm. "
        "asiakaspalveluun. Palaan 5. toukokuuta!",
        [
            "Lento lähti klo 7.15 ja oli esim. puoli tuntia myöhässä... mutta henkilökunta oli "
            "ystävällistä.",
            "Ruoka maksoi n. 12,50 €.",
            "Matkalaukku katosi :( Soitin mm. asiakaspalveluun.",
            "Palaan 5. toukokuuta!",
        ],
    ),
    (
        "pl",
        "Obsługa była miła, np. stewardesa podała koc. Lot trwał ok. 2,5 godz. i był "
        "spokojny. Bagaż m.in. walizka przyleciał później… Dlaczego? Nie wiem. "
        "Polecam :)",
        [
            "Obsługa była miła, np. stewardesa podała koc.",
            "Lot trwał ok. 2,5 godz. i był spokojny.",
            "Bagaż m.in. walizka przyleciał później…",
            "Dlaczego?",
            "Nie wiem.",
            "Polecam :)",
        ],
    ),
    (
        "ms",
        'Makanan sedap, cth. nasi lemak dan teh tarik. Harga RM 15.90 sahaja! Staf kata "Tunggu '
        'sekejap." lalu pergi. Bagasi lambat, kerusi sempit dll. Tetapi saya puas hati 😀 '
        "Terima kasih.",
        [
            "Makanan sedap, cth. nasi lemak dan teh tarik.",
            "Harga RM 15.90 sahaja!",
            'Staf kata "Tunggu sekejap." lalu pergi.',
            "Bagasi lambat, kerusi sempit dll.",
            "Tetapi saya puas hati 😀 Terima kasih.",
        ],
    ),
    (
        "sv",
        "Maten var god, t.ex. köttbullarna. Personalen bl.a. kocken var trevlig. Vi kom kl. "
        "18.30 och betalade ca. 250 kr osv. Bra! :) Rekommenderas.",
        [
            "Maten var god, t.ex. köttbullarna.",
            "Personalen bl.a. kocken var trevlig.",
            "Vi kom kl. 18.30 och betalade ca. 250 kr osv.",
            "Bra! :)",
            "Rekommenderas.",
        ],
    ),
    (
        "en",
        'Dr. Patel said e.g. Finnair is fine. The fee was £3.50... and rising! "Why?" she '
        "asked. It was Jan. 5 and J. Smith was there. Great flight :) Never again, etc. "
        "Thanks!",
        [
            "Dr. Patel said e.g. Finnair is fine.",
            "The fee was £3.50... and rising!",
            '"Why?" she asked.',
            "It was Jan. 5 and J. Smith was there.",
            "Great flight :) Never again, etc.",
            "Thanks!",
        ],
    ),
]


@pytest.mark.parametrize(("language", "text", "expected"), WRITTEN, ids=[w[0] for w in WRITTEN])
def test_written_reviews_split_as_counted_by_hand(
    language: str, text: str, expected: list[str]
) -> None:
    assert sentences(text, language) == expected


# Real BA reviews (row index: sentences counted by hand)
BA = {0: 3, 4: 4, 19: 5, 31: 3, 36: 2, 47: 4}
# Real Swedish reviews (row index: sentences counted by hand; ":)" stays with its sentence)
SWEDISH = {107: 3, 174: 4, 267: 4, 440: 3}


def test_real_ba_reviews_split_as_counted_by_hand() -> None:
    df = pd.read_csv(real_data("ba_reviews_airlinequality_markphamm.csv.gz"))
    got = {i: len(sentences(df.loc[i, "review_bodies"], "en")) for i in BA}
    assert got == BA
    quoted = sentences(df.loc[36, "review_bodies"], "en")
    assert quoted[-1] == 'Explanation: "It is allowed."'


def test_real_swedish_reviews_split_as_counted_by_hand() -> None:
    df = pd.read_csv(real_data("swedish_customer_reviews_sentiment.csv.gz"))
    got = {i: len(sentences(df.loc[i, "text"], "sv")) for i in SWEDISH}
    assert got == SWEDISH
    assert sentences(df.loc[174, "text"], "sv")[-1] == "Vi är mycket nöjda. :)"


def test_spans_are_offsets_into_the_raw_text() -> None:
    text = "  First one.\r\n\r\nSecond 😀 one!  Third.  "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second 😀 one!", "Third."]
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["First one.", "Second 😀 one!  Third."]
    lines = "one\r\ntwo\n"
    assert [lines[a:b] for a, b in paragraph_spans(lines)] == ["one", "two"]


def test_from_frame_split_keeps_columns_and_ratings() -> None:
    journey = cjm.Journey.from_template("current_state", stages="five_stage")
    journey.add_touchpoint("Purchase", "Seat Comfort")
    df = pd.DataFrame(
        {
            "body": ["Seats were fine. Food was cold!", "Okay."],
            "Seat Comfort": [2, 4],
            "Class": ["Economy", "Business"],
        }
    )
    ev = cjm.Evidence.from_frame(
        df,
        text="body",
        ratings=["Seat Comfort"],
        journey=journey,
        segments=["Class"],
        split="sentence",
    )
    f = ev.frame
    text_rows = f[f["parent_id"].notna()]
    assert text_rows["evidence_id"].tolist() == ["review:0/s1", "review:0/s2", "review:1/s1"]
    assert text_rows["text"].tolist() == ["Seats were fine.", "Food was cold!", "Okay."]
    assert text_rows[["span_start", "span_end"]].values.tolist() == [[0, 16], [17, 31], [0, 5]]
    assert text_rows["Class"].tolist() == ["Economy", "Economy", "Business"]
    ratings = f[f["item"].notna()]
    assert len(ratings) == 2 and ratings["emotion"].notna().all()
    assert ev.segments == ["Class"]
    assert ev.meta["split"] == {"by": "sentence", "language": "en", "texts": 2, "pieces": 3}
    assert ev.quotes_of("review:0")["text"].tolist() == ["Seats were fine.", "Food was cold!"]


def test_from_transcripts_split_by_paragraph(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Interviewer: How was it?\nAnna: Fine at first.\n\nThen the app crashed. Twice.\n",
        encoding="utf-8",
    )
    by_turn = cjm.Evidence.from_transcripts(tmp_path / "a.txt", quiet=True)
    ev = cjm.Evidence.from_transcripts(tmp_path / "a.txt", quiet=True, split="paragraph")
    anna = by_turn.frame[by_turn.frame["speaker"] == "Anna"].iloc[0]
    pieces = ev.frame[ev.frame["parent_id"] == anna["evidence_id"]]
    assert pieces["text"].tolist() == ["Fine at first.", "Then the app crashed. Twice."]
    assert (pieces["speaker"] == "Anna").all()
    for _, row in pieces.iterrows():
        assert anna["text"][row["span_start"] : row["span_end"]] == row["text"]


def test_unknown_split_or_language_is_refused() -> None:
    df = pd.DataFrame({"body": ["One. Two."]})
    with pytest.raises(ValueError, match='split must be "sentence", "paragraph" or None'):
        cjm.Evidence.from_frame(df, text="body", split="word")
    with pytest.raises(ValueError, match="known: en, fi, sv, pl, ms"):
        cjm.Evidence.from_frame(df, text="body", split="sentence", language="de")
