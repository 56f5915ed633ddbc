"""Before/after in one run: the same benchmark scripts against an older revision and this one.

Usage::

    python -m benchmarks --compare 439cfc4                       # every script both had
    python -m benchmarks --compare main --only bench_journey,bench_report --repeat 5

How it runs (:func:`compare`): the older revision is checked out into a temporary git worktree
in the system's temp folder (``git worktree add --detach``; removed afterwards, also on an
error or Ctrl+C). Each side runs its own scripts against its own code (``PYTHONPATH`` and the
working folder set to that side's checkout); a script the older revision did not have is
skipped and named. ``--same-scripts`` runs this revision's scripts on both sides instead, to
compare a figure added since (it fails on the older side when the script uses newer API).
Both sides read the same data (``CJM_DATA_DIR``, by default this checkout's
``../shared/data``).

The runs alternate, script by script: repetition 1 runs *before* then *after*, repetition 2
*after* then *before*, and so on, so a machine that slows down or speeds up during the run
weighs on both sides alike.

How a figure is judged (:func:`verdict`): each side gives ``repeat`` values (at least 3); the
table shows their medians and their ratio after / before. The noise is the spread of those
repetitions: a figure is **worse** only when the after median is the worse one *and* every
after value is worse than every before value (the two ranges do not overlap); **better**
likewise the other way; otherwise **same (within noise)**. "Worse" follows the figure's own
direction (``higher_is_better`` of :func:`benchmarks._report.result`). When nothing changed,
the six values of three repetitions a side are equally likely in any order, and only one of
the 20 ways to split them puts all three after values above the before values: a figure reads
"worse" by chance 1 time in 20 (1 in 252 with ``--repeat 5``). Re-run a single "worse" with
``--repeat 5`` before acting on it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks._report import MARK, _num

#: Fewer repetitions cannot say what the noise is.
MIN_REPEAT = 3


@dataclass
class Figure:
    """The repeated values of one figure on both sides (see :func:`verdict`)."""

    script: str
    figure: str
    unit: str
    higher_is_better: bool = False
    before: list[float] = field(default_factory=list)
    after: list[float] = field(default_factory=list)


def verdict(before: Sequence[float], after: Sequence[float], *, higher_is_better: bool) -> str:
    """``"worse"``, ``"better"`` or ``"same"``: worse when the after median is worse and the
    two ranges of repetitions do not overlap (every after value worse than every before
    value); better the other way; ``"same"`` otherwise, or when a side has no value.

    Usage: ``verdict([10, 11, 12], [15, 16, 15.5], higher_is_better=False)  # 'worse'``
    """
    if not before or not after:
        return "same"
    b_med, a_med = statistics.median(before), statistics.median(after)
    if higher_is_better:
        worse = a_med < b_med and max(after) < min(before)
        better = a_med > b_med and min(after) > max(before)
    else:
        worse = a_med > b_med and min(after) > max(before)
        better = a_med < b_med and max(after) < min(before)
    return "worse" if worse else "better" if better else "same"


def collect(
    figures: dict[tuple[str, str], Figure], script: str, side: str, rows: list[dict]
) -> None:
    """Add one run's rows (``@@`` lines of :func:`benchmarks._report.result`) to ``figures``.

    Usage: ``collect(figures, "bench_journey.py", "before", rows)``
    """
    for row in rows:
        key = (script, row["figure"])
        fig = figures.get(key)
        if fig is None:
            fig = figures[key] = Figure(
                script, row["figure"], row.get("unit", ""), bool(row.get("higher_is_better"))
            )
        getattr(fig, side).append(float(row["value"]))


def _cell(values: Sequence[float], unit: str) -> str:
    if not values:
        return "—"
    med = _num(statistics.median(values), unit)
    if len(values) == 1:
        return med
    return f"{med} ({_num(min(values))}–{_num(max(values))}, n={len(values)})"


def comparison_table(figures: Sequence[Figure]) -> str:
    """The figures as a Markdown table: figure, before and after (median, range and number of
    repetitions), ratio of the medians after / before, and the verdict.

    Usage: ``print(comparison_table(list(figures.values())))``
    """
    lines = [
        "| Figure | Before | After | Ratio | Result |",
        "| --- | --- | --- | --- | --- |",
    ]
    for fig in figures:
        ratio = "—"
        if fig.before and fig.after and statistics.median(fig.before):
            ratio = f"{statistics.median(fig.after) / statistics.median(fig.before):.2f}×"
        if not fig.before or not fig.after:
            result = "only after" if fig.after else "only before"
        else:
            result = {
                "worse": "**worse**",
                "better": "better",
                "same": "same (within noise)",
            }[verdict(fig.before, fig.after, higher_is_better=fig.higher_is_better)]
        direction = " (higher is better)" if fig.higher_is_better else ""
        lines.append(
            f"| {fig.figure}{direction} | {_cell(fig.before, fig.unit)} "
            f"| {_cell(fig.after, fig.unit)} | {ratio} | {result} |"
        )
    return "\n".join(lines)


def sides_order(repetition: int) -> tuple[str, str]:
    """Which side runs first in repetition ``repetition`` (0-based): they alternate.

    Usage: ``sides_order(0)  # ('before', 'after')``
    """
    return ("before", "after") if repetition % 2 == 0 else ("after", "before")


@contextlib.contextmanager
def checkout(repo: Path, rev: str) -> Iterator[Path]:
    """``rev`` checked out (detached) in a temporary git worktree, removed on exit.

    Usage: ``with checkout(Path("."), "439cfc4") as old: ...``
    """
    parent = Path(tempfile.mkdtemp(prefix="cjm-bench-before-"))
    where = parent / "checkout"
    subprocess.run(
        ["git", "-C", str(repo), "worktree", "add", "--detach", "--quiet", str(where), rev],
        check=True,
    )
    try:
        yield where
    finally:
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "remove", "--force", str(where)],
            check=False,
        )
        shutil.rmtree(parent, ignore_errors=True)
        subprocess.run(["git", "-C", str(repo), "worktree", "prune"], check=False)


def run_script(script: Path, root: Path, extra: Sequence[str]) -> tuple[int, list[dict]]:
    """Run ``script`` with ``root`` first on ``PYTHONPATH`` and as working folder; its figures
    (its other output is kept only when it fails, to say why).

    Usage: ``code, rows = run_script(old / "benchmarks/bench_journey.py", old, ["--quick"])``
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    proc = subprocess.run(
        [sys.executable, str(script), *extra],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    rows = [
        json.loads(line[len(MARK) :]) for line in proc.stdout.splitlines() if line.startswith(MARK)
    ]
    if proc.returncode:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        print("    failed:\n      " + "\n      ".join(tail), flush=True)
    return proc.returncode, rows


def compare(
    repo: Path,
    rev: str,
    *,
    only: Sequence[str] = (),
    repeat: int = MIN_REPEAT,
    extra: Sequence[str] = (),
    same_scripts: bool = False,
    runner: Callable[[Path, Path, Sequence[str]], tuple[int, list[dict]]] = run_script,
) -> tuple[list[Figure], list[str]]:
    """Run the benchmark scripts of ``repo`` (this checkout) and of ``rev`` alternately,
    ``repeat`` times each; returns the figures and notes (scripts skipped or failed).

    Usage: ``figures, notes = compare(Path("."), "439cfc4", only=["bench_journey"])``
    """
    if repeat < MIN_REPEAT:
        raise ValueError(
            f"--repeat {repeat} cannot tell noise from change; use at least {MIN_REPEAT}."
        )
    wanted = {name.removesuffix(".py") for name in only}
    scripts = sorted(
        p for p in (repo / "benchmarks").glob("bench_*.py") if not wanted or p.stem in wanted
    )
    unknown = sorted(wanted - {p.stem for p in scripts})
    if unknown:
        raise ValueError(
            f"No benchmark named {', '.join(unknown)} in {repo / 'benchmarks'}; "
            "--only takes names such as bench_journey,bench_report."
        )
    figures: dict[tuple[str, str], Figure] = {}
    notes: list[str] = []
    with checkout(repo, rev) as old:
        roots = {"before": old, "after": repo}
        for script in scripts:
            old_script = (repo if same_scripts else old) / "benchmarks" / script.name
            if not (old / "benchmarks" / script.name).exists() and not same_scripts:
                notes.append(f"{script.name}: not in {rev}, skipped")
                continue
            paths = {"before": old_script, "after": script}
            for rep in range(repeat):
                for side in sides_order(rep):
                    print(f"  {script.name} {side} ({rep + 1}/{repeat})", flush=True)
                    code, rows = runner(paths[side], roots[side], extra)
                    if code:
                        notes.append(f"{script.name} failed on the {side} side (exit {code})")
                    collect(figures, script.name, side, rows)
    return list(figures.values()), list(dict.fromkeys(notes))


def main(repo: Path, argv: list[str]) -> int:
    """``python -m benchmarks --compare REV [--only a,b] [--repeat N] [--quick]
    [--same-scripts] [--markdown FILE]``: print the comparison table.

    Usage: ``main(Path("."), ["--compare", "439cfc4", "--only", "bench_journey"])``
    """
    rev = argv[argv.index("--compare") + 1]
    only = argv[argv.index("--only") + 1].split(",") if "--only" in argv else []
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else MIN_REPEAT
    extra = [arg for arg in argv if arg == "--quick"]
    # both sides read this checkout's data (the old checkout lives in a temporary folder); set
    # here, by the command, not by compare(), which a test calls inside a shared process
    os.environ.setdefault("CJM_DATA_DIR", str(repo.parent / "shared" / "data"))
    figures, notes = compare(
        repo,
        rev,
        only=[name for name in only if name],
        repeat=repeat,
        extra=extra,
        same_scripts="--same-scripts" in argv,
    )
    text = comparison_table(figures)
    head = f"## Benchmarks: {rev} (before) vs this checkout (after), {repeat} alternating runs"
    print(f"\n{head}\n\n{text}")
    for note in notes:
        print(f"- {note}")
    if "--markdown" in argv:
        out = Path(argv[argv.index("--markdown") + 1])
        out.write_text(f"{head}\n\n{text}\n" + "".join(f"- {n}\n" for n in notes), "utf-8")
    worse = [fig.figure for fig in figures if fig.before and fig.after and _worse(fig)]
    return 1 if worse or any("failed" in n for n in notes) else 0


def _worse(fig: Figure) -> bool:
    return verdict(fig.before, fig.after, higher_is_better=fig.higher_is_better) == "worse"
