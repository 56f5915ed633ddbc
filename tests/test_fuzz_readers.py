"""Fuzzing the evidence readers with hypothesis: bad input gives Evidence or a clear CJMError.

Every reader call runs in one long-lived worker subprocess with a time limit, so a hang is a
test failure (the worker is killed and restarted) rather than a stuck CI job, and a crash is
reported with the worker's traceback. The outcome of each call must be an ``Evidence`` with
unique ids or a documented :class:`~cjm_widgets.errors.CJMError` with a message — never
another exception type (KeyError, UnicodeDecodeError, zipfile errors, pandas' ValueError…).

Inputs: random bytes under every supported extension, valid fixture files cut at random
offsets or with random bytes changed, text in the wrong encoding (and wrong ``encoding=``
arguments), a 50,000-character turn in every transcript format, 10,000-column CSVs, NaN/inf
ratings, duplicate respondent/row ids, mixed types in one column, awkward column names.

Hypothesis runs derandomized with no example database, so CI sees the same examples every
run; ``@example`` pins each crash found so far (the fix is in the reader).
"""

from __future__ import annotations

import datetime as dt
import decimal
import gzip
import io
import math
import os
import pickle
import select
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
FIX = Path(__file__).resolve().parent / "fixtures"

#: Seconds one reader call may take before it counts as a hang.
CALL_TIMEOUT = 15.0
#: For the deliberately large inputs (50k-character turns, 10k columns).
BIG_TIMEOUT = 40.0

_BASE = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=False,
)


#: ``CJM_FUZZ_SCALE=10 pytest tests/test_fuzz_readers.py`` explores 10× as many examples,
#: randomly (a local bug hunt); CI runs the default, derandomized.
_SCALE = float(os.environ.get("CJM_FUZZ_SCALE", "1"))


def fuzz(max_examples: int) -> settings:
    """Reproducible hypothesis settings (no deadline: the worker bounds each call)."""
    if _SCALE != 1:
        return settings(_BASE, max_examples=max(1, int(max_examples * _SCALE)), derandomize=False)
    return settings(_BASE, max_examples=max_examples)


TRANSCRIPT_FIXTURES = (
    "interview_anna.txt",
    "interview_bo.md",
    "interview_chen.vtt",
    "interview_p2.srt",
    "interview_maja.docx",
    "interview_fi_cp1252.txt",
    "field_notes.txt",
    "turns_utf16.csv",
    "turns_utf16le_nobom.csv",
)
SURVEY_FIXTURES = ("survey.tsv", "survey_bom.csv", "survey.xlsx")
SURVEY_ITEMS = {"Booking": "Booking", "Seat": "Seat"}
TRANSCRIPT_EXTS = (".txt", ".md", ".vtt", ".srt", ".docx", ".csv", ".tsv")
TABLE_EXTS = (".csv", ".tsv", ".txt", ".csv.gz", ".xlsx")

# --------------------------------------------------------------------------- the worker

# Runs in the subprocess: reads pickled requests (length-prefixed) from stdin and answers a
# pickled summary on a private copy of stdout (fd 1 itself goes to stderr, so stray prints
# cannot corrupt the channel).
_WORKER = r"""
import os, pickle, struct, sys, traceback, warnings
out = os.fdopen(os.dup(1), "wb")
os.dup2(2, 1)
warnings.simplefilter("ignore")
import numpy as np
import cjm_widgets as cjm
from cjm_widgets.errors import CJMError

journey = cjm.Journey("Fuzz")
journey.add_stage("Trip")
for name in ("Booking", "Seat", "Checkout"):
    journey.add_touchpoint("Trip", name)

def send(obj):
    data = pickle.dumps(obj)
    out.write(struct.pack("<Q", len(data)) + data)
    out.flush()

def read():
    head = sys.stdin.buffer.read(8)
    if len(head) < 8:
        return None
    return pickle.loads(sys.stdin.buffer.read(struct.unpack("<Q", head)[0]))

def summary(ev):
    f = ev.frame
    texts = f["text"].astype(object).where(f["text"].notna(), "")
    emo = f["emotion"].to_numpy(dtype=float) if "emotion" in f.columns else np.zeros(0)
    return {
        "outcome": "evidence",
        "rows": len(f),
        "ids_unique": bool(f["evidence_id"].is_unique),
        "columns": [str(c) for c in f.columns],
        "longest_text": int(max((len(t) for t in texts), default=0)),
        "emotion_in_range": bool(np.all(np.isnan(emo) | ((emo >= -2) & (emo <= 2)))),
        "warnings": list(ev.meta.get("warnings", [])),
    }

send("ready")
while (req := read()) is not None:
    method, arg, kw = req
    try:
        ev = getattr(cjm.Evidence, method)(arg, journey=journey, **kw)
        send(summary(ev))
    except CJMError as err:
        send({"outcome": "error", "type": type(err).__name__, "message": str(err)})
    except BaseException as err:
        send({
            "outcome": "crash",
            "type": f"{type(err).__module__}.{type(err).__name__}",
            "message": str(err)[:1000],
            "traceback": traceback.format_exc(),
        })
"""


