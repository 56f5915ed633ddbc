"""The ``cjm-widgets`` command line: ``demo`` and ``report``, and its errors.

A person runs it from a shell: the files appear, the report opens, and a wrong path gives one
clear line (exit code 2), never a traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cjm_widgets as cjm
from cjm_widgets.cli import find_quickstart, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A journey, its evidence table (ev.frame.to_csv) and a tags file, as a user saves them."""
    folder = tmp_path_factory.mktemp("saved")
    demo = cjm.datasets.demo()
    journey, ev = demo.journey, demo.evidence()
    journey.save(folder / "grocery.journey.json")
    ev.frame.to_csv(folder / "evidence.csv", index=False)  # before the hand tags
    fee = ev.search("delivery fee")[:3]
    ev.tag(
        fee,
        journey=journey,
        touchpoint="Basket and payment",
        emotion=-2,
        labels=["pain point", "quote"],
        coder="AK",
    )
    ev.save_tags(folder / "tags.json")
    return folder, journey, ev, fee


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cjm_widgets.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_report_from_saved_files_matches_the_python_report(saved, capsys):
    folder, journey, ev, fee = saved
    out = folder / "report.html"
    code = main(
        [
            "report",
            str(folder / "grocery.journey.json"),
            "--evidence",
            str(folder / "evidence.csv"),
            "--tags",
            str(folder / "tags.json"),
            "--by",
            "household",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    # the tags file was applied: the fee quotes are the evidence of a pain point
    for ident in fee:
        assert f"({ident})" in text
    assert 'id="compare"' in text  # household has two groups
    # the same findings as the report made from the objects in Python (the methods differ:
    # a CSV evidence table does not remember the survey's scales)
    same = cjm.export.report_html(journey, ev, by="household", generated="X")

    def findings(s: str) -> str:  # vl-convert numbers gradients per process: normalise
        part = s[s.index('<section id="summary"') : s.index('<section id="methods"')]
        return re.sub(r"gradient_\d+", "gradient", part)

    assert findings(text) == findings(same)


def test_report_from_excel_evidence_sheet(saved, tmp_path):
    folder, journey, ev, fee = saved
    book = cjm.export.to_excel(journey, ev, tmp_path / "study.xlsx")
    sheet = pd.read_excel(book, sheet_name="evidence")
    evidence_only = tmp_path / "evidence.xlsx"
    sheet.to_excel(evidence_only, index=False)
    out = tmp_path / "r.html"
    assert (
        main(
            [
                "report",
                str(folder / "grocery.journey.json"),
                "--evidence",
                str(evidence_only),
                "-o",
                str(out),
            ]
        )
        == 0
    )
    text = out.read_text(encoding="utf-8")
    assert all(f"({ident})" in text for ident in fee)  # tags came with the sheet


def test_report_from_a_survey_named_after_touchpoints(tmp_path):
    journey = cjm.datasets.airline_journey()
    journey.save(tmp_path / "airline.journey.json")
    rng = np.random.default_rng(3)
    n = 400
    survey = pd.DataFrame(
        {name: rng.integers(0, 6, n) for name in cjm.datasets.AIRLINE_ITEMS}
        | {"Class": rng.choice(["Eco", "Business"], n)}
    )
    survey.to_csv(tmp_path / "survey.csv.gz", index=False)
    out = tmp_path / "airline.html"
    assert (
        main(
            [
                "report",
                str(tmp_path / "airline.journey.json"),
                "--evidence",
                str(tmp_path / "survey.csv.gz"),
                "--by",
                "Class",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    text = out.read_text(encoding="utf-8")
    rated = int((survey[list(cjm.datasets.AIRLINE_ITEMS)] > 0).sum().sum())
    assert f"{rated:,}" in text  # rows with an emotion: 0 = not applicable is missing
    assert "Business compared with Eco" in text or "Eco compared with Business" in text


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing_journey", "no such journey file"),
        ("missing_evidence", "no such evidence file"),
        ("bad_journey", "unknown field"),
        ("unknown_type", "unknown evidence file type"),
        ("no_columns", "none of its columns is named like a touchpoint"),
        ("not_tags", "is not a tags file"),
        ("bad_by", "neither an evidence column nor a persona"),
    ],
)
def test_report_errors_are_one_line_exit_2(saved, tmp_path, capsys, case, message):
    folder = saved[0]
    journey = str(folder / "grocery.journey.json")
    evidence = str(folder / "evidence.csv")
    args = {
        "missing_journey": [str(tmp_path / "nope.json"), "--evidence", evidence],
        "missing_evidence": [journey, "--evidence", str(tmp_path / "nope.csv")],
        "bad_journey": [str(folder / "tags.json"), "--evidence", evidence],
        "unknown_type": [journey, "--evidence", journey],
        "no_columns": [journey, "--evidence", str(tmp_path / "other.csv")],
        "not_tags": [journey, "--evidence", evidence, "--tags", journey],
        "bad_by": [journey, "--evidence", evidence, "--by", "colour"],
    }[case]
    pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}).to_csv(tmp_path / "other.csv", index=False)
    assert main(["report", *args, "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cjm-widgets: error: "), err
    assert message in lines[0]
    assert not (tmp_path / "r.html").exists()


def test_installed_command_fails_without_traceback(saved, tmp_path):
    folder = saved[0]
    done = _run(
        "report",
        str(folder / "grocery.journey.json"),
        "--evidence",
        str(tmp_path / "missing.csv"),
        "-o",
        str(tmp_path / "r.html"),
        cwd=tmp_path,
    )
    assert done.returncode == 2
    missing = tmp_path / "missing.csv"
    assert done.stderr.strip() == f"cjm-widgets: error: no such evidence file: {missing}"


def test_demo_copies_notebook_and_data(tmp_path):
    target = tmp_path / "my demo"
    done = _run("demo", str(target), "--no-open", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    notebook = target / "quickstart.ipynb"
    assert notebook.read_bytes() == (ROOT / "notebooks" / "quickstart.ipynb").read_bytes()
    assert json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    survey = pd.read_csv(target / "grocery_survey.csv")
    assert len(survey) == len(cjm.datasets.demo().survey)
    assert sorted(p.name for p in target.glob("interview_*.txt")) == sorted(
        cjm.datasets.demo().transcripts()
    )
    again = _run("demo", str(target), "--no-open", cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr
    assert _run("demo", str(target), "--no-open", "--force", cwd=tmp_path).returncode == 0


def test_demo_default_folder_and_notebook_location(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--no-open"]) == 0
    assert (tmp_path / "cjm-demo" / "quickstart.ipynb").is_file()
    assert "cjm-widgets lab" in capsys.readouterr().out  # works as root too
    assert find_quickstart().read_bytes() == (ROOT / "notebooks" / "quickstart.ipynb").read_bytes()


def test_wheel_ships_the_quickstart_notebook():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"]["notebooks/quickstart.ipynb"] == (
        "cjm_widgets/_notebooks/quickstart.ipynb"
    )
    assert config["project"]["scripts"]["cjm-widgets"] == "cjm_widgets.cli:main"


def test_usage_errors_come_from_argparse(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "map.json"])
    assert info.value.code == 2
    assert "--evidence" in capsys.readouterr().err


@pytest.mark.parametrize("which", ["journey", "evidence", "tags", "journey via ..", "link"])
def test_report_refuses_to_overwrite_an_input(saved, tmp_path, capsys, which):
    folder = saved[0]
    journey, evidence, tags = (
        folder / n for n in ("grocery.journey.json", "evidence.csv", "tags.json")
    )
    link = tmp_path / "link.json"
    link.symlink_to(journey)
    out = {
        "journey": journey,
        "evidence": evidence,
        "tags": tags,
        "journey via ..": folder / "sub" / ".." / journey.name,
        "link": link,
    }[which]
    before = {p: p.read_bytes() for p in (journey, evidence, tags)}
    code = main(
        ["report", str(journey), "--evidence", str(evidence), "--tags", str(tags), "-o", str(out)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "the report would overwrite it" in err and "Nothing was written" in err
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".csv.gz"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_evidence_table_with_a_bare_cr_in_a_text_reads_back(tmp_path, suffix, newline):
    from cjm_widgets.cli import load_evidence

    demo = cjm.datasets.demo()
    journey = demo.journey
    frame = demo.evidence().frame
    frame.loc[0, "text"] = 'Old Mac line\rbreak, then "quoted", a comma'
    frame.loc[1, "text"] = "Windows line\r\nbreak"
    ev = cjm.Evidence(frame, journey=journey)
    ev.tag(ev.column("evidence_id").iloc[:2].tolist(), touchpoint="Basket and payment", emotion=-1)
    path = tmp_path / f"evidence{suffix}"
    ev.frame.to_csv(
        path, index=False, sep="\t" if ".tsv" in suffix else ",", lineterminator=newline
    )
    back = load_evidence(path, journey)
    assert len(back) == len(ev)
    assert back.column("text").tolist() == ev.column("text").tolist()
    assert back.frame["emotion"].equals(ev.frame["emotion"])
    assert back.column("source").astype(str).tolist() == ev.column("source").astype(str).tolist()
    # the rows are the same evidence: a tags file of one loads into the other unchanged
    ev.save_tags(tmp_path / "tags.json")
    assert back.load_tags(tmp_path / "tags.json")["binding"]["status"] == "same"
    out = tmp_path / "r.html"
    journey.save(tmp_path / "j.json")
    assert main(["report", str(tmp_path / "j.json"), "--evidence", str(path), "-o", str(out)]) == 0
    assert out.stat().st_size > 0


def test_a_missing_source_is_named_never_got_none(tmp_path, capsys):
    demo = cjm.datasets.demo()
    demo.journey.save(tmp_path / "j.json")
    frame = demo.evidence().frame.head(20).copy()
    frame["source"] = frame["source"].astype(object)
    frame.loc[3, "source"] = None
    frame.to_csv(tmp_path / "ev.csv", index=False)
    code = main(
        [
            "report",
            str(tmp_path / "j.json"),
            "--evidence",
            str(tmp_path / "ev.csv"),
            "-o",
            str(tmp_path / "r.html"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "got None" not in err
    assert "source is missing in rows [3]" in err
