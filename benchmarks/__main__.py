"""Run every ``benchmarks/bench_*.py`` and print one table of all their figures, or compare
this checkout with an older revision in one run.

Usage::

    python -m benchmarks                          # every script, one table
    python -m benchmarks --quick                  # fewer repetitions, under two minutes
    python -m benchmarks --markdown FILE          # also write the table to FILE
    python -m benchmarks --compare REV [--only bench_journey,bench_report] [--repeat N]
                         [--quick] [--same-scripts] [--markdown FILE]

Each script prints its own details as it runs, plus one ``@@ {json}`` line per figure
(see ``benchmarks/_report.py``); the table at the end gathers those: figure, measured value,
target, the baseline measured in the same run, the ratio and pass/miss.

``--compare REV`` checks REV out into a temporary git worktree (removed afterwards), runs each
script of both sides against its own code, alternating before/after ``--repeat`` times (3 by
default), and prints one table: figure, before and after (median, range, n), the ratio
after / before and a verdict. A figure is "worse" only when every after value is worse than
every before value (the spread of the repetitions is the noise); see
``benchmarks/_compare.py``. Scripts REV did not have are skipped and named;
``--same-scripts`` runs this checkout's scripts on both sides. The exit status is 1 when a
figure is worse or a script fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks._report import MARK, machine, table  # noqa: E402


def run(script: Path, extra: list[str]) -> tuple[int, list[dict]]:
    """Run one script, echo its output, collect its figures."""
    rows: list[dict] = []
    proc = subprocess.Popen(
        [sys.executable, str(script), *extra],
        cwd=HERE.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(MARK):
            row = json.loads(line[len(MARK) :])
            rows.append(row)
            mark = {True: "OK", False: "MISS", None: ""}[row["ok"]]
            print(f"  -> {row['figure']}: {row['value']:.4g} {row['unit']} {mark}", flush=True)
        else:
            print(line, end="", flush=True)
    return proc.wait(), rows


def main(argv: list[str]) -> int:
    """Run the scripts; exit non-zero when one of them fails to run (not on a missed target).
    With ``--compare REV``: the before/after comparison (:mod:`benchmarks._compare`)."""
    if "--compare" in argv:
        from benchmarks._compare import main as compare_main

        return compare_main(HERE.parent, argv)
    extra = [arg for arg in argv if arg == "--quick"]
    out = argv[argv.index("--markdown") + 1] if "--markdown" in argv else None
    scripts = sorted(HERE.glob("bench_*.py"))
    print(f"machine: {machine()}; {len(scripts)} benchmark scripts{' (quick)' if extra else ''}")
    failed, rows = [], []
    start_all = time.perf_counter()
    for script in scripts:
        print(f"\n=== {script.name}", flush=True)
        start = time.perf_counter()
        code, found = run(script, extra)
        rows += found
        print(f"=== {script.name}: {time.perf_counter() - start:.1f} s (exit {code})")
        if code:
            failed.append(script.name)
    text = table(rows)
    print(f"\n## Benchmarks ({machine()}; {time.perf_counter() - start_all:.0f} s)\n")
    print(text)
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    if failed:
        print(f"\nFailed to run: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
