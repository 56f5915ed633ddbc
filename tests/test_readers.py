"""Tests of the evidence readers (cjm_widgets.evidence.readers)."""

from __future__ import annotations

import codecs
import gzip
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from needs import module, real_data

from cjm_widgets.errors import EvidenceError, ReaderError
from cjm_widgets.evidence.readers import (
    BASE_COLUMNS,
    SOURCES,
    RawEvidence,
    read_frame,
    read_survey,
    read_transcripts,
)

FIX = Path(__file__).resolve().parent / "fixtures"
TRANSCRIPT_COLS = [*BASE_COLUMNS, "speaker", "role", "start", "end"]
RATING_COLS = [*BASE_COLUMNS, "item", "touchpoint", "emotion"]
XSS = "<script>alert(1)</script>"


def _read(name: str, **kw) -> RawEvidence:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return read_transcripts(FIX / name, **kw)


def _check_contract(frame: pd.DataFrame) -> None:
    assert list(frame.columns[:7]) == list(BASE_COLUMNS)
    assert frame["evidence_id"].is_unique
    assert frame["evidence_id"].dtype == "str"
    assert frame["text"].dtype == "str"
    assert isinstance(frame["source"].dtype, pd.CategoricalDtype)
    assert list(frame["source"].cat.categories) == list(SOURCES)
    assert isinstance(frame["document"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_integer_dtype(frame["position"].dtype)
    assert frame["rating"].dtype == np.float64
    assert frame["text"].notna().all()
    if "emotion" in frame:
        assert frame["emotion"].dtype == np.float64
        e = frame["emotion"].dropna()
        assert ((e >= -2) & (e <= 2)).all()
    assert frame.index.equals(pd.RangeIndex(len(frame)))


# --------------------------------------------------------------------------------- transcripts


def test_txt_labels_timestamps_multiline_and_xss():
    raw = _read("interview_anna.txt")
    f = raw.frame
    _check_contract(f)
    assert list(f.columns) == TRANSCRIPT_COLS
    assert f["evidence_id"].tolist() == [f"interview_anna#{i}" for i in range(4)]
    assert f["speaker"].tolist() == ["Interviewer 1", "Anna", "Interviewer 1", "Anna"]
    assert f["role"].tolist() == ["interviewer", "participant"] * 2
    # the person is the document plus the speaker; interviewer turns get the main participant
    assert (f["participant"] == "interview_anna/Anna").all()
    assert f["start"].tolist() == [5.0, 12.0, 62.0, 70.0]
    assert f["end"].isna().all()
    # a multi-line turn stays one turn; "Note:" inside a turn is not a speaker
    assert f["text"][1] == (
        "Mostly on the app.\nIt was fine until the payment step.\n"
        "Note: the payment page froze twice."
    )
    assert XSS in f["text"][3]  # kept verbatim, never escaped or stripped
    assert raw.meta["encodings"] == {str(FIX / "interview_anna.txt"): "utf-8"}
    assert raw.meta["reader"] == "read_transcripts"
    assert raw.meta["n_rows"] == 4
    assert f["source"].eq("interview").all()


def test_markdown_bold_labels_and_heading():
    f = _read("interview_bo.md").frame
    assert f["speaker"].tolist() == ["Moderator", "Bo", "Moderator", "Bo"]
    assert f["role"].tolist() == ["interviewer", "participant"] * 2
    assert f["text"][1] == "The café voucher didn't apply.\nI tried twice."


def test_unlabelled_text_is_one_turn_per_paragraph_with_warning():
    with pytest.warns(UserWarning, match="field_notes.txt.*no speaker labels"):
        raw = read_transcripts(FIX / "field_notes.txt")
    f = raw.frame
    assert len(f) == 2
    assert (f["participant"] == "field_notes").all()
    assert (f["role"] == "participant").all()
    assert f["text"][1].endswith("we had to pay in cash.")
    assert any("field_notes.txt" in w for w in raw.meta["warnings"])


def test_cp1252_detected_and_finnish_interviewer_label():
    raw = _read("interview_fi_cp1252.txt")
    f = raw.frame
    assert raw.meta["encodings"][str(FIX / "interview_fi_cp1252.txt")] == "cp1252"
    assert f["role"].tolist() == ["interviewer", "participant"]
    assert f["text"][1] == "Ostin kahvin kahvilasta – hinta oli 4€ ja “ok”."
    assert f["participant"].tolist() == ["interview_fi_cp1252/P3"] * 2


def test_vtt_voice_tags_label_cues_and_merging():
    f = _read("interview_chen.vtt").frame
    _check_contract(f)
    assert f["speaker"].tolist() == ["Moderator", "Chen", "Moderator", "Chen"]
    # the two consecutive Chen cues merge: start of the first, end of the last
    assert f["text"][1] == (
        "I searched for flights on my phone.\nThen I compared prices on a laptop."
    )
    assert (f["start"][1], f["end"][1]) == (4.0, 9.25)
    assert f["text"][3] == "The seat map is too small on the phone."
    assert f["start"][3] == 12.5


def test_srt_labels_and_unlabelled_continuation():
    f = _read("interview_p2.srt").frame
    assert f["speaker"].tolist() == ["Interviewer", "P2", "Interviewer"]
    assert f["text"][1] == "Chaotic. Nobody called the groups.\nWe just queued for half an hour."
    assert (f["start"][1], f["end"][1]) == (3.0, 7.5)
    assert (f["participant"] == "interview_p2/P2").all()


def test_docx_paragraph_labels():
    raw = _read("interview_maja.docx")
    f = raw.frame
    assert f["speaker"].tolist() == ["Interviewer", "Maja", "Interviewer", "Maja"]
    assert "two days late" in f["text"][1] and "damaged" in f["text"][1]
    assert raw.meta["encodings"][str(FIX / "interview_maja.docx")] == "docx"
    assert any("before the first speaker label" in w for w in raw.meta["warnings"])


@pytest.mark.parametrize(
    ("name", "encoding"), [("turns_utf16.csv", "utf-16"), ("turns_utf16le_nobom.csv", "utf-16-le")]
)
def test_csv_of_turns_utf16(name, encoding):
    raw = _read(name)
    f = raw.frame
    assert raw.meta["encodings"][str(FIX / name)] == encoding
    assert f["speaker"].tolist() == ["Researcher", "R1", "R1"]
    assert f["role"].tolist() == ["interviewer", "participant", "participant"]
    assert f["text"][2] == "Zażółć gęślą jaźń; søknad åpnet."
    assert f["end"].tolist() == [4.5, 12.0, 15.0]


def test_glob_many_files_progress_and_stable_ids():
    pattern = str(FIX / "interview_*")
    a = _read_glob(pattern)
    b = _read_glob(pattern)
    _check_contract(a.frame)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert len(a.meta["files"]) == 6
    assert a.frame["document"].nunique() == 6


def _read_glob(pattern: str) -> RawEvidence:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return read_transcripts(pattern, progress=False)


def test_progress_bar_shown_for_several_files(capsys):
    files = [FIX / "interview_anna.txt", FIX / "interview_bo.md"]
    read_transcripts(files)  # progress=None → a bar for more than one file
    assert "transcripts" in capsys.readouterr().err


def test_interviewer_configurable():
    f = _read("interview_anna.txt", interviewer="anna").frame
    assert f["role"].tolist() == ["participant", "interviewer"] * 2
    f = _read("interview_chen.vtt", interviewer=["Chen"]).frame
    assert f["role"].tolist() == ["participant", "interviewer"] * 2
    f = _read("interview_chen.vtt", interviewer=lambda s: s.startswith("Mod")).frame
    assert f["role"].tolist() == ["interviewer", "participant"] * 2


@pytest.mark.parametrize(
    "label",
    [
        "Interviewer",
        "INT 2",
        "I",
        "Q",
        "Moderator 1",
        "Badacz",
        "Prowadzący",
        "Pewawancara",
        "Penemuduga",
        "Intervjuare",
        "Facilitator",
    ],
)
def test_default_interviewer_labels(tmp_path, label):
    p = tmp_path / "t.txt"
    p.write_text(f"{label}: Hello?\nP1: Hi.\n", encoding="utf-8")
    f = read_transcripts(p).frame
    assert f["role"].tolist() == ["interviewer", "participant"]


def test_same_stem_in_two_files_keeps_ids_unique(tmp_path):
    (tmp_path / "a.txt").write_text("Interviewer: x\nP1: y\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("Interviewer: x\nP1: y\n", encoding="utf-8")
    raw = read_transcripts([tmp_path / "a.txt", tmp_path / "a.md"], progress=False)
    assert raw.frame["evidence_id"].is_unique


def test_utf8_bom_text(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(codecs.BOM_UTF8 + "Interviewer: Hej?\nP1: Öl, tack.\n".encode())
    raw = read_transcripts(p)
    assert raw.meta["encodings"][str(p)] == "utf-8-sig"
    assert raw.frame["speaker"][0] == "Interviewer"


# --------------------------------------------------------------------------- transcript errors


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(ReaderError, match=r"empty\.txt is empty"):
        read_transcripts(p)


def test_binary_file_names_file_and_encodings(tmp_path):
    p = tmp_path / "blob.txt"
    p.write_bytes(bytes(range(256)) * 4 + b"\x81\x8d\x00\x00")
    with pytest.raises(ReaderError, match=r"blob\.txt.*tried.*utf-8.*cp1252.*encoding="):
        read_transcripts(p)


def test_explicit_wrong_encoding(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes("P1: kävi".encode())
    with pytest.raises(ReaderError, match=r"x\.txt.*ascii"):
        read_transcripts(p, encoding="ascii")
    assert read_transcripts(p, encoding="utf-8").frame["text"][0] == "kävi"


def test_unknown_extension(tmp_path):
    p = tmp_path / "x.pdf"
    p.write_bytes(b"%PDF")
    with pytest.raises(ReaderError, match=r"\.pdf.*supported.*\.vtt"):
        read_transcripts(p)


def test_missing_file_and_empty_glob(tmp_path):
    with pytest.raises(ReaderError, match=r"nope\.txt"):
        read_transcripts(tmp_path / "nope.txt")
    with pytest.raises(ReaderError, match=r"no files match the pattern .*\*\.vtt"):
        read_transcripts(str(tmp_path / "*.vtt"))


def test_csv_of_turns_without_text_column(tmp_path):
    p = tmp_path / "turns.csv"
    p.write_text("speaker,utterance\nP1,hello\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"'text' column.*\['speaker', 'utterance'\]"):
        read_transcripts(p)


def test_invalid_vtt(tmp_path):
    p = tmp_path / "bad.vtt"
    p.write_text("this is not webvtt\n", encoding="utf-8")
    with pytest.raises(ReaderError, match=r"bad\.vtt"):
        read_transcripts(p)


def test_bad_source():
    with pytest.raises(EvidenceError, match=r"source='blog'.*interview"):
        read_transcripts(FIX / "interview_anna.txt", source="blog")


# ------------------------------------------------------------------------------------- surveys

ITEMS = {"Booking": "Book online", "Seat": "Seat", "NPS": "Recommend"}


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("survey_bom.csv", "utf-8-sig"), ("survey.tsv", "utf-8"), ("survey.xlsx", "xlsx")],
)
def test_survey_formats(name, encoding):
    raw = read_survey(
        FIX / name,
        items=ITEMS,
        scales={"NPS": (0, 10)},
        missing={"Seat": (0,)},
        text_items=["Comment"],
    )
    f = raw.frame
    _check_contract(f)
    assert list(f.columns) == [*RATING_COLS, "Class"]
    assert raw.meta["encodings"] == {str(FIX / name): encoding}
    doc = Path(name).stem
    assert f["evidence_id"][:3].tolist() == [f"{doc}:1:Booking", f"{doc}:1:Seat", f"{doc}:1:NPS"]
    ratings = f[f["item"] != "Comment"]
    assert len(ratings) == 9
    assert ratings["participant"].tolist() == ["1"] * 3 + ["2"] * 3 + ["3"] * 3
    assert ratings["touchpoint"].tolist() == ["Book online", "Seat", "Recommend"] * 3
    np.testing.assert_allclose(
        ratings["emotion"].to_numpy(), [2, 1, 1.6, -2, np.nan, -0.8, 0, -1, 2]
    )
    assert ratings["rating"][4] == 0.0  # missing code: raw value kept, emotion NaN
    texts = f[f["item"] == "Comment"]
    assert texts["text"].tolist() == [
        "Great seat, <b>bold</b> service",
        "Kahvi oli kylmää — cold coffee",
    ]
    assert texts["touchpoint"].isna().all() and texts["emotion"].isna().all()
    assert texts["evidence_id"].tolist() == [f"{doc}:1:Comment", f"{doc}:3:Comment"]
    assert raw.meta["scales"]["NPS"] == (0.0, 10.0)
    assert raw.meta["missing_codes"] == {"Booking": (), "Seat": (0,), "NPS": ()}
    assert raw.meta["invalid"]["count"] == 0


def _small() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Unnamed: 0": [0, 1, 2, 3],
            "id": [10, 11, 12, 13],
            "seg": ["a", "b", "a", "a"],
            "q1": [1, 5, 0, np.nan],
            "q2": [3.0, 2.0, 4.0, 1.0],
        }
    )


def test_survey_dataframe_long_format_segments_and_blanks():
    raw = read_survey(_small(), items=["q1", "q2"], missing=(0,))
    f = raw.frame
    _check_contract(f)
    assert list(f.columns) == [*RATING_COLS, "seg"]  # Unnamed: 0 dropped
    assert f["evidence_id"][:2].tolist() == ["survey:10:q1", "survey:10:q2"]
    assert f["touchpoint"][:2].tolist() == ["q1", "q2"]
    assert f["seg"].tolist() == ["a", "a", "b", "b", "a", "a", "a", "a"]
    assert f["position"].tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    np.testing.assert_allclose(f["rating"], [1, 3, 5, 2, 0, 4, np.nan, 1])
    np.testing.assert_allclose(f["emotion"], [-2, 0, 2, -1, np.nan, 1, np.nan, -2])


def test_survey_segments_list_respondent_none_and_document():
    raw = read_survey(_small(), items={"q2": "T"}, segments=[], respondent=None, document="w1")
    f = raw.frame
    assert list(f.columns) == RATING_COLS
    assert f["evidence_id"].tolist() == ["w1:0:q2", "w1:1:q2", "w1:2:q2", "w1:3:q2"]
    assert f["participant"].tolist() == ["0", "1", "2", "3"]


def test_survey_duplicate_respondent_gets_suffix_and_warning():
    df = _small().assign(id=[7, 8, 7, 7])
    with pytest.warns(UserWarning, match="repeat an existing respondent id"):
        raw = read_survey(df, items=["q2"])
    assert raw.frame["evidence_id"].tolist() == [
        "survey:7:q2",
        "survey:8:q2",
        "survey:7~2:q2",
        "survey:7~3:q2",
    ]
    assert raw.meta["warnings"]


def test_survey_out_of_scale_raises_with_count_and_examples():
    df = _small().assign(q2=[3, 9, 7, 1])
    with pytest.raises(EvidenceError) as err:
        read_survey(df, items=["q1", "q2"])
    msg = str(err.value)
    assert "2 ratings are outside" in msg
    assert "('11', 'q2', 9.0)" in msg and "('12', 'q2', 7.0)" in msg
    assert "on_invalid='missing'" in msg and "scales=" in msg


def test_survey_on_invalid_missing_summary():
    df = _small().assign(q2=[3, 9, 7, 1])
    with pytest.warns(UserWarning, match="outside the scale"):
        raw = read_survey(df, items=["q2"], on_invalid="missing")
    f = raw.frame
    assert f["emotion"].isna().tolist() == [False, True, True, False]
    assert f["rating"].tolist() == [3, 9, 7, 1]  # the raw value stays
    assert raw.meta["invalid"]["count"] == 2
    assert raw.meta["invalid"]["by_item"] == {"q2": 2}


def test_survey_text_answers_and_string_missing_codes():
    df = pd.DataFrame({"id": [1, 2, 3], "q": ["5", "N/A", " 2 "], "why": ["ok", " ", None]})
    raw = read_survey(df, items=["q"], missing=("N/A",), text_items=["why"])
    f = raw.frame
    np.testing.assert_allclose(f["rating"][:3], [5, np.nan, 2])
    np.testing.assert_allclose(f["emotion"][:3], [2, np.nan, -1])
    assert f["text"].tolist() == ["", "", "", "ok"]


def test_survey_non_numeric_value_is_invalid():
    df = pd.DataFrame({"id": [1, 2], "q": ["5", "great"]})
    with pytest.raises(EvidenceError, match=r"1 ratings.*'non-numeric'"):
        read_survey(df, items=["q"])


def test_survey_missing_column_suggests_close_match():
    with pytest.raises(EvidenceError, match=r"'q3' does not exist.*\['Unnamed: 0', 'id'"):
        read_survey(_small(), items=["q1", "q3"])
    with pytest.raises(EvidenceError, match=r"'Id' does not exist\. Did you mean 'id'\?"):
        read_survey(_small(), items=["q1"], respondent="Id")
    with pytest.raises(EvidenceError, match="'region' does not exist"):
        read_survey(_small(), items=["q1"], segments=["region"])


def test_survey_bad_arguments():
    with pytest.raises(EvidenceError, match="low must be smaller"):
        read_survey(_small(), items=["q1"], scale=(5, 1))
    with pytest.raises(EvidenceError, match="scales= names"):
        read_survey(_small(), items=["q1"], scales={"q9": (0, 10)})
    with pytest.raises(EvidenceError, match="on_invalid"):
        read_survey(_small(), items=["q1"], on_invalid="drop")
    with pytest.raises(EvidenceError, match="items= is empty"):
        read_survey(_small(), items=[])


def test_survey_file_errors(tmp_path):
    empty = tmp_path / "s.csv"
    empty.write_bytes(b"")
    with pytest.raises(ReaderError, match=r"s\.csv is empty"):
        read_survey(empty, items=["q"])
    with pytest.raises(ReaderError, match=r"nope\.csv"):
        read_survey(tmp_path / "nope.csv", items=["q"])
    odd = tmp_path / "s.sav"
    odd.write_bytes(b"x")
    with pytest.raises(ReaderError, match=r"\.sav.*supported.*\.xlsx"):
        read_survey(odd, items=["q"])
    blob = tmp_path / "b.csv"
    blob.write_bytes(b"id,q\n1,\x00\x01\x02\x03\x00\x00\xff\xfe")
    with pytest.raises(ReaderError, match=r"b\.csv"):
        read_survey(blob, items=["q"])


def test_survey_cp1252_and_gzip(tmp_path):
    p = tmp_path / "s.csv"
    p.write_bytes("id,q,seg\n1,4,Caf\xe9\n".encode("latin-1"))
    raw = read_survey(p, items=["q"])
    assert raw.meta["encodings"][str(p)] == "cp1252"
    assert raw.frame["seg"][0] == "Café"
    gz = tmp_path / "s2.csv.gz"
    gz.write_bytes(gzip.compress(b"id,q\n1,4\n2,5\n"))
    raw = read_survey(gz, items=["q"])
    assert raw.frame["evidence_id"].tolist() == ["s2:1:q", "s2:2:q"]


def test_survey_ids_stable_across_reads():
    a = read_survey(FIX / "survey_bom.csv", items=ITEMS, scales={"NPS": (0, 10)})
    b = read_survey(FIX / "survey_bom.csv", items=ITEMS, scales={"NPS": (0, 10)})
    pd.testing.assert_frame_equal(a.frame, b.frame)


# -------------------------------------------------------------------------------------- frames


def test_frame_text_rows_and_rating_rows():
    df = pd.DataFrame(
        {
            "body": [f"Awful {XSS}", None, "Fine"],
            "name": ["Ann", None, "Cy"],
            "Seat": [1.0, np.nan, 0],
            "Food": [5, 4, 3],
            "region": ["EU", "US", "EU"],
        }
    )
    with pytest.warns(UserWarning, match="1 of 3 rows have no 'body' text"):
        raw = read_frame(
            df,
            text="body",
            participant="name",
            ratings={"Seat": "Seat", "Food": "Meal"},
            missing=(0,),
        )
    f = raw.frame
    _check_contract(f)
    assert list(f.columns) == [*RATING_COLS, "region"]
    assert f["evidence_id"].tolist() == [  # row 1 has no text: no text row, ratings kept
        "review:0",
        "review:0:Seat",
        "review:0:Food",
        "review:1:Seat",
        "review:1:Food",
        "review:2",
        "review:2:Seat",
        "review:2:Food",
    ]
    assert f["text"][0] == f"Awful {XSS}"
    assert f["participant"].tolist() == ["Ann"] * 3 + ["1"] * 2 + ["Cy"] * 3
    assert f["position"].tolist() == [0, 0, 0, 1, 1, 2, 2, 2]
    assert f["region"].tolist() == ["EU"] * 3 + ["US"] * 2 + ["EU"] * 3
    np.testing.assert_allclose(f["emotion"], [np.nan, -2, 2, np.nan, 1, np.nan, np.nan, 0])
    assert f["touchpoint"].tolist()[:3] == [np.nan, "Seat", "Meal"] or f["touchpoint"][0] is np.nan


def test_frame_blank_texts_give_no_text_row():
    df = pd.DataFrame({"text": ["Late again", "   ", "\n\t", "", None, "Fine"]})
    with pytest.warns(UserWarning, match=r"4 of 6 rows have no 'text' text"):
        raw = read_frame(df)
    assert raw.frame["evidence_id"].tolist() == ["review:0", "review:5"]
    assert "4 of 6 rows" in raw.meta["warnings"][0]


def test_boolean_ratings_read_as_yes_no():
    df = pd.DataFrame(
        {
            "text": ["a", "b", "c", "d"],
            "Recommended": [True, False, None, True],
            "Seat": [1, 5, 3, 0],
        }
    )
    with pytest.warns(UserWarning, match=r"\['Recommended'\] hold yes/no values"):
        raw = read_frame(df, ratings={"Recommended": "Cabin", "Seat": "Seat"}, missing=(0,))
    f = raw.frame.set_index("evidence_id")
    rec = f.loc[[f"review:{i}:Recommended" for i in range(4)], "emotion"].tolist()
    np.testing.assert_allclose(rec, [2, -2, np.nan, 2])  # False is a "no", not a missing code
    seat = f.loc[[f"review:{i}:Seat" for i in range(4)], "emotion"].tolist()
    np.testing.assert_allclose(seat, [-2, 2, 0, np.nan])  # the other item keeps its scale
    assert raw.meta["scales"]["Recommended"] == (0.0, 1.0)
    survey = pd.DataFrame({"id": [1, 2], "ok": [True, False]})
    with pytest.warns(UserWarning, match="yes/no"):
        raw = read_survey(survey, items={"ok": "Cabin"}, respondent="id", missing=(0,))
    np.testing.assert_allclose(raw.frame["emotion"], [2, -2])


def test_ratings_squeezed_by_a_too_wide_scale_warn():
    df = pd.DataFrame({"id": range(40), "Q1": [1, 2, 3, 4, 5] * 8, "Q2": [2, 3, 4, 5, 1] * 8})
    with pytest.warns(UserWarning, match=r"none of 80 ratings is above the middle.*1–10.*is 5"):
        raw = read_survey(df, items=["Q1", "Q2"], respondent="id", scale=(1, 10))
    assert "scale=(lo, hi)" in raw.meta["warnings"][-1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the right scale: no warning
        read_survey(df, items=["Q1", "Q2"], respondent="id", scale=(1, 5))
        read_survey(df.head(10), items=["Q1"], respondent="id", scale=(1, 10))  # too few


def test_frame_text_only_with_id_and_source():
    df = pd.DataFrame({"ticket": ["T-1", "T-2"], "text": ["Login fails", "Refund late"]})
    raw = read_frame(df, id="ticket", source="ticket", document="zendesk")
    f = raw.frame
    assert list(f.columns) == list(BASE_COLUMNS)
    assert f["evidence_id"].tolist() == ["zendesk:T-1", "zendesk:T-2"]
    assert f["source"].tolist() == ["ticket", "ticket"]
    assert f["rating"].isna().all()


def test_frame_errors():
    df = pd.DataFrame({"body": ["x"], "Seat": [7]})
    with pytest.raises(EvidenceError, match=r"text='\.\.\.'.*\['body', 'Seat'\]"):
        read_frame(df)
    with pytest.raises(EvidenceError, match=r"'bdy' does not exist\. Did you mean 'body'"):
        read_frame(df, text="bdy")
    with pytest.raises(EvidenceError, match="1 ratings are outside"):
        read_frame(df, text="body", ratings=["Seat"])
    with pytest.raises(EvidenceError, match="source="):
        read_frame(df, text="body", source="tweets")


# ----------------------------------------------------------------------------------- real data

AIRLINE_ITEMS = [
    "Inflight wifi service",
    "Departure/Arrival time convenient",
    "Ease of Online booking",
    "Gate location",
    "Food and drink",
    "Online boarding",
    "Seat comfort",
    "Inflight entertainment",
    "On-board service",
    "Leg room service",
    "Baggage handling",
    "Checkin service",
    "Inflight service",
    "Cleanliness",
]


@pytest.mark.data
def test_real_airline_survey():
    path = real_data("airline_passenger_satisfaction_train.csv.gz")
    raw = read_survey(path, items=AIRLINE_ITEMS, scale=(1, 5), missing=(0,))
    f = raw.frame
    assert len(f) == 103_904 * 14
    _check_contract(f)
    assert "Unnamed: 0" not in f.columns
    segs = [
        "Gender",
        "Customer Type",
        "Age",
        "Type of Travel",
        "Class",
        "Flight Distance",
        "Departure Delay in Minutes",
        "Arrival Delay in Minutes",
        "satisfaction",
    ]
    assert list(f.columns) == [*RATING_COLS, *segs]
    # independent pandas computation of the non-missing counts and means per item
    df = pd.read_csv(path)
    expected_n = (df[AIRLINE_ITEMS] != 0).sum()
    got_n = f.groupby("item", observed=True)["emotion"].count()
    assert got_n.to_dict() == expected_n.to_dict()
    expected_mean = df[AIRLINE_ITEMS].where(df[AIRLINE_ITEMS] != 0).mean()
    got_mean = f.groupby("item", observed=True)["rating"].apply(lambda s: s[s != 0].mean())
    np.testing.assert_allclose(got_mean[AIRLINE_ITEMS], expected_mean[AIRLINE_ITEMS])
    zero = f["rating"] == 0
    assert f.loc[zero, "emotion"].isna().all() and f.loc[~zero, "emotion"].notna().all()
    first = df.iloc[0]
    row = f.iloc[6]  # first respondent, 7th item
    assert row["evidence_id"] == f"airline_passenger_satisfaction_train:{first['id']}:Seat comfort"
    assert row["rating"] == first["Seat comfort"]
    assert row["Class"] == first["Class"]
    assert f["Arrival Delay in Minutes"].isna().sum() == 310 * 14
    assert raw.meta["encodings"][str(path)] == "utf-8"


@pytest.mark.data
def test_real_ba_reviews():
    path = real_data("ba_reviews_airlinequality_markphamm.csv.gz")
    df = pd.read_csv(path)
    aspects = {
        "Seat Comfort": "Seat",
        "Cabin Staff Service": "Cabin crew",
        "Food & Beverages": "Catering",
        "Ground Service": "Airport",
        "Value For Money": "Price",
        "Wifi & Connectivity": "Wifi",
    }
    with pytest.raises(EvidenceError, match="outside"):
        read_frame(df, text="review_bodies", ratings=aspects)  # a few 0 ratings
    raw = read_frame(
        df, text="review_bodies", participant="customer_names", ratings=aspects, missing=(0,)
    )
    f = raw.frame
    _check_contract(f)
    assert len(f) == len(df) * 7
    texts = f[f["item"].isna()]
    assert len(texts) == len(df)
    assert texts["text"].tolist() == df["review_bodies"].fillna("").tolist()
    for col in aspects:
        sub = f[f["item"] == col]
        assert sub["emotion"].count() == int(((df[col] >= 1) & (df[col] <= 5)).sum())
    assert "Recommended" in f.columns and "Route" in f.columns


# ------------------------------------------------------------------------ internals and props


def test_csv_dates_stay_text_like_pandas(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("id,q,when\n1,4,2024-01-05\n2,5,2024-02-01\n", encoding="utf-8")
    f = read_survey(p, items=["q"]).frame
    assert f["when"].tolist() == ["2024-01-05", "2024-02-01"]
    assert f["when"].dtype != "datetime64[ns]"


def test_participant_categories_without_private_fastpath(monkeypatch):
    import cjm_widgets.evidence._reader_base as reader_base

    fast = read_survey(_small(), items=["q2"]).frame
    monkeypatch.setattr(reader_base, "_FASTPATH", None)
    slow = read_survey(_small(), items=["q2"]).frame
    assert list(slow["participant"].cat.categories) == ["10", "11", "12", "13"]
    pd.testing.assert_frame_equal(fast, slow)


def test_survey_property_emotion_mapping_and_ids():
    hypothesis = module("hypothesis")
    st = module("hypothesis.strategies")

    @hypothesis.settings(max_examples=40, deadline=None)
    @hypothesis.given(
        st.lists(st.lists(st.integers(0, 7), min_size=2, max_size=2), min_size=1, max_size=20),
        st.integers(0, 3),
    )
    def check(rows, lo):
        hi = lo + 4
        df = pd.DataFrame(rows, columns=["a", "b"]).assign(id=range(len(rows)))
        raw = read_survey(df, items=["a", "b"], scale=(lo, hi), missing=(), on_invalid="missing")
        f = raw.frame
        assert f["evidence_id"].is_unique and len(f) == 2 * len(rows)
        r = f["rating"].to_numpy()
        ok = (r >= lo) & (r <= hi)
        np.testing.assert_allclose(f["emotion"][ok], -2 + 4 * (r[ok] - lo) / (hi - lo))
        assert f["emotion"][~ok].isna().all()
        assert raw.meta["invalid"]["count"] == int((~ok).sum())

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        check()
