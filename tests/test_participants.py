"""Participants are people, every turn has its speaker (issue 14, items 1 and 2).

Reader options (roles=, participant=, quiet=), the participants table and its edits, and
by="participant" / by="document" in the analyses.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import cjm_widgets as cjm
from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence.readers import read_transcripts

TWO_TURNS = (
    "Interviewer: How was the delivery?\nInterviewee: Late and the bags were wet.\n"
    "Interviewer: And the refund?\nInterviewee: It took two weeks.\n"
)


@pytest.fixture
def three(tmp_path):
    """Three interviews, each Interviewer / Interviewee twice."""
    for k in range(3):
        (tmp_path / f"interview_{k}.txt").write_text(TWO_TURNS, encoding="utf-8")
    return sorted(tmp_path.glob("interview_*.txt"))


@pytest.fixture
def journey():
    j = cjm.Journey.from_template("current_state", stages="five_stage")
    j.add_touchpoint(j.stages[2].name, "Delivery")
    return j


def _tagged(paths, journey, **kw):
    ev = cjm.Evidence.from_transcripts(paths, quiet=True, progress=False, **kw)
    answers = (ev.column("role") == "participant").to_numpy()
    ev.tag(answers, journey=journey, touchpoint="Delivery", emotion=-2, labels="pain point")
    return ev


# ------------------------------------------------------------------ the minimal cases


def test_three_interviews_are_three_participants(three, journey):
    ev = _tagged(three, journey)
    point = cjm.emotion_curve(journey, ev).set_index("touchpoint").loc["Delivery"]
    assert (point["n"], point["n_participants"]) == (6, 3)
    pains = cjm.pain_points(journey, ev).set_index("touchpoint").loc["Delivery"]
    assert pains["n_participants"] == 3
    who = ev.column("participant").to_numpy()[ev.rows_of(list(pains["quote_ids"]))]
    assert sorted(who) == [f"interview_{k}/Interviewee" for k in range(3)]  # one quote each
    assert list(ev.participants.index) == [f"interview_{k}/Interviewee" for k in range(3)]


def test_a_name_used_once_starts_its_own_turn(tmp_path):
    p = tmp_path / "anna.txt"
    p.write_text("Interviewer: How was the delivery?\nAnna: Terrible…\nInterviewer: Thanks\n")
    f = read_transcripts(p, quiet=True).frame
    assert f["speaker"].tolist() == ["Interviewer", "Anna", "Interviewer"]
    assert f["role"].tolist() == ["interviewer", "participant", "interviewer"]
    assert f["text"].tolist() == ["How was the delivery?", "Terrible…", "Thanks"]
    assert f["participant"].tolist() == ["anna/Anna"] * 3


def test_numbered_interviewer_and_unknown_speaker_are_not_merged(tmp_path):
    p = tmp_path / "fr.txt"
    p.write_text(
        "Interviewer 1: Et le paiement ?\nInterviewee: Refusé deux fois.\n"
        "Interviewer2 2: d'accord Merci\nUnknown Speaker: oui c'était pénible\n"
        "Interviewee\nJe n'ai plus commandé.\n",
        encoding="utf-8",
    )
    f = read_transcripts(p, quiet=True).frame
    assert f["speaker"].tolist() == [
        "Interviewer 1",
        "Interviewee",
        "Interviewer2 2",
        "Unknown Speaker",
        "Interviewee",
    ]
    assert f["role"].tolist() == [
        "interviewer",
        "participant",
        "interviewer",
        "unknown",
        "participant",
    ]
    assert f["text"][1] == "Refusé deux fois."  # the interviewer's words are not in it
    assert f["text"][4] == "Je n'ai plus commandé."


# ------------------------------------------------------------------ roles=


def test_roles_fix_a_guess_and_text_keeps_a_label_as_text(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text(
        "Interviewer: Hello?\nGuest: Hi.\nLaughter: the guest laughs.\nInterviewer2 2: ok\n",
        encoding="utf-8",
    )
    f = read_transcripts(p, quiet=True).frame  # a capitalised word used once reads as a name
    assert f["speaker"].tolist() == ["Interviewer", "Guest", "Laughter", "Interviewer2 2"]
    assert f["role"].tolist() == ["interviewer", "participant", "participant", "interviewer"]
    fixed = read_transcripts(
        p, quiet=True, roles={"interviewer2  2": "participant", "Laughter": "text"}
    ).frame
    assert fixed["speaker"].tolist() == ["Interviewer", "Guest", "Interviewer2 2"]
    assert fixed["role"].tolist() == ["interviewer", "participant", "participant"]
    assert fixed["text"][1] == "Hi.\nLaughter: the guest laughs."
    # the two participants of the file are two people
    assert fixed["participant"].tolist() == ["x/Guest", "x/Guest", "x/Interviewer2 2"]


def test_bad_roles_are_refused_and_unused_ones_reported(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text(TWO_TURNS, encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"roles\['Anna'\] = 'boss' is not a role.*'text'"):
        read_transcripts(p, roles={"Anna": "boss"})
    with pytest.raises(EvidenceError, match="roles= must be a dict"):
        read_transcripts(p, roles=["Anna"])
    with pytest.warns(UserWarning, match="roles= names speakers found in no file: 'moderatr'"):
        read_transcripts(p, roles={"Moderatr": "interviewer"}, quiet=True)


# ------------------------------------------------------------------ participant=


def test_participant_rules(tmp_path):
    a, b = tmp_path / "s1.txt", tmp_path / "s2.txt"
    a.write_text("Moderator: Hi?\nAnna: Hello.\nBen: Hey.\n", encoding="utf-8")
    b.write_text("Moderator: Again?\nAnna: Yes.\n", encoding="utf-8")

    def people(**kw):
        f = read_transcripts([a, b], quiet=True, progress=False, **kw).frame
        return f["participant"].tolist()

    assert people() == ["s1/Anna", "s1/Anna", "s1/Ben", "s2/Anna", "s2/Anna"]
    assert people(participant="file") == ["s1", "s1", "s1", "s2", "s2"]
    assert people(participant="speaker") == ["Anna", "Anna", "Ben", "Anna", "Anna"]
    assert (
        people(participant={"Anna": "P1", ("s1", "Ben"): "P2"}) == ["P1", "P1", "P2"] + ["P1"] * 2
    )
    assert people(participant=lambda doc, who: who.upper()) == [
        "ANNA",
        "ANNA",
        "BEN",
        "ANNA",
        "ANNA",
    ]
    with pytest.raises(EvidenceError, match=r"participant='person' is not a rule.*'file'"):
        people(participant="person")
    with pytest.raises(EvidenceError, match=r"participant\('s1', 'Anna'\) gave ''"):
        people(participant=lambda doc, who: "")


def test_unlabelled_file_is_one_person_named_after_it(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("The queue was long.\n\nThe staff were kind.\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="no speaker labels"):
        raw = read_transcripts(p, quiet=True)
    assert raw.frame["participant"].tolist() == ["notes", "notes"]
    assert raw.meta["transcripts"]["notes"]["labelled"] is False


# ------------------------------------------------------------------ the summary


def test_summary_printed_and_in_meta(three, capsys, tmp_path):
    extra = tmp_path / "odd.txt"
    extra.write_text(
        "Interviewer: Hi?\nUnknown Speaker: hm\nInterviewee: Fine.\nNote: loud room.\n",
        encoding="utf-8",
    )
    raw = read_transcripts([*three, extra], progress=False)
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "Read 4 transcripts: 15 turns (7 interviewer, 7 participant, 1 unknown), 5 participants."
    )
    # the file that needs a look comes first, with why
    assert out.splitlines()[1] == (
        "  odd: 3 turns — Interviewer (interviewer) 1 · Unknown Speaker (unknown) 1 · "
        "Interviewee (participant) 1  [check: unknown speakers; kept as text: 'Note']"
    )
    assert "interview_0: 4 turns — Interviewer (interviewer) 2 · Interviewee (participant) 2" in out
    assert 'roles={"label": "interviewer"}' in out
    meta = raw.meta["transcripts"]["odd"]
    assert meta["speakers"]["Unknown Speaker"] == {
        "role": "unknown",
        "turns": 1,
        "participant": "odd/Unknown Speaker",
    }
    assert meta["kept_as_text"] == ["Note"]
    read_transcripts(three, quiet=True, progress=False)
    assert capsys.readouterr().out == ""


def test_summary_escapes_nothing_and_survives_many_files(tmp_path, capsys):
    for k in range(15):
        (tmp_path / f"i{k:02d}.txt").write_text(TWO_TURNS, encoding="utf-8")
    read_transcripts(sorted(tmp_path.glob("*.txt")), progress=False)
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2] == "  … 3 more files in ev.meta['transcripts']"
    assert len(lines) == 1 + 12 + 2


# ------------------------------------------------------------------ the participants table


def test_participants_table(three):
    ev = cjm.Evidence.from_transcripts(three, quiet=True, progress=False)
    t = ev.participants
    assert t.index.name == "participant"
    assert list(t.columns) == ["documents", "speakers", "sources", "rows", "interviewer_rows"]
    row = t.loc["interview_1/Interviewee"]
    assert (row["documents"], row["speakers"], row["sources"]) == (
        "interview_1",
        "Interviewee",
        "interview",
    )
    assert (row["rows"], row["interviewer_rows"]) == (2, 2)
    t.loc["interview_1/Interviewee", "rows"] = 99  # a copy: the store is not changed
    assert ev.participants.loc["interview_1/Interviewee", "rows"] == 2


def test_rename_merge_undo_redo(three, journey):
    ev = _tagged(three, journey)
    agg = cjm.EmotionAggregate(journey, ev)
    ev.rename_participant("interview_0/Interviewee", "Maria")
    assert "Maria" in ev.participants.index
    assert (ev.frame.loc[ev.frame["document"] == "interview_0", "participant"] == "Maria").all()
    ev.merge_participants(["Maria", "interview_1/Interviewee"], into="Maria")
    assert ev.participants.loc["Maria", "documents"] == "interview_0, interview_1"
    assert ev.participants.loc["Maria", "rows"] == 4
    full = cjm.emotion_curve(journey, ev)
    assert full.set_index("touchpoint").loc["Delivery", "n_participants"] == 2
    pd.testing.assert_frame_equal(agg.frame, full)  # the live curve follows the edit
    assert ev.history["action"].tolist()[-2:] == ["rename participant", "merge participants"]
    ev.undo()
    assert sorted(ev.participants.index) == [
        "Maria",
        "interview_1/Interviewee",
        "interview_2/Interviewee",
    ]
    ev.undo()
    assert (
        cjm.emotion_curve(journey, ev).set_index("touchpoint").loc["Delivery", "n_participants"]
        == 3
    )
    pd.testing.assert_frame_equal(agg.frame, cjm.emotion_curve(journey, ev))
    ev.redo()
    assert "Maria" in ev.participants.index
    assert ev.tagged_mask.sum() == 6  # tags untouched by every participant edit


def test_participant_edit_errors_change_nothing(three):
    ev = cjm.Evidence.from_transcripts(three, quiet=True, progress=False)
    before = ev.frame
    with pytest.raises(EvidenceError, match=r"No participant 'interview_0/interviewee'.*did you"):
        ev.rename_participant("interview_0/interviewee", "X")
    with pytest.raises(EvidenceError, match=r"exists already.*merge_participants"):
        ev.rename_participant("interview_0/Interviewee", "interview_1/Interviewee")
    with pytest.raises(EvidenceError, match="non-empty text"):
        ev.rename_participant("interview_0/Interviewee", "  ")
    with pytest.raises(EvidenceError, match="two or more"):
        ev.merge_participants(["interview_0/Interviewee"])
    with pytest.raises(EvidenceError, match="another participant"):
        ev.merge_participants(
            ["interview_0/Interviewee", "interview_1/Interviewee"], into="interview_2/Interviewee"
        )
    pd.testing.assert_frame_equal(ev.frame, before)
    assert not ev.can_undo


def test_segments_from_csv_and_by_everywhere(three, journey, tmp_path):
    ev = _tagged(three, journey)
    csv = tmp_path / "people.csv"
    pd.DataFrame(
        {
            "participant": ["interview_0/Interviewee", "interview_1/Interviewee"],
            "age_band": ["30-39", "60+"],
            "region": ["North", "South"],
        }
    ).to_csv(csv, index=False)
    ev.set_participant_segments(csv)
    assert ev.participants.loc["interview_1/Interviewee", "age_band"] == "60+"
    assert pd.isna(ev.participants.loc["interview_2/Interviewee", "region"])  # not in the CSV
    assert {"age_band", "region"} <= set(ev.segments)
    curve = cjm.emotion_curve(journey, ev, by="age_band")
    got = curve[curve["touchpoint"] == "Delivery"].set_index("series")["n"]
    assert got.to_dict() == {"30-39": 2, "60+": 2}  # people with no age band: dropped, said
    assert curve.attrs["dropped_rows"] == 2
    labelled = cjm.emotion_curve(journey, ev, by="age_band", missing="label")
    got = labelled[labelled["touchpoint"] == "Delivery"].set_index("series")["n"]
    assert got.to_dict() == {"30-39": 2, "60+": 2, "not given": 2}
    # merging people who disagree on a segment is refused; agreeing (or unknown) is fine
    with pytest.raises(EvidenceError, match="disagree on 'age_band'"):
        ev.merge_participants(["interview_0/Interviewee", "interview_1/Interviewee"])
    ev.merge_participants(["interview_0/Interviewee", "interview_2/Interviewee"], into="P")
    assert ev.participants.loc["P", "region"] == "North"
    # by="participant" and by="document" work like any segment
    by_person = cjm.emotion_curve(journey, ev, by="participant")
    row = by_person[by_person["touchpoint"] == "Delivery"].set_index("series")
    assert row["n"].to_dict() == {"P": 4, "interview_1/Interviewee": 2}
    by_doc = cjm.emotion_curve(journey, ev, by="document")
    assert set(by_doc["series"]) >= {"interview_0", "interview_1", "interview_2"}
    cmp = cjm.compare(journey, ev, by="document", a="interview_0", b="interview_1", min_n=1)
    assert cmp.set_index("touchpoint").loc["Delivery", "n_a"] == 2
    chart = cjm.charts.emotion_curve_chart((journey, ev), by="participant").to_dict()
    assert "interview_1/Interviewee" in str(chart)


def test_segment_table_errors_change_nothing(three, tmp_path):
    ev = cjm.Evidence.from_transcripts(three, quiet=True, progress=False)
    with pytest.raises(EvidenceError, match=r"1 participant id\(s\) in the table are not in"):
        ev.set_participant_segments(
            pd.DataFrame({"participant": ["interview_0/Interviewee", "Ghost"], "age": ["a", "b"]})
        )
    with pytest.raises(EvidenceError, match="listed twice"):
        ev.set_participant_segments(
            pd.DataFrame({"participant": ["interview_0/Interviewee"] * 2, "age": ["a", "b"]})
        )
    with pytest.raises(EvidenceError, match="no 'who' column"):
        ev.set_participant_segments(pd.DataFrame({"participant": []}), on="who")
    with pytest.raises(EvidenceError, match=r"\['speaker'\] would replace evidence columns"):
        ev.set_participant_segments(
            pd.DataFrame({"participant": ["interview_0/Interviewee"], "speaker": ["x"]})
        )
    with pytest.raises(EvidenceError, match="no such file"):
        ev.set_participant_segments(tmp_path / "missing.csv")
    assert "age" not in ev.segments and not ev.can_undo


def test_report_counts_people(three, journey, tmp_path):
    ev = _tagged(three, journey)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = cjm.export.html_report(journey, ev, tmp_path / "r.html")
    text = path.read_text(encoding="utf-8")
    assert "3 participants</p>" in text  # the Delivery pain point: 3 people, not 1
    assert "document plus the speaker label" in text  # Methods say how people are counted
    assert np.all(ev.column("participant").astype(str).str.contains("/"))


def test_participant_edits_survive_pickle_and_undo_after(three):
    import pickle

    ev = cjm.Evidence.from_transcripts(three, quiet=True, progress=False)
    ev.rename_participant("interview_0/Interviewee", "Maria")
    ev.set_participant_segments(pd.DataFrame({"participant": ["Maria"], "region": ["North"]}))
    copy = pickle.loads(pickle.dumps(ev))
    pd.testing.assert_frame_equal(copy.participants, ev.participants)
    copy.undo()
    assert "region" not in copy.segments and "Maria" in copy.participants.index
    copy.undo()
    assert "Maria" not in copy.participants.index
    assert "Maria" in ev.participants.index  # the original is untouched


def test_sentences_with_a_colon_stay_in_their_turn(tmp_path):
    p = tmp_path / "steps.txt"
    p.write_text(
        "Interviewer: How did you pay?\nInterviewee: Like this.\nStep 1: open the app.\n"
        "Step 2: pick the card.\nThe reason was simple: price.\nInterviewer: ok\n",
        encoding="utf-8",
    )
    raw = read_transcripts(p, quiet=True)
    f = raw.frame
    assert f["speaker"].tolist() == ["Interviewer", "Interviewee", "Interviewer"]
    assert f["text"][1] == (
        "Like this.\nStep 1: open the app.\nStep 2: pick the card.\nThe reason was simple: price."
    )
    assert raw.meta["transcripts"]["steps"]["kept_as_text"] == ["Step 1", "Step 2"]


def test_summary_never_prints_control_characters(tmp_path, capsys):
    p = tmp_path / "v.vtt"
    p.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Int\x1b[31mviewer>Hello?\n\n"
        "00:00:02.000 --> 00:00:03.000\n<v Anna>Hi.\n",
        encoding="utf-8",
    )
    raw = read_transcripts(p)
    out = capsys.readouterr().out
    assert "\x1b" not in out and "'Int\\x1b[31mviewer'" in out
    assert raw.frame["speaker"].tolist()[1] == "Anna"


def test_participant_edit_cells_run_twice_change_nothing(three):
    ev = cjm.Evidence.from_transcripts(three, quiet=True, progress=False)
    people = pd.DataFrame({"participant": ["Maria"], "age_band": ["60+"]})
    for run in range(2):  # a notebook run twice from the top of these cells
        r1 = ev.rename_participant("interview_0/Interviewee", "Maria")
        r2 = ev.merge_participants(["Maria", "interview_1/Interviewee"], into="Maria")
        r3 = ev.set_participant_segments(people)
        assert (r1 is None, r2 is None, r3 is None) == ((False,) * 3 if run == 0 else (True,) * 3)
    assert ev.history["action"].tolist() == [
        "rename participant",
        "merge participants",
        "participant segments",
    ]
    assert ev.participants.loc["Maria", "rows"] == 4
    # a changed table is applied again
    assert ev.set_participant_segments(people.assign(age_band="50-59")) is not None
    assert ev.participants.loc["Maria", "age_band"] == "50-59"
