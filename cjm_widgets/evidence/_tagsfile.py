"""The tags file: codings per coder, orphan tags, saving and loading tags as JSON.

Usage: ``ev.save_tags("tags.json")``; ``ev.load_tags("tags.json")``; ``ev.codings``
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring as _encode_basestring  # C-accelerated
from pathlib import Path
from typing import Any, Self

import numpy as np
import pandas as pd

from cjm_widgets._atomic import atomic_write_text
from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence._participant_edits import ParticipantEditsMixin
from cjm_widgets.evidence._quote_files import restore_quotes
from cjm_widgets.evidence._state import (
    _EXAMPLES,
    _Coding,
    _now_ns,
    _TagColumns,
)
from cjm_widgets.evidence.binding import check_and_bind, fingerprint_json, keep_orphan_hashes
from cjm_widgets.evidence.tags import (
    BUILTIN_LABELS,
    NAT,
    TAGS_SCHEMA_VERSION,
    TagSlice,
    entry_json,
    gc_paused,
    iso,
    parse_tags_file,
)


class TagsFileMixin(ParticipantEditsMixin):
    """Part of :class:`~cjm_widgets.evidence.store.Evidence` (see its module)."""

    def _latest_codings(self) -> tuple[np.ndarray, np.ndarray, TagSlice, np.ndarray] | None:
        """(rows, coder codes, values, tagged_at) of each (row, coder)'s latest coding."""
        parts = [c for c in self._codings if len(c.rows)]
        if not parts:
            return None
        rows = np.concatenate([c.rows for c in parts])
        coder = np.concatenate([np.full(len(c.rows), c.coder, np.int32) for c in parts])
        tp = np.concatenate([c.values.touchpoint for c in parts])
        st = np.concatenate([c.values.stage for c in parts])
        em = np.concatenate([c.values.emotion for c in parts])
        lb = np.concatenate([c.values.labels for c in parts])
        at = np.concatenate([c.tagged_at for c in parts])
        # last occurrence of each (row, coder): stable sort on the key, keep each run's end
        key = rows.astype(np.int64) * (len(self.coders) + 1) + coder
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        last = np.ones(len(order), dtype=bool)
        last[:-1] = sorted_key[1:] != sorted_key[:-1]
        keep = order[last]
        empty = (tp[keep] < 0) & (st[keep] < 0) & np.isnan(em[keep]) & (lb[keep] == 0)
        keep = keep[~empty]
        values = TagSlice(tp[keep], st[keep], em[keep], lb[keep], coder[keep])
        return rows[keep], coder[keep], values, at[keep]

    @property
    def codings(self) -> pd.DataFrame:
        """One row per (evidence_id, coder): that coder's latest tag of the row.

        Columns: evidence_id, coder, stage_id, touchpoint_id, emotion, labels, tagged_at.
        Import pre-tags are not codings; only tag()/untag() calls with a coder are.
        """
        columns = [
            "evidence_id",
            "coder",
            "stage_id",
            "touchpoint_id",
            "emotion",
            "labels",
            "tagged_at",
        ]
        latest = self._latest_codings()
        if latest is None:
            return pd.DataFrame(columns=columns)
        rows, coder, values, at = latest

        def names(codes: np.ndarray, table: list[str]) -> np.ndarray:
            return np.array([*table, None], dtype=object)[codes]

        return pd.DataFrame(
            {
                "evidence_id": self._ids_of(rows),
                "coder": names(coder, self.coders),
                "stage_id": names(values.stage, self.stage_ids),
                "touchpoint_id": names(values.touchpoint, self.touchpoint_ids),
                "emotion": values.emotion,
                "labels": self._label_tuples(values.labels),
                "tagged_at": pd.to_datetime(at, unit="ns", utc=True),
            },
            columns=columns,
        )

    @property
    def orphan_tags(self) -> dict[str, dict[str, Any]]:
        """Tags loaded for evidence ids not in this store (kept; the next save writes them)."""
        return dict(self._orphans)

    def _changed_rows(self) -> np.ndarray:
        base_tp: np.ndarray | int
        base_st: np.ndarray | int
        if self._base is None:
            base_tp = base_st = -1
            base_em = np.full(self._n, np.nan)
        else:
            base_tp, base_st, base_em = self._base
        same_em = (self._em == base_em) | (np.isnan(self._em) & np.isnan(base_em))
        diff = (self._tp != base_tp) | (self._st != base_st) | ~same_em
        diff |= (self._lb != 0) | (self._cd >= 0) | (self._at != NAT)
        return np.flatnonzero(diff)

    def _file_rows(
        self,
    ) -> tuple[list[str], _TagColumns, list[str], _TagColumns | None, np.ndarray, np.ndarray]:
        """What the tags file holds: the ids and tag columns of rows that differ from the
        import, then the ids and columns of each coder's latest coding (None without any);
        then the store rows of both (for the fingerprint)."""
        rows = self._changed_rows()
        tags = (self._tp, self._st, self._em, self._lb, self._cd, self._at)
        columns = _TagColumns(*(column[rows] for column in tags))
        latest = self._latest_codings()
        if latest is None:
            none = np.zeros(0, np.int64)
            return self._ids_of(rows).tolist(), columns, [], None, rows, none
        rows_c, coder_c, values, at_c = latest
        codings = _TagColumns(
            values.touchpoint, values.stage, values.emotion, values.labels, coder_c, at_c
        )
        ids, coded_ids = self._ids_of(rows).tolist(), self._ids_of(rows_c).tolist()
        return ids, columns, coded_ids, codings, rows, rows_c

    def _file_head(self) -> dict[str, Any]:
        """The tags file's keys before ``tags`` and ``codings``."""
        return {
            "schema_version": TAGS_SCHEMA_VERSION,
            "kind": "cjm-evidence-tags",
            "n_rows": self._n,
            "labels": self.label_names[len(BUILTIN_LABELS) :],
        }

    def _entries(self, columns: _TagColumns) -> list[dict[str, Any]]:
        """Tags-file entries of many rows (vectorised lookups, one dict per row)."""
        tp, st, em, lb, cd, at = columns

        def names(codes: np.ndarray, values: list[str]) -> list[str | None]:
            table = np.array([*values, None], dtype=object)
            return table[codes].tolist()  # code -1 picks the trailing None

        emotions = [
            None if math.isnan(x) else (int(x) if x.is_integer() else x) for x in em.tolist()
        ]
        labels = [list(t) for t in self._label_tuples(lb)]
        stamps = _iso_stamps(at)
        return [
            {
                "stage_id": a,
                "touchpoint_id": b,
                "emotion": c,
                "labels": d,
                "coder": e,
                "tagged_at": f,
            }
            for a, b, c, d, e, f in zip(
                names(st, self.stage_ids),
                names(tp, self.touchpoint_ids),
                emotions,
                labels,
                names(cd, self.coders),
                stamps,
                strict=True,
            )
        ]

    def tags_dict(self) -> dict[str, Any]:
        """The tags file content (see :meth:`save_tags`) as JSON-ready data."""
        ids, columns, coded_ids, coded, rows, rows_c = self._file_rows()
        tags: dict[str, Any] = dict(zip(ids, self._entries(columns), strict=True))
        for key, entry in self._orphans.items():
            tags.setdefault(key, entry)
        codings: list[dict[str, Any]] = []
        if coded is not None:
            for evid, entry in zip(coded_ids, self._entries(coded), strict=True):
                codings.append({"evidence_id": evid, **entry})
        codings += self._orphan_codings
        orphan_ids = list(tags)[len(ids) :]
        coding_ids = [c["evidence_id"] for c in self._orphan_codings]
        bound = fingerprint_json(self._evidence(), rows, orphan_ids, rows_c, coding_ids)
        return {**self._file_head(), "tags": tags, "codings": codings, "fingerprint": bound}

    def save_tags(self, path: str | Path) -> Path:
        """Write the tags (only rows that differ from the import, plus codings and orphan
        tags) to a small JSON file keyed by evidence_id; atomic.

        Usage: ``ev.save_tags("tags.json")``
        """
        with gc_paused():
            text = self._tags_text()
        return atomic_write_text(path, text)

    def _tags_text(self) -> str:
        """:meth:`tags_dict` as the file's JSON text, one line per tag and per coding, made
        from the tag arrays (no dict per row; each distinct entry encoded once)."""
        quote = _encode_basestring
        ids, columns, coded_ids, coded, rows, rows_c = self._file_rows()
        tags = [f"  {quote(i)}: {t}" for i, t in zip(ids, self._entry_texts(columns), strict=True)]
        orphan_ids: list[str] = []
        if self._orphans:
            known = set(ids)
            orphan_ids = [k for k in self._orphans if k not in known]
            tags += [f"  {quote(k)}: {_dumps(self._orphans[k])}" for k in orphan_ids]
        coding_ids = [c["evidence_id"] for c in self._orphan_codings]
        bound = fingerprint_json(self._evidence(), rows, orphan_ids, rows_c, coding_ids)
        codings: list[str] = []
        if coded is not None:
            codings = [
                f'  {{"evidence_id": {quote(i)}, {t[1:]}'
                for i, t in zip(coded_ids, self._entry_texts(coded), strict=True)
            ]
        codings += [f"  {_dumps(c)}" for c in self._orphan_codings]
        lines = ["{", *(f" {quote(k)}: {_dumps(v)}," for k, v in self._file_head().items())]
        body = ",\n".join(tags)
        lines.append(f' "tags": {{\n{body}\n }},' if tags else ' "tags": {},')
        body = ",\n".join(codings)
        lines.append(f' "codings": [\n{body}\n ],' if codings else ' "codings": [],')
        lines.append(f' "fingerprint": {_dumps(bound)}')  # see binding.py
        return "\n".join(lines) + "\n}\n"

    def _entry_texts(self, columns: _TagColumns) -> list[str]:
        """The JSON text of many rows' tags-file entries; rows with the same tag (a bulk tag
        gives thousands) share one encoding."""
        if not len(columns.tp):
            return []
        em = columns.em
        emotion_bits = np.where(np.isnan(em), np.nan, em).view(np.int64)  # one NaN pattern
        group = np.zeros(len(em), np.int64)  # one code per distinct (tp, st, em, lb, cd, at)
        for column in (columns.tp, columns.st, emotion_bits, columns.lb, columns.cd, columns.at):
            codes, uniques = pd.factorize(column)
            group = pd.factorize(group * len(uniques) + codes)[0]  # < n * n: no overflow
        _, first = np.unique(group, return_index=True)  # factorize numbers groups 0, 1, ...
        entries = self._entries(_TagColumns(*(column[first] for column in columns)))
        texts = np.array([_dumps(e) for e in entries], dtype=object)
        return texts[group].tolist()

    def open_tags(self, path: str | Path, *, delay: float = 0.5) -> Self:
        """Load the tags from ``path`` when the file exists (else create it), then write every
        tag change to it; returns this evidence. Idempotent: Run All opens the same file.
        Details: :mod:`cjm_widgets.evidence.tags_open`.

        Usage: ``ev = cjm.Evidence.concat([a, b]).open_tags("work/grocery.tags.json")``
        """
        from cjm_widgets.evidence.tags_open import open_tags

        open_tags(self._evidence(), path, delay=delay)
        return self

    def load_tags(self, path: str | Path, *, rebind: bool = False) -> dict[str, Any]:
        """Restore tags saved with :meth:`save_tags` (rows not in the file go back to their
        import state). Undoable and observed. Tags of ids missing here are reported (returned
        and warned) and kept in :attr:`orphan_tags`. A malformed file raises SchemaError.

        A file made on other evidence or with another journey raises TagsMismatchError;
        ``rebind=True`` re-binds it by content instead (``report["binding"]``: matched, moved,
        dropped). See :mod:`cjm_widgets.evidence.binding`.

        Usage: ``report = ev.load_tags("tags.json"); report["orphans"]``
        """
        file = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise EvidenceError(f"No tags file {file}.") from None
        with gc_paused():  # a million small objects: see gc_paused
            data = parse_tags_file(text, file)
            quotes = restore_quotes(self._evidence(), data, file, rebind=rebind)  # first
            try:
                data, binding = check_and_bind(
                    self._evidence(), quotes.rekey(data), file, rebind=rebind
                )
                report = {**self._load(quotes.finish(data, binding), file), "binding": binding}
            except BaseException:
                quotes.rollback()  # nothing half-applied
                raise
            keep_orphan_hashes(self._evidence(), binding)
            return report

    def _load(self, data: dict[str, Any], file: str | None) -> dict[str, Any]:
        keys = list(data["tags"])
        rows = self._lookup(keys) if keys else np.zeros(0, np.int64)
        orphans = {keys[i]: data["tags"][keys[i]] for i in np.flatnonzero(rows < 0)}
        for label in data["labels"]:
            self._register_label(label)
        # entries of one content share their labels list (parse_tags_file): each list once
        lists = {id(e["labels"]): e["labels"] for e in (*data["tags"].values(), *data["codings"])}
        for labels in lists.values():
            for label in labels:
                self._register_label(label)
        # target state: import state, then the file's tags
        found = rows >= 0
        target_rows = rows[found]
        entries = [data["tags"][keys[i]] for i in np.flatnonzero(found)]
        n_f = len(target_rows)
        f_tp, f_st, f_em, f_lb, f_cd, f_at = self._fill_many(entries)
        changed = self._changed_rows()
        all_rows = np.union1d(changed, target_rows).astype(np.int64)
        if self._base is None:
            n_tp = np.full(len(all_rows), -1, np.int32)
            n_st = np.full(len(all_rows), -1, np.int32)
            n_em = np.full(len(all_rows), np.nan)
        else:
            n_tp, n_st, n_em = (a[all_rows].copy() for a in self._base)
        n_lb = np.zeros(len(all_rows), np.int64)
        n_cd = np.full(len(all_rows), -1, np.int32)
        n_at = np.full(len(all_rows), NAT, np.int64)
        pos = np.searchsorted(all_rows, target_rows)
        n_tp[pos], n_st[pos], n_em[pos] = f_tp, f_st, f_em
        n_lb[pos], n_cd[pos], n_at[pos] = f_lb, f_cd, f_at
        old = TagSlice.take(self._tag_arrays(), all_rows)
        new = TagSlice(n_tp, n_st, n_em, n_lb, n_cd)
        # codings
        codings: list[_Coding] = []
        orphan_codings: list[dict[str, Any]] = []
        if data["codings"]:
            ckeys = [c["evidence_id"] for c in data["codings"]]
            crows = self._lookup(ckeys)
            by_coder: dict[int, list[int]] = {}
            for i, c in enumerate(data["codings"]):
                if crows[i] < 0:
                    orphan_codings.append(_coding_json(c))
                else:
                    by_coder.setdefault(self._register_coder(c["coder"]), []).append(i)
            for code, idx in by_coder.items():
                c_tp, c_st, c_em, c_lb, c_cd, c_at = self._fill_many(
                    [data["codings"][i] for i in idx]
                )
                codings.append(
                    _Coding(
                        crows[idx].astype(np.int64),
                        code,
                        TagSlice(c_tp, c_st, c_em, c_lb, c_cd),
                        c_at,
                    )
                )
        orphan_entries = {k: _entry_json_from(v) for k, v in orphans.items()}
        change = self._commit(
            "load_tags",
            all_rows,
            old,
            new,
            _now_ns(),
            {"n_file": len(keys)},
            at_values=n_at,
            codings_after=codings,
            orphans_after=(orphan_entries, orphan_codings),
        )
        report = {
            "file": file,
            "applied": int(n_f),
            "rows_changed": len(all_rows),
            "codings": int(sum(len(c.rows) for c in codings)),
            "orphans": sorted(orphans),
            "orphan_codings": len(orphan_codings),
            "change": change,
        }
        if orphans or orphan_codings:
            shown = ", ".join(map(repr, sorted(orphans)[:_EXAMPLES]))
            warnings.warn(
                f"{len(orphans)} tag(s) and {len(orphan_codings)} coding(s) in {file} are for "
                f"evidence not in this store (e.g. {shown}). They are kept in ev.orphan_tags "
                "and written again by the next save_tags().",
                UserWarning,
                stacklevel=3,
            )
        return report

    def _fill_many(self, entries: Sequence[Mapping[str, Any]]) -> tuple[np.ndarray, ...]:
        """Parsed tags-file entries → code arrays (tp, st, emotion, labels, coder, tagged_at),
        registering names as they come. Entries of one content are coded once (a bulk tag
        writes thousands of them); a touchpoint's stage is the one its last entry gives."""
        n = len(entries)
        tp = np.full(n, -1, np.int32)
        st = np.full(n, -1, np.int32)
        em = np.full(n, np.nan)
        lb = np.zeros(n, np.int64)
        cd = np.full(n, -1, np.int32)
        at = np.full(n, NAT, np.int64)
        memo: dict[tuple[Any, ...], tuple[int, int, float, int, int, int]] = {}
        for i, e in enumerate(entries):
            key = (
                e["stage_id"],
                e["touchpoint_id"],
                e["emotion"],
                id(e["labels"]),
                e["coder"],
                e["tagged_at"],
            )
            codes = memo.get(key)
            if codes is None:
                codes = memo[key] = self._codes_of(e)
            elif codes[0] >= 0:
                self._tp_stage[codes[0]] = codes[1]  # as if registered again, in file order
            tp[i], st[i], em[i], lb[i], cd[i], at[i] = codes
        return tp, st, em, lb, cd, at

    def _codes_of(self, e: Mapping[str, Any]) -> tuple[int, int, float, int, int, int]:
        """One parsed entry → its codes, registering its stage, touchpoint, labels and coder."""
        st = -1 if e["stage_id"] is None else self._register_stage(e["stage_id"])
        tp = -1 if e["touchpoint_id"] is None else self._register_tp(e["touchpoint_id"], st)
        mask = 0
        for label in e["labels"]:
            code = self._lb_code.get(label)
            mask |= 1 << (code if code is not None else self._register_label(label))
        return (
            tp,
            st,
            math.nan if e["emotion"] is None else float(e["emotion"]),
            mask,
            -1 if e["coder"] is None else self._register_coder(e["coder"]),
            NAT if e["tagged_at"] is None else int(e["tagged_at"]),
        )


def _dumps(value: Any) -> str:
    """One JSON value, on one line, unicode kept as is."""
    return json.dumps(value, ensure_ascii=False)


def _iso_stamps(at: np.ndarray) -> list[str | None]:
    """int64 ns UTC → ISO 8601 texts (None for NaT), converting each distinct value once."""
    uniq, inverse = np.unique(at, return_inverse=True)
    texts = np.array([iso(int(v)) for v in uniq.tolist()] + [None], dtype=object)
    return texts[inverse].tolist() if len(at) else []


def _entry_json_from(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Parsed tags-file entry → JSON entry (for orphans, written back as read)."""
    return entry_json(
        entry["stage_id"],
        entry["touchpoint_id"],
        math.nan if entry["emotion"] is None else float(entry["emotion"]),
        entry["labels"],
        entry["coder"],
        NAT if entry["tagged_at"] is None else int(entry["tagged_at"]),
    )


def _coding_json(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {"evidence_id": entry["evidence_id"], **_entry_json_from(entry)}
