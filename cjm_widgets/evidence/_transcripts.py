"""Transcript parsing for :func:`cjm_widgets.evidence.readers.read_transcripts` (internal).

Each parser turns one document into a list of :class:`Turn` (speaker, text, start, end);
roles, participants and ids are assigned by the reader. Usage::

    turns, labelled = parse_text_lines(text.splitlines())
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cjm_widgets.errors import EvidenceError, ReaderError

__all__ = [
    "DEFAULT_INTERVIEWER",
    "Turn",
    "docx_lines",
    "interviewer_matcher",
    "parse_srt",
    "parse_text_lines",
    "parse_turns_csv",
    "parse_vtt",
]

NAN = float("nan")

#: Default interviewer labels (case-insensitive, optional number): English plus the
#: project's template languages (fi, sv, pl, ms/id).
DEFAULT_INTERVIEWER: tuple[str, ...] = (
    "interviewer",
    "moderator",
    "researcher",
    "facilitator",
    "int",
    "i",
    "q",
    "haastattelija",
    "intervjuare",
    "badacz",
    "prowadzący",
    "prowadząca",
    "pewawancara",
    "penemuduga",
)


@dataclass
class Turn:
    """One speaker turn: speaker label (None when unknown), text, start/end seconds."""

    speaker: str | None
    text: str
    start: float = NAN
    end: float = NAN
    note: str | None = None  # parenthesised annotation of the label, e.g. "customer"


def interviewer_matcher(
    interviewer: str | Sequence[str] | Callable[[str], bool] | None,
) -> Callable[[str], bool]:
    """Return ``is_interviewer(label) -> bool`` for the ``interviewer=`` argument.

    ``None`` → the default labels; a string is a regular expression (a plain name works) matched
    against the whole label, case-insensitively; a list matches any of its names/expressions;
    a callable is used as is.
    """
    if callable(interviewer):
        return interviewer
    if interviewer is None:
        names = "|".join(re.escape(n) for n in DEFAULT_INTERVIEWER)
        rx = re.compile(rf"(?:{names})\.?\s*[-_#]?\s*\d*", re.IGNORECASE)
    else:
        pats = [interviewer] if isinstance(interviewer, str) else list(interviewer)
        if not all(isinstance(p, str) for p in pats):
            raise EvidenceError(
                "interviewer= must be a name/regex string, a list of them or a callable "
                f"label -> bool; got {interviewer!r}"
            )
        rx = re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)

    def match(label: str) -> bool:
        return bool(rx.fullmatch(label.strip()))

    return match


# ---------------------------------------------------------------------------- labels in text

_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_TS_PREFIX = rf"(?:[\[(](?P<ts>{_TS})[\])]\s*[-–—]?\s*)?"
_NAME = r"[^\W\d_][\w.'’\- ]{0,38}?"
_NOTE = r"(?:\s*[\[(][^)\]\n]{1,40}[\])])?"
_NOTE_RX = re.compile(r"^(?P<name>.*?)\s*[\[(](?P<note>[^)\]\n]{1,40})[\])]$")
_LABEL_RX = re.compile(
    rf"^\s*{_TS_PREFIX}"
    rf"(?:\*\*(?P<md>{_NAME}{_NOTE})\s*:?\s*\*\*\s*:?"  # **Anna:**, **Anna**:
    rf"|(?P<plain>{_NAME}\s*\d*{_NOTE})\s*:)"  # Anna:, Interviewer 1 :, Anna (customer):
    rf"(?:\s+|$)(?P<rest>.*)$",
    re.DOTALL,
)
_CODE_RX = re.compile(r"[A-Za-z]{1,3}\s*\d{1,3}")  # P3, R12, Int 2
_HEADING_RX = re.compile(r"^\s*(?:#{1,6}\s|---\s*$|\*\*\*\s*$)")


def parse_timestamp(value: str) -> float:
    """'00:12:03', '12:03', '00:00:01.500', '00:00:01,500' → seconds (float)."""
    parts = value.strip().replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def _split_label(line: str) -> tuple[str, str | None, float, str] | None:
    """(speaker, note, start, rest) when ``line`` starts with a speaker label."""
    m = _LABEL_RX.match(line)
    if not m:
        return None
    raw = (m.group("md") or m.group("plain")).strip()
    ts = m.group("ts")
    note = None
    nm = _NOTE_RX.match(raw)
    if nm:
        raw = nm.group("name")
        if re.fullmatch(_TS, nm.group("note").strip()):  # "Anna (12:03):" is a timestamp
            ts = nm.group("note")
        else:
            note = nm.group("note")
    speaker = " ".join(raw.replace("*", " ").split())
    if not speaker or len(speaker.split()) > 4:
        return None
    start = parse_timestamp(ts) if ts else NAN
    return speaker, (note.strip() if note else None), start, m.group("rest")


def parse_text_lines(
    lines: Iterable[str], is_interviewer: Callable[[str], bool]
) -> tuple[list[Turn], bool, int]:
    """Parse labelled lines into turns.

    Returns ``(turns, labelled, skipped_lines)``: ``labelled`` is False when no recognisable
    speaker labels were found — then the turns are the paragraphs, speaker None.
    A label counts when it is an interviewer label, a participant code (P3), bold markdown,
    annotated ("Anna (customer):"), timestamped, or used at least twice in the document — so a
    sentence such as "Note: the app crashed" inside a turn is not mistaken for a speaker.
    """
    lines = [ln.rstrip("\r") for ln in lines]
    parsed = [_split_label(ln) for ln in lines]
    counts: dict[str, int] = {}
    for p in parsed:
        if p:
            counts[p[0].casefold()] = counts.get(p[0].casefold(), 0) + 1

    def accepted(i: int) -> bool:
        p = parsed[i]
        if p is None:
            return False
        speaker, note, start, _ = p
        return (
            counts[speaker.casefold()] >= 2
            or is_interviewer(speaker)
            or bool(_CODE_RX.fullmatch(speaker))
            or note is not None
            or start == start  # a timestamp was given
            or "**" in lines[i]
        )

    keep = [accepted(i) for i in range(len(lines))]
    if not any(keep):
        return _paragraphs(lines), False, 0

    turns: list[Turn] = []
    buf: list[str] = []
    skipped = 0
    current: Turn | None = None

    def flush() -> None:
        if current is not None:
            current.text = "\n".join(buf).strip()
            turns.append(current)

    for i, line in enumerate(lines):
        if keep[i]:
            flush()
            speaker, note, start, rest = parsed[i]  # type: ignore[misc]
            current = Turn(speaker=speaker, text="", start=start, note=note)
            buf = [rest.strip()]
        elif current is None:
            if line.strip() and not _HEADING_RX.match(line):
                skipped += 1
        else:
            buf.append(line.strip())
    flush()
    return turns, True, skipped


def _paragraphs(lines: list[str]) -> list[Turn]:
    turns: list[Turn] = []
    buf: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            buf.append(line.strip())
        elif buf:
            turns.append(Turn(speaker=None, text="\n".join(buf)))
            buf = []
    return turns


def _merge(turns: list[Turn]) -> list[Turn]:
    """Merge consecutive cues of the same (known) speaker into one turn."""
    out: list[Turn] = []
    for t in turns:
        if (
            out
            and t.speaker is not None
            and out[-1].speaker is not None
            and t.speaker.casefold() == out[-1].speaker.casefold()
        ):
            prev = out[-1]
            prev.text = f"{prev.text}\n{t.text}".strip()
            prev.end = t.end
        else:
            out.append(t)
    return out


def _cue_turns(cues: Iterable[tuple[str | None, str, float, float]]) -> tuple[list[Turn], bool]:
    turns: list[Turn] = []
    for voice, text, start, end in cues:
        text = text.strip()
        speaker, note = voice, None
        if speaker is None:
            lab = _split_label(text.split("\n", 1)[0])
            if lab is not None:
                speaker, note, _, rest = lab
                text = "\n".join([rest, *text.split("\n")[1:]]).strip()
        turns.append(Turn(speaker=speaker, text=text, start=start, end=end, note=note))
    labelled = any(t.speaker is not None for t in turns)
    # cues without a label continue the previous speaker's turn
    if labelled:
        for prev, t in itertools.pairwise(turns):
            if t.speaker is None and prev.speaker is not None:
                t.speaker, t.note = prev.speaker, prev.note
    return _merge(turns), labelled


def parse_vtt(text: str, path: Path) -> tuple[list[Turn], bool]:
    """WebVTT via webvtt-py: ``<v Speaker>`` voice tags or ``Speaker: text`` cues."""
    import webvtt
    from webvtt.errors import MalformedFileError

    try:
        vtt = webvtt.from_string(text)
    except MalformedFileError as err:
        raise ReaderError(f"{path}: not a valid WebVTT file ({err})") from None
    cues = [
        (
            c.voice.strip() if c.voice else None,
            c.text,
            parse_timestamp(c.start),
            parse_timestamp(c.end),
        )
        for c in vtt.captions
    ]
    if not cues:
        raise ReaderError(f"{path} is empty: the WebVTT file has no cues")
    return _cue_turns(cues)


def parse_srt(text: str, path: Path) -> tuple[list[Turn], bool]:
    """SRT via the ``srt`` library; ``Speaker: text`` labels, same merging as VTT."""
    import srt

    try:
        subs = list(srt.parse(text))
    except srt.SRTParseError as err:
        raise ReaderError(f"{path}: not a valid SRT file ({err})") from None
    if not subs:
        raise ReaderError(f"{path} is empty: the SRT file has no subtitles")
    tag = re.compile(r"</?[a-zA-Z][^>]*>")
    cues = [
        (None, tag.sub("", s.content), s.start.total_seconds(), s.end.total_seconds()) for s in subs
    ]
    return _cue_turns(cues)


def docx_lines(path: Path) -> list[str]:
    """Paragraph texts of a .docx (python-docx); soft line breaks become separate lines.

    A damaged or non-Word file raises :class:`ReaderError` naming the file: python-docx, zipfile,
    zlib and lxml raise many types for one (truncated zip, bad deflate data, broken XML).
    """
    import docx

    try:
        document = docx.Document(str(path))
        lines: list[str] = []
        for para in document.paragraphs:  # each paragraph is its own block
            lines.extend(para.text.split("\n"))
            lines.append("")
    except Exception as err:  # any failure of the zip/XML stack means a damaged document
        raise ReaderError(
            f"{path}: not a readable .docx file ({type(err).__name__}: {err}); it may be "
            "truncated or another format renamed to .docx: open and re-save it in Word or "
            "LibreOffice, or export it as .txt"
        ) from None
    return lines


def _seconds(values: pd.Series, path: Path, column: str) -> pd.Series:
    """Seconds from a column of numbers or timestamps; a bad cell raises ReaderError."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")

    def one(row: int, v: object) -> float:
        if pd.isna(v) or not str(v).strip():
            return NAN
        try:
            seconds = parse_timestamp(str(v))
            if math.isinf(seconds):
                raise ValueError(v)
            return seconds
        except ValueError:
            raise ReaderError(
                f"{path}: the {column!r} value {str(v)[:40]!r} in data row {row + 1} is not a "
                "time; use seconds (12.5) or a timestamp (00:12:03, 12:03.5), or leave it blank"
            ) from None

    return pd.Series([one(i, v) for i, v in enumerate(values)], index=values.index, dtype="float64")


