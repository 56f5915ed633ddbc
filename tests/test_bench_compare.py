"""``python -m benchmarks --compare REV``: the table, the noise rule, the alternation and the
temporary checkout, on fabricated figures (no timing is measured here)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from benchmarks._compare import (
    Figure,
    collect,
    compare,
    comparison_table,
    sides_order,
    verdict,
)


def row(figure: str, value: float, *, higher: bool = False) -> dict:
    return {"figure": figure, "value": value, "unit": "ms", "higher_is_better": higher}


def test_worse_only_when_the_ranges_do_not_overlap() -> None:
    assert verdict([10, 11, 12], [15, 16, 15.5], higher_is_better=False) == "worse"
    # the after median is higher, but one after run is as fast as a before run: noise
    assert verdict([10, 11, 12], [11.5, 16, 15.5], higher_is_better=False) == "same"
    assert verdict([10, 11, 12], [5, 6, 7], higher_is_better=False) == "better"
    assert verdict([10, 11, 12], [10, 11, 12], higher_is_better=False) == "same"


def test_worse_follows_the_figures_direction() -> None:
    # a throughput (rows per second): fewer is worse
    assert verdict([100, 110, 105], [50, 60, 55], higher_is_better=True) == "worse"
    assert verdict([100, 110, 105], [150, 160, 155], higher_is_better=True) == "better"


def test_a_side_without_values_is_no_verdict() -> None:
    assert verdict([], [1, 2, 3], higher_is_better=False) == "same"


def test_runs_alternate_which_side_goes_first() -> None:
    assert [sides_order(i) for i in range(3)] == [
        ("before", "after"),
        ("after", "before"),
        ("before", "after"),
    ]


def test_the_table_shows_medians_ranges_ratio_and_verdict() -> None:
    figures: dict[tuple[str, str], Figure] = {}
    for before, after, b_noise, a_noise in (
        (10, 20, 100, 99),
        (12, 22, 104, 101),
        (11, 21, 98, 97),
    ):
        collect(figures, "bench_a.py", "before", [row("map", before), row("other", b_noise)])
        collect(figures, "bench_a.py", "after", [row("map", after), row("other", a_noise)])
    collect(figures, "bench_a.py", "after", [row("new figure", 3)])
    table = comparison_table(list(figures.values())).splitlines()
    assert table[0] == "| Figure | Before | After | Ratio | Result |"
    assert table[2] == (
        "| map | 11.0 ms (10.0–12.0, n=3) | 21.0 ms (20.0–22.0, n=3) | 1.91× | **worse** |"
    )
    assert table[3] == (
        "| other | 100 ms (98.0–104, n=3) | 99.0 ms (97.0–101, n=3) | 0.99× | same (within noise) |"
    )
    assert table[4] == "| new figure | — | 3.00 ms | — | only after |"


def _repo(tmp_path: Path) -> tuple[Path, str]:
    """A git repository whose first commit has bench_old.py and whose worktree adds
    bench_new.py (the "after" side)."""
    repo = tmp_path / "repo"
    (repo / "benchmarks").mkdir(parents=True)
    (repo / "benchmarks" / "bench_old.py").write_text("print('old')\n")

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
        ).stdout.strip()

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "first")
    rev = git("rev-parse", "HEAD")
    (repo / "benchmarks" / "bench_new.py").write_text("print('new')\n")
    return repo, rev


def test_compare_runs_each_side_on_its_own_checkout_and_cleans_up(tmp_path: Path) -> None:
    repo, rev = _repo(tmp_path)
    calls: list[tuple[str, str]] = []

    def runner(script: Path, root: Path, extra: Sequence[str]) -> tuple[int, list[dict]]:
        side = "after" if root == repo else "before"
        assert script.is_relative_to(root)  # old scripts against old code
        calls.append((script.name, side))
        return 0, [row("speed", 10.0 if side == "before" else 30.0)]

    data_dir = os.environ.get("CJM_DATA_DIR")
    figures, notes = compare(repo, rev, repeat=3, runner=runner)
    assert os.environ.get("CJM_DATA_DIR") == data_dir  # the test process's settings untouched
    assert calls == [
        ("bench_old.py", "before"),
        ("bench_old.py", "after"),
        ("bench_old.py", "after"),
        ("bench_old.py", "before"),
        ("bench_old.py", "before"),
        ("bench_old.py", "after"),
    ]
    assert notes == [f"bench_new.py: not in {rev}, skipped"]
    assert [(f.figure, f.before, f.after) for f in figures] == [("speed", [10.0] * 3, [30.0] * 3)]
    listed = subprocess.run(
        ["git", "-C", str(repo), "worktree", "list"], check=True, capture_output=True, text=True
    ).stdout
    assert len(listed.strip().splitlines()) == 1  # the temporary checkout is gone


def test_compare_refuses_too_few_repetitions_and_unknown_names(tmp_path: Path) -> None:
    repo, rev = _repo(tmp_path)
    with pytest.raises(ValueError, match="at least 3"):
        compare(repo, rev, repeat=2)
    with pytest.raises(ValueError, match="No benchmark named bench_nope"):
        compare(repo, rev, only=["bench_nope"])
