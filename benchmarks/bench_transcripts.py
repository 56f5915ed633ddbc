"""Benchmark: read 36 interview transcripts, and the participants table of the real survey.

Usage::

    python benchmarks/bench_transcripts.py [--quick]

Figures, each with a baseline measured in the same run:

- ``read_transcripts`` of 36 generated interviews (400 turns each, mixed speaker conventions:
  ``Interviewer 1:``, ``Interviewee``, ``Unknown Speaker``, labels alone on a line,
  timestamps), against reading the same files and splitting them on ``Name:`` with one
  regular expression (what a hand-written loop would do, without roles, participants or the
  checks);
- ``ev.participants`` of the airline survey (1,454,656 rows, 103,904 respondents; generated
  data of the same shape without ``../shared/data``), against the full emotion curve by Class.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._data import airline_csv
from benchmarks._report import result

TURNS = 400
FILES = 36


def write_corpus(folder: Path) -> list[Path]:
    """36 interviews, each in one of four conventions, 400 turns of about 25 words."""
    words = "the delivery came late and the app showed a different slot than the one I booked"
    paths = []
    for k in range(FILES):
        lines = []
        for t in range(TURNS):
            ask = t % 2 == 0
            text = f"{words} ({k}.{t})" + ("?" if ask else ".")
            style = k % 4
            if style == 0:
                lines.append(f"{'Interviewer 1' if ask else 'Interviewee'}: {text}")
            elif style == 1:
                lines += ["Interviewer" if ask else "Interviewee", text, ""]
            elif style == 2:
                ts = f"[{t // 60:02d}:{t % 60:02d}]"
                who = "Interviewer" if ask else ("Unknown Speaker" if t % 10 == 1 else "Anna")
                lines.append(f"{ts} {who}: {text}")
            else:
                lines.append(f"{'I' if ask else 'R'}: {text}")
        path = folder / f"interview_{k:02d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def best(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main(quick: bool) -> None:
    from cjm_widgets.evidence.readers import read_transcripts

    rounds = 3 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(Path(tmp))
        label = re.compile(r"^(?:\[[\d:]+\]\s*)?([^\W\d][\w ]{0,30}):\s", re.MULTILINE)

        def naive() -> int:
            n = 0
            for p in paths:
                n += len(label.split(p.read_text(encoding="utf-8"))) // 2
            return n

        def reader() -> int:
            return len(read_transcripts(paths, quiet=True, progress=False))

        n_rows = reader()
        naive_ms, reader_ms = best(naive, rounds), best(reader, rounds)
    print(f"{FILES} files, {n_rows:,} turns")
    result(
        f"read_transcripts ({FILES} files, {n_rows:,} turns)",
        reader_ms,
        "ms",
        baseline=naive_ms,
        baseline_label="read + one regex split",
    )

    import cjm_widgets as cjm

    journey = cjm.datasets.airline_journey()
    data, what = airline_csv()
    ev = cjm.Evidence.from_survey(
        data,
        items=cjm.datasets.AIRLINE_ITEMS,
        missing=(0,),
        respondent="id",
        segments=["Class"],
        journey=journey,
    )
    print(f"data: {what}; {len(ev):,} evidence rows")
    cjm.emotion_curve(journey, ev, by="Class")  # warm the codes both use
    curve_ms = best(lambda: cjm.emotion_curve(journey, ev, by="Class"), rounds)
    table_ms = best(lambda: ev.participants, rounds)
    result(
        f"ev.participants ({len(ev.participants):,} people)",
        table_ms,
        "ms",
        baseline=curve_ms,
        baseline_label="full curve by Class",
    )


if __name__ == "__main__":
    main("--quick" in sys.argv)