def parse_turns_csv(text: str, path: Path) -> tuple[list[Turn], dict[str, list[str]]]:
    """CSV of turns: columns speaker, text (case-insensitive); optional start, end, participant.

    Returns the turns and ``{"participant": [...]}`` when a participant column exists.
    """
    sep = "\t" if path.suffix.lower() == ".tsv" else None
    try:
        df = pd.read_csv(
            io.StringIO(text), sep=sep, engine="python", dtype=str, keep_default_na=False
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError) as err:
        # csv.Error: the sniffer found no delimiter (one line of stray bytes)
        raise ReaderError(
            f"{path}: not a readable CSV of turns ({err}); it needs a header row with "
            "'speaker' and 'text' columns separated by commas (tabs in a .tsv)"
        ) from None
    cols = {str(c).strip().casefold(): c for c in df.columns}
    for need in ("text", "speaker"):
        if need not in cols:
            raise EvidenceError(
                f"{path}: a CSV of turns needs a {need!r} column (any case); "
                f"the file has columns {list(map(str, df.columns))}"
            )
    speakers = df[cols["speaker"]].str.strip()
    texts = df[cols["text"]].fillna("")
    starts = _seconds(df[cols["start"]], path, "start") if "start" in cols else None
    ends = _seconds(df[cols["end"]], path, "end") if "end" in cols else None
    turns = [
        Turn(
            speaker=(s or None),
            text=t.strip(),
            start=float(starts.iloc[i]) if starts is not None else NAN,
            end=float(ends.iloc[i]) if ends is not None else NAN,
        )
        for i, (s, t) in enumerate(zip(speakers, texts, strict=True))
    ]
    extra: dict[str, list[str]] = {}
    if "participant" in cols:
        extra["participant"] = [str(v).strip() for v in df[cols["participant"]]]
    return turns, extra