class ReaderWorker:
    """One subprocess that runs reader calls with a time limit (restarted after a hang)."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        }
        self._stderr = open(self.log_dir / f"worker-{uuid.uuid4().hex[:8]}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=str(self.log_dir),
            env=env,
        )
        ready = self._receive(time.monotonic() + 120)
        if ready != "ready":
            raise RuntimeError(f"reader worker did not start: {ready!r}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()

    def _read_exact(self, n: int, deadline: float) -> bytes | None:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        buf = b""
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(fd, n - len(buf))
            if not chunk:
                raise RuntimeError(f"reader worker died (exit code {self.proc.wait()})")
            buf += chunk
        return buf

    def _receive(self, deadline: float) -> Any:
        head = self._read_exact(8, deadline)
        if head is None:
            return None
        body = self._read_exact(struct.unpack("<Q", head)[0], deadline + 30)
        return None if body is None else pickle.loads(body)

    def call(self, method: str, arg: Any, timeout: float = CALL_TIMEOUT, **kw: Any) -> dict:
        """Run ``cjm.Evidence.<method>(arg, journey=..., **kw)``; return a summary dict."""
        assert self.proc is not None and self.proc.stdin is not None
        data = pickle.dumps((method, arg, kw))
        self.proc.stdin.write(struct.pack("<Q", len(data)) + data)
        self.proc.stdin.flush()
        t0 = time.monotonic()
        try:
            result = self._receive(t0 + timeout)
        except RuntimeError as err:  # the worker died (segfault, OOM): a failure, restart
            self.stop()
            self.start()
            return {"outcome": "crash", "type": "worker died", "message": str(err)}
        if result is None:
            self.stop()
            self.start()
            return {"outcome": "hang", "seconds": timeout}
        result["seconds"] = time.monotonic() - t0
        return result


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReaderWorker]:
    w = ReaderWorker(tmp_path_factory.mktemp("fuzz-worker"))
    try:
        yield w
    finally:
        w.stop()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-files")


def check(result: dict, what: str, path: Path | None = None) -> dict:
    """Fail unless the outcome is Evidence with unique ids or a CJMError with a message."""
    outcome = result["outcome"]
    if outcome == "hang":
        pytest.fail(f"{what}: the reader did not finish within {result['seconds']} s (a hang)")
    if outcome == "crash":
        pytest.fail(
            f"{what}: the reader raised {result['type']}: {result['message']}\n"
            f"{result.get('traceback', '')}"
        )
    if outcome == "error":
        message = result["message"]
        assert message.strip(), f"{what}: {result['type']} without a message"
        assert "Traceback" not in message, f"{what}: a traceback in the message: {message}"
        if path is not None and result["type"] == "ReaderError":
            assert path.name in message, f"{what}: the error does not name the file: {message}"
        return result
    assert outcome == "evidence", result
    assert result["ids_unique"], f"{what}: duplicate evidence ids"
    assert result["emotion_in_range"], f"{what}: an emotion outside −2..+2"
    return result


def write(scratch: Path, ext: str, data: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(dir=scratch))
    path = folder / f"input{ext}"
    path.write_bytes(data)
    return path


def read_file(worker: ReaderWorker, path: Path, *, survey: bool, **kw: Any) -> dict:
    if survey:
        kw = {"items": SURVEY_ITEMS, "respondent": None, **kw}
        return worker.call("from_survey", path, **kw)
    return worker.call("from_transcripts", path, **kw)


# --------------------------------------------------------------------------- files


@fuzz(60)
@given(data=st.binary(max_size=3000), ext=st.sampled_from(TRANSCRIPT_EXTS))
@example(data=b"PK\x03\x04" + bytes(40), ext=".docx")  # zip magic, no zip (was PackageNotFound)
@example(data=b"", ext=".txt")
@example(data=b"\x7f", ext=".csv")  # csv.Error: no delimiter found
@example(data=b"WEBVTT\n\n00:00:01.000 --> 99:99:99.999\nx", ext=".vtt")
@example(data=b"1\n00:00:01,000 --> 00:00:00,000\nP1: hi\n", ext=".srt")
def test_random_bytes_as_transcripts(worker, scratch, data, ext):
    path = write(scratch, ext, data)
    check(read_file(worker, path, survey=False), f"{len(data)} random bytes as {ext}", path)


@fuzz(40)
@given(data=st.binary(max_size=3000), ext=st.sampled_from(TABLE_EXTS), gz=st.booleans())
def test_random_bytes_as_survey(worker, scratch, data, ext, gz):
    if ext.endswith(".gz") and gz:
        data = gzip.compress(data)
    path = write(scratch, ext, data)
    check(read_file(worker, path, survey=True), f"{len(data)} random bytes as {ext}", path)


def _fixture_call(worker: ReaderWorker, name: str, path: Path) -> dict:
    if name in SURVEY_FIXTURES:
        return worker.call(
            "from_survey", path, items=SURVEY_ITEMS, missing=(0,), text_items=["Comment"]
        )
    return worker.call("from_transcripts", path)


@fuzz(80)
@given(
    name=st.sampled_from(TRANSCRIPT_FIXTURES + SURVEY_FIXTURES),
    cut=st.floats(min_value=0, max_value=1, exclude_max=True),
)
@example(name="interview_maja.docx", cut=0.3)  # truncated zip (PackageNotFoundError)
@example(name="turns_utf16.csv", cut=0.5)
@example(name="survey.xlsx", cut=0.5)
def test_truncated_fixture(worker, scratch, name, cut):
    data = (FIX / name).read_bytes()
    data = data[: int(len(data) * cut)]
    path = write(scratch, Path(name).suffix, data)
    check(_fixture_call(worker, name, path), f"{name} cut to {len(data)} bytes", path)


def _docx_stream_offset() -> int:
    """Offset inside the compressed word/document.xml of the .docx fixture."""
    import zipfile

    with zipfile.ZipFile(FIX / "interview_maja.docx") as zf:
        info = zf.getinfo("word/document.xml")
    header = 30 + len(info.filename.encode()) + len(info.extra)
    return info.header_offset + header + info.compress_size // 2


@fuzz(60)
@given(
    name=st.sampled_from(TRANSCRIPT_FIXTURES + SURVEY_FIXTURES),
    flips=st.lists(
        st.tuples(st.floats(min_value=0, max_value=1, exclude_max=True), st.integers(0, 255)),
        min_size=1,
        max_size=8,
    ),
)
# damaged deflate data inside the .docx (zlib.error), a non-time in a CSV "start" column
@example(name="interview_maja.docx", flips=[(-1.0, 0x00), (-0.5, 0xFF)])
@example(name="turns_utf16.csv", flips=[(0.3935, 0x4E)])  # start "N": ValueError
@example(name="turns_utf16le_nobom.csv", flips=[(0.73828125, 1), (0.1015625, 1)])  # short row
def test_corrupted_fixture(worker, scratch, name, flips):
    data = bytearray((FIX / name).read_bytes())
    for where, value in flips:
        # where < 0 aims at the middle of the docx's compressed document body
        i = _docx_stream_offset() + int(where) if where < 0 else int(len(data) * where)
        data[i] = value
    path = write(scratch, Path(name).suffix, bytes(data))
    check(_fixture_call(worker, name, path), f"{name} with bytes changed {flips}", path)


def test_corrupted_docx_names_file_and_way_out(worker, scratch):
    data = bytearray((FIX / "interview_maja.docx").read_bytes())
    mid = _docx_stream_offset()
    data[mid : mid + 16] = bytes(range(16))
    path = write(scratch, ".docx", bytes(data))
    res = check(worker.call("from_transcripts", path), "damaged docx")
    assert res["outcome"] == "error" and res["type"] == "ReaderError", res
    assert str(path) in res["message"] and "re-save" in res["message"]


def test_bad_time_in_csv_of_turns_is_a_reader_error(worker, scratch):
    path = write(scratch, ".csv", b"speaker,text,start\nP1,hello,00:01\nP1,again,4x5\n")
    res = check(worker.call("from_transcripts", path), "bad start time")
    assert res["type"] == "ReaderError", res
    assert "'4x5'" in res["message"] and "row 2" in res["message"], res["message"]


CODECS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp1252",
    "latin-1",
    "shift_jis",
    "koi8-r",
    "gb18030",
)


@fuzz(60)
@given(
    body=st.text(min_size=1, max_size=300),
    codec=st.sampled_from(CODECS),
    ext=st.sampled_from((".txt", ".md", ".csv", ".tsv", ".vtt", ".srt")),
    encoding=st.sampled_from((None, None, "utf-8", "ascii", "utf-16", "cp1252", "no-such-codec")),
)
@example(body="Zażółć gęślą jaźń", codec="utf-32", ext=".txt", encoding=None)
def test_wrong_encoding_transcripts(worker, scratch, body, codec, ext, encoding):
    shapes = {
        ".csv": f'speaker,text\nInterviewer,Hi\nP1,"{body}"\n',
        ".tsv": f"speaker\ttext\nInterviewer\tHi\nP1\t{body}\n",
        ".vtt": f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v P1>{body}\n",
        ".srt": f"1\n00:00:01,000 --> 00:00:02,000\nP1: {body}\n",
    }
    text = shapes.get(ext, f"Interviewer: How was it?\nP1: {body}\n")
    data = text.encode(codec, errors="replace")
    path = write(scratch, ext, data)
    res = check(
        worker.call("from_transcripts", path, encoding=encoding),
        f"{codec} text read as {ext} with encoding={encoding!r}",
        path,
    )
    if encoding == "no-such-codec":
        assert res["outcome"] == "error" and res["type"] == "ReaderError", res


@fuzz(40)
@given(
    body=st.text(min_size=1, max_size=100),
    codec=st.sampled_from(CODECS),
    ext=st.sampled_from((".csv", ".tsv", ".csv.gz")),
    encoding=st.sampled_from((None, None, "utf-8", "ascii", "utf-16", "no-such-codec")),
)
def test_wrong_encoding_survey(worker, scratch, body, codec, ext, encoding):
    sep = "\t" if ext == ".tsv" else ","
    quoted = '"' + body.replace('"', '""') + '"'
    text = f"id{sep}Booking{sep}Comment\n1{sep}4{sep}{quoted}\n2{sep}2{sep}x\n"
    data = text.encode(codec, errors="replace")
    if ext.endswith(".gz"):
        data = gzip.compress(data)
    path = write(scratch, ext, data)
    check(
        worker.call(
            "from_survey", path, items={"Booking": "Booking"}, respondent=None, encoding=encoding
        ),
        f"{codec} survey read as {ext} with encoding={encoding!r}",
        path,
    )


# --------------------------------------------------------------------------- big inputs

HUGE = 50_000


def _huge_turn(ext: str) -> bytes:
    words = "Kahvi oli kylmää, the seat: broken & bent — żółć 予約 "
    turn = (words * (HUGE // len(words) + 1))[:HUGE]
    if ext == ".docx":
        import docx

        document = docx.Document()
        document.add_paragraph("Interviewer: Tell me everything.")
        document.add_paragraph(f"P1: {turn}")
        buf = io.BytesIO()
        document.save(buf)
        return buf.getvalue()
    text = {
        ".vtt": f"WEBVTT\n\n00:00:01.000 --> 00:09:00.000\n<v P1>{turn}\n",
        ".srt": f"1\n00:00:01,000 --> 00:09:00,000\nP1: {turn}\n",
        ".csv": f'speaker,text\nInterviewer,Tell me everything.\nP1,"{turn}"\n',
    }.get(ext, f"Interviewer: Tell me everything.\nP1: {turn}\n")
    return text.encode("utf-8")


@pytest.mark.parametrize("ext", [".txt", ".md", ".vtt", ".srt", ".docx", ".csv"])
def test_huge_single_turn_is_read_whole(worker, scratch, ext):
    path = write(scratch, ext, _huge_turn(ext))
    res = check(worker.call("from_transcripts", path, timeout=BIG_TIMEOUT), f"50k turn {ext}")
    assert res["outcome"] == "evidence", res
    assert res["longest_text"] >= HUGE - 5  # the whole turn, not cut


def test_huge_line_without_labels(worker, scratch):
    # one 50k-character line full of colons and brackets: the label regex must not backtrack
    line = ("(12:03) Note: a: b [c] **d** " * (HUGE // 28))[:HUGE]
    path = write(scratch, ".txt", line.encode())
    res = check(worker.call("from_transcripts", path, timeout=BIG_TIMEOUT), "50k-char line")
    assert res["outcome"] == "evidence", res


def _wide_csv(n_cols: int, n_rows: int, sep: str = ",") -> bytes:
    cols = ["id", *(f"q{j}" for j in range(n_cols - 1))]
    rng = np.random.default_rng(7)
    vals = rng.integers(0, 6, size=(n_rows, n_cols - 1))
    lines = [sep.join(cols)]
    lines += [sep.join([str(i), *map(str, row)]) for i, row in enumerate(vals)]
    return ("\n".join(lines) + "\n").encode()


def test_10k_column_survey_all_items(worker, scratch):
    path = write(scratch, ".csv", _wide_csv(10_000, 20))
    items = {f"q{j}": "Booking" for j in range(9_999)}
    res = check(
        worker.call("from_survey", path, items=items, missing=(0,), timeout=BIG_TIMEOUT),
        "10k-column survey",
    )
    assert res["outcome"] == "evidence" and res["rows"] == 20 * 9_999, res


def test_10k_column_survey_one_item_rest_segments(worker, scratch):
    path = write(scratch, ".tsv", _wide_csv(10_000, 20, sep="\t"))
    res = check(
        worker.call("from_survey", path, items={"q5": "Seat"}, missing=(0,), timeout=BIG_TIMEOUT),
        "10k-column survey, 1 item",
    )
    assert res["outcome"] == "evidence" and res["rows"] == 20, res
    assert "q9998" in res["columns"]  # the other columns are kept as segments


def test_10k_column_csv_of_turns(worker, scratch):
    extra = [f"c{j}" for j in range(9_998)]
    head = ",".join(["speaker", "text", *extra])
    rows = [",".join(["P1", f"turn {i}", *("x" * len(extra))]) for i in range(5)]
    path = write(scratch, ".csv", ("\n".join([head, *rows]) + "\n").encode())
    res = check(worker.call("from_transcripts", path, timeout=BIG_TIMEOUT), "10k-column turns")
    assert res["outcome"] == "evidence" and res["rows"] == 5, res


def test_10k_column_frame(worker):
    df = pd.DataFrame(
        np.ones((10, 10_000), dtype=np.int64), columns=[f"q{j}" for j in range(10_000)]
    )
    df["text"] = "a review"
    res = check(
        worker.call(
            "from_frame", df, ratings={f"q{j}": "Seat" for j in range(10_000)}, timeout=BIG_TIMEOUT
        ),
        "10k-column frame",
    )
    assert res["outcome"] == "evidence" and res["rows"] == 10 * 10_001, res


# --------------------------------------------------------------------------- frames

NONFINITE = st.sampled_from(
    [
        math.nan,
        math.inf,
        -math.inf,
        1e308,
        -1e308,
        0.0,
        5.0,
        3.0,
        "inf",
        "NaN",
        "-Infinity",
        "1e999",
    ]
)
RATINGS = st.one_of(NONFINITE, st.floats(allow_nan=True, allow_infinity=True), st.integers(-9, 9))


@fuzz(50)
@given(
    values=st.lists(RATINGS, min_size=1, max_size=12),
    on_invalid=st.sampled_from(["raise", "missing"]),
    reader=st.sampled_from(["from_survey", "from_frame", "csv"]),
    scale=st.sampled_from([(1, 5), (0, 10), (1, math.inf), (math.nan, 5), (-1e308, 1e308)]),
)
@example(values=[3, math.inf], on_invalid="missing", reader="from_survey", scale=(1, 5))
@example(values=[3, 4], on_invalid="raise", reader="from_survey", scale=(1, math.inf))
def test_nan_inf_ratings(worker, scratch, values, on_invalid, reader, scale):
    df = pd.DataFrame({"id": range(len(values)), "Seat": values, "text": "ok"})
    kw: dict[str, Any] = {"on_invalid": on_invalid, "scale": scale, "missing": (0,)}
    if reader == "from_frame":
        res = worker.call("from_frame", df, ratings={"Seat": "Seat"}, **kw)
    elif reader == "csv":
        path = write(scratch, ".csv", df.drop(columns="text").to_csv(index=False).encode())
        res = worker.call("from_survey", path, items={"Seat": "Seat"}, **kw)
    else:
        res = worker.call("from_survey", df.drop(columns="text"), items={"Seat": "Seat"}, **kw)
    check(res, f"{reader} ratings {values!r} scale={scale} on_invalid={on_invalid}")
    finite_scale = all(math.isfinite(float(x)) for x in scale)
    if not finite_scale:
        assert res["outcome"] == "error" and "finite" in res["message"], res
    elif on_invalid == "missing":
        assert res["outcome"] == "evidence", res  # invalid ratings become missing, no error


ID_VALUES = st.sampled_from(
    ["1", "a", "a~2", "a~3", "row0", " ", "", None, math.nan, 1, 1.0, 2, -0.0, math.inf, "1 "]
)


@fuzz(50)
@given(ids=st.lists(ID_VALUES, min_size=1, max_size=10), reader=st.sampled_from(["s", "f"]))
@example(ids=["a", "a", "a~2"], reader="s")  # the ~2 suffix collided with an existing id
@example(ids=["a", "a", "a~2"], reader="f")
@example(ids=[1.0, math.inf], reader="s")  # inf passed as a whole number (IntCastingNaNError)
def test_duplicate_ids(worker, ids, reader):
    df = pd.DataFrame({"rid": pd.Series(ids, dtype=object), "Seat": 3, "Booking": 4})
    if all(isinstance(v, float) for v in ids):
        df["rid"] = df["rid"].astype(float)
    if reader == "s":
        res = worker.call(
            "from_survey", df, items={"Seat": "Seat", "Booking": "Booking"}, respondent="rid"
        )
        expected = 2 * len(ids)
    else:
        res = worker.call("from_frame", df.assign(text="t"), id="rid", ratings={"Seat": "Seat"})
        expected = 2 * len(ids)
    check(res, f"ids {ids!r}")
    assert res["outcome"] == "evidence", res  # repeated ids are suffixed, never an error
    assert res["rows"] == expected


MIXED = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.text(max_size=20),
    st.binary(max_size=5),
    st.just(decimal.Decimal("3.5")),
    st.just(dt.date(2024, 5, 1)),
    st.just(pd.Timestamp("2024-05-01 10:00")),
    st.just(1 + 2j),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    st.tuples(st.integers()),
)


@fuzz(70)
@given(
    values=st.lists(MIXED, min_size=1, max_size=8),
    role=st.sampled_from(["text", "segment", "rating", "participant", "id", "respondent", "item"]),
)
@example(values=[1, [1, 2]], role="segment")  # unhashable segment (TypeError in factorize)
@example(values=[{"a": 1}, "x"], role="respondent")
@example(values=[1, "2", None, True], role="rating")
def test_mixed_types_in_a_column(worker, values, role):
    n = len(values)
    col = pd.Series(values, dtype=object)
    base = pd.DataFrame({"rid": range(n), "Seat": 3, "text": [f"quote {i}" for i in range(n)]})
    kw: dict[str, Any]
    if role in ("respondent", "item"):
        df = base.drop(columns="text").assign(m=col)
        if role == "respondent":
            kw = {"items": {"Seat": "Seat"}, "respondent": "m"}
        else:
            kw = {"items": {"m": "Seat"}, "respondent": "rid", "on_invalid": "missing"}
        res = worker.call("from_survey", df, **kw)
    else:
        df = base.assign(m=col)
        kw = {
            "text": {"text": "m"},
            "segment": {"ratings": {"Seat": "Seat"}},
            "rating": {"ratings": {"m": "Seat"}, "on_invalid": "missing"},
            "participant": {"participant": "m"},
            "id": {"id": "m"},
        }[role]
        if role == "text":
            df = df.drop(columns="text")
        res = worker.call("from_frame", df, **kw)
        if role == "segment":  # the same column as a survey segment
            check(
                worker.call("from_survey", df.drop(columns="text"), items={"Seat": "Seat"}),
                f"survey segment {values!r}",
            )
    check(res, f"{role} column of {values!r}")
    if role == "segment" and any(isinstance(v, list | dict) for v in values):
        assert res["outcome"] == "error" and "'m'" in res["message"], res


def _frame(columns: Any) -> pd.DataFrame:
    df = pd.DataFrame([[1, 3, "a quote"]] * 2)
    df.columns = columns
    return df


@pytest.mark.parametrize(
    ("columns", "reader", "kw"),
    [
        (["id", "Seat", "Seat"], "from_survey", {"items": {"Seat": "Seat"}}),
        (["id", "x", "x"], "from_survey", {"items": {"id": "Seat"}, "respondent": None}),
        (["x", "text", "text"], "from_frame", {}),
        (["x", "x", "text"], "from_frame", {}),
        (
            pd.MultiIndex.from_tuples([("id", ""), ("Seat", "a"), ("Seat", "b")]),
            "from_survey",
            {"items": {"Seat": "Seat"}, "respondent": None},
        ),
        ([0, 1, "text"], "from_frame", {"ratings": {1: "Seat"}}),
        ([0, 1, 2], "from_survey", {"items": {1: "Seat"}, "respondent": 0}),
        ([0, 1, 2], "from_survey", {"items": {1: "Seat"}, "respondent": None, "text_items": [2]}),
    ],
)
def test_awkward_column_names(worker, columns, reader, kw):
    res = check(worker.call(reader, _frame(columns), **kw), f"columns {list(columns)}")
    if pd.Index(columns).is_unique and not isinstance(columns, pd.MultiIndex):
        assert res["outcome"] == "evidence", res  # non-string names are fine
    else:
        assert res["outcome"] == "error", res
        assert "more than once" in res["message"] or "multi-level" in res["message"], res


def test_worker_reports_a_hang_as_a_failure(worker):
    # the harness itself: a call that cannot finish is killed and reported, not waited for
    class Slow:
        def __reduce__(self):
            return (time.sleep, (60,))

    t0 = time.monotonic()
    res = worker.call("from_frame", Slow(), timeout=2)
    assert res["outcome"] == "hang" and time.monotonic() - t0 < 30
    ok = worker.call("from_frame", pd.DataFrame({"text": ["fine"]}))
    assert ok["outcome"] == "evidence" and ok["rows"] == 1  # a fresh worker took over
