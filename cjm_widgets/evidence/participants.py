"""Participants are people: who each evidence row is from, and the table the researcher edits.

A participant's identity is the document plus the speaker unless the researcher says
otherwise (``participant=`` of :func:`~cjm_widgets.evidence.readers.read_transcripts`), so 36
interview files with an "Interviewee" are 36 people. The store's ``ev.participants`` table and
its edits (rename, merge, segments from a CSV) are built here. Usage::

    ev = cjm.Evidence.from_transcripts("interviews/*.txt")          # "p07/Interviewee", …
    ev.participants                                                  # one row per person
    ev.rename_participant("p07/Interviewee", "Maria")
    ev.merge_participants(["p07/Interviewee", "p08/Interviewee"], into="Maria")
    ev.set_participant_segments("people.csv", on="participant")     # age band, region …
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from cjm_widgets.errors import EvidenceError

__all__ = [
    "PARTICIPANT_RULES",
    "ParticipantRule",
    "count_people",
    "describe_participants",
    "participant_rule",
    "participants_table",
    "renamed_codes",
    "segment_columns",
]

#: The named ``participant=`` rules of the transcript reader.
PARTICIPANT_RULES: tuple[str, ...] = ("file+speaker", "file", "speaker")
ParticipantRule: TypeAlias = str | Mapping[Any, str] | Callable[[str, str | None], str]
#: Splits a document and a speaker in a default participant id: "interview_07/Interviewee".
SEP = "/"

_Assign = Callable[[str, list[str | None], list[str], bool], list[str]]


def participant_rule(rule: ParticipantRule) -> _Assign:
    """``assign(document, speakers, roles, labelled) -> participant ids`` for ``participant=``.

    Interviewer turns get the id of the document's main participant speaker (most turns among
    participant-role speakers, else unknown-role ones, else the document name).
    """
    if isinstance(rule, str):
        if rule not in PARTICIPANT_RULES:
            raise EvidenceError(
                f"participant={rule!r} is not a rule; use one of "
                f"{', '.join(map(repr, PARTICIPANT_RULES))}, a dict or a function "
                "(document, speaker) -> participant id"
            )

        def one(doc: str, speaker: str) -> str:
            if rule == "file":
                return doc
            if rule == "speaker":
                return speaker
            return f"{doc}{SEP}{speaker}"

    elif isinstance(rule, Mapping):
        table = dict(rule)

        def one(doc: str, speaker: str) -> str:
            for key in ((doc, speaker), f"{doc}{SEP}{speaker}", doc, speaker):
                if key in table:
                    return _check_id(table[key], f"participant[{key!r}]")
            return f"{doc}{SEP}{speaker}"

    elif callable(rule):

        def one(doc: str, speaker: str) -> str:
            return _check_id(rule(doc, speaker), f"participant({doc!r}, {speaker!r})")

    else:
        raise EvidenceError(
            f"participant= must be one of {', '.join(map(repr, PARTICIPANT_RULES))}, a dict or "
            f"a function (document, speaker) -> id; got {type(rule).__name__}"
        )

    def assign(doc: str, speakers: list[str | None], roles: list[str], labelled: bool) -> list[str]:
        if not labelled:
            return [doc] * len(speakers)
        ids = [
            None if s is None or r == "interviewer" else one(doc, s)
            for s, r in zip(speakers, roles, strict=True)
        ]
        main = doc
        for wanted in ("participant", "unknown"):
            counts = Counter(
                i for i, r in zip(ids, roles, strict=True) if r == wanted and i is not None
            )
            if counts:
                main = counts.most_common(1)[0][0]
                break
        return [
            main if r == "interviewer" or i is None else i for i, r in zip(ids, roles, strict=True)
        ]

    return assign


def _check_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise EvidenceError(f"{what} gave {value!r}; a participant id must be a non-empty text")
    return value


# ------------------------------------------------------------------------------- the table


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes (−1 = missing) and the value names of a column (categoricals: free)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.int64), [str(c) for c in column.cat.categories]
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes.astype(np.int64), [str(u) for u in uniques]


def _joined(part: np.ndarray, k: int, column: pd.Series, mask: np.ndarray) -> np.ndarray:
    """Per participant code 0..k-1, the distinct values of ``column`` over ``mask``, joined
    with ", " in value order ("" when none). Works on codes: one pass, no per-row strings."""
    codes, names = _codes(column)
    p, v = part[mask], codes[mask]
    keep = (p >= 0) & (v >= 0)
    width = len(names) + 1
    key = np.unique(p[keep] * width + v[keep])
    owner, value = key // width, key % width
    out = np.full(k, "", dtype=object)
    if not len(key):
        return out
    labels = np.array(names, dtype=object)
    counts = np.bincount(owner, minlength=k)
    single = counts[owner] == 1
    out[owner[single]] = labels[value[single]]
    multi = ~single
    if multi.any():  # few participants have several documents or speakers
        own, val = owner[multi], value[multi]
        bounds = np.flatnonzero(np.diff(own)) + 1
        for group_owner, group in zip(own[np.r_[0, bounds]], np.split(val, bounds), strict=True):
            out[group_owner] = ", ".join(labels[group])
    return out


def participants_table(columns: Mapping[str, pd.Series], segments: Sequence[str]) -> pd.DataFrame:
    """One row per participant: documents, speakers, sources, rows (evidence rows, interviewer
    turns left out), interviewer_rows, and the participant segment columns.

    ``columns``: the store's raw columns by name (participant, document, source and, when
    present, speaker and role, and the segment columns). Computed on integer codes: about half a
    second for a 1.45M-row survey of 104k respondents.
    """
    part = columns["participant"]
    n = len(part)
    role = columns.get("role")
    interviewer = (
        (role.astype("string") == "interviewer").fillna(False).to_numpy(dtype=bool)
        if role is not None
        else np.zeros(n, dtype=bool)
    )
    codes, names = _codes(part)
    order = np.argsort(np.array(names, dtype=object), kind="stable") if names else np.zeros(0, int)
    used = np.bincount(codes[codes >= 0], minlength=len(names)) > 0
    order = order[used[order]]  # sorted ids of participants that have rows
    remap = np.full(len(names) + 1, -1, dtype=np.int64)
    remap[order] = np.arange(len(order))
    code = remap[codes]  # −1 (missing) maps through remap[-1] = −1
    k = len(order)
    everyone = np.ones(n, dtype=bool)
    own = ~interviewer
    ok = code >= 0
    table = pd.DataFrame(
        {
            "participant": pd.array([names[i] for i in order.tolist()], dtype="str"),
            "documents": _joined(code, k, columns["document"], everyone),
            "speakers": _joined(code, k, columns["speaker"], own)
            if "speaker" in columns
            else np.full(k, "", dtype=object),
            "sources": _joined(code, k, columns["source"], everyone),
            "rows": np.bincount(code[ok & own], minlength=k).astype(np.int64),
            "interviewer_rows": np.bincount(code[ok & ~own], minlength=k).astype(np.int64),
        }
    )
    for name in ("documents", "speakers", "sources"):
        table[name] = table[name].astype("str")
    for seg in segments:
        values = pd.DataFrame({"code": code[ok], "v": columns[seg].to_numpy()[ok]}).dropna()
        first = values.drop_duplicates("code").set_index("code")["v"]
        table[seg] = first.reindex(range(k)).to_numpy()
    return table.set_index("participant")


def count_people(columns: Mapping[str, pd.Series]) -> int:
    """Participants with at least one row that is not an interviewer turn."""
    codes, _ = _codes(columns["participant"])
    role = columns.get("role")
    if role is not None:
        codes = codes[~(role.astype("string") == "interviewer").fillna(False).to_numpy(bool)]
    codes = codes[codes >= 0]
    return int(np.count_nonzero(np.bincount(codes))) if len(codes) else 0


def renamed_codes(part: pd.Series, mapping: Mapping[str, str]) -> pd.Categorical:
    """The participant column with ``mapping`` applied (old id -> new id) as a categorical."""
    cat = part.astype("category") if not isinstance(part.dtype, pd.CategoricalDtype) else part
    old = [str(c) for c in cat.cat.categories]
    new = [mapping.get(c, c) for c in old]
    cats = list(dict.fromkeys(new))
    lut = np.array([cats.index(x) for x in new] + [-1], dtype=np.int64)
    codes = cat.cat.codes.to_numpy().astype(np.int64)
    return pd.Categorical.from_codes(lut[codes], categories=cats)


def segment_columns(
    table: pd.DataFrame | str | Path,
    *,
    on: str,
    columns: Sequence[str] | None,
    known: Sequence[str],
    reserved: Sequence[str],
) -> pd.DataFrame:
    """Check a participant segment table and return it indexed by participant id.

    Raises :class:`EvidenceError` naming the problem (missing ``on`` column, duplicate or
    unknown participant ids, a column that would replace an evidence column) before anything
    is changed.
    """
    if isinstance(table, (str, Path)):
        path = Path(table)
        if not path.exists():
            raise EvidenceError(f"{path}: no such file; pass a CSV path or a DataFrame")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    elif isinstance(table, pd.DataFrame):
        frame = table
    else:
        raise EvidenceError(
            f"set_participant_segments needs a DataFrame or a CSV path, got {type(table).__name__}"
        )
    if on not in frame.columns:
        raise EvidenceError(
            f"The participant table has no {on!r} column (columns: "
            f"{', '.join(map(str, frame.columns))}); pass on= the column of participant ids"
        )
    cols = [c for c in frame.columns if c != on] if columns is None else list(columns)
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise EvidenceError(f"The participant table has no column(s) {missing}")
    if not cols:
        raise EvidenceError("The participant table has no segment columns besides " + repr(on))
    clash = [c for c in cols if c in reserved]
    if clash:
        raise EvidenceError(
            f"Segment column(s) {clash} would replace evidence columns; rename them first"
        )
    ids = frame[on].astype("string").str.strip()
    if ids.isna().any() or (ids == "").any():
        raise EvidenceError(f"The participant table has blank ids in column {on!r}")
    dups = ids[ids.duplicated()].unique().tolist()
    if dups:
        raise EvidenceError(f"Participant ids listed twice in the table: {dups[:5]}")
    known_set = set(known)
    unknown = [i for i in ids.tolist() if i not in known_set]
    if unknown:
        close = sorted(known_set)[:5]
        raise EvidenceError(
            f"{len(unknown)} participant id(s) in the table are not in the evidence (e.g. "
            f"{unknown[:3]}); participants are e.g. {close} (see ev.participants)"
        )
    out = frame[cols].copy()
    out.index = pd.Index(ids.tolist(), name="participant")
    return out


_RULE_TEXT = {
    "file+speaker": "the document plus the speaker label (an “Interviewee” in 36 files is 36 "
    "people)",
    "file": "the document (one person per interview)",
    "speaker": "the speaker label, across documents",
    "mapping": "a table of document and speaker given by the researcher",
    "function": "a rule given by the researcher",
}


def describe_participants(evidence: Any) -> str:
    """How the report's participants were identified and counted, in one paragraph (the
    report's Methods). Usage: ``describe_participants(ev)``"""
    metas = [evidence.meta, *evidence.meta.get("parts", [])]
    rules = list(dict.fromkeys(m["participant_rule"] for m in metas if "participant_rule" in m))
    names = [c for c in ("participant", "role") if c in evidence._raw.columns]
    n = evidence.derived(  # kept until the participants are edited
        ("evidence.people",), lambda: count_people({c: evidence.column(c) for c in names})
    )
    out = [f"Participants are people: {n} with evidence (interviewer turns not counted)."]
    if rules:
        out.append(
            "In interview transcripts a participant is "
            + "; or ".join(_RULE_TEXT.get(r, r) for r in rules)
            + "; interviewer turns belong to the interview's participant and are left out."
        )
    edits = [op.kind for op in getattr(evidence, "_undo", []) if op.kind == "participants"]
    if edits:
        out.append(
            f"The researcher edited the participants {len(edits)} time(s) (renamed, "
            "merged or gave them segments)."
        )
    out.append("n_participants counts distinct participants among the counted rows.")
    return " ".join(out)
