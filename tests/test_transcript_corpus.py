"""The transcript reader on a corpus of 36 interviews with varied speaker conventions.

The files are written by ``tests/fixtures/make_transcript_corpus.py``; the numbers below were
counted by hand from its texts (turns, then turns per role: interviewer, participant, unknown;
then the people — participant ids of non-interviewer speakers — with the default rule).
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pytest

from cjm_widgets.evidence.readers import read_transcripts

CORPUS = Path(__file__).resolve().parent / "fixtures" / "transcripts"

# document: (turns, interviewer turns, participant turns, unknown turns, people)
HAND_COUNT = {
    "en_colon": (4, 2, 2, 0, 1),
    "en_numbered": (5, 3, 2, 0, 1),
    "en_i_r": (4, 2, 2, 0, 1),
    "en_qa": (4, 2, 2, 0, 1),
    "en_name_once": (3, 2, 1, 0, 1),
    "en_unknown_speaker": (5, 2, 1, 2, 2),
    "en_alone_labels": (4, 2, 2, 0, 1),
    "en_ts_before": (4, 2, 2, 0, 1),
    "en_ts_after": (4, 2, 2, 0, 1),
    "en_ts_after_colon": (2, 1, 1, 0, 1),
    "en_otter": (4, 0, 0, 4, 2),
    "en_two_names_questions": (6, 3, 3, 0, 1),
    "en_note_inside": (4, 2, 2, 0, 1),
    "en_host_guest": (4, 2, 2, 0, 1),
    "en_lowercase": (4, 2, 2, 0, 1),
    "en_interviewee1": (4, 2, 2, 0, 1),
    "en_dash_ts": (4, 2, 2, 0, 1),
    "en_group": (5, 2, 3, 0, 2),
    "en_header": (4, 2, 2, 0, 1),
    "en_zoom": (3, 2, 1, 0, 1),
    "en_time_below": (2, 1, 1, 0, 1),
    "fr_enqueteur": (4, 2, 2, 0, 1),
    "fr_interviewer2": (6, 3, 3, 0, 1),
    "fr_alone": (4, 2, 2, 0, 1),
    "fr_names": (5, 2, 2, 1, 2),
    "fi_names_ts": (5, 2, 2, 1, 2),
    "fi_alone": (4, 2, 2, 0, 1),
    "fi_cp1252": (4, 2, 2, 0, 1),
    "vtt_voices": (3, 1, 1, 1, 2),
    "vtt_labels": (4, 2, 2, 0, 1),
    "srt_fr": (3, 2, 1, 0, 1),
    "srt_unknown": (4, 2, 0, 2, 1),
    "md_bold": (4, 2, 2, 0, 1),
    "md_numbered": (4, 2, 2, 0, 1),
    "docx_en": (4, 2, 2, 0, 1),
    "docx_fi": (4, 2, 2, 0, 1),
}


@pytest.fixture(scope="module")
def corpus():
    paths = sorted(CORPUS.iterdir())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "lines before the first label"
        return read_transcripts(paths, progress=False, quiet=True)


def test_corpus_has_every_format_and_language():
    names = {p.name for p in CORPUS.iterdir()}
    assert len(names) == 36
    assert {Path(n).suffix for n in names} == {".txt", ".md", ".vtt", ".srt", ".docx"}
    assert any(n.startswith("fr_") for n in names) and any(n.startswith("fi_") for n in names)


@pytest.mark.parametrize("doc", sorted(HAND_COUNT))
def test_turns_and_roles_match_the_hand_count(corpus, doc):
    turns, n_int, n_part, n_unk, people = HAND_COUNT[doc]
    f = corpus.frame[corpus.frame["document"] == doc]
    assert len(f) == turns
    roles = f["role"].value_counts()
    assert (roles["interviewer"], roles["participant"], roles["unknown"]) == (n_int, n_part, n_unk)
    assert f.loc[f["role"] != "interviewer", "participant"].nunique() == people
    summary = corpus.meta["transcripts"][doc]
    assert summary["turns"] == turns
    assert summary["roles"] == {"interviewer": n_int, "participant": n_part, "unknown": n_unk}


def test_corpus_totals_and_people(corpus):
    f = corpus.frame
    assert len(f) == 145
    assert f["document"].nunique() == 36
    assert f.loc[f["role"] != "interviewer", "participant"].nunique() == 42
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        per_file = read_transcripts(sorted(CORPUS.iterdir()), participant="file", quiet=True)
    assert per_file.frame["participant"].nunique() == 36  # one person per interview


def _doc(corpus, doc):
    return corpus.frame[corpus.frame["document"] == doc].reset_index(drop=True)


def test_speakers_in_order(corpus):
    expect = {
        "en_numbered": [
            "Interviewer 1",
            "Participant 3",
            "Interviewer 2",
            "Participant 3",
            "Interviewer2 2",
        ],
        "en_alone_labels": ["Interviewer", "Interviewee"] * 2,
        "en_otter": ["Speaker 1", "Speaker 2"] * 2,
        "en_unknown_speaker": [
            "Interviewer",
            "Unknown Speaker",
            "Interviewer",
            "Interviewee",
            "Unknown Speaker",
        ],
        "fr_alone": ["Intervieweur", "Participante"] * 2,
        "docx_fi": ["Haastattelija", "Haastateltava"] * 2,
        "en_group": ["Moderator", "Anna", "Ben", "Moderator", "Anna"],
    }
    for doc, speakers in expect.items():
        assert _doc(corpus, doc)["speaker"].tolist() == speakers, doc


def test_texts_stay_with_their_speaker(corpus):
    assert _doc(corpus, "en_name_once")["text"].tolist() == [
        "How was the delivery?",
        "Terrible, two hours late.",
        "Thanks",
    ]
    assert _doc(corpus, "en_i_r")["text"][3] == "Too high.\nIt surprised me."
    assert _doc(corpus, "en_alone_labels")["text"][1] == "Two eggs were broken.\nThe bag was wet."
    assert _doc(corpus, "en_otter")["text"][1] == "It was fine, the driver was kind."
    # "Note:" / "Bref:" / "Huom:" inside a turn are text, reported in the summary
    assert _doc(corpus, "en_note_inside")["text"][1] == (
        "The page froze.\nNote: this was on the old app version."
    )
    assert _doc(corpus, "fr_enqueteur")["text"][3] == (
        "Deux heures.\nBref: je ne commande plus le soir."
    )
    assert _doc(corpus, "fi_cp1252")["text"][3] == (
        "Toimitusajan valinta.\nHuom: sovellus kaatui kerran."
    )
    kept = {
        d: s["kept_as_text"] for d, s in corpus.meta["transcripts"].items() if s["kept_as_text"]
    }
    assert kept == {
        "en_note_inside": ["Note"],
        "fr_enqueteur": ["Bref"],
        "fi_cp1252": ["Huom"],
        "en_header": ["Date", "Location"],
    }
    # the header lines before the first label are not turns, and that is reported
    assert _doc(corpus, "en_header")["text"][0] == "What did you order?"
    assert any("en_header.txt: 2 line(s) before the first" in w for w in corpus.meta["warnings"])
    # the reply cue without a label continues the speaker before it
    assert _doc(corpus, "srt_fr")["text"][1] == (
        "Oui, du premier coup.\nMais la confirmation est arrivée tard."
    )


def test_timestamps_before_and_after_the_label(corpus):
    assert _doc(corpus, "en_ts_before")["start"].tolist() == [5.0, 12.0, 62.0, 70.0]
    assert _doc(corpus, "en_ts_after")["start"].tolist() == [3.0, 9.0, 20.0, 24.0]
    assert _doc(corpus, "en_ts_after_colon")["start"].tolist() == [3.0, 8.0]
    assert _doc(corpus, "en_ts_after_colon")["text"][0] == "Which store do you use?"
    assert _doc(corpus, "en_dash_ts")["start"].tolist() == [1.0, 4.0, 10.0, 13.0]
    assert _doc(corpus, "en_otter")["start"].tolist() == [3.0, 9.0, 15.0, 18.0]
    zoom = _doc(corpus, "en_zoom")
    assert zoom["start"].tolist() == [36192.0, 36200.0, 36241.0]  # 10:03:12 …
    assert zoom["speaker"].tolist() == ["Interviewer", "Anna K", "Interviewer"]
    assert zoom["text"][1] == "On my phone.\nIt was easy."
    below = _doc(corpus, "en_time_below")
    assert below["start"].tolist() == [5.0, 9.0]
    assert below["text"].tolist() == ["What went wrong?", "The card was refused."]
    assert all(math.isnan(s) for s in _doc(corpus, "en_colon")["start"])


def test_question_asker_without_interviewer_label_is_the_interviewer(corpus):
    f = _doc(corpus, "en_two_names_questions")
    assert dict(zip(f["speaker"], f["role"], strict=True)) == {
        "Mark": "interviewer",
        "Lisa": "participant",
    }
    h = _doc(corpus, "en_host_guest")
    assert dict(zip(h["speaker"], h["role"], strict=True)) == {
        "Host": "interviewer",
        "Guest": "participant",
    }
