"""Benchmark: journey analytics from event logs (cjm.Events on embedded DuckDB), and a
survey's emotion curve computed in the engine (cjm.curve_from_engine).

Usage::

    pip install -e ".[bench]"              # pm4py, a measured peer only (GPL/AGPL)
    python benchmarks/bench_events.py       # real logs + survey + 10 million generated events
    python benchmarks/bench_events.py --quick              # fewer rounds, 3 million events
    python benchmarks/bench_events.py --events 100000000   # the 100-million target run
    CJM_BENCH_EVENTS=100000000 python -m benchmarks        # the same through the runner

1. The real helpdesk log (../shared/data or $CJM_DATA_DIR; 21,348 events): each analysis
   (reach, funnel, flows, variants, contacts) best of 3, target ≤ 1 s each, measured twice:
   *first call* (the log's ordered table is made in the call) and *repeat call* (it is
   reused). Flows and variants side by side with pm4py (directly-follows graph, variants)
   and plain pandas (sort + shift / groupby), each from a frame already in memory, in the
   same run, with a check that they count the same transitions.
2. The real airline survey (103,904 respondents × 14 items): cjm.curve_from_engine (DuckDB
   reads the file, returns a histogram) against the pandas path (Evidence.from_survey +
   emotion_curve), each in a fresh process: seconds and peak memory of that process.
3. N generated events (default 10⁷; 10⁸ with --events / $CJM_BENCH_EVENTS) written once to
   Parquet by ``benchmarks/gen_events.py`` into /tmp/cjm-events-<N> (reused by later runs,
   never committed), then reach + funnel + flows on them in one session: target ≤ 60 s
   together and peak memory of the process (DuckDB included: it runs in-process; sampled
   with psutil and the kernel's ru_maxrss) ≤ 4 GB. The log is read in place from Parquet on
   the connection cjm.Events opens (its DuckDB settings: events/_source._tune). The load
   average before and after is printed with the figure: the machine may be shared.
"""

from __future__ import annotations

import gc
import os
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import cjm_widgets as cjm
from benchmarks._report import result
from cjm_widgets.analysis.behaviour import _duck

