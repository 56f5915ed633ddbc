"""Run every ``benchmarks/bench_*.py`` in turn and print what each reports.

Usage: ``python -m benchmarks`` or ``python -m benchmarks --quick`` (fewer repetitions).
"""

from __future__ import annotations

import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    """Run the benchmark scripts; exit non-zero when one of them fails to run."""
    extra = [arg for arg in argv if arg == "--quick"]
    scripts = sorted(HERE.glob("bench_*.py"))
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
          f"python {platform.python_version()}, {len(scripts)} benchmark scripts")
    failed = []
    for script in scripts:
        print(f"\n=== {script.name}", flush=True)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(script), *extra], cwd=HERE.parent)
        print(f"=== {script.name}: {time.perf_counter() - start:.1f} s (exit {done.returncode})")
        if done.returncode:
            failed.append(script.name)
    if failed:
        print(f"\nFailed to run: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
