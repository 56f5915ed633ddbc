"""The transcript reader: interview files (.txt, .md, .vtt, .srt, .docx, CSV of turns) → one
row per speaker turn.

Usage: ``raw = read_transcripts("interviews/*.vtt", roles={"Interviewer2 2": "interviewer"})``
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cjm_widgets.errors import EvidenceError, ReaderError
from cjm_widgets.evidence._encoding import read_text
from cjm_widgets.evidence._files import (
    _ext,
    _resolve_paths,
)
from cjm_widgets.evidence._reader_base import (
    _RESERVED,
    BASE_COLUMNS,
    TRANSCRIPT_EXTENSIONS,
    RawEvidence,
    _doc_name,
    _meta,
    _refuse_reserved,
    _source_cat,
    _str_array,
    _warn,
)
from cjm_widgets.evidence._speakers import (
    NOT_SPEAKER,
    ROLES,
    RoleGuesser,
    file_summary,
    format_summary,
)
from cjm_widgets.evidence._transcripts import (
    Turn,
    docx_lines,
    interviewer_matcher,
    parse_srt,
    parse_text_lines,
    parse_turns_csv,
    parse_vtt,
)
from cjm_widgets.evidence.participants import ParticipantRule, participant_rule


def read_transcripts(
    paths_or_glob: str | Path | Sequence[str | Path],
    *,
    interviewer: str | Sequence[str] | Callable[[str], bool] | None = None,
    roles: Mapping[str, str] | None = None,
    participant: ParticipantRule = "file+speaker",
    source: str = "interview",
    encoding: str | None = None,
    segments: str | Sequence[str] | None = None,
    progress: bool | None = None,
    quiet: bool = False,
) -> RawEvidence:
    """Read interview transcripts into one row per speaker turn.

    Usage: ``raw = read_transcripts("interviews/*.vtt", roles={"Interviewer2 2": "interviewer"})``

    Formats: ``.txt`` / ``.md`` with speaker labels (``Interviewer:``, ``I:``, ``Q:``/``A:``,
    ``P3:``, ``Anna (customer):``, ``**Anna:**``, ``Unknown Speaker:``, ``Interviewer2 2:``,
    a label alone on its line without a colon, ``[00:12:03]`` timestamps before or after the
    label), WebVTT (``<v Speaker>`` or ``Speaker:`` cues), SRT, ``.docx`` and a CSV of turns
    (``speaker``, ``text``, optional ``start``, ``end``, ``participant``). Every line that reads
    as a speaker label starts a turn (the rules: :func:`~cjm_widgets.evidence._transcripts.
    parse_text_lines`); label-shaped words read as text ("Note:") are listed per file in the
    summary. Consecutive cues of one speaker merge into one turn.

    Roles (the ``role`` column: interviewer, participant or unknown) are guessed per speaker:
    ``roles=`` first (``{"label": "interviewer" | "participant" | "unknown" | "text"}``, "text":
    the label is no speaker), then ``interviewer`` (None = the default labels Interviewer,
    Moderator, Researcher, Facilitator, Int, I, Q, Question and their fi/sv/pl/fr/ms words,
    each with optional numbers; or a regex string, a list or a callable ``label -> bool``),
    participant words (Interviewee, Participant, Respondent, A, P3 …), unknown-voice words
    (Unknown Speaker, Speaker 2 …); any other name is a participant, unless in a file without
    an interviewer one named speaker asks the questions (half or more of their turns end with
    "?", no other's more than a quarter). See :mod:`cjm_widgets.evidence._speakers`. The
    analyses leave out interviewer turns only: unknown turns count as evidence until
    ``roles=`` says who spoke.

    ``participant`` says who a person is (the ``participant`` column):

    - ``"file+speaker"`` (default): the document plus the speaker label,
      ``"interview_07/Interviewee"`` — 36 files with an "Interviewee" are 36 people;
    - ``"file"``: one person per document (all its non-interviewer speakers), the document name;
    - ``"speaker"``: the label names the person across files (``"Anna"`` in two sessions);
    - a mapping from ``(document, speaker)``, a ``"document/speaker"`` id, a document or a
      speaker label to a participant id (others keep the default id);
    - a callable ``(document, speaker) -> id``.

    Interviewer turns get the participant of the document's main participant speaker (their
    rows are left out of the analyses by default); turns of a file without labels get the
    document name. A CSV of turns with a ``participant`` column keeps its values.

    ``segments`` (as in :func:`read_survey`) names the columns of a CSV of turns kept as
    segment columns on each of its turns (blank cells and turns of other files: missing);
    None keeps every other column (not speaker, text, start, end, participant, nor one named
    like an evidence column, which is left out with a warning), ``[]`` keeps none. Only a CSV
    of turns has columns: naming segments that no file has raises :class:`EvidenceError`.

    After reading, a short summary (turns per speaker and role, per file) is printed unless
    ``quiet=True``; it is also in ``meta["transcripts"]`` (per document: file, turns, roles,
    speakers with role, turns and participant, kept_as_text). A file without speaker labels
    gives one turn per paragraph and a warning. ``progress`` (None = when more than one file)
    shows a tqdm bar.
    """
    is_interviewer = interviewer_matcher(interviewer)
    guesser = RoleGuesser(is_interviewer, roles)
    who_is = participant_rule(participant)
    _source_cat(source, 0)  # validate early
    paths = _resolve_paths(paths_or_glob, TRANSCRIPT_EXTENSIONS)
    for p in paths:
        if _ext(p) not in TRANSCRIPT_EXTENSIONS:
            raise ReaderError(
                f"{p}: unsupported transcript type {_ext(p) or '(none)'!r}; supported: "
                f"{', '.join(TRANSCRIPT_EXTENSIONS)}"
            )
    meta = _meta("read_transcripts", files=[str(p) for p in paths])
    stems = Counter(_doc_name(p) for p in paths)
    iterator: Iterable[Path] = paths
    if progress or (progress is None and len(paths) > 1):
        from tqdm.auto import tqdm

        iterator = tqdm(paths, desc="transcripts", unit="file")
    rows: dict[str, list[Any]] = {k: [] for k in (*BASE_COLUMNS, "speaker", "role", "start", "end")}
    documents: list[str] = []
    summaries: dict[str, dict[str, Any]] = {}
    seg_values: dict[str, list[str | None]] = {}  # segment column -> value per turn
    for path in iterator:
        doc = _doc_name(path) if stems[_doc_name(path)] == 1 else path.name
        if doc != _doc_name(path):
            meta["warnings"].append(
                f"{path}: several files share the name {_doc_name(path)!r}; "
                f"using {doc!r} as its document name"
            )
        documents.append(doc)
        turns, labelled, extra, kept = _read_one_transcript(path, encoding, guesser, meta)
        if not turns:
            raise ReaderError(f"{path} is empty: no turns with text were found")
        if not labelled:
            _warn(
                meta,
                f"{path}: no speaker labels recognised (such as 'Interviewer:' or 'P3:'); "
                "read one turn per paragraph with the file name as participant",
            )
        role_of = guesser.document(turns)
        roles_ = [role_of[t.speaker] for t in turns]
        ids = who_is(doc, [t.speaker for t in turns], roles_, labelled)
        parts = extra.get("participant")
        if parts is not None:
            ids = [p or i for p, i in zip(parts, ids, strict=True)]
        _add_segments(seg_values, extra, len(rows["evidence_id"]), len(turns))
        for i, (turn, role, who) in enumerate(zip(turns, roles_, ids, strict=True)):
            rows["evidence_id"].append(f"{doc}#{i}")
            rows["document"].append(doc)
            rows["participant"].append(who)
            rows["position"].append(i)
            rows["text"].append(turn.text)
            rows["speaker"].append(turn.speaker)
            rows["role"].append(role)
            rows["start"].append(turn.start)
            rows["end"].append(turn.end)
        summaries[doc] = file_summary(str(path), turns, roles_, ids, labelled, kept)
    unused = sorted(
        set(guesser.roles)
        - guesser.used
        - {k for k, r in guesser.roles.items() if r == NOT_SPEAKER}
    )
    if unused:
        _warn(meta, f"roles= names speakers found in no file: {', '.join(map(repr, unused))}")
    n = len(rows["evidence_id"])
    seg_cols = _segment_columns(seg_values, segments, meta)
    frame = pd.DataFrame(
        {
            "evidence_id": _str_array(rows["evidence_id"]),
            "source": _source_cat(source, n),
            "document": pd.Categorical(rows["document"], categories=list(dict.fromkeys(documents))),
            "participant": pd.Categorical(rows["participant"]),
            "position": np.asarray(rows["position"], dtype=np.int32),
            "text": _str_array(rows["text"]),
            "rating": np.full(n, np.nan),
            "speaker": pd.Categorical(rows["speaker"]),
            "role": pd.Categorical(rows["role"], categories=list(ROLES)),
            "start": np.asarray(rows["start"], dtype=np.float64),
            "end": np.asarray(rows["end"], dtype=np.float64),
            **{
                c: pd.Categorical(seg_values[c] + [None] * (n - len(seg_values[c])))
                for c in seg_cols
            },
        }
    )
    meta["n_rows"] = n
    meta["transcripts"] = summaries
    meta["participant_rule"] = (
        participant
        if isinstance(participant, str)
        else "mapping"
        if isinstance(participant, Mapping)
        else "function"
    )
    if not quiet:
        print(format_summary(summaries))
    return RawEvidence(frame, meta)


def _add_segments(
    seg_values: dict[str, list[str | None]],
    extra: Mapping[str, list[str | None]],
    before: int,
    n_turns: int,
) -> None:
    """Append one file's CSV columns (not ``participant``) to the per-turn segment values;
    columns first seen here are missing on the ``before`` turns of earlier files."""
    for name, values in extra.items():
        if name != "participant":
            seg_values.setdefault(name, [None] * before).extend(values)
    for values in seg_values.values():  # columns this file lacks: missing on its turns
        values.extend([None] * (before + n_turns - len(values)))


def _segment_columns(
    seg_values: Mapping[str, list[str | None]],
    segments: str | Sequence[str] | None,
    meta: dict[str, Any],
) -> list[str]:
    """The segment columns to keep (``segments=`` checked against the CSV columns found)."""
    found = list(seg_values)
    if segments is None:
        clash = [c for c in found if c in _RESERVED]
        if clash:
            _warn(
                meta,
                f"columns {clash} of a CSV of turns are named like evidence columns and were "
                "not kept; rename them in the file to keep them as segments",
            )
        return [c for c in found if c not in _RESERVED]
    wanted = [segments] if isinstance(segments, str) else list(segments)
    missing = [c for c in wanted if c not in seg_values]
    if missing:
        raise EvidenceError(
            f"segments= names {missing}, which no CSV of turns has"
            + (f" (their columns: {found})" if found else " (only a CSV of turns has columns)")
            + "; pass segments=None to keep every column found, or [] for none."
        )
    _refuse_reserved(wanted, "rename them in the file or leave them out of segments=[...]")
    return wanted


def _read_one_transcript(
    path: Path,
    encoding: str | None,
    guesser: RoleGuesser,
    meta: dict[str, Any],
) -> tuple[list[Turn], bool, dict[str, list[str | None]], list[str]]:
    ext = _ext(path)
    if ext == ".docx":
        if path.stat().st_size == 0:
            raise ReaderError(f"{path} is empty: there is no evidence to read")
        lines = docx_lines(path)
        if not any(ln.strip() for ln in lines):
            raise ReaderError(f"{path} is empty: the document has no text")
        meta["encodings"][str(path)] = "docx"
        parsed = parse_text_lines(lines, guesser.is_interviewer, guesser)
        _note_skipped(path, parsed.skipped, meta)
        return parsed.turns, parsed.labelled, {}, parsed.kept_as_text
    text, used = read_text(path, encoding)
    meta["encodings"][str(path)] = used
    if ext == ".vtt":
        turns, labelled = parse_vtt(text, path, guesser)
        return turns, labelled, {}, []
    if ext == ".srt":
        turns, labelled = parse_srt(text, path, guesser)
        return turns, labelled, {}, []
    if ext in (".csv", ".tsv"):
        turns, extra = parse_turns_csv(text, path)
        return turns, True, extra, []
    parsed = parse_text_lines(text.splitlines(), guesser.is_interviewer, guesser)
    _note_skipped(path, parsed.skipped, meta)
    return parsed.turns, parsed.labelled, {}, parsed.kept_as_text


def _note_skipped(path: Path, skipped: int, meta: dict[str, Any]) -> None:
    if skipped:
        meta["warnings"].append(
            f"{path}: {skipped} line(s) before the first speaker label were not read as turns"
        )
