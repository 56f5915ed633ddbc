"""``segments=`` means the same on every reader: the input columns kept as segment columns."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

import cjm_widgets as cjm
from cjm_widgets.errors import EvidenceError

REVIEWS = pd.DataFrame(
    {
        "body": ["Seat was fine", "Late again", "Friendly crew"],
        "Class": ["Economy", "Business", "Economy"],
        "Route": ["HEL-ARN", "HEL-CDG", "HEL-ARN"],
        "Stars": [4, 1, 5],
    }
)


def test_from_frame_keeps_only_the_named_segments():
    ev = cjm.Evidence.from_frame(REVIEWS, text="body", segments=["Class"])
    assert ev.segments == ["Class"]
    assert ev.frame["Class"].tolist() == ["Economy", "Business", "Economy"]
    assert "Route" not in ev.frame.columns and "Stars" not in ev.frame.columns


def test_from_frame_segments_none_keeps_every_other_column_and_empty_keeps_none():
    assert cjm.Evidence.from_frame(REVIEWS, text="body").segments == ["Class", "Route", "Stars"]
    assert cjm.Evidence.from_frame(REVIEWS, text="body", segments=[]).segments == []
    assert cjm.Evidence.from_frame(REVIEWS, text="body", segments="Route").segments == ["Route"]


def test_from_frame_unknown_segment_names_the_columns():
    with pytest.raises(EvidenceError, match="Klass") as err:
        cjm.Evidence.from_frame(REVIEWS, text="body", segments=["Klass"])
    assert "Class" in str(err.value)  # the columns there are, to pick from


def test_from_survey_csv_segments(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("id,q1,region,age\n1,4,North,30\n2,2,South,41\n", encoding="utf-8")
    journey = cjm.Journey(title="S")
    journey.add_stage("Use")
    journey.add_touchpoint("Use", "Checkout")
    ev = cjm.Evidence.from_survey(
        path, items={"q1": "Checkout"}, segments=["region"], journey=journey
    )
    assert ev.segments == ["region"]
    assert ev.frame["region"].tolist() == ["North", "South"]


def _turns_csv(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_from_transcripts_csv_of_turns_keeps_its_columns_as_segments(tmp_path):
    _turns_csv(
        tmp_path,
        "a.csv",
        "speaker,text,region,Unnamed: 4\nInterviewer,How was it?,North,0\nAnna,Slow.,,1\n",
    )
    _turns_csv(tmp_path, "b.csv", "speaker,text,plan\nInterviewer,And you?,Pro\nBo,Fine.,Pro\n")
    ev = cjm.Evidence.from_transcripts(str(tmp_path / "*.csv"), quiet=True, progress=False)
    assert ev.segments == ["region", "plan"]
    frame = ev.frame
    assert frame["region"].tolist()[:1] == ["North"]
    assert frame["region"].isna().tolist() == [False, True, True, True]  # blank; other file
    assert frame["plan"].isna().tolist() == [True, True, False, False]
    only = cjm.Evidence.from_transcripts(
        str(tmp_path / "*.csv"), segments=["plan"], quiet=True, progress=False
    )
    assert only.segments == ["plan"]
    none = cjm.Evidence.from_transcripts(
        str(tmp_path / "*.csv"), segments=[], quiet=True, progress=False
    )
    assert none.segments == []


def test_a_short_row_in_a_csv_of_turns_leaves_its_segment_missing(tmp_path):
    _turns_csv(tmp_path, "c.csv", "speaker,text,region\nInterviewer,Hi?,North\nAnna,Hello.\n")
    ev = cjm.Evidence.from_transcripts(tmp_path / "c.csv", quiet=True)
    assert ev.frame["region"].tolist()[0] == "North"
    assert ev.frame["region"].isna().tolist() == [False, True]


def test_from_transcripts_segments_without_columns_says_why(tmp_path):
    (tmp_path / "i.txt").write_text("Interviewer: Hi?\nAnna: Hello.\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="only a CSV of turns has columns"):
        cjm.Evidence.from_transcripts(tmp_path / "i.txt", segments=["region"], quiet=True)


def test_every_reader_spells_out_its_parameters_with_segments():
    for reader in (
        cjm.Evidence.from_transcripts,
        cjm.Evidence.from_survey,
        cjm.Evidence.from_frame,
    ):
        params = inspect.signature(reader).parameters
        kinds = {p.kind for p in params.values()}
        assert inspect.Parameter.VAR_KEYWORD not in kinds, reader.__name__
        assert params["segments"].kind is inspect.Parameter.KEYWORD_ONLY
        assert list(params)[1:] and all(
            p.kind is inspect.Parameter.KEYWORD_ONLY for p in list(params.values())[1:]
        )
        assert "Usage" in (reader.__doc__ or "")
