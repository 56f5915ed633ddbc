"""Transcript parsing for :func:`cjm_widgets.evidence.readers.read_transcripts` (internal).

Each parser turns one document into a list of :class:`Turn` (speaker, text, start, end);
roles, participants and ids are assigned by the reader. Usage::

    parsed = parse_text_lines(text.splitlines(), interviewer_matcher(None))
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cjm_widgets.errors import EvidenceError, ReaderError
from cjm_widgets.evidence._speakers import RoleGuesser, is_stop_word, looks_like_name

__all__ = [
    "DEFAULT_INTERVIEWER",
    "Parsed",
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
#: project's template languages (fi, sv, pl, ms/id) and French.
DEFAULT_INTERVIEWER: tuple[str, ...] = (
    "interviewer",
    "moderator",
    "researcher",
    "facilitator",
    "int",
    "i",
    "q",
    "question",
    "haastattelija",
    "kysymys",
    "enquêteur",
    "enquêtrice",
    "intervieweur",
    "intervieweuse",
    "animateur",
    "animatrice",
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
        rx = re.compile(rf"(?:{names})\.?(?:\s*[-_#]?\s*\d+)*", re.IGNORECASE)
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
_TS_PREFIX = rf"(?:(?:[\[(](?P<ts>{_TS})[\])]|(?P<bts>{_TS}))\s*[-–—]?\s*)?"
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
# a label alone on its line, without a colon: "Interviewee", "Speaker 1  0:03", "[00:01] Anna"
_ALONE_RX = re.compile(
    rf"^\s*{_TS_PREFIX}(?:\*\*)?(?P<name>{_NAME}(?:\s*\d+)*)(?:\*\*)?"
    rf"(?:\s*[-–—]?\s*(?:[\[(](?P<ts_after>{_TS})[\])]|(?P<bts_after>{_TS})))?\s*$"
)
_REST_TS_RX = re.compile(rf"^[\[(](?P<ts>{_TS})[\])]\s*")  # "Anna: [00:00:12] text"
_TS_LINE_RX = re.compile(rf"^\s*[\[(]?(?P<ts>{_TS})[\])]?\s*$")  # a time alone on its line
# a name in brackets, a time, then the words (Zoom's text export): "[Anna K] 10:03:12 Hello"
_BRACKET_RX = re.compile(rf"^\s*\[(?P<name>{_NAME}\s*\d*)\]\s+(?P<ts>{_TS})(?:\s+(?P<rest>.*))?$")
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
        b = _BRACKET_RX.match(line)
        if b is None:
            return None
        speaker = " ".join(b.group("name").split())
        return speaker, None, parse_timestamp(b.group("ts")), b.group("rest") or ""
    raw = (m.group("md") or m.group("plain")).strip()
    ts = m.group("ts") or m.group("bts")
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
    rest = m.group("rest")
    after = _REST_TS_RX.match(rest)
    if after:  # a timestamp right after the label
        ts = ts or after.group("ts")
        rest = rest[after.end() :]
    start = parse_timestamp(ts) if ts else NAN
    return speaker, (note.strip() if note else None), start, rest


def _alone_label(line: str) -> tuple[str, float] | None:
    """(speaker, start) when ``line`` holds nothing but a label-like name (and a time)."""
    m = _ALONE_RX.match(line)
    if not m:
        return None
    speaker = " ".join(m.group("name").split())
    if not speaker or len(speaker.split()) > 4:
        return None
    ts = m.group("ts") or m.group("bts") or m.group("ts_after") or m.group("bts_after")
    return speaker, (parse_timestamp(ts) if ts else NAN)


@dataclass
class Parsed:
    """What :func:`parse_text_lines` found in one document."""

    turns: list[Turn]
    labelled: bool  # False: no speaker labels, the turns are the paragraphs
    skipped: int  # non-blank lines before the first label
    kept_as_text: list[str]  # label-shaped words read as text ("Note"), first seen order


def parse_text_lines(
    lines: Iterable[str],
    is_interviewer: Callable[[str], bool],
    guesser: RoleGuesser | None = None,
) -> Parsed:
    """Parse labelled lines into turns; every line that reads as a speaker label starts one.

    A ``Name:`` label starts a turn when it names a role by itself (interviewer, participant
    or unknown-voice words, or ``roles=``), is a participant code (P3), bold markdown,
    annotated (``Anna (customer):``), timestamped, used at least twice in the document, or —
    used once — looks like a name (one to three capitalised words that are not a word such as
    "Note", "Bref" or "Huom"). ``[Anna K] 10:03:12 words`` (Zoom's export) is a label too. A
    label alone on its line without a colon (``Interviewee``, ``Speaker 1  0:03``; a time on
    the line below is its start) starts a turn when the next line is text and the label names
    a role, carries a timestamp, is used with a colon elsewhere, or stands alone at least twice.
    Label-shaped words that are not read as speakers are listed in ``kept_as_text``.
    """
    guess = guesser if guesser is not None else RoleGuesser(is_interviewer)
    lines = [ln.rstrip("\r") for ln in lines]
    parsed = [_split_label(ln) for ln in lines]
    alone = [
        None if p is not None else _alone_label(ln) for p, ln in zip(parsed, lines, strict=True)
    ]
    counts = Counter(p[0].casefold() for p in parsed if p)
    alone_counts = Counter(a[0].casefold() for a in alone if a)

    def colon_label(i: int) -> bool:
        speaker, note, start, _ = parsed[i]  # type: ignore[misc]
        if guess.not_speaker(speaker):
            return False
        if guess.known(speaker):
            return True
        if is_stop_word(speaker):
            return False
        return (
            counts[speaker.casefold()] >= 2
            or bool(_CODE_RX.fullmatch(speaker))
            or note is not None
            or start == start  # a timestamp was given
            or "**" in lines[i]
            or looks_like_name(speaker)
        )

    def next_is_text(i: int) -> bool:
        for j in range(i + 1, len(lines)):
            if lines[j].strip():
                nxt = alone[j]
                return parsed[j] is None and not (nxt is not None and guess.known(nxt[0]))
        return False

    def alone_label(i: int) -> bool:
        speaker, start = alone[i]  # type: ignore[misc]
        if guess.not_speaker(speaker) or not next_is_text(i):
            return False
        if guess.known(speaker) or counts[speaker.casefold()] > 0:
            return True
        if is_stop_word(speaker) or not looks_like_name(speaker):
            return False
        return start == start or alone_counts[speaker.casefold()] >= 2

    keep = [
        (parsed[i] is not None and colon_label(i)) or (alone[i] is not None and alone_label(i))
        for i in range(len(lines))
    ]
    if not any(keep):
        return Parsed(_paragraphs(lines), False, 0, [])

    turns: list[Turn] = []
    buf: list[str] = []
    skipped = 0
    kept: dict[str, None] = {}
    current: Turn | None = None

    def flush() -> None:
        if current is not None:
            current.text = "\n".join(buf).strip()
            turns.append(current)

    for i, line in enumerate(lines):
        if keep[i]:
            flush()
            if parsed[i] is not None:
                speaker, note, start, rest = parsed[i]  # type: ignore[misc]
            else:
                (speaker, start), note, rest = alone[i], None, ""  # type: ignore[misc]
            current = Turn(speaker=speaker, text="", start=start, note=note)
            buf = [rest.strip()]
            continue
        p = parsed[i]
        if p is not None and len(p[0].split()) <= 3:
            kept[p[0]] = None
        if current is None:
            if line.strip() and not _HEADING_RX.match(line):
                skipped += 1
            continue
        time_only = _TS_LINE_RX.match(line)
        if time_only and current.start != current.start and not "".join(buf).strip():
            current.start = parse_timestamp(time_only.group("ts"))  # the label's time, below it
        else:
            buf.append(line.strip())
    flush()
    return Parsed(turns, True, skipped, list(kept))


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


def _no_speaker(label: str, guesser: RoleGuesser | None) -> bool:
    """True when a cue's ``label:`` is text: ``roles=`` says so, or a word such as "Note"."""
    if guesser is not None:
        if guesser.not_speaker(label):
            return True
        if guesser.known(label):
            return False
    return is_stop_word(label)


def _cue_turns(
    cues: Iterable[tuple[str | None, str, float, float]], guesser: RoleGuesser | None = None
) -> tuple[list[Turn], bool]:
    """Turns of timed cues; a ``Name:`` label starting a cue names its speaker unless it is a
    word such as "Note" (or ``roles=`` says it is no speaker)."""
    turns: list[Turn] = []
    for voice, text, start, end in cues:
        text = text.strip()
        speaker, note = voice, None
        if speaker is None:
            lab = _split_label(text.split("\n", 1)[0])
            if lab is not None and _no_speaker(lab[0], guesser):
                lab = None
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


def parse_vtt(text: str, path: Path, guesser: RoleGuesser | None = None) -> tuple[list[Turn], bool]:
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
    return _cue_turns(cues, guesser)


def parse_srt(text: str, path: Path, guesser: RoleGuesser | None = None) -> tuple[list[Turn], bool]:
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
    return _cue_turns(cues, guesser)


def docx_lines(path: Path) -> list[str]:
    """Paragraph texts of a .docx (python-docx); soft line breaks become separate lines.

    A damaged or non-Word file raises :class:`ReaderError` naming the file: python-docx, zipfile,
    zlib and lxml raise many types for one (truncated zip, bad deflate data, broken XML).
    """
    import docx
    from docx.opc.exceptions import OpcError

    # what the zip/XML stack raises for a damaged document: a missing or truncated zip
    # (BadZipFile, OpcError, EOFError), bad deflate data (zlib.error), a missing part
    # (KeyError), broken XML (lxml's errors are SyntaxError), unreadable bytes (OSError)
    damaged = (
        zipfile.BadZipFile,
        OpcError,
        EOFError,
        zlib.error,
        KeyError,
        SyntaxError,
        ValueError,
        OSError,
    )
    try:
        document = docx.Document(str(path))
        lines: list[str] = []
        for para in document.paragraphs:  # each paragraph is its own block
            lines.extend(para.text.split("\n"))
            lines.append("")
    except damaged as err:
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


def parse_turns_csv(text: str, path: Path) -> tuple[list[Turn], dict[str, list[str | None]]]:
    """CSV of turns: columns speaker, text (case-insensitive); optional start, end, participant.

    Returns the turns and the other columns per turn: ``{"participant": [...]}`` when a
    participant column exists, plus every column that is not speaker, text, start, end or an
    ``Unnamed: N`` index leftover, under its own name (blank cells as None).
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
    extra: dict[str, list[str | None]] = {}
    if "participant" in cols:
        extra["participant"] = [str(v).strip() for v in df[cols["participant"]]]
    read = {cols[k] for k in ("speaker", "text", "start", "end", "participant") if k in cols}
    for c in df.columns:
        if c not in read and not str(c).startswith("Unnamed: "):
            extra[str(c)] = [v.strip() or None if isinstance(v, str) else None for v in df[c]]
    return turns, extra
