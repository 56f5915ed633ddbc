"""Tags bound to their evidence: the fingerprint a tags file records, and the check on load.

``ev.save_tags`` writes a ``"fingerprint"`` object at the end of the tags file:

- ``n_rows``; ``ids``: a digest of every evidence id in row order; ``content``: a digest of
  every row's source and text in row order (BLAKE2b, 128 bits, hex);
- ``rows``: per tag entry (in the order of ``"tags"``) and per coding (in the order of
  ``"codings"``) the 64-bit hash of its row's source and text, as base64 of little-endian
  uint64 (0 = unknown: an orphan tag kept from another file);
- ``stages`` / ``touchpoints``: the linked journey's ``{id: name}`` when the file was saved.

A row's hash is pandas' SipHash (``pandas.util.hash_array``, fixed key) of its text and of its
source, mixed; equal rows hash equal in any session and on any machine.

``ev.load_tags(path)`` loads the file only when it was made on this evidence (same row count,
ids and content) and, for a linked journey, when every stage and touchpoint the tags use has
the name it had. Otherwise it raises :class:`~cjm_widgets.errors.TagsMismatchError` naming
what differs. ``ev.load_tags(path, rebind=True)`` re-binds by content instead: a tag stays on
its row when the row's id and text are the same (matched), moves to the one row of the same
source and text under another id (moved), is kept as an orphan tag when neither its id nor its
content is here (as without a fingerprint), and is left out otherwise (dropped: its id is here
with another text, or several rows have its text); a tag's touchpoint or stage follows its
name in the journey. The load's report says which. A file
without a fingerprint (saved by an older version) loads by id, with a warning.

Usage::

    report = ev.load_tags("tags.json", rebind=True)
    report["binding"]["moved"]     # {"review:12": "review:40", ...}
"""

from __future__ import annotations

import base64
import hashlib
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from cjm_widgets.errors import SchemaError, TagsMismatchError
from cjm_widgets.evidence._survey import cross_concat

if TYPE_CHECKING:
    from cjm_widgets.evidence.store import Evidence

__all__ = ["check_and_bind", "fingerprint_json", "keep_orphan_hashes", "row_hashes"]

_MISSING = np.uint64(0x9E3779B97F4A7C15)  # the hash of a missing text
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_EXAMPLES = 5
_WAY_OUT = (
    "If this is the evidence the tags were made on, read it as it was then (same files, same "
    "options); to keep the tags of rows whose text and source are the same, load with "
    "ev.load_tags(path, rebind=True), which reports what was matched, moved and dropped."
)


# ------------------------------------------------------------------------------ hashing


def _hash_values(values: Any) -> np.ndarray:
    """uint64 hash per value: each distinct value hashed once (SipHash of its UTF-8 text)."""
    codes, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=True)
    texts = np.array([str(u) for u in uniques], dtype=object)
    hashed = pd.util.hash_array(texts, categorize=False) if len(texts) else np.zeros(0, np.uint64)
    out = np.append(hashed, _MISSING)  # code -1 (missing) picks the last
    return out[codes]


def row_hashes(ev: Evidence) -> np.ndarray:
    """The 64-bit hash of each row's source and text (uint64, never 0), computed once."""

    def compute() -> np.ndarray:
        h_text = _hash_values(ev.column("text"))
        h_source = _hash_values(ev.column("source"))
        with np.errstate(over="ignore"):
            mixed = h_text ^ ((h_source * _MIX) + (h_text << np.uint64(6)) + (h_text >> 2))
        mixed[mixed == 0] = 1  # 0 means "unknown" in a file
        return mixed

    return ev.derived(("tags-binding", "row-hashes"), compute)


def _id_strings(ev: Evidence) -> pa.Array:
    """Every evidence id as one Arrow large_string array (survey ids made, not kept)."""
    lazy = ev._lazy_ids
    if ev._id_strings is None and lazy is not None:
        return cross_concat(lazy.prefixes(), lazy.items).cast(pa.large_string())
    return ev._ids()


