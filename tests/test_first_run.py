"""A newcomer's first run: the README's commands, as written, as a user and as root."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cjm_widgets.cli as cli
from cjm_widgets.cli import lab_command, main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``cjm-widgets ARGS`` (the installed script when there is one; this checkout's code)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = shutil.which("cjm-widgets", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "cjm_widgets.cli"]
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _readme_demo_report_command() -> list[str]:
    """The README's `cd cjm-demo && cjm-widgets report ...` line, split as a shell would."""
    lines = [line for line in README.splitlines() if "cjm-widgets report demo" in line]
    assert len(lines) == 1, lines
    cd, command = (part.strip() for part in lines[0].split("&&"))
    assert cd == "cd cjm-demo"
    words = shlex.split(command)
    assert words[:2] == ["cjm-widgets", "report"]
    return words[1:]


def test_demo_writes_what_the_readme_report_command_needs(tmp_path):
    done = _cli("demo", "--no-open", cwd=tmp_path)  # the default folder, ./cjm-demo
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "cjm-demo"
    assert (folder / "quickstart.ipynb").is_file()
    assert "cjm-widgets report demo.journey.json" in done.stdout  # it says what to run next
    report = _cli(*_readme_demo_report_command(), cwd=folder)
    assert report.returncode == 0, report.stderr
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "First online grocery order" in html  # the demo journey's title
    assert "Family" in html and "Single" in html  # one series per household
    assert "Delivery slot picker" in html
    assert re.search(r"\b\d[\d,]* rated rows|n\s*=\s*\d", html)
    # the evidence table has readable column names, not item codes
    header = (folder / "demo_evidence.csv").read_text(encoding="utf-8").splitlines()[0]
    assert {"evidence_id", "text", "touchpoint_id", "emotion", "household"} <= set(
        header.split(",")
    )


def test_readme_has_one_install_line_and_the_lab_launcher():
    installs = re.findall(r"pip install -e \"\.\[(\w+)\]\"", README)
    assert installs.count("lab") == 1 and "cjm-widgets lab notebooks/quickstart.ipynb" in README
    assert "jupyter lab notebooks/quickstart.ipynb" not in README  # fails as root


@pytest.mark.parametrize("root", [False, True], ids=["user", "root"])
def test_lab_command_adds_allow_root_only_as_root(monkeypatch, root):
    monkeypatch.setattr(os, "geteuid", lambda: 0 if root else 1000, raising=False)
    command = lab_command("nb.ipynb", ["--port", "8899"])
    assert command[:5] == [sys.executable, "-m", "jupyter", "lab", "nb.ipynb"]
    assert command[5:7] == ["--port", "8899"]
    assert ("--allow-root" in command) is root
    assert command.count("--allow-root") <= 1
    monkeypatch.setattr(os, "geteuid", lambda: 0, raising=False)
    assert lab_command(None, ["--allow-root"]).count("--allow-root") == 1


@pytest.mark.parametrize("root", [False, True], ids=["user", "root"])
def test_lab_and_demo_start_jupyter_lab_and_say_so_as_root(tmp_path, monkeypatch, capsys, root):
    calls: list[list[str]] = []
    monkeypatch.setattr(os, "geteuid", lambda: 0 if root else 1000, raising=False)
    monkeypatch.setattr(cli.subprocess, "call", lambda cmd: calls.append(cmd) or 0)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nb.ipynb").write_text(json.dumps({"cells": []}), encoding="utf-8")
    assert main(["lab", "nb.ipynb", "--port", "8899"]) == 0
    assert main(["demo", "here"]) == 0
    out = capsys.readouterr().out
    assert calls[0][3:] == ["lab", "nb.ipynb", "--port", "8899"] + (
        ["--allow-root"] if root else []
    )
    assert calls[1][3:5] == ["lab", str(Path("here") / "quickstart.ipynb")]
    assert ("--allow-root" in calls[1]) is root
    assert ("Running as root: starting JupyterLab with --allow-root." in out) is root


def test_lab_on_a_missing_path_is_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli.subprocess, "call", lambda cmd: pytest.fail(f"started {cmd}"))
    assert main(["lab", "nope.ipynb"]) == 2
    assert "no such notebook or folder: nope.ipynb" in capsys.readouterr().err


DATA_NOTEBOOKS = ["airline_survey", "reviews_to_journey", "event_journey", "coding_reviews"]


@pytest.mark.parametrize("name", DATA_NOTEBOOKS)
def test_data_notebooks_name_the_exact_file_they_look_for(tmp_path, name):
    """Run the notebook's data cell with an empty data folder: the error names the file."""
    nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    cell = next("".join(c["source"]) for c in nb["cells"] if "CJM_DATA_DIR" in "".join(c["source"]))
    wanted = re.search(r'DATA_DIR / "([^"]+)"', cell).group(1)
    env = {**os.environ, "CJM_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", cell], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode != 0
    message = done.stderr.strip().splitlines()[-1]
    assert message.startswith("FileNotFoundError")
    assert message.count(wanted) >= 2  # the path and, in the advice, the exact file name
    assert "CJM_DATA_DIR" in message