DATA = Path(os.environ.get("CJM_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "data"))


def best(fn, rounds=3):
    out, times = None, []
    for _ in range(rounds):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def activity_journey(activities):
    """One stage per activity group of four, one touchpoint per activity (pm4py's level)."""
    journey = cjm.Journey("Benchmark")
    for i, act in enumerate(activities):
        if i % 4 == 0:
            journey.add_stage(f"Stage {i // 4 + 1}")
        journey.add_touchpoint(journey.stages[-1], act)
    return journey


def real_log(quick):
    path = DATA / "helpdesk_tickets.csv.gz"
    if not path.exists():
        print(f"real log not found in {DATA}: skipping part 1")
        return
    events = cjm.Events(str(path), case="case_id", activity="activity", time="timestamp")
    acts = sorted(events.activities()["activity"])
    journey = activity_journey(acts)
    mapped = events.map_to(journey, {a: a for a in acts})
    print(f"helpdesk: {events.summary()['events']:,} events, {len(acts)} activities")
    rounds = 2 if quick else 3
    timings, firsts = {}, {}

    def first_call(fn):
        def run():
            # forget the shared tables of this mapping: the call makes them again
            _duck.forget(mapped)
            return fn(journey, mapped)

        return run

    for name in ("reach", "funnel", "flows", "variants", "contacts"):
        fn = getattr(cjm, name)
        first_s, _ = best(first_call(fn), rounds)
        secs, frame = best(lambda fn=fn: fn(journey, mapped), rounds)
        timings[name], firsts[name] = (secs, frame), first_s
        result(f"{name} on the helpdesk log (21k events), first call", first_s * 1000, "ms",
               target=1000)  # fmt: skip
        result(f"{name} on the helpdesk log (21k events), repeat call", secs * 1000, "ms",
               target=1000)  # fmt: skip
    text = pd.read_csv(path, dtype=str, keep_default_na=False)

    def prepared():  # pandas' preparation of the log: duplicates out, times parsed
        frame = text.drop_duplicates(["case_id", "activity", "timestamp"])
        return frame.assign(
            timestamp=pd.to_datetime(frame["timestamp"], utc=True, format="ISO8601")
        )

    raw = prepared()

    def pandas_dfg():
        df = raw.sort_values(["case_id", "timestamp", "activity"], kind="stable")
        nxt = df.groupby("case_id", sort=False)["activity"].shift(-1)
        return df.assign(nxt=nxt).dropna(subset=["nxt"]).groupby(["activity", "nxt"]).size()

    def pandas_variants():
        df = raw.sort_values(["case_id", "timestamp", "activity"], kind="stable")
        return df.groupby("case_id", sort=False)["activity"].agg(tuple).value_counts()

    p_dfg_s, p_dfg = best(pandas_dfg, rounds)
    p_var_s, _ = best(pandas_variants, rounds)
    p_prep_s, _ = best(prepared, rounds)
    flows_s, flows = timings["flows"]
    var_s, _ = timings["variants"]
    # as for pm4py below: a first call of ours makes the shared tables, so its pandas peer
    # includes pandas' own preparation of the log (duplicates out, times parsed)
    pairs = (
        ("flows (first call) vs pandas (prepare + sort + shift)", firsts["flows"],
         p_prep_s + p_dfg_s),
        ("flows (repeat call) vs pandas (sort + shift, prepared log)", flows_s, p_dfg_s),
        ("variants (first call) vs pandas (prepare + groupby tuple)", firsts["variants"],
         p_prep_s + p_var_s),
        ("variants (repeat call) vs pandas (groupby tuple, prepared log)", var_s, p_var_s),
        ("flows (first call) vs pandas sort + shift alone (prepared beforehand)",
         firsts["flows"], p_dfg_s),
    )  # fmt: skip
    against(pairs, "pandas")
    assert int(flows["count"].sum()) == int(p_dfg.sum()), "flows count other transitions"
    try:
        import pm4py
    except ImportError:
        print("pm4py not installed (pip install -e '.[bench]'): no pm4py comparison")
        return

    def formatted():  # pm4py's own preparation of a log: types, case index, sorted
        return pm4py.format_dataframe(
            raw.copy(), case_id="case_id", activity_key="activity", timestamp_key="timestamp"
        )

    log = formatted()
    pm_dfg_s, (dfg, _, _) = best(lambda: pm4py.discover_dfg(log), rounds)
    pm_var_s, _ = best(lambda: pm4py.get_variants(log), rounds)

    pm_fdfg_s, _ = best(lambda: pm4py.discover_dfg(formatted()), rounds)
    pm_fvar_s, _ = best(lambda: pm4py.get_variants(formatted()), rounds)
    print(f"pm4py DFG: {sum(dfg.values()):,} transitions; ours {int(flows['count'].sum()):,}")
    # A first call of ours makes the log's shared tables (integer codes, each case's order):
    # the work pm4py does in format_dataframe, so its first-call peer includes that step; a
    # repeat call reuses the tables, as discover_dfg reuses a formatted frame.
    pairs = (
        ("flows (first call) vs pm4py format_dataframe + discover_dfg", firsts["flows"],
         pm_fdfg_s),
        ("flows (repeat call) vs pm4py discover_dfg (formatted log)", flows_s, pm_dfg_s),
        ("variants (first call) vs pm4py format_dataframe + get_variants", firsts["variants"],
         pm_fvar_s),
        ("variants (repeat call) vs pm4py get_variants (formatted log)", var_s, pm_var_s),
        ("flows (first call) vs pm4py discover_dfg alone (formatted beforehand)",
         firsts["flows"], pm_dfg_s),
        ("variants (first call) vs pm4py get_variants alone (formatted beforehand)",
         firsts["variants"], pm_var_s),
    )  # fmt: skip
    against(pairs, "pm4py")


def against(pairs, peer: str) -> None:
    """Report each (figure, ours s, the peer's s) as ms with the peer as same-run baseline."""
    for figure, ours, theirs in pairs:
        result(figure, ours * 1000, "ms", baseline=theirs * 1000, baseline_label=peer,
               target=1.0, target_is_ratio=True)  # fmt: skip


class PeakRSS:
    """Peak resident memory of this process (DuckDB runs in it), sampled every 20 ms by a
    thread with psutil, plus the kernel's own high-water mark (``ru_maxrss``)."""

    def __init__(self):
        import threading

        import psutil

        self.peak, self._proc, self._stop = 0, psutil.Process(), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            self._stop.wait(0.02)

    def stop(self):
        self._stop.set()
        self._thread.join()
        kernel = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
        return self.peak / 1e9, kernel / 1e9


PLAIN_DFG = """
SELECT prev, activity, count(*) AS n FROM (
  SELECT activity, lag(activity) OVER (PARTITION BY case_id ORDER BY ts, activity) AS prev
  FROM read_parquet('{folder}/*.parquet'))
WHERE prev IS NOT NULL GROUP BY ALL
"""


def plain_duckdb(folder):
    """(seconds, peak GB of its process) of the same-run baseline: one hand-written DuckDB
    query of the directly-follows counts alone (no dedup, no cases, no medians, no reach or
    funnel), in a fresh process with the settings cjm.Events uses. It measures how fast this
    machine is right now; ours does three analyses' worth of work on top."""
    import json
    import subprocess

    code = (
        "import json, resource, time, duckdb\n"
        "from cjm_widgets.events._source import _tune\n"
        "con = duckdb.connect(); _tune(con); con.execute('SET enable_progress_bar = false')\n"
        "t0 = time.perf_counter()\n"
        f"con.execute({PLAIN_DFG.format(folder=folder)!r}).fetchall()\n"
        "secs = time.perf_counter() - t0\n"
        "print(json.dumps([secs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)  # fmt: skip
    secs, gb = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"baseline: one DuckDB directly-follows query {secs:.1f} s, {gb:.2f} GB")
    return secs, gb


def generated(n_events):
    from benchmarks.gen_events import generate

    t0 = time.perf_counter()
    folder, written = generate(n_events)
    print(f"generated log: {written:,} events in {folder} ({time.perf_counter() - t0:.0f} s; "
          "made once, reused)")  # fmt: skip
    load = os.getloadavg()
    rss = PeakRSS()
    t0 = time.perf_counter()
    # the log opens its own DuckDB connection, with the settings of events/_source._tune
    # (memory_limit a quarter of RAM, at most 2.5 GB; spills to its own temp folder)
    events = cjm.Events(f"{folder}/*.parquet", case="case_id", activity="activity",
                        time="ts", channel="channel")  # fmt: skip
    acts = [f"A{i:02d}" for i in range(12)]
    journey = activity_journey(acts)
    mapped = events.map_to(journey, {a: a for a in acts})
    open_s = time.perf_counter() - t0
    print(f"Events (per-row checks in one pass) + map_to: {open_s:.1f} s")
    steps = {}
    t_all = time.perf_counter()
    for name in ("reach", "funnel", "flows"):
        t0 = time.perf_counter()
        steps[name] = getattr(cjm, name)(journey, mapped)
        print(f"  {name}: {time.perf_counter() - t0:.1f} s", flush=True)
    total = time.perf_counter() - t_all
    sampled_gb, kernel_gb = rss.stop()
    r, f, fl = steps["reach"], steps["funnel"], steps["flows"]
    print(r[["touchpoint", "cases", "share"]].head(3).to_string())
    print(f"funnel reached: {f['reached'].tolist()}; {int(fl['count'].sum()):,} transitions")
    base_s, base_gb = plain_duckdb(folder)
    after = os.getloadavg()
    note = f"load average {load[0]:.1f} before, {after[0]:.1f} after; {os.cpu_count()} cores"
    label = f"{written / 1e6:,.1f}M events"
    result(f"reach + funnel + flows, {label} (Parquet, DuckDB)", total, "s", target=60,
           baseline=base_s, baseline_label="one DuckDB directly-follows query",
           note=note)  # fmt: skip
    result(f"Open (per-row checks) + map, {label}", open_s, "s")
    result(f"Peak memory of the process (sampled), {label}", sampled_gb, "GB", target=4,
           baseline=base_gb, baseline_label="the DuckDB query's process",
           note=f"ru_maxrss {kernel_gb:.2f} GB")  # fmt: skip


SURVEY_CODE = {
    "engine": (
        "import cjm_widgets as cjm; j = cjm.datasets.airline_journey(); "
        "c = cjm.curve_from_engine(j, PATH, items=cjm.datasets.AIRLINE_ITEMS, missing=(0,), "
        "by='Class')"
    ),
    "pandas": (
        "import cjm_widgets as cjm; j = cjm.datasets.airline_journey(); "
        "ev = cjm.Evidence.from_survey(PATH, items=cjm.datasets.AIRLINE_ITEMS, missing=(0,), "
        "respondent='id', journey=j); c = cjm.emotion_curve(j, ev, by='Class')"
    ),
}


def in_child(code, path):
    """(seconds of the work, peak RSS in GB) of ``code`` run in a fresh Python process; the
    imports are done before the clock starts."""
    import json
    import subprocess

    script = (
        "import json, resource, time, cjm_widgets as cjm, duckdb, ibis, pandas\n"
        "cjm.curve_from_engine; cjm.emotion_curve\n"
        f"PATH = {str(path)!r}\n"
        "t0 = time.perf_counter()\n"
        f"{code}\n"
        "secs = time.perf_counter() - t0\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6\n"
        "print(json.dumps([secs, rss, [] if c is None else [int(x) for x in c['n']]]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def survey():
    path = DATA / "airline_passenger_satisfaction_train.csv.gz"
    if not path.exists():
        print(f"airline survey not found in {DATA}: skipping part 2")
        return
    base = in_child("c = None", path)
    eng_s, eng_gb, eng_n = in_child(SURVEY_CODE["engine"], path)
    pd_s, pd_gb, pd_n = in_child(SURVEY_CODE["pandas"], path)
    assert eng_n == pd_n, "the engine curve counts other answers than the pandas path"
    print(f"survey curve: engine {eng_s:.2f} s / {eng_gb:.2f} GB; pandas {pd_s:.2f} s / "
          f"{pd_gb:.2f} GB; an idle process with the imports {base[1]:.2f} GB")  # fmt: skip
    result("Survey curve by Class in the engine (104k respondents, CSV.gz)", eng_s, "s",
           baseline=pd_s, baseline_label="from_survey + emotion_curve")  # fmt: skip
    result("Peak memory, survey curve in the engine", eng_gb, "GB", baseline=pd_gb,
           baseline_label="pandas path", target=1.0, target_is_ratio=True)  # fmt: skip


def main(argv):
    quick = "--quick" in argv
    n = int(argv[argv.index("--events") + 1]) if "--events" in argv else int(
        os.environ.get("CJM_BENCH_EVENTS") or (3_000_000 if quick else 10_000_000))  # fmt: skip
    if "--generated-only" not in argv:
        real_log(quick)
        survey()
    if "--real-only" not in argv:
        generated(n)


if __name__ == "__main__":
    main(sys.argv[1:])
