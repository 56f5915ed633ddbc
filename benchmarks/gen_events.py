"""Generate a large event log of the real logs' shape as Parquet, once, for the scale benchmark.

Each case has up to ten events over twelve activities ``A00 … A11`` roughly in journey order,
with repeats, skips and drop-out (fewer cases reach the later steps), a channel per event
(web, app, phone, chat) and times from minutes to days apart in 2024. Case ids are text
(``c123``), as in real logs. DuckDB writes the files (one per thread); nothing here is
committed, and a folder that already holds the requested log is reused.

Usage::

    python benchmarks/gen_events.py --events 100000000            # -> /tmp/cjm-events-100M
    python benchmarks/gen_events.py --events 3000000 --out /tmp/x
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

#: Share of the generated rows the drop-out filter keeps (8 + 0.9 + 0.8 of every 10 steps).
KEPT = 0.97


def default_folder(n_events: int) -> Path:
    """``/tmp/cjm-events-<N>`` with N in millions (``100M``) or thousands."""
    label = f"{n_events // 1_000_000}M" if n_events >= 1_000_000 else f"{n_events // 1000}k"
    return Path("/tmp") / f"cjm-events-{label}"


def generate(n_events: int, folder: Path | None = None) -> tuple[Path, int]:
    """(folder of ``*.parquet``, events written): at least ``n_events`` events, made once."""
    import duckdb

    folder = folder or default_folder(n_events)
    done = folder / "done.json"
    if done.exists():
        info = json.loads(done.read_text())
        if info.get("requested") == n_events:
            return folder, int(info["events"])
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    con = duckdb.connect()
    con.execute(f"SET temp_directory = '{folder / 'spill'}'")
    con.execute("SET preserve_insertion_order = false")
    rows = int(n_events / KEPT * 1.0005) + 1000
    t0 = time.perf_counter()
    con.execute(
        f"""
        COPY (
          SELECT 'c' || (i // 10) AS case_id,
                 'A' || lpad(CAST(least(11, (i % 10) + (hash(i) % 3)::BIGINT) AS VARCHAR), 2, '0')
                   AS activity,
                 TIMESTAMP '2024-01-01' + to_seconds((i // 10) % 31536000)
                   + to_seconds((i % 10) * 3600 + (hash(i * 7) % 86400)::BIGINT) AS ts,
                 ['web', 'app', 'phone', 'chat'][1 + (hash(i * 13) % 4)::BIGINT] AS channel
          FROM range({rows}) t(i)
          WHERE (hash(i // 10) % 10)::BIGINT > (i % 10) - 8  -- fewer cases reach later steps
        ) TO '{folder}' (FORMAT parquet, PER_THREAD_OUTPUT true, OVERWRITE_OR_IGNORE true)
        """
    )
    written = int(con.execute(f"SELECT count(*) FROM '{folder}/*.parquet'").fetchone()[0])
    con.close()
    secs = time.perf_counter() - t0
    done.write_text(json.dumps({"requested": n_events, "events": written, "seconds": secs}))
    return folder, written


if __name__ == "__main__":
    argv = sys.argv[1:]
    n = int(argv[argv.index("--events") + 1]) if "--events" in argv else 100_000_000
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else None
    t0 = time.perf_counter()
    where, count = generate(n, out)
    size = sum(p.stat().st_size for p in where.glob("*.parquet")) / 1e9
    print(f"{count:,} events in {where} ({size:.1f} GB), {time.perf_counter() - t0:.0f} s")
