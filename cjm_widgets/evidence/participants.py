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

import difflib
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
    "merged",
    "participant_rule",
    "participants_table",
    "renamed",
    "renamed_codes",
    "segment_columns",
    "table_of",
    "with_segments",
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

    Usage: ``participant_rule("file")("p07", ["Interviewer", "Interviewee"], roles, True)``
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
        return column.cat.codes.to_numpy().astype(np.int64), _names(column.cat.categories)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes.astype(np.int64), _names(pd.Index(uniques))


def _names(values: pd.Index) -> list[str]:
    """The values as Python strings: text in one conversion (a loop of ``str()`` over 104k
    Arrow-backed ids took 65 ms, this 5 ms), other values one by one."""
    if pd.api.types.is_string_dtype(values.dtype):
        return [str(v) for v in values.astype(str).tolist()]
    return [str(v) for v in values]


def _sorted_order(names: list[str]) -> np.ndarray:
    """Positions of ``names`` in code point order (Arrow's sort of UTF-8 bytes gives that
    order; 3x faster than numpy's argsort of Python strings on 104k ids)."""
    if not names:
        return np.zeros(0, dtype=np.int64)
    import pyarrow as pa
    import pyarrow.compute as pc

    return np.asarray(pc.sort_indices(pa.array(names, type=pa.string())), dtype=np.int64)


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
    present, speaker and role, and the segment columns). Usage:
    ``participants_table({c: ev.column(c) for c in ("participant", "document", "source")}, [])``.
    Computed on integer codes: about half a second for a 1.45M-row survey of 104k respondents.
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
    order = _sorted_order(names)
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
    """Participants with at least one row that is not an interviewer turn.

    Usage: ``count_people({"participant": ev.column("participant"), "role": ev.column("role")})``
    """
    codes, _ = _codes(columns["participant"])
    role = columns.get("role")
    if role is not None:
        codes = codes[~(role.astype("string") == "interviewer").fillna(False).to_numpy(bool)]
    codes = codes[codes >= 0]
    return int(np.count_nonzero(np.bincount(codes))) if len(codes) else 0


def renamed_codes(part: pd.Series, mapping: Mapping[str, str]) -> pd.Categorical:
    """The participant column with ``mapping`` applied (old id -> new id) as a categorical.

    Usage: ``renamed_codes(ev.column("participant"), {"p07/Interviewee": "Maria"})``
    """
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

    Usage: ``segment_columns("people.csv", on="participant", columns=None, known=ids,
    reserved=["text"])``. Raises :class:`EvidenceError` naming the problem (missing ``on``
    column, duplicate or unknown participant ids, a column that would replace an evidence
    column) before anything is changed.
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


# ------------------------------------------------------------------ edits (for the store)
# Each returns the store's new raw frame (and what else the store records); the store commits
# it as one undoable step. Every check runs first, so an error changes nothing.


def _columns(evidence: Any, names: Sequence[str]) -> dict[str, pd.Series]:
    present = set(evidence._raw.columns)
    return {c: evidence._raw[c] for c in names if c in present}


def table_of(evidence: Any) -> pd.DataFrame:
    """``ev.participants`` (see :func:`participants_table`). Usage: ``table_of(ev)``"""
    segs = evidence._psegs()
    names = ("participant", "document", "source", "speaker", "role", *segs)
    return participants_table(_columns(evidence, names), segs)


def _ids(evidence: Any) -> list[str]:
    part = evidence._raw["participant"]
    codes, names = _codes(part)
    used = np.bincount(codes[codes >= 0], minlength=len(names)) > 0
    return [n for n, u in zip(names, used.tolist(), strict=True) if u]