def _strings_digest(arr: pa.Array) -> str:
    """BLAKE2b of a string array: the lengths then the UTF-8 bytes (no Python strings)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.large_string())
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    digest = hashlib.blake2b(np.diff(offsets).astype("<i8").tobytes(), digest_size=16)
    if data_buf is not None and len(offsets):
        digest.update(memoryview(data_buf)[int(offsets[0]) : int(offsets[-1])])
    return digest.hexdigest()


def _digests(ev: Evidence) -> tuple[str, str]:
    """(ids digest, content digest) of the whole evidence, computed once."""

    def compute() -> tuple[str, str]:
        ids = _strings_digest(_id_strings(ev))
        content = hashlib.blake2b(row_hashes(ev).astype("<u8").tobytes(), digest_size=16)
        return ids, content.hexdigest()

    return ev.derived(("tags-binding", "digests"), compute)


def _pack(hashes: np.ndarray) -> str:
    return base64.b64encode(np.asarray(hashes, dtype="<u8").tobytes()).decode("ascii")


def _unpack(text: object, n: int, what: str, file: str | None) -> np.ndarray:
    try:
        raw = base64.b64decode(str(text), validate=True)
    except ValueError:
        raise SchemaError("not base64 text", path=f"$.fingerprint.rows.{what}", file=file) from None
    if len(raw) != 8 * n:
        raise SchemaError(
            f"holds {len(raw) // 8} row hashes for {n} {what}",
            path=f"$.fingerprint.rows.{what}",
            file=file,
        )
    return np.frombuffer(raw, dtype="<u8").astype(np.uint64)


# ------------------------------------------------------------------------------ saving


def _orphan_hashes(ev: Evidence) -> dict[str, int]:
    """Row hashes of orphan tags and codings, as their file gave them (0 when unknown)."""
    return ev.__dict__.setdefault("_orphan_row_hashes", {})


def fingerprint_json(
    ev: Evidence,
    tag_rows: np.ndarray,
    orphan_ids: Iterable[str],
    coding_rows: np.ndarray,
    orphan_coding_ids: Iterable[str],
) -> dict[str, Any]:
    """The ``"fingerprint"`` object of a tags file whose tags are the store rows ``tag_rows``
    then the orphan tags ``orphan_ids``, and whose codings are ``coding_rows`` then the orphan
    codings of ``orphan_coding_ids``."""
    ids, content = _digests(ev)
    hashes = row_hashes(ev)
    known = _orphan_hashes(ev)
    orphans = np.array([known.get(k, 0) for k in orphan_ids], dtype=np.uint64)
    orphan_codings = np.array([known.get(k, 0) for k in orphan_coding_ids], dtype=np.uint64)
    tags = np.concatenate([hashes[tag_rows], orphans])
    codings = np.concatenate([hashes[coding_rows], orphan_codings])
    out: dict[str, Any] = {
        "n_rows": len(ev),
        "ids": ids,
        "content": content,
        "rows": {"hash": "siphash-pandas-v1", "tags": _pack(tags), "codings": _pack(codings)},
    }
    journey = ev.journey
    if journey is not None:
        out["stages"] = {st.id: st.name for st in journey.stages}
        out["touchpoints"] = {tp.id: tp.name for tp in journey.touchpoints}
    return out


# ------------------------------------------------------------------------------ loading


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def check_and_bind(
    ev: Evidence, data: dict[str, Any], file: str | None, *, rebind: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check a parsed tags file against ``ev`` (and its journey); returns the data to load
    (re-bound when ``rebind``) and the binding report. Raises TagsMismatchError (default) when
    the file was made on other evidence or another journey."""
    fp = data.get("fingerprint")
    n_file = data.get("n_rows")
    report: dict[str, Any] = {
        "status": "same",
        "matched": len(data["tags"]),
        "moved": {},
        "dropped": {},
        "places": {},
    }
    if fp is None:
        if isinstance(n_file, int) and n_file != len(ev) and not rebind:
            raise TagsMismatchError(
                f"The tags file {file} was made on evidence of {n_file:,} rows; this evidence "
                f"has {len(ev):,}. The file is from an older version (no fingerprint), so its "
                "rows cannot be matched by content. Load it into the evidence it was made "
                "on, or pass rebind=True to apply its tags by evidence id anyway."
            )
        warnings.warn(
            f"The tags file {file} has no fingerprint (saved by an older version), so it "
            "cannot be checked against this evidence; its tags are applied by evidence id. "
            "Save the tags again to add one.",
            UserWarning,
            stacklevel=3,
        )
        report["status"] = "unchecked"
        return data, report
    if not isinstance(fp, Mapping):
        raise SchemaError("fingerprint must be an object", path="$.fingerprint", file=file)
    keys = list(data["tags"])
    rows_fp: Mapping[str, Any] = fp["rows"] if isinstance(fp.get("rows"), Mapping) else {}
    tag_hashes = _unpack(rows_fp.get("tags", ""), len(keys), "tags", file)
    coding_hashes = _unpack(rows_fp.get("codings", ""), len(data["codings"]), "codings", file)
    same_rows = (fp.get("n_rows"), fp.get("ids"), fp.get("content")) == (len(ev), *_digests(ev))
    report["_file_hashes"] = (keys, tag_hashes, data["codings"], coding_hashes)
    if not same_rows:
        if not rebind:
            raise TagsMismatchError(_rows_message(ev, fp, keys, tag_hashes, file))
        data = _rebind_rows(ev, data, keys, tag_hashes, coding_hashes, report)
        report["status"] = "rebound"
    data = _check_places(ev, data, fp, file, rebind=rebind, report=report)
    return data, report


