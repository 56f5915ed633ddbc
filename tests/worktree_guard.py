"""Did the test run write into the checkout? ``git status`` before and after, compared.

Tests and the notebooks they run must write only into temp folders (``tmp_path``) or folders
git ignores (``test-artifacts/``, ``cjm-work/``). tests/conftest.py takes a :func:`snapshot`
when the session starts and another when it ends; :func:`changes` lists what is new or
different, and the session fails naming those paths.

    before = snapshot(repo)          # None outside a git checkout (the check is skipped)
    ...
    assert not changes(before, snapshot(repo))

A path already dirty before the run (your own edit) counts only if its content changes
during the run.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

#: path (relative to the checkout) -> "<git status code>|<digest of its content>"
Snapshot = dict[str, str]


def _digest(path: Path) -> str:
    if path.is_dir():
        return "dir"
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except FileNotFoundError:
        return "deleted"
    except OSError as exc:  # unreadable: the status code alone has to do
        return f"unreadable ({exc.__class__.__name__})"


def snapshot(root: Path) -> Snapshot | None:
    """Every path ``git status`` lists under ``root`` (untracked files one by one, ignored
    files left out), with its content digest; None when ``root`` is not a git checkout or
    git is missing."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain=v1", "-z", "--untracked-files=all"],
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    out: Snapshot = {}
    entries = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":  # a rename/copy is followed by its source path
            i += 1
        out[path] = f"{code}|{_digest(root / path)}"
    return out


def changes(before: Snapshot | None, after: Snapshot | None) -> list[str]:
    """Paths that are new in ``after`` or whose status or content differ from ``before``,
    each as ``"<git status code> <path>"``; empty when either snapshot is None."""
    if before is None or after is None:
        return []
    return [
        f"{state.split('|', 1)[0].strip()} {path}"
        for path, state in sorted(after.items())
        if before.get(path) != state
    ]