def _check_known(evidence: Any, ids: Sequence[str]) -> set[str]:
    known = set(_ids(evidence))
    missing = [i for i in ids if i not in known]
    if missing:
        close = difflib.get_close_matches(str(missing[0]), sorted(known), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise EvidenceError(
            f"No participant {missing[0]!r} in the evidence{hint} (ev.participants lists "
            f"all {len(known)})"
        )
    return known


def _relabelled(evidence: Any, mapping: Mapping[str, str]) -> tuple[pd.DataFrame, np.ndarray]:
    """The raw frame with participants renamed by ``mapping`` (old -> new); a merged person's
    participant segments take the one value known among them. Also the rows changed."""
    part = evidence._raw["participant"]
    changed = np.flatnonzero(part.astype("string").isin(list(mapping)).to_numpy(dtype=bool))
    frame = evidence._raw.to_frame().copy(deep=False)
    frame["participant"] = renamed_codes(part, mapping)
    for seg in evidence._psegs():
        col = frame[seg]
        known = col.iloc[changed].dropna()
        if len(known) and len(known) < len(changed):
            values = col.astype(object).copy()
            values.iloc[changed] = known.iloc[0]
            frame[seg] = values.astype(col.dtype)
    return frame, changed


def renamed(evidence: Any, old: str, new: str) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Checks and the new raw frame of :meth:`Evidence.rename_participant`; None when it is
    done already (``old`` gone, ``new`` there: the notebook cell ran before)."""
    known = set(_ids(evidence))
    if old not in known and new in known:
        return None
    _check_known(evidence, [old])
    if not isinstance(new, str) or not new.strip():
        raise EvidenceError(f"A participant id must be a non-empty text, got {new!r}")
    if new != old and new in known:
        raise EvidenceError(
            f"Participant {new!r} exists already; to make them one person use "
            f"ev.merge_participants([{old!r}, {new!r}])"
        )
    return _relabelled(evidence, {old: new})


def merged(
    evidence: Any, ids: Sequence[str] | str, into: str | None
) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Checks and the new raw frame of :meth:`Evidence.merge_participants`; None when it is
    done already (of the ids only ``into`` is left: the notebook cell ran before)."""
    ids = [ids] if isinstance(ids, str) else list(ids)
    if len(set(ids)) < 2:
        raise EvidenceError(f"merge_participants needs two or more ids, got {ids!r}")
    target = ids[0] if into is None else into
    now = set(_ids(evidence))
    if target in now and {i for i in ids if i in now} <= {target}:
        return None
    known = _check_known(evidence, ids)
    if not isinstance(target, str) or not target.strip():
        raise EvidenceError(f"into= must be a non-empty text, got {target!r}")
    if target not in ids and target in known:
        raise EvidenceError(
            f"into={target!r} is another participant; list it in ids to merge it too"
        )
    segs = evidence._psegs()
    if segs:
        table = table_of(evidence)
        for seg in segs:
            values = table.loc[ids, seg].dropna().astype(str).unique().tolist()
            if len(values) > 1:
                raise EvidenceError(
                    f"The participants disagree on {seg!r} ({', '.join(map(repr, values))}); "
                    "set one value with set_participant_segments first"
                )
    return _relabelled(evidence, dict.fromkeys(ids, target))


def with_segments(
    evidence: Any,
    table: pd.DataFrame | str | Path,
    on: str,
    columns: Sequence[str] | None,
    reserved: Sequence[str],
) -> tuple[pd.DataFrame, list[str]] | None:
    """Checks and the new raw frame of :meth:`Evidence.set_participant_segments`, with the
    participant segment columns after it; None when every column holds these values already."""
    previous = evidence._psegs()
    taken = [*reserved, *(c for c in evidence._raw.columns if c not in previous)]
    seg = segment_columns(table, on=on, columns=columns, known=_ids(evidence), reserved=taken)
    part = evidence._raw["participant"].astype("string")
    frame = evidence._raw.to_frame().copy(deep=False)
    same = True
    for col in seg.columns:
        values = part.map(seg[col].to_dict())
        if values.dtype == object or str(values.dtype) in ("str", "string"):
            values = values.astype("category")
        if same and col in previous:
            old = frame[col].astype(object).where(frame[col].notna(), None)
            same = old.equals(values.astype(object).where(values.notna(), None))
        else:
            same = False
        frame[col] = values.to_numpy() if not hasattr(values, "cat") else values.values
    if same:
        return None
    return frame, [*previous, *(c for c in seg.columns if c not in previous)]
