"""Quotes in the tags file: written by ``save_tags``, re-created by ``load_tags``.

The tags file keeps a ``"quotes"`` list, in the order the quotes were made (their row order)::

    {"id": "review:12#40-88", "parent_id": "review:12", "start": 40, "end": 88,
     "hash": "<blake2b-64 of the quoted text, hex>", "parent_hash": "<the parent row's hash>"}

``parent_hash`` is the parent row's content hash (its text and source, as in
:mod:`cjm_widgets.evidence.binding`). On load each quote is re-created before the tags are
applied, so its tags find their row:

- *same*: the parent row is here and ``text[start:end]`` hashes as saved;
- *moved*: the parent's text is now on another row (the one row of the same content; same
  offsets), or the parent is here with a changed text in which the quoted words occur exactly
  once (new offsets); the quote gets its new id and its tags follow it;
- *dropped*: neither; its tags are not applied.

Moved and dropped quotes are reported in ``report["binding"]["moved"]`` / ``["dropped"]`` like
any tag, and need ``rebind=True`` (without it the load raises TagsMismatchError and nothing
changes). If the load fails after the quotes were re-created, they are removed again.

Usage: internal, through ``ev.save_tags`` / ``ev.load_tags`` / ``ev.open_tags``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from cjm_widgets.errors import EvidenceError, SchemaError, TagsMismatchError
from cjm_widgets.evidence.binding import row_hashes

if TYPE_CHECKING:
    from cjm_widgets.evidence._quotes import _QuoteOp
    from cjm_widgets.evidence.store import Evidence

_EXAMPLES = 5


def span_hash(text: str) -> str:
    """The hex BLAKE2b-64 of a quoted text (its UTF-8 bytes)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def quotes_json(ev: Evidence) -> list[dict[str, Any]]:
    """The ``"quotes"`` list of the tags file (empty when the store has no quotes)."""
    rows = ev._quote_rows()
    if not len(rows):
        return []
    raw = ev._raw
    parents = [str(p) for p in raw["parent_id"].to_numpy()[rows]]
    parent_rows = ev._lookup(parents)
    hashes = row_hashes(ev)
    out = []
    for i, row in enumerate(rows.tolist()):
        out.append(
            {
                "id": str(ev._ids_of(np.array([row]))[0]),
                "parent_id": parents[i],
                "start": int(raw["span_start"].iloc[row]),
                "end": int(raw["span_end"].iloc[row]),
                "hash": span_hash(str(raw["text"].iloc[row])),
                "parent_hash": f"{int(hashes[parent_rows[i]]):016x}",
            }
        )
    return out


def _entries(data: Mapping[str, Any], file: str | None) -> list[dict[str, Any]]:
    quotes = data.get("quotes") or []
    if not isinstance(quotes, list):
        raise SchemaError("quotes must be a list", path="$.quotes", file=file)
    for i, q in enumerate(quotes):
        path = f"$.quotes[{i}]"
        if not isinstance(q, Mapping):
            raise SchemaError("a quote is an object", path=path, file=file)
        for key in ("id", "parent_id", "hash", "parent_hash"):
            if not isinstance(q.get(key), str) or not q[key]:
                raise SchemaError(
                    f"{key} must be a non-empty string", path=f"{path}.{key}", file=file
                )
        for key in ("start", "end"):
            value = q.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise SchemaError(
                    f"{key} must be an offset (a whole number ≥ 0)", path=f"{path}.{key}", file=file
                )
    return list(quotes)


def _find_span(text: str, length: int, digest: str) -> list[int]:
    """Starts of the windows of ``text`` of ``length`` characters that hash to ``digest``."""
    return [
        s for s in range(0, len(text) - length + 1) if span_hash(text[s : s + length]) == digest
    ]