def _rows_message(
    ev: Evidence, fp: Mapping[str, Any], keys: list[str], hashes: np.ndarray, file: str | None
) -> str:
    parts: list[str] = []
    n_file = fp.get("n_rows")
    if n_file != len(ev):
        made = f"{n_file:,}" if isinstance(n_file, int) else repr(n_file)
        parts.append(f"it was made on {made} rows, this evidence has {len(ev):,}")
    ids, content = _digests(ev)
    if fp.get("ids") != ids:
        parts.append("the evidence ids differ")
    if fp.get("content") != content:
        parts.append("the texts or sources differ")
    rows = ev._lookup(keys) if keys else np.zeros(0, np.int64)
    found = rows >= 0
    missing = [k for k, ok in zip(keys, found.tolist(), strict=True) if not ok]
    here = row_hashes(ev)[rows[found]]
    known = hashes[found] != 0
    changed = [
        k
        for k, bad in zip(
            np.array(keys, dtype=object)[found], (here != hashes[found]) & known, strict=True
        )
        if bad
    ]
    if missing:
        shown = ", ".join(map(repr, missing[:_EXAMPLES]))
        parts.append(f"{_plural(len(missing), 'tagged id')} are not here (e.g. {shown})")
    if changed:
        shown = ", ".join(map(repr, changed[:_EXAMPLES]))
        parts.append(
            f"{_plural(len(changed), 'tagged row')} have another text or source here (e.g. {shown})"
        )
    return (
        f"The tags file {file} was made on other evidence: {'; '.join(parts)}. Nothing was "
        f"loaded. {_WAY_OUT}"
    )


