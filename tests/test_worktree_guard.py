"""The clean-checkout check of tests/conftest.py, on a real git repository in tmp_path."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from needs import unavailable
from worktree_guard import changes, snapshot


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        unavailable("git is not installed")
    _git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("test-artifacts/\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "report.png").write_bytes(b"old picture")
    (tmp_path / "mine.py").write_text("x = 1\n", encoding="utf-8")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    return tmp_path


def test_a_rewritten_tracked_file_and_a_new_file_are_named(repo: Path) -> None:
    before = snapshot(repo)
    assert before == {}
    (repo / "docs" / "report.png").write_bytes(b"new picture")
    (repo / "notebooks").mkdir()
    (repo / "notebooks" / "out.html").write_text("<p>left behind</p>", encoding="utf-8")
    assert changes(before, snapshot(repo)) == ["M docs/report.png", "?? notebooks/out.html"]


def test_ignored_folders_and_an_edit_made_before_the_run_are_not_counted(repo: Path) -> None:
    (repo / "mine.py").write_text("x = 2\n", encoding="utf-8")  # the engineer's own edit
    before = snapshot(repo)
    (repo / "test-artifacts").mkdir()
    (repo / "test-artifacts" / "shot.png").write_bytes(b"png")
    assert changes(before, snapshot(repo)) == []
    (repo / "mine.py").write_text("x = 3\n", encoding="utf-8")  # changed again during the run
    assert changes(before, snapshot(repo)) == ["M mine.py"]


def test_outside_a_git_checkout_the_check_is_skipped(tmp_path: Path) -> None:
    assert snapshot(tmp_path / "nowhere") is None
    assert changes(None, {"a.txt": "?? x"}) == []