class QuoteRestore:
    """The quotes a tags file re-created on this evidence (see the module)."""

    def __init__(self, ev: Evidence) -> None:
        self.ev = ev
        self.op: _QuoteOp | None = None
        self.moved: dict[str, str] = {}
        self.dropped: dict[str, str] = {}
        self.restored = 0

    def plan(self, data: Mapping[str, Any], file: str | None, *, rebind: bool) -> None:
        """Re-create the file's quotes (one undo step); raises before any change when a quote
        moved or was dropped and ``rebind`` is False."""
        ev = self.ev
        entries = _entries(data, file)
        if not entries:
            return
        hashes = row_hashes(ev)
        specs: list[tuple[str, int, int, int, str]] = []
        for q in entries:
            if ev._lookup([q["id"]])[0] >= 0:
                continue  # already here (the file was loaded before)
            spec, why = self._locate(q, hashes)
            if spec is None:
                self.dropped[q["id"]] = why
                continue
            if spec[0] != q["id"]:
                self.moved[q["id"]] = spec[0]
            specs.append(spec)
        if (self.moved or self.dropped) and not rebind:
            shown = "; ".join(
                [f"{k!r} moved to {v!r}" for k, v in self.moved.items()][:_EXAMPLES]
                + [f"{k!r}: {v}" for k, v in self.dropped.items()][:_EXAMPLES]
            )
            raise TagsMismatchError(
                f"The tags file {file} has quotes whose parent text changed: {shown}. Nothing "
                "was loaded. Load with ev.load_tags(path, rebind=True) to move each quote to "
                "its words and drop those whose words are gone (the report lists both)."
            )
        seen: set[str] = set()
        specs = [s for s in specs if not (s[0] in seen or seen.add(s[0]))]  # type: ignore[func-returns-value]
        if specs:
            change = ev._add_quote_rows(specs, "restore quotes")
            self.op = ev._steps.undo_steps[-1].after[0]  # type: ignore[index,assignment]
            self.restored = len(change.rows)

    def _locate(
        self, q: Mapping[str, Any], hashes: np.ndarray
    ) -> tuple[tuple[str, int, int, int, str] | None, str]:
        ev = self.ev
        start, end = int(q["start"]), int(q["end"])
        row = int(ev._lookup([q["parent_id"]])[0])
        candidates: list[int] = []
        if row >= 0:
            candidates.append(row)
        same = np.flatnonzero(hashes == np.uint64(int(q["parent_hash"], 16)))
        if len(same) == 1 and int(same[0]) != row:
            candidates.append(int(same[0]))  # the parent's text is on another row now
        for r in candidates:
            text = ev._raw["text"].iloc[r]
            if isinstance(text, str) and span_hash(text[start:end]) == q["hash"]:
                pid = str(ev._ids_of(np.array([r]))[0])
                return ev._quote_spec(pid, start, end, None), ""
        if row < 0:
            return None, f"its parent row {q['parent_id']!r} is not here"
        text = ev._raw["text"].iloc[row]
        hits = _find_span(text, end - start, q["hash"]) if isinstance(text, str) else []
        if len(hits) == 1:
            return ev._quote_spec(q["parent_id"], hits[0], hits[0] + end - start, None), ""
        if hits:
            return None, f"its words occur {len(hits)} times in the parent's changed text"
        return None, "its parent's text changed and the quoted words are no longer in it"

    def rekey(self, data: dict[str, Any]) -> dict[str, Any]:
        """The file's data with the tags and codings of moved quotes under their new ids (in
        place: the fingerprint's row hashes follow the order of the tags)."""
        if not self.moved:
            return data
        moved = self.moved
        tags = {moved.get(k, k): e for k, e in data["tags"].items()}
        codings = [
            {**c, "evidence_id": moved.get(c["evidence_id"], c["evidence_id"])}
            for c in data["codings"]
        ]
        return {**data, "tags": tags, "codings": codings}

    def finish(self, data: dict[str, Any], binding: dict[str, Any]) -> dict[str, Any]:
        """After the check: the tags of dropped quotes left out; the binding report says
        which quotes were restored, moved and dropped."""
        if not (self.moved or self.dropped or self.restored):
            return data
        binding.setdefault("moved", {}).update(self.moved)
        binding.setdefault("dropped", {}).update(
            {k: f"quote: {v}" for k, v in self.dropped.items()}
        )
        binding["quotes"] = {
            "restored": self.restored,
            "moved": len(self.moved),
            "dropped": len(self.dropped),
        }
        if not self.dropped:
            return data
        gone = self.dropped
        tags = {k: e for k, e in data["tags"].items() if k not in gone}
        codings = [c for c in data["codings"] if c["evidence_id"] not in gone]
        return {**data, "tags": tags, "codings": codings}

    def rollback(self) -> None:
        """Remove the re-created quotes again (the load failed): no undo step is left."""
        if self.op is None:
            return
        ev, op = self.ev, self.op
        ev._apply(op, forward=False)
        ev._steps.undo(lambda _state: None)
        ev._steps.clear(undo=False, redo=True)
        ev._history.pop()
        ev._history_rows.pop()
        ev._emit("undo", op.rows, op.new, op.old)
        self.op = None


def restore_quotes(
    ev: Evidence, data: dict[str, Any], file: str | None, *, rebind: bool
) -> QuoteRestore:
    """Re-create the quotes of a parsed tags file on ``ev`` (see the module)."""
    restore = QuoteRestore(ev)
    try:
        restore.plan(data, file, rebind=rebind)
    except EvidenceError:
        restore.rollback()
        raise
    return restore