def _rebind_rows(
    ev: Evidence,
    data: dict[str, Any],
    keys: list[str],
    tag_hashes: np.ndarray,
    coding_hashes: np.ndarray,
    report: dict[str, Any],
) -> dict[str, Any]:
    """Move each tag (and coding) to the row of the same content; drop what has none."""
    hashes = row_hashes(ev)
    order = np.argsort(hashes, kind="stable")
    sorted_hashes = hashes[order]
    all_ids = keys + [c["evidence_id"] for c in data["codings"]]
    all_hashes = np.concatenate([tag_hashes, coding_hashes])
    rows = ev._lookup(all_ids) if all_ids else np.zeros(0, np.int64)
    safe = np.clip(rows, 0, None)
    same = (rows >= 0) & (all_hashes != 0) & (hashes[safe] == all_hashes)
    lo = np.searchsorted(sorted_hashes, all_hashes, side="left")
    hi = np.searchsorted(sorted_hashes, all_hashes, side="right")
    count = hi - lo
    unique_row = np.where(count == 1, order[np.clip(lo, 0, max(len(order) - 1, 0))], -1)
    # target row per file entry: same row, else the one row of the same content
    n_tags = len(keys)
    taken = set(rows[:n_tags][same[:n_tags]].tolist())
    new_ids: dict[int, str] = {}
    moved: dict[str, str] = {}
    dropped: dict[str, str] = {}
    tags: dict[str, Any] = {}
    for i, key in enumerate(keys):
        entry = data["tags"][key]
        if same[i]:
            tags[key] = entry
            continue
        target = int(unique_row[i]) if all_hashes[i] != 0 else -1
        if target < 0 and rows[i] < 0:
            tags[key] = entry  # its id is not here either: kept as an orphan tag, as before
            continue
        if all_hashes[i] == 0:
            dropped[key] = "its content is unknown (an orphan tag of another file)"
            continue
        if target < 0:
            dropped[key] = (
                "no row here has its text and source"
                if count[i] == 0
                else f"{count[i]:,} rows here have its text and source"
            )
            continue
        if target in taken:
            dropped[key] = "the row of its text and source has another tag from the file"
            continue
        taken.add(target)
        new_id = new_ids.get(target) or str(ev._ids_of(np.array([target]))[0])
        new_ids[target] = new_id
        moved[key] = new_id
        tags[new_id] = entry
    codings: list[dict[str, Any]] = []
    coding_dropped = 0
    for j, coding in enumerate(data["codings"]):
        i = n_tags + j
        target = int(unique_row[i]) if all_hashes[i] != 0 else -1
        if same[i] or (target < 0 and rows[i] < 0):
            codings.append(coding)  # on its row, or kept as an orphan coding
        elif target >= 0:
            new_id = new_ids.get(target) or str(ev._ids_of(np.array([target]))[0])
            new_ids[target] = new_id
            codings.append({**coding, "evidence_id": new_id})
        else:
            coding_dropped += 1
    report["matched"] = int(same[:n_tags].sum())
    report["moved"] = moved
    report["dropped"] = dropped
    report["codings_dropped"] = coding_dropped
    return {**data, "tags": tags, "codings": codings}


def _used_places(data: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    stages: set[str] = set()
    tps: set[str] = set()
    seen: set[int] = set()
    for entry in (*data["tags"].values(), *data["codings"]):
        if id(entry) in seen:  # entries of one content are shared: look once
            continue
        seen.add(id(entry))
        if entry.get("stage_id") is not None:
            stages.add(entry["stage_id"])
        if entry.get("touchpoint_id") is not None:
            tps.add(entry["touchpoint_id"])
    return stages, tps


def _check_places(
    ev: Evidence,
    data: dict[str, Any],
    fp: Mapping[str, Any],
    file: str | None,
    *,
    rebind: bool,
    report: dict[str, Any],
) -> dict[str, Any]:
    journey = ev.journey
    saved_st, saved_tp = fp.get("stages"), fp.get("touchpoints")
    if journey is None or not isinstance(saved_st, Mapping) or not isinstance(saved_tp, Mapping):
        return data
    now_st = {st.id: st.name for st in journey.stages}
    now_tp = {tp.id: tp.name for tp in journey.touchpoints}
    used_st, used_tp = _used_places(data)
    differs: list[tuple[str, str, str, str | None]] = []  # (kind, id, saved name, name now)
    for kind, used, saved, now in (
        ("stage", used_st, saved_st, now_st),
        ("touchpoint", used_tp, saved_tp, now_tp),
    ):
        for pid in sorted(used):
            was = saved.get(pid)
            if not isinstance(was, str):
                continue
            if pid in now and _fold(now[pid]) == _fold(was):
                continue
            if pid not in now and not any(_fold(n) == _fold(was) for n in now.values()):
                continue  # removed since: the tag is orphaned as usual (ev.orphaned())
            differs.append((kind, pid, was, now.get(pid)))
    if not differs:
        return data
    if not rebind:
        shown = "; ".join(
            f"{kind} {pid} was {was!r} when the tags were saved, "
            + (
                f"in this journey it is {now!r}"
                if now is not None
                else "this journey has no " + pid
            )
            for kind, pid, was, now in differs[:_EXAMPLES]
        )
        more = f" (and {len(differs) - _EXAMPLES} more)" if len(differs) > _EXAMPLES else ""
        raise TagsMismatchError(
            f"The tags file {file} was made with another journey: {shown}{more}. Nothing was "
            "loaded. Link the evidence to the journey the tags were made with, or load with "
            "ev.load_tags(path, rebind=True) to move each tag to the stage or touchpoint of "
            "its name (a renamed one keeps its id)."
        )
    return _rebind_places(journey, data, differs, report)


def _rebind_places(
    journey: Any,
    data: dict[str, Any],
    differs: Iterable[tuple[str, str, str, str | None]],
    report: dict[str, Any],
) -> dict[str, Any]:
    st_map: dict[str, str] = {}
    tp_map: dict[str, str] = {}
    tp_stage = {tp.id: journey.stage_of(tp).id for tp in journey.touchpoints}
    for kind, pid, was, _now in differs:
        pool = journey.stages if kind == "stage" else journey.touchpoints
        hits = [p.id for p in pool if _fold(p.name) == _fold(was)]
        if len(hits) == 1:
            (st_map if kind == "stage" else tp_map)[pid] = hits[0]
            report["places"][pid] = hits[0]
        else:
            report["places"][pid] = pid  # renamed (or ambiguous): keeps its id
    if not st_map and not tp_map:
        return data
    remade: dict[int, dict[str, Any]] = {}

    def remap(entry: dict[str, Any]) -> dict[str, Any]:
        out = remade.get(id(entry))
        if out is None:
            tp = entry.get("touchpoint_id")
            st = entry.get("stage_id")
            if tp is not None:
                tp = tp_map.get(tp, tp)
            if tp is not None and tp in tp_stage:
                st = tp_stage[tp]  # a touchpoint's tag sits in its stage
            elif st is not None:
                st = st_map.get(st, st)
            out = remade[id(entry)] = {**entry, "stage_id": st, "touchpoint_id": tp}
        return out

    tags = {k: remap(e) for k, e in data["tags"].items()}
    codings = [{**remap(c), "evidence_id": c["evidence_id"]} for c in data["codings"]]
    return {**data, "tags": tags, "codings": codings}


def keep_orphan_hashes(ev: Evidence, report: dict[str, Any]) -> None:
    """After a load: remember the row hashes the file gave the tags and codings that became
    orphans, so that the next save writes them again (and a later re-bind can match them)."""
    file_hashes = report.pop("_file_hashes", None)
    if file_hashes is None or not (ev._orphans or ev._orphan_codings):
        return
    keys, tag_hashes, codings, coding_hashes = file_hashes
    known = _orphan_hashes(ev)
    want = set(ev._orphans)
    for key, value in zip(keys, tag_hashes.tolist(), strict=True):
        if key in want and value:
            known[key] = value
    orphan_ids = {c["evidence_id"] for c in ev._orphan_codings}
    for coding, value in zip(codings, coding_hashes.tolist(), strict=True):
        if coding["evidence_id"] in orphan_ids and value:
            known[coding["evidence_id"]] = value
