"""The evidence store: one table of quotes, turns, reviews and survey answers, and its tags.

Raw columns never change; the tags (stage, touchpoint, emotion, labels, coder, time) live in
numpy arrays so that tagging one row or a 100k-row mask takes well under a millisecond or a
tenth of a second on 1.5 million rows. ``ev.frame`` joins both and is rebuilt only when read
after a change. Usage::

    import cjm_widgets as cjm
    ev = cjm.Evidence.from_transcripts("interviews/*.txt")
    ev.tag(ev.search("delivery fee"), journey=journey, touchpoint="Checkout", emotion=-1,
           labels=["pain point"], coder="AK")
    ev.undo(); ev.redo(); ev.history
    ev.save_tags("tags.json")
"""

from __future__ import annotations

import html
import json
import math
import time
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring as _encode_basestring  # C-accelerated
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from cjm_widgets._atomic import atomic_write_text
from cjm_widgets.errors import EvidenceError, NotFoundError, TagError
from cjm_widgets.evidence._survey import LongColumns, SurveyIds
from cjm_widgets.evidence.binding import check_and_bind, fingerprint_json, keep_orphan_hashes
from cjm_widgets.evidence.readers import BASE_COLUMNS, RawEvidence
from cjm_widgets.evidence.search import IdIndex, TextIndex
from cjm_widgets.evidence.tags import (
    BUILTIN_LABELS,
    MAX_LABELS,
    NAT,
    TAGS_SCHEMA_VERSION,
    EvidenceChange,
    TagArrays,
    TagSlice,
    check_emotion,
    entry_json,
    gc_paused,
    iso,
    label_key,
    parse_tags_file,
)

if TYPE_CHECKING:
    from cjm_widgets.model.journey import Journey

__all__ = ["Evidence"]

#: Raw columns the readers add for some sources (not segments).
READER_COLUMNS: tuple[str, ...] = ("item", "speaker", "role", "start", "end")
TAG_COLUMNS: tuple[str, ...] = (
    "stage_id",
    "touchpoint_id",
    "emotion",
    "labels",
    "coder",
    "tagged_at",
)
SOURCES: tuple[str, ...] = ("interview", "survey", "review", "ticket", "other")
_EXAMPLES = 5


# ------------------------------------------------------------------------------- id index


def _large_strings(values: Any) -> pa.Array:
    """A column of ids as one non-null Arrow large_string array."""
    if isinstance(values, pd.Series):
        arr = pa.array(values.array) if not isinstance(values.dtype, np.dtype) else None
        if arr is None:
            arr = pa.array(values.to_numpy(dtype=object), type=pa.large_string())
    elif isinstance(values, (pa.Array, pa.ChunkedArray)):
        arr = values
    else:
        arr = pa.array(list(values), type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


# ------------------------------------------------------------------------------ operations


class _TagColumns(NamedTuple):
    """Tag codes of some rows, as the tags file writes them: touchpoint, stage, emotion,
    label bits, coder, tagged_at (one array each, aligned)."""

    tp: np.ndarray
    st: np.ndarray
    em: np.ndarray
    lb: np.ndarray
    cd: np.ndarray
    at: np.ndarray


@dataclass
class _Op:
    kind: str
    rows: np.ndarray
    old: TagSlice
    new: TagSlice
    old_at: np.ndarray
    new_at: np.ndarray
    history: int
    codings_before: list[Any] | None = None
    codings_after: list[Any] | None = None
    orphans_before: tuple[dict[str, Any], list[Any]] | None = None
    orphans_after: tuple[dict[str, Any], list[Any]] | None = None
    raw_before: tuple[LongColumns, list[str]] | None = None  # participant edits: the raw
    raw_after: tuple[LongColumns, list[str]] | None = None  # columns and participant segments


@dataclass
class _Coding:
    """A chunk of the per-coder coding log (rows tagged by one coder in one operation)."""

    rows: np.ndarray
    coder: int
    values: TagSlice
    tagged_at: np.ndarray
    extra: list[dict[str, Any]] = field(default_factory=list)  # orphan codings from a file
    lo: int = field(init=False, default=0)  # smallest and largest row (to skip chunks fast)
    hi: int = field(init=False, default=-1)

    def __post_init__(self) -> None:
        if len(self.rows):
            self.lo, self.hi = int(self.rows.min()), int(self.rows.max())


def _now_ns() -> int:
    return time.time_ns()


def _constant(n: int, value: float, dtype: type) -> np.ndarray:
    """``n`` copies of ``value`` as a read-only array that takes no memory (stride 0)."""
    return np.broadcast_to(np.array(value, dtype=dtype), (n,))


def _read_only(arr: np.ndarray) -> np.ndarray:
    view = arr.view()
    view.flags.writeable = False
    return view


class Evidence:
    """An evidence table (``ev.frame``) and its tags. See the module docs for usage.

    ``Evidence(frame_or_raw, meta=None, journey=None)`` wraps a reader's result or any
    DataFrame with an ``evidence_id`` column (a ``touchpoint`` column is resolved against
    ``journey``). Prefer :meth:`from_transcripts`, :meth:`from_survey`, :meth:`from_frame`.
    """

    def __init__(
        self,
        frame_or_raw: Any,
        meta: Mapping[str, Any] | None = None,
        journey: Journey | None = None,
    ) -> None:
        lazy_ids: SurveyIds | None = None
        lazy = frame_or_raw.lazy() if isinstance(frame_or_raw, RawEvidence) else None
        if lazy is not None or (hasattr(frame_or_raw, "frame") and hasattr(frame_or_raw, "meta")):
            if lazy is not None:  # a survey whose long table was never built: keep it lazy
                frame, lazy_ids = lazy
            else:
                frame = frame_or_raw.frame
            meta = {**dict(frame_or_raw.meta or {}), **dict(meta or {})}
            trusted = True
        elif isinstance(frame_or_raw, pd.DataFrame):
            frame = frame_or_raw
            trusted = False
        else:
            raise EvidenceError(
                "Evidence() needs a DataFrame with an 'evidence_id' column or a reader's "
                f"result (RawEvidence), got {type(frame_or_raw).__name__}. Use "
                "Evidence.from_transcripts / from_survey / from_frame to read files."
            )
        self.meta: dict[str, Any] = dict(meta or {})
        self._observers: list[Callable[[EvidenceChange], None]] = []
        self._journey: Journey | None = None
        self.touchpoint_ids: list[str] = []
        self.stage_ids: list[str] = []
        self.label_names: list[str] = list(BUILTIN_LABELS)
        self.coders: list[str] = []
        self._tp_code: dict[str, int] = {}
        self._st_code: dict[str, int] = {}
        self._lb_code: dict[str, int] = {label_key(x): i for i, x in enumerate(BUILTIN_LABELS)}
        self._cd_code: dict[str, int] = {}
        self._tp_stage = np.zeros(0, dtype=np.int32)  # touchpoint code -> stage code
        self._undo: list[_Op] = []
        self._redo: list[_Op] = []
        self._history: list[dict[str, Any]] = []
        self._history_rows: list[np.ndarray] = []
        self._codings: list[_Coding] = []
        self._orphans: dict[str, dict[str, Any]] = {}
        self._orphan_codings: list[dict[str, Any]] = []
        self._frame: pd.DataFrame | None = None
        self._index: IdIndex | None = None
        self._folded: TextIndex | None = None
        self._id_strings: pa.Array | None = None
        #: survey ids derived from (document, respondent, item) until the full column is
        #: needed; ``_ids_built`` counts full id-column builds (0 while the ids are virtual)
        self._lazy_ids = lazy_ids
        raw = self._prepare(frame, trusted)
        self._n = len(raw)
        n = self._n
        # The tag state. Until the first change the arrays may be read-only: constants
        # (no memory) or the import's values, shared with the import state ``_base``;
        # ``_own()`` gives each its own writable copy before anything is written.
        self._tp = _constant(n, -1, np.int32)
        self._st = _constant(n, -1, np.int32)
        self._em = _constant(n, np.nan, np.float64)
        self._lb = np.zeros(n, dtype=np.int64)
        self._cd = _constant(n, -1, np.int32)
        self._at = _constant(n, NAT, np.int64)
        raw = self._import_tags(raw, journey)
        self._raw = raw
        self._base: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        if (self._tp >= 0).any() or (self._st >= 0).any() or not np.isnan(self._em).all():
            self._tp, self._st, self._em = (_read_only(a) for a in (self._tp, self._st, self._em))
            self._base = (self._tp, self._st, self._em)
        if journey is not None:
            self.link(journey)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle and deepcopy: the lazily built columns are built (their builders are
        closures); observers are dropped (the copy has none: observe it again). A linked
        journey is copied with it and the copy is linked to the journey's copy."""
        state = self.__dict__.copy()
        state["_raw"] = LongColumns.of_frame(self._raw.to_frame())
        state["_observers"] = []
        if self._lazy_ids is not None:
            self._lazy_ids.keys  # noqa: B018 - makes the respondent ids (a closure until then)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self._journey is not None:  # the journey's copy dropped its counters: link again
            self._journey.add_reference_counter(self.count_tagged)

    def _own(self) -> None:
        """Give every tag array its own writable memory (before the first write)."""
        for name in ("_tp", "_st", "_em", "_lb", "_cd", "_at"):
            arr = getattr(self, name)
            if not arr.flags.writeable:
                setattr(self, name, np.array(arr))

    # ------------------------------------------------------------------ construction
    @staticmethod
    def _prepare(frame: pd.DataFrame | LongColumns, trusted: bool) -> LongColumns:
        if isinstance(frame, LongColumns):
            return frame
        if "evidence_id" not in frame.columns:
            cols = ", ".join(map(repr, frame.columns)) or "none"
            raise EvidenceError(
                f"Missing column 'evidence_id'. Columns: {cols}. Read files with "
                "Evidence.from_frame(df, text=...) to get ids made for you."
            )
        raw = (
            frame.reset_index(drop=True)
            if not isinstance(frame.index, pd.RangeIndex)
            or (frame.index.start != 0 or frame.index.step != 1)
            else frame.copy(deep=False)
        )
        if not trusted:
            ids = raw["evidence_id"]
            if ids.isna().any():
                bad = np.flatnonzero(ids.isna().to_numpy())[:_EXAMPLES].tolist()
                raise EvidenceError(f"evidence_id is missing in rows {bad}.")
            raw["evidence_id"] = ids.astype("str")
            n = len(raw)
            defaults: dict[str, Any] = {
                "source": pd.Categorical(["other"] * n, categories=list(SOURCES)),
                "document": "",
                "participant": "",
                "position": np.arange(n, dtype=np.int64),
                "text": "",
                "rating": np.nan,
            }
            for name in BASE_COLUMNS[1:]:
                if name not in raw.columns:
                    raw[name] = defaults[name]
            source = raw["source"]
            if not isinstance(source.dtype, pd.CategoricalDtype):
                unknown = sorted(set(source.dropna().astype(str)) - set(SOURCES))
                if unknown:
                    raise EvidenceError(
                        f"source must be one of {', '.join(SOURCES)}; got {unknown[0]!r}."
                    )
                if source.isna().any():
                    bad = np.flatnonzero(source.isna().to_numpy())[:_EXAMPLES].tolist()
                    raise EvidenceError(
                        f"source is missing in rows {bad} (of the table as read); it must be "
                        f"one of {', '.join(SOURCES)}. A row split in two (a line break in a "
                        "text that is not quoted) also leaves it empty."
                    )
                raw["source"] = pd.Categorical(source.astype(str), categories=list(SOURCES))
            for name in ("document", "participant"):
                if raw[name].dtype == object or str(raw[name].dtype) in ("str", "string"):
                    raw[name] = raw[name].astype("category")
            order = [*BASE_COLUMNS, *(c for c in raw.columns if c not in BASE_COLUMNS)]
            raw = raw[order]
        return LongColumns.of_frame(raw)

    def _import_tags(self, raw: LongColumns, journey: Journey | None) -> LongColumns:
        """Move import tags (reader ``touchpoint`` / ``emotion``, or tag columns) into arrays."""
        drop: list[str] = []
        if "touchpoint" in raw.columns:
            pattern = raw.pattern("touchpoint")  # a survey: one touchpoint per item, repeated
            if pattern is not None:
                codes, uniques = pattern[0], pattern[1].categories
            else:
                col = raw["touchpoint"]
                if isinstance(col.dtype, pd.CategoricalDtype):
                    codes = col.cat.codes.to_numpy()
                    uniques = col.cat.categories
                else:
                    codes, uniques = pd.factorize(col, use_na_sentinel=True)
            if len(uniques):
                if journey is None:
                    raise EvidenceError(
                        f"The evidence is mapped to touchpoints ({', '.join(map(str, uniques[:5]))}"
                        f"{'…' if len(uniques) > 5 else ''}); pass journey=your_journey so they "
                        "can be resolved to the journey's touchpoints."
                    )
                tp_map = np.full(len(uniques) + 1, -1, dtype=np.int32)
                st_map = np.full(len(uniques) + 1, -1, dtype=np.int32)
                for i, ref in enumerate(uniques):
                    try:
                        tp = journey.touchpoint(str(ref))
                    except NotFoundError as err:
                        raise EvidenceError(
                            f"The survey mapping names touchpoint {str(ref)!r}, which is not in "
                            f"the journey: {err}"
                        ) from None
                    st_map[i] = self._register_stage(journey.stage_of(tp).id)
                    tp_map[i] = self._register_tp(tp.id, int(st_map[i]))
                if pattern is not None:
                    reps = len(raw) // max(len(codes), 1)
                    self._tp, self._st = np.tile(tp_map[codes], reps), np.tile(st_map[codes], reps)
                else:
                    self._tp, self._st = tp_map[codes], st_map[codes]
            drop.append("touchpoint")
        if "touchpoint_id" in raw.columns or "stage_id" in raw.columns:
            tp_col = raw["touchpoint_id"] if "touchpoint_id" in raw.columns else None
            st_col = raw["stage_id"] if "stage_id" in raw.columns else None
            if st_col is not None:
                codes, uniques = pd.factorize(st_col, use_na_sentinel=True)
                mapping = np.array([self._register_stage(str(u)) for u in uniques] + [-1])
                self._st = mapping[codes].astype(np.int32)
            if tp_col is not None:
                pairs = pd.DataFrame({"tp": tp_col, "st": self._st})
                codes, uniques = pd.factorize(tp_col, use_na_sentinel=True)
                mapping = np.full(len(uniques) + 1, -1, dtype=np.int32)
                for i, ref in enumerate(uniques):
                    first = pairs["st"].to_numpy()[np.argmax(codes == i)]
                    mapping[i] = self._register_tp(str(ref), int(first))
                self._tp = mapping[codes]
            drop += [c for c in ("touchpoint_id", "stage_id") if c in raw.columns]
        if "emotion" in raw.columns:
            col = raw["emotion"]
            if col.dtype != np.float64:
                col = pd.to_numeric(col, errors="coerce")
            em = col.to_numpy(dtype=np.float64, na_value=np.nan)
            with np.errstate(invalid="ignore"):  # two passes; the rows only when some are bad
                low, high = (np.fmin.reduce(em), np.fmax.reduce(em)) if len(em) else (0, 0)
            if low < -2 or high > 2:
                bad = np.flatnonzero((em < -2) | (em > 2))
                raise EvidenceError(
                    f"{len(bad)} emotion values are outside -2..+2 (rows "
                    f"{bad[:_EXAMPLES].tolist()})."
                )
            self._em = _read_only(em)  # may be the raw column: _own() copies it before writes
            drop.append("emotion")
        if "labels" in raw.columns:
            masks = [self._mask_of(v) for v in raw["labels"].tolist()]
            self._lb = np.array(masks, dtype=np.int64)
            drop.append("labels")
        if "coder" in raw.columns:
            codes, uniques = pd.factorize(raw["coder"], use_na_sentinel=True)
            mapping = np.array([self._register_coder(str(u)) for u in uniques] + [-1])
            self._cd = mapping[codes].astype(np.int32)
            drop.append("coder")
        if "tagged_at" in raw.columns:
            stamps = pd.to_datetime(raw["tagged_at"], utc=True).dt.as_unit("ns")
            self._at = stamps.to_numpy(dtype="datetime64[ns]").view(np.int64).copy()
            drop.append("tagged_at")
        return raw.drop(drop) if drop else raw

    def _mask_of(self, value: Any) -> int:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return 0
        names = [value] if isinstance(value, str) else list(value)
        mask = 0
        for name in names:
            mask |= 1 << self._register_label(str(name))
        return mask

    @classmethod
    def from_transcripts(
        cls, paths_or_glob: Any, *, journey: Journey | None = None, **kw: Any
    ) -> Evidence:
        """Read interview transcripts (.txt, .md, .vtt, .srt, .docx, CSV of turns).

        Usage: ``ev = cjm.Evidence.from_transcripts("interviews/*.txt")``
        (keywords as :func:`cjm_widgets.evidence.readers.read_transcripts`).
        """
        from cjm_widgets.evidence.readers import read_transcripts

        return cls(read_transcripts(paths_or_glob, **kw), journey=journey)

    @classmethod
    def from_survey(cls, df_or_path: Any, *, journey: Journey | None = None, **kw: Any) -> Evidence:
        """Read a survey (DataFrame, CSV, TSV, XLSX) in long format, tagged to touchpoints.

        Usage::

            ev = cjm.Evidence.from_survey("survey.csv", items={"q_checkout": "Checkout"},
                                          scale=(1, 5), missing=(0,), journey=journey)

        Keywords as :func:`cjm_widgets.evidence.readers.read_survey`; the touchpoints in
        ``items`` are resolved against ``journey`` (needed when items map to touchpoints).
        """
        from cjm_widgets.evidence.readers import read_survey

        return cls(read_survey(df_or_path, **kw), journey=journey)

    @classmethod
    def from_frame(cls, df: pd.DataFrame, *, journey: Journey | None = None, **kw: Any) -> Evidence:
        """Any DataFrame (reviews, tickets): a text row per input row plus rating rows.

        Usage: ``ev = cjm.Evidence.from_frame(reviews, text="body", source="review")``
        (keywords as :func:`cjm_widgets.evidence.readers.read_frame`).
        """
        from cjm_widgets.evidence.readers import read_frame

        return cls(read_frame(df, **kw), journey=journey)

    @classmethod
    def concat(
        cls, parts: Sequence[Evidence], *, prefixes: Sequence[str] | None = None
    ) -> Evidence:
        """Combine stores into one (rows in order; tags, codings and orphan tags kept).

        Ids must stay unique: on a collision pass ``prefixes=["a:", "b:"]`` (one per part),
        which is prepended to each part's ids. Usage: ``ev = cjm.Evidence.concat([ev1, ev2])``
        """
        parts = list(parts)
        if not parts or not all(isinstance(p, Evidence) for p in parts):
            raise EvidenceError("Evidence.concat() needs a non-empty list of Evidence stores.")
        if prefixes is not None and len(prefixes) != len(parts):
            raise EvidenceError(
                f"prefixes= needs one prefix per store ({len(parts)}), got {len(prefixes)}."
            )
        journeys = [p._journey for p in parts if p._journey is not None]
        journey = journeys[0] if journeys else None
        if any(j is not journey for j in journeys):
            raise EvidenceError(
                "These stores are linked to different journeys; link them to one journey "
                "first (ev.link(journey))."
            )
        raws = []
        for i, part in enumerate(parts):
            raw = part._raw.to_frame()
            if prefixes is not None:
                raw = raw.copy(deep=False)
                raw["evidence_id"] = prefixes[i] + raw["evidence_id"].astype("str")
            raws.append(raw)
        frame = _concat_frames(raws)
        ids = _large_strings(frame["evidence_id"])
        index = IdIndex(ids)
        dups = index.duplicates()
        if dups:
            owners = []
            for i, raw in enumerate(raws):
                if raw["evidence_id"].isin(dups[:_EXAMPLES]).any():
                    owners.append(str(i))
            raise EvidenceError(
                f"{len(dups)} evidence ids occur in more than one store (e.g. "
                f"{', '.join(map(repr, dups[:_EXAMPLES]))}; stores {', '.join(owners)}). "
                "Ids must stay unique: give each store a prefix, e.g. "
                f"Evidence.concat(stores, prefixes={[f'{i}:' for i in range(len(parts))]!r}), "
                "or read the files with different document names."
            )
        meta = {
            "reader": "concat",
            "parts": [p.meta for p in parts],
            "files": [f for p in parts for f in p.meta.get("files", [])],
            "warnings": [w for p in parts for w in p.meta.get("warnings", [])],
            "n_rows": len(frame),
        }
        out = cls(frame, meta=meta)
        out._index = index
        out._id_strings = ids
        offset = 0
        base_any = any(p._base is not None for p in parts)
        base_tp, base_st, base_em = [], [], []
        for p in parts:
            st_map = np.array([out._register_stage(s) for s in p.stage_ids] + [-1], np.int32)
            tp_map = np.array(
                [
                    out._register_tp(t, int(st_map[p._tp_stage[i]]))
                    for i, t in enumerate(p.touchpoint_ids)
                ]
                + [-1],
                np.int32,
            )
            cd_map = np.array([out._register_coder(c) for c in p.coders] + [-1], np.int32)
            lb_map = [out._register_label(x) for x in p.label_names]
            sl = slice(offset, offset + len(p))
            out._own()
            out._tp[sl] = tp_map[p._tp]
            out._st[sl] = st_map[p._st]
            out._em[sl] = p._em
            out._lb[sl] = _remap_bits(p._lb, lb_map)
            out._cd[sl] = cd_map[p._cd]
            out._at[sl] = p._at
            if base_any:
                btp, bst, bem = (
                    p._base
                    if p._base is not None
                    else (
                        np.full(len(p), -1, np.int32),
                        np.full(len(p), -1, np.int32),
                        np.full(len(p), np.nan),
                    )
                )
                base_tp.append(tp_map[btp])
                base_st.append(st_map[bst])
                base_em.append(bem)
            for chunk in p._codings:
                values = chunk.values
                out._codings.append(
                    _Coding(
                        chunk.rows + offset,
                        int(cd_map[chunk.coder]),
                        TagSlice(
                            tp_map[values.touchpoint],
                            st_map[values.stage],
                            values.emotion,
                            _remap_bits(values.labels, lb_map),
                            cd_map[values.coder],
                        ),
                        chunk.tagged_at,
                        list(chunk.extra),
                    )
                )
            out._orphans.update(p._orphans)
            out._orphan_codings += p._orphan_codings
            offset += len(p)
        if base_any:
            out._base = (np.concatenate(base_tp), np.concatenate(base_st), np.concatenate(base_em))
        if journey is not None:
            out.link(journey)
        return out

    # ------------------------------------------------------------------ registries
    def _register_stage(self, sid: str) -> int:
        code = self._st_code.get(sid)
        if code is None:
            code = self._st_code[sid] = len(self.stage_ids)
            self.stage_ids.append(sid)
        return code

    def _register_tp(self, tid: str, stage_code: int) -> int:
        code = self._tp_code.get(tid)
        if code is None:
            code = self._tp_code[tid] = len(self.touchpoint_ids)
            self.touchpoint_ids.append(tid)
            self._tp_stage = np.append(self._tp_stage, np.int32(stage_code))
        else:
            self._tp_stage[code] = stage_code
        return code

    def _register_coder(self, name: str) -> int:
        code = self._cd_code.get(name)
        if code is None:
            code = self._cd_code[name] = len(self.coders)
            self.coders.append(name)
        return code

    def _register_label(self, name: str) -> int:
        key = label_key(name)
        code = self._lb_code.get(key)
        if code is None:
            if len(self.label_names) >= MAX_LABELS:
                raise TagError(f"At most {MAX_LABELS} labels; cannot add {name!r}.")
            code = self._lb_code[key] = len(self.label_names)
            self.label_names.append(" ".join(name.split()))
        return code

    # ------------------------------------------------------------------ basic access
    def __len__(self) -> int:
        return self._n

    def __repr__(self) -> str:
        n_tagged = int((self.tagged_mask & self._says_something()).sum())  # not blank ratings
        return f"<Evidence: {self._n} rows, {n_tagged} tagged, sources {self._sources()}>"

    def _sources(self) -> dict[str, int]:
        counts = self._raw["source"].value_counts(sort=False)
        return {str(k): int(v) for k, v in counts.items() if v}

    @property
    def journey(self) -> Journey | None:
        """The journey this evidence is linked to (or None)."""
        return self._journey

    def link(self, journey: Journey) -> Evidence:
        """Link to ``journey``: removals there report the rows tagged here. Returns self.

        Usage: ``ev.link(journey)``
        """
        from cjm_widgets.model.journey import Journey

        if not isinstance(journey, Journey):
            raise EvidenceError(f"link() needs a Journey, got {type(journey).__name__}.")
        if self._journey is journey:
            return self
        if self._journey is not None:
            self._journey.remove_reference_counter(self.count_tagged)
        self._journey = journey
        journey.add_reference_counter(self.count_tagged)
        return self

    @property
    def frame(self) -> pd.DataFrame:
        """Raw columns plus the tag columns (rebuilt after a change, on first read)."""
        if self._frame is None:
            self._frame = self._build_frame()
        return self._frame.copy(deep=False)  # copy-on-write: editing it never edits the store

    def _build_frame(self) -> pd.DataFrame:
        tags = pd.DataFrame(
            {
                "stage_id": pd.Categorical.from_codes(
                    self._st, categories=pd.Index(self.stage_ids, dtype="str")
                ),
                "touchpoint_id": pd.Categorical.from_codes(
                    self._tp, categories=pd.Index(self.touchpoint_ids, dtype="str")
                ),
                "emotion": self._em.copy(),
                "labels": self._label_tuples(self._lb),
                "coder": pd.Categorical.from_codes(
                    self._cd, categories=pd.Index(self.coders, dtype="str")
                ),
                "tagged_at": pd.DatetimeIndex(self._at.view("datetime64[ns]")).tz_localize("UTC"),
            },
            index=pd.RangeIndex(self._n),
        )
        return pd.concat([self._raw.to_frame(), tags], axis=1)

    def _label_tuples(self, masks: np.ndarray) -> np.ndarray:
        uniq, inverse = np.unique(masks, return_inverse=True)
        names = self.label_names
        tuples = np.empty(len(uniq), dtype=object)
        for i, mask in enumerate(uniq.tolist()):
            tuples[i] = tuple(names[b] for b in range(len(names)) if mask >> b & 1)
        return tuples[inverse] if len(masks) else np.empty(0, dtype=object)

    def derived(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """A value computed from the raw columns only, computed once and kept until the raw
        columns change (only participant edits change them; :attr:`raw_version` counts those).
        Layers above use it for codes they would otherwise recompute per call.

        Usage: ``codes = ev.derived(("codes", "Class"), lambda: pd.factorize(ev.column("Class")))``
        """
        cache = self.__dict__.setdefault("_derived_cache", {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def column(self, name: str) -> pd.Series:
        """A raw column without building the frame. Usage: ``ev.column("text")``"""
        if name not in self._raw.columns:
            raise EvidenceError(
                f"Unknown column {name!r}. Raw columns: {', '.join(self._raw.columns)}."
            )
        return self._raw[name]

    @property
    def segments(self) -> list[str]:
        """The extra input columns kept verbatim (household, region, Class …)."""
        fixed = set(BASE_COLUMNS) | set(READER_COLUMNS)
        return [c for c in self._raw.columns if c not in fixed]

    def _tag_arrays(self) -> TagArrays:
        """The tag state as numpy arrays (no copies; treat them as read-only)."""
        return TagArrays(self._tp, self._st, self._em, self._lb, self._cd, self._at)

    @property
    def _ids_built(self) -> int:
        """How often the full evidence_id column of a survey was built (internal counter:
        0 while the ids are derived from document, respondent and item on demand)."""
        return self._lazy_ids.materialized if self._lazy_ids is not None else 0

    def _ids(self) -> pa.Array:
        if self._id_strings is None:
            self._id_strings = _large_strings(self._raw["evidence_id"])
        return self._id_strings

    def _ids_of(self, rows: np.ndarray) -> np.ndarray:
        if self._id_strings is None and self._lazy_ids is not None:
            return self._lazy_ids.take(rows)
        return np.array(
            self._ids().take(pa.array(np.asarray(rows, dtype=np.int64))).to_pylist(),
            dtype=object,
        )

    def _lookup(self, keys: Sequence[str]) -> np.ndarray:
        """Rows of evidence ids (-1 where unknown); survey ids are decoded, not indexed."""
        if self._lazy_ids is not None and self._lazy_ids.exact:
            return self._lazy_ids.rows(keys)
        return self._id_index().rows(keys)

    def _id_index(self) -> IdIndex:
        if self._index is None:
            index = IdIndex(self._ids())
            dups = index.duplicates()
            if dups:
                raise EvidenceError(
                    f"{len(dups)} evidence ids are not unique (e.g. "
                    f"{', '.join(map(repr, dups[:_EXAMPLES]))})."
                )
            self._index = index
        return self._index

    def rows_of(self, ids: str | Iterable[str]) -> np.ndarray:
        """Store rows of evidence ids (TagError naming unknown ones).

        Usage: ``ev.rows_of(["s:1:Food", "s:2:Food"])``
        """
        keys = [ids] if isinstance(ids, str) else [str(x) for x in ids]
        rows = self._lookup(keys)
        missing = np.flatnonzero(rows < 0)
        if len(missing):
            shown = ", ".join(repr(keys[i]) for i in missing[:_EXAMPLES])
            raise TagError(
                f"{len(missing)} unknown evidence id(s): {shown}"
                f"{' …' if len(missing) > _EXAMPLES else ''}. Nothing was tagged."
            )
        return rows

    # ------------------------------------------------------------------ masks
    @property
    def tagged_mask(self) -> np.ndarray:
        """Boolean array: rows with any tag (stage, touchpoint, emotion or label)."""
        return (self._st >= 0) | (self._tp >= 0) | ~np.isnan(self._em) | (self._lb != 0)

    @property
    def evidence_mask(self) -> np.ndarray:
        """Boolean array: rows tagged to the journey (a touchpoint or a stage) that say
        something — an emotion, a label or a non-blank text. These are the "tagged" rows every
        count shows: a survey or rating row whose rating is blank or "not applicable" is
        tagged to its touchpoint on import but says nothing, so it is not counted.

        Usage: ``int(ev.evidence_mask.sum())``
        """

        return ((self._st >= 0) | (self._tp >= 0)) & self._says_something()

    def _says_something(self) -> np.ndarray:
        """Rows with an emotion, a label or a non-blank text (a blank rating says nothing)."""

        def has_text() -> np.ndarray:
            text = self.column("text").astype("string").str.strip()
            return (text.str.len() > 0).fillna(False).to_numpy(dtype=bool)

        return ~np.isnan(self._em) | (self._lb != 0) | self.derived(("has_text",), has_text)

    def has_label(self, label: str) -> np.ndarray:
        """Boolean array: rows carrying ``label``. Usage: ``ev.frame[ev.has_label("quote")]``"""
        code = self._lb_code.get(label_key(str(label)))
        if code is None:
            raise TagError(
                f"Unknown label {label!r}. Labels: {', '.join(map(repr, self.label_names))}."
            )
        return (self._lb >> code & 1).astype(bool)

    # ------------------------------------------------------------------ selectors
    def _select(self, selector: Any) -> np.ndarray:
        if isinstance(selector, str):
            rows = self._lookup([selector])
            if rows[0] >= 0:
                return rows
            return self._query(selector)
        if isinstance(selector, pd.Series) and selector.dtype == bool:
            selector = selector.to_numpy()
        if isinstance(selector, pd.Series) and str(selector.dtype) == "boolean":
            selector = selector.fillna(False).to_numpy(dtype=bool)
        if isinstance(selector, np.ndarray) and selector.dtype == bool:
            if selector.shape != (self._n,):
                raise TagError(
                    f"A boolean mask needs {self._n} values (one per row), got "
                    f"{selector.shape[0] if selector.ndim else 0}."
                )
            rows = np.flatnonzero(selector)
        elif isinstance(selector, (list, tuple, np.ndarray, pd.Series, pd.Index, set, frozenset)):
            values = list(selector)
            if values and all(isinstance(v, (bool, np.bool_)) for v in values):
                return self._select(np.asarray(values, dtype=bool))
            bad = [v for v in values if not isinstance(v, str)]
            if bad:
                raise TagError(
                    f"Select evidence by id (text), a list of ids, a boolean mask or a query "
                    f"string; got {bad[0]!r} in the list."
                )
            rows = np.unique(self.rows_of(values))
        else:
            raise TagError(
                "Select evidence by id (text), a list of ids, a boolean mask or a query "
                f"string (e.g. \"source == 'survey'\"); got {type(selector).__name__}."
            )
        if len(rows) == 0:
            raise TagError("The selector matched no evidence. Nothing was changed.")
        return rows.astype(np.int64)

    def _query(self, text: str) -> np.ndarray:
        try:
            result = self.frame.query(text)
        except Exception as err:  # pandas raises many types for a bad expression
            raise TagError(
                f"{text!r} is not a known evidence id and not a valid query "
                f"({type(err).__name__}: {err}). Nothing was changed."
            ) from None
        rows = result.index.to_numpy(dtype=np.int64)
        if len(rows) == 0:
            raise TagError(f"The query {text!r} matched no evidence. Nothing was changed.")
        return np.sort(rows)

    # ------------------------------------------------------------------ tagging
    def _resolve_place(
        self, journey: Journey | None, touchpoint: Any, stage: Any
    ) -> tuple[tuple[str, str] | None, str | None, Journey | None]:
        """(touchpoint id, its stage id) and/or stage id, checked against the journey."""
        if touchpoint is None and stage is None:
            return None, None, journey
        journey = journey if journey is not None else self._journey
        if journey is None:
            raise TagError(
                "Tagging to a touchpoint or stage needs the journey: pass journey=your_journey "
                "(once; the evidence stays linked) or call ev.link(journey)."
            )
        try:
            st = journey.stage(stage) if stage is not None else None
            if touchpoint is not None:
                tp = journey.touchpoint(touchpoint)
                tp_stage = journey.stage_of(tp)
                if st is not None and tp_stage.id != st.id:
                    names = ", ".join(repr(t.name) for t in st.touchpoints) or "none"
                    raise TagError(
                        f"Touchpoint {tp.name!r} is in stage {tp_stage.name!r}, not "
                        f"{st.name!r}. Touchpoints of {st.name!r}: {names}. Nothing was tagged."
                    )
                return (tp.id, tp_stage.id), None, journey
        except NotFoundError as err:
            raise TagError(f"{err} Nothing was tagged.") from None
        return None, st.id if st is not None else None, journey

    def _label_codes(self, labels: Any, what: str, *, register: bool) -> tuple[list[str], int]:
        if labels is None:
            return [], 0
        names = [labels] if isinstance(labels, str) else list(labels)
        mask = 0
        new: list[str] = []
        for name in names:
            if not isinstance(name, str) or not name.strip():
                raise TagError(f"{what} must be label names (text), got {name!r}.")
            code = self._lb_code.get(label_key(name))
            if code is None:
                if not register:
                    raise TagError(
                        f"Unknown label {name!r}. Labels: "
                        f"{', '.join(map(repr, self.label_names))}. Nothing was changed."
                    )
                if label_key(name) not in {label_key(x) for x in new}:
                    new.append(name)
                continue
            mask |= 1 << code
        if len(self.label_names) + len(new) > MAX_LABELS:
            raise TagError(f"At most {MAX_LABELS} labels; nothing was tagged.")
        return new, mask

    def tag(
        self,
        selector: Any,
        journey: Journey | None = None,
        touchpoint: Any = None,
        stage: Any = None,
        emotion: float | None = None,
        labels: str | Iterable[str] | None = None,
        add_labels: str | Iterable[str] | None = None,
        coder: str | None = None,
    ) -> EvidenceChange:
        """Tag the selected evidence; all-or-nothing (a bad argument raises, nothing changes).

        ``selector``: an id, a list of ids, a boolean mask or a query string. ``touchpoint``
        (name or id) implies its stage; ``stage`` alone is allowed. ``emotion`` −2..+2.
        ``labels`` replaces the labels, ``add_labels`` adds to them (new names are registered).
        Only the given fields change; ``coder`` and ``tagged_at`` (now, UTC) are always set.
        Tagging rows with the tag they already have changes nothing: no undo step, no change
        event, no save (the returned change has no rows).

        Usage: ``ev.tag("P1:3", journey=j, touchpoint="Checkout", emotion=-2, labels="pain point")``
        """
        if all(x is None for x in (touchpoint, stage, emotion, labels, add_labels)):
            raise TagError(
                "Nothing to tag: pass touchpoint=, stage=, emotion=, labels= or add_labels=."
            )
        if coder is not None and (not isinstance(coder, str) or not coder.strip()):
            raise TagError(f"coder must be a name (text), got {coder!r}.")
        place, stage_id, journey = self._resolve_place(journey, touchpoint, stage)
        value = check_emotion(emotion) if emotion is not None else None
        new_a, mask_a = self._label_codes(labels, "labels", register=True)
        new_b, mask_b = self._label_codes(add_labels, "add_labels", register=True)
        rows = self._select(selector)
        # ---- validated: commit
        if journey is not None and self._journey is None:
            self.link(journey)
        for name in (*new_a, *new_b):
            code = self._register_label(name)
            if any(label_key(name) == label_key(x) for x in new_a):
                mask_a |= 1 << code
            if any(label_key(name) == label_key(x) for x in new_b):
                mask_b |= 1 << code
        old = TagSlice.take(self._tag_arrays(), rows)
        tp_code = st_code = None
        if place is not None:
            st_code = self._register_stage(place[1])
            tp_code = self._register_tp(place[0], st_code)
        elif stage_id is not None:
            st_code = self._register_stage(stage_id)

        def updated(base: TagSlice, coder_code: int) -> TagSlice:
            """``base`` with exactly the fields this call sets."""
            tp, st = base.touchpoint.copy(), base.stage.copy()
            if tp_code is not None:
                tp[:], st[:] = tp_code, st_code
            elif st_code is not None:
                keep = np.append(self._tp_stage, np.int32(-2))[tp] == st_code
                tp = np.where(keep, tp, -1).astype(np.int32)
                st[:] = st_code
            em = base.emotion.copy() if value is None else np.full(len(rows), value)
            lb = base.labels.copy() if labels is None else np.full(len(rows), mask_a, np.int64)
            if add_labels is not None:
                lb |= mask_b
            return TagSlice(tp, st, em, lb, np.full(len(rows), coder_code, dtype=np.int32))

        cd_code = self._register_coder(coder.strip()) if coder is not None else -1
        new = updated(old, cd_code)
        at = _now_ns()
        info = {
            "coder": coder,
            "touchpoint_id": place[0] if place else None,
            "stage_id": place[1] if place else stage_id,
            "emotion": value,
            "labels": self._names(mask_a) if labels is not None else None,
            "add_labels": self._names(mask_b) if add_labels is not None else None,
        }
        coding = None
        if coder is not None:  # the coder's own coding: their previous one + these fields
            previous = self._coder_previous(rows, cd_code)
            mine = updated(previous, cd_code)
            coding = _Coding(rows, cd_code, mine, np.full(len(rows), at, np.int64))
        if new.same_as(old) and (coding is None or mine.same_as(previous)):
            # the same tag again (a re-run cell): no undo step, no change event, no save
            none = rows[:0]
            empty = TagSlice.take(self._tag_arrays(), none)
            return EvidenceChange("tag", none, empty, empty, self._ids_of)
        return self._commit("tag", rows, old, new, at, info, coding=coding)

    def accept_suggestions(self, suggestions: Any, *, by: str, **kw: Any) -> EvidenceChange:
        """Tag rows as suggested by ``cjm.suggest`` and accepted by ``by`` (one undo step).

        Usage: ``ev.accept_suggestions(table.head(20), by="anna")`` (see evidence/provenance.py)
        """
        from cjm_widgets.evidence.provenance import accept_suggestions

        return accept_suggestions(self, suggestions, by=by, **kw)

    def reject_suggestions(self, suggestions: Any, *, by: str, **kw: Any) -> EvidenceChange:
        """Record that ``by`` rejected suggestions (no tag changes; one undo step).

        Usage: ``ev.reject_suggestions(table, by="anna", ids=["review:7"])``
        """
        from cjm_widgets.evidence.provenance import reject_suggestions

        return reject_suggestions(self, suggestions, by=by, **kw)

    def untag(
        self, selector: Any, labels: str | Iterable[str] | None = None, coder: str | None = None
    ) -> EvidenceChange:
        """Remove tags: only ``labels`` when given, else every tag of the selected rows.

        Usage: ``ev.untag("P1:3")`` or ``ev.untag(mask, labels=["quote"])``
        """
        if coder is not None and (not isinstance(coder, str) or not coder.strip()):
            raise TagError(f"coder must be a name (text), got {coder!r}.")
        _, mask = self._label_codes(labels, "labels", register=False)
        rows = self._select(selector)
        old = TagSlice.take(self._tag_arrays(), rows)
        k = len(rows)
        cd_code = self._register_coder(coder.strip()) if coder is not None else -1
        if labels is not None:
            new = TagSlice(
                old.touchpoint.copy(),
                old.stage.copy(),
                old.emotion.copy(),
                old.labels & ~np.int64(mask),
                np.full(k, cd_code, np.int32) if coder is not None else old.coder,
            )
            at_values = None
        else:
            new = TagSlice(
                np.full(k, -1, np.int32),
                np.full(k, -1, np.int32),
                np.full(k, np.nan),
                np.zeros(k, np.int64),
                np.full(k, -1, np.int32),
            )
            at_values = np.full(k, NAT, np.int64)
        at = _now_ns()
        info = {"coder": coder, "labels": self._names(mask) if labels is not None else None}
        coding = None
        if coder is not None:
            prev = self._coder_previous(rows, cd_code)
            if labels is not None:
                mine = TagSlice(
                    prev.touchpoint,
                    prev.stage,
                    prev.emotion,
                    prev.labels & ~np.int64(mask),
                    prev.coder,
                )
            else:
                mine = TagSlice(new.touchpoint, new.stage, new.emotion, new.labels, prev.coder)
            coding = _Coding(rows, cd_code, mine, np.full(k, at, np.int64))
        return self._commit("untag", rows, old, new, at, info, coding=coding, at_values=at_values)

    def _names(self, mask: int) -> tuple[str, ...]:
        return tuple(n for i, n in enumerate(self.label_names) if mask >> i & 1)

    def _commit(
        self,
        kind: str,
        rows: np.ndarray,
        old: TagSlice,
        new: TagSlice,
        at: int,
        info: dict[str, Any],
        *,
        coding: _Coding | None = None,
        at_values: np.ndarray | None = None,
        codings_after: list[_Coding] | None = None,
        orphans_after: tuple[dict[str, Any], list[Any]] | None = None,
    ) -> EvidenceChange:
        old_at = self._at[rows]
        new_at = at_values if at_values is not None else np.full(len(rows), at, np.int64)
        op = _Op(kind, rows, old, new, old_at, new_at, len(self._history))
        if coding is not None:
            codings_after = [*self._codings, coding]
        if codings_after is not None:
            op.codings_before, op.codings_after = self._codings, codings_after
        if orphans_after is not None:
            op.orphans_before = (self._orphans, self._orphan_codings)
            op.orphans_after = orphans_after
        self._apply(op, forward=True)
        self._undo.append(op)
        self._redo.clear()
        self._log(kind, rows, at, info)
        return self._emit(kind, rows, old, new)

    def _apply(self, op: _Op, *, forward: bool) -> None:
        values, stamps = (op.new, op.new_at) if forward else (op.old, op.old_at)
        rows = op.rows
        self._own()
        self._tp[rows] = values.touchpoint
        self._st[rows] = values.stage
        self._em[rows] = values.emotion
        self._lb[rows] = values.labels
        self._cd[rows] = values.coder
        self._at[rows] = stamps
        codings = op.codings_after if forward else op.codings_before
        if codings is not None:
            self._codings = codings
        orphans = op.orphans_after if forward else op.orphans_before
        if orphans is not None:
            self._orphans, self._orphan_codings = orphans
        raw = op.raw_after if forward else op.raw_before
        if raw is not None:  # a participant edit: new raw columns, derived values recomputed
            self._raw, self._participant_segments = raw[0], list(raw[1])
            self.__dict__.pop("_derived_cache", None)
            self._raw_version = self.raw_version + 1
        self._frame = None

    def _log(self, action: str, rows: np.ndarray, at: int, info: Mapping[str, Any]) -> None:
        self._history.append(
            {
                "op": len(self._history) + 1,
                "action": action,
                "coder": info.get("coder"),
                "at": at,
                "n_rows": len(rows),
                "touchpoint_id": info.get("touchpoint_id"),
                "stage_id": info.get("stage_id"),
                "emotion": info.get("emotion"),
                "labels": info.get("labels"),
                "add_labels": info.get("add_labels"),
                "target_op": info.get("target_op"),
                "provenance": info.get("provenance"),  # accepted suggestions: model, person
                "ids": rows[:10],
            }
        )
        self._history_rows.append(rows)

    def _emit(self, kind: str, rows: np.ndarray, old: TagSlice, new: TagSlice) -> EvidenceChange:
        change = EvidenceChange(kind, rows, old, new, self._ids_of)
        for callback in list(self._observers):
            try:
                callback(change)
            except Exception as err:  # an observer must not break tagging
                warnings.warn(
                    f"An evidence observer failed ({type(err).__name__}: {err}); the change "
                    "was kept.",
                    RuntimeWarning,
                    stacklevel=3,
                )
        return change

    # ------------------------------------------------------------------ participants
    @property
    def raw_version(self) -> int:
        """How often the raw columns changed (participant edits, their undo and redo)."""
        return int(self.__dict__.get("_raw_version", 0))

    @property
    def participants(self) -> pd.DataFrame:
        """One row per participant (a person), indexed by participant id: ``documents``,
        ``speakers``, ``sources``, ``rows`` (evidence rows from them; interviewer turns apart in
        ``interviewer_rows``) and the segments set by :meth:`set_participant_segments`.
        A copy: edit with :meth:`rename_participant`, :meth:`merge_participants`,
        :meth:`set_participant_segments` (each undoable with :meth:`undo`).

        Usage: ``ev.participants.sort_values("rows")``
        """
        from cjm_widgets.evidence import participants

        return participants.table_of(self)

    def rename_participant(self, old: str, new: str) -> EvidenceChange | None:
        """Give participant ``old`` the id ``new`` (every row from them). Undoable; run again
        (``old`` gone, ``new`` there) it changes nothing and returns None.

        Usage: ``ev.rename_participant("interview_07/Interviewee", "Maria")``
        """
        from cjm_widgets.evidence import participants

        done = participants.renamed(self, old, new)
        if done is None:
            return None
        return self._commit_raw(done[0], self._psegs(), done[1], "rename participant")

    def merge_participants(
        self, ids: Sequence[str], *, into: str | None = None
    ) -> EvidenceChange | None:
        """Make participants ``ids`` one person, ``into`` (default: the first id). Undoable;
        run again (only ``into`` left) it changes nothing and returns None.

        Their segments (from :meth:`set_participant_segments`) must agree or be missing.
        Usage: ``ev.merge_participants(["s1/Anna", "s2/Anna"], into="Anna")``
        """
        from cjm_widgets.evidence import participants

        done = participants.merged(self, ids, into)
        if done is None:
            return None
        return self._commit_raw(done[0], self._psegs(), done[1], "merge participants")

    def set_participant_segments(
        self,
        table: pd.DataFrame | str | Path,
        *,
        on: str = "participant",
        columns: Sequence[str] | None = None,
    ) -> EvidenceChange | None:
        """Attach per-person segments (age band, region …) from a DataFrame or CSV: column
        ``on`` holds participant ids, the other columns (or ``columns``) become segment
        columns of every row from that person, usable as ``by=`` everywhere. People missing
        from the table get missing values. All ids must exist; nothing changes on an error.
        Undoable; setting a column again replaces it (with the same values: no change, None).

        Usage: ``ev.set_participant_segments("people.csv", on="participant")``
        """
        from cjm_widgets.evidence import participants

        reserved = [*BASE_COLUMNS, *READER_COLUMNS, *TAG_COLUMNS]
        done = participants.with_segments(self, table, on, columns, reserved)
        if done is None:
            return None
        return self._commit_raw(done[0], done[1], np.arange(self._n), "participant segments")

    def _psegs(self) -> list[str]:
        """The segment columns set by :meth:`set_participant_segments`."""
        return list(self.__dict__.get("_participant_segments", []))

    def _commit_raw(
        self, frame: pd.DataFrame, segs: list[str], rows: np.ndarray, action: str
    ) -> EvidenceChange:
        """Replace the raw columns by ``frame`` as one undoable operation (tags unchanged)."""
        rows = np.asarray(rows, dtype=np.int64)
        same = TagSlice.take(self._tag_arrays(), rows)
        at = self._at[rows]
        op = _Op("participants", rows, same, same, at, at, len(self._history))
        # both states frame-backed: a survey's lazily built columns are closures (no pickle)
        op.raw_before = (LongColumns.of_frame(self._raw.to_frame()), self._psegs())
        op.raw_after = (LongColumns.of_frame(frame), list(segs))
        self._apply(op, forward=True)
        self._undo.append(op)
        self._redo.clear()
        self._log(action, rows, _now_ns(), {})
        return self._emit("participants", rows, same, same)

    # ------------------------------------------------------------------ undo / history
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> EvidenceChange | None:
        """Undo the last tag operation (None when there is nothing to undo)."""
        if not self._undo:
            return None
        op = self._undo.pop()
        self._apply(op, forward=False)
        self._redo.append(op)
        self._log("undo", op.rows, _now_ns(), {"target_op": op.history + 1})
        return self._emit("undo", op.rows, op.new, op.old)

    def redo(self) -> EvidenceChange | None:
        """Redo the last undone operation (None when there is nothing to redo)."""
        if not self._redo:
            return None
        op = self._redo.pop()
        self._apply(op, forward=True)
        self._undo.append(op)
        self._log("redo", op.rows, _now_ns(), {"target_op": op.history + 1})
        return self._emit("redo", op.rows, op.old, op.new)

    @property
    def history(self) -> pd.DataFrame:
        """Audit log: one row per operation (op, action, coder, at, n_rows, what, ids).

        ``ids`` holds the first 10 ids; :meth:`history_ids` gives them all.
        """
        columns = [
            "op",
            "action",
            "coder",
            "at",
            "n_rows",
            "touchpoint_id",
            "stage_id",
            "emotion",
            "labels",
            "add_labels",
            "target_op",
            "provenance",
            "ids",
        ]
        if not self._history:
            return pd.DataFrame(columns=columns)
        rows = [dict(h) for h in self._history]
        for row in rows:
            row["ids"] = tuple(self._ids_of(row["ids"]).tolist())
        df = pd.DataFrame(rows, columns=columns)
        df["at"] = pd.to_datetime(df["at"].astype("int64"), unit="ns", utc=True)
        df["target_op"] = df["target_op"].astype("Int64")
        return df

    def history_ids(self, op: int) -> list[str]:
        """Every evidence id an operation touched (``op`` as in ``ev.history.op``)."""
        if not 1 <= int(op) <= len(self._history_rows):
            raise EvidenceError(f"No operation {op}; history has ops 1..{len(self._history)}.")
        return self._ids_of(self._history_rows[int(op) - 1]).tolist()

    # ------------------------------------------------------------------ observers
    def observe(
        self, callback: Callable[[EvidenceChange], None]
    ) -> Callable[[EvidenceChange], None]:
        """Call ``callback(change)`` after each tag, untag, undo, redo, load_tags, move_tags.

        Usage: ``ev.observe(lambda change: print(change.kind, change.ids))``
        """
        if not callable(callback):
            raise EvidenceError(f"observe() needs a callable, got {callback!r}.")
        self._observers.append(callback)
        return callback

    def unobserve(self, callback: Callable[[EvidenceChange], None]) -> None:
        """Stop delivering changes to ``callback`` (no error if it was not observing)."""
        self._observers = [cb for cb in self._observers if cb != callback]

    # ------------------------------------------------------------------ search
    def search(
        self,
        text: str,
        *,
        match: str = "contains",
        accents: str = "keep",
        language: str | None = None,
    ) -> list[str]:
        """Ids of evidence whose text matches ``text`` (case-insensitive).

        Usage: ``ev.tag(ev.search('"lost luggage"', match="words"), labels="quote")``

        ``match="contains"`` (default): every word of ``text`` (or phrase in double quotes)
        occurs, also inside longer words ("deliver" finds "delivery"). ``match="words"``:
        only as whole words (Swedish ``"kö"`` finds "kö", not "köpa" or "kök").
        ``match="exact"``: the whole text as typed, case and accents included. Accents count
        unless ``accents="fold"`` ("cafe" then finds "Café"); with ``language="sv"`` (or
        ``"fi"``, ``"pl"``) folding keeps that language's own letters (å, ä, ö stay).
        The first search builds a normalised copy of the distinct texts; later searches are
        single Arrow/RE2 scans.
        """
        return self._ids_of(
            self.search_rows(text, match=match, accents=accents, language=language)
        ).tolist()

    def search_rows(
        self,
        text: str,
        *,
        match: str = "contains",
        accents: str = "keep",
        language: str | None = None,
    ) -> np.ndarray:
        """Like :meth:`search`, giving store rows."""
        if not isinstance(text, str):
            raise EvidenceError(f"search() needs text, got {text!r}.")
        if self._folded is None:
            self._folded = TextIndex(pa.array(self._raw["text"].array))
        try:
            mask = self._folded.search(text, match=match, accents=accents, language=language)
        except ValueError as err:
            raise EvidenceError(f"search(): {err}.") from None
        return np.flatnonzero(mask).astype(np.int64)

    # ------------------------------------------------------------------ journey removals
    def count_tagged(
        self, stage_ids: Iterable[str] = (), touchpoint_ids: Iterable[str] = ()
    ) -> int:
        """Rows tagged to any of these stages or touchpoints (the journey's removal counter)."""
        st = [self._st_code[s] for s in stage_ids if s in self._st_code]
        tp = [self._tp_code[t] for t in touchpoint_ids if t in self._tp_code]
        if not st and not tp:
            return 0
        hit = np.isin(self._st, st) if st else np.zeros(self._n, bool)
        if tp:
            hit |= np.isin(self._tp, tp)
        return int(hit.sum())

    def orphaned(self, journey: Journey | None = None) -> pd.DataFrame:
        """Stages / touchpoints tagged here but missing from the journey, with row counts.

        Usage: ``for row in ev.orphaned().itertuples(): ev.move_tags(row.id, "New place")``
        """
        journey = journey if journey is not None else self._journey
        if journey is None:
            raise EvidenceError("orphaned() needs a journey: pass journey= or ev.link(journey).")
        st_live = {s.id for s in journey.stages}
        tp_live = {t.id for t in journey.touchpoints}
        out = []
        for kind, ids, codes in (
            ("stage", self.stage_ids, self._st),
            ("touchpoint", self.touchpoint_ids, self._tp),
        ):
            counts = np.bincount(codes[codes >= 0], minlength=len(ids))
            live = st_live if kind == "stage" else tp_live
            for code, ident in enumerate(ids):
                if counts[code] and ident not in live:
                    out.append({"kind": kind, "id": ident, "n_rows": int(counts[code])})
        return pd.DataFrame(out, columns=["kind", "id", "n_rows"])

    def move_tags(
        self,
        from_touchpoint: Any = None,
        to_touchpoint: Any = None,
        *,
        from_stage: Any = None,
        to_stage: Any = None,
        journey: Journey | None = None,
    ) -> EvidenceChange:
        """Move every tag of one touchpoint (or stage) to another; undoable and observed.

        ``from_*`` may be an id no longer in the journey (after a removal). Usage::

            removal = journey.remove_touchpoint("Fax order")   # removal.evidence_rows == 12
            ev.move_tags("t7", "Web form")
        """
        journey = journey if journey is not None else self._journey
        if (from_touchpoint is None) == (from_stage is None):
            raise TagError("move_tags() needs from_touchpoint or from_stage (one of them).")
        if to_touchpoint is None and to_stage is None:
            raise TagError("move_tags() needs to_touchpoint or to_stage.")
        place, stage_id, journey = self._resolve_place(journey, to_touchpoint, to_stage)
        if from_touchpoint is not None:
            code = self._source_code(from_touchpoint, self._tp_code, "touchpoint", journey)
            rows = np.flatnonzero(self._tp == code)
            what = from_touchpoint
        else:
            code = self._source_code(from_stage, self._st_code, "stage", journey)
            rows = np.flatnonzero(self._st == code)
            what = from_stage
        if len(rows) == 0:
            raise TagError(f"No evidence is tagged to {what!r}; nothing was moved.")
        old = TagSlice.take(self._tag_arrays(), rows)
        tp, st = old.touchpoint.copy(), old.stage.copy()
        if place is not None:
            st_code = self._register_stage(place[1])
            tp[:] = self._register_tp(place[0], st_code)
            st[:] = st_code
        else:
            st_code = self._register_stage(stage_id)  # type: ignore[arg-type]
            keep = np.append(self._tp_stage, np.int32(-2))[tp] == st_code
            tp = np.where(keep, tp, -1).astype(np.int32)
            st[:] = st_code
        new = TagSlice(tp, st, old.emotion.copy(), old.labels.copy(), old.coder.copy())
        info = {
            "touchpoint_id": place[0] if place else None,
            "stage_id": place[1] if place else stage_id,
        }
        old_at = self._at[rows]
        field = "touchpoint" if from_touchpoint is not None else "stage"
        target_tp = self._tp_code[place[0]] if place is not None else -1
        moved: list[_Coding] = []
        for chunk in self._codings:  # coders' codings move with the tags
            values = chunk.values
            hit = getattr(values, field) == code
            if hit.any():
                ctp, cst = values.touchpoint.copy(), values.stage.copy()
                cst[hit] = st_code
                ctp[hit] = (
                    target_tp
                    if place is not None
                    else np.where(
                        np.append(self._tp_stage, np.int32(-2))[ctp[hit]] == st_code, ctp[hit], -1
                    )
                )
                values = TagSlice(ctp, cst, values.emotion, values.labels, values.coder)
                chunk = _Coding(chunk.rows, chunk.coder, values, chunk.tagged_at, chunk.extra)
            moved.append(chunk)
        return self._commit(
            "move_tags",
            rows.astype(np.int64),
            old,
            new,
            _now_ns(),
            info,
            at_values=old_at.copy(),
            codings_after=moved,
        )

    def _source_code(
        self, ref: Any, codes: Mapping[str, int], kind: str, journey: Journey | None
    ) -> int:
        key = getattr(ref, "id", ref)
        if isinstance(key, str) and key in codes:
            return codes[key]
        if journey is not None:
            try:
                found = journey.touchpoint(key) if kind == "touchpoint" else journey.stage(key)
            except NotFoundError:
                found = None
            if found is not None and found.id in codes:
                return codes[found.id]
        known = ", ".join(codes) or "none"
        raise TagError(f"No evidence is tagged to {kind} {ref!r}. Tagged {kind}s: {known}.")

    # ------------------------------------------------------------------ codings
    def _coder_previous(self, rows: np.ndarray, coder: int) -> TagSlice:
        """One coder's latest coding of ``rows`` (sorted, unique); empty where none."""
        k = len(rows)
        tp, st = np.full(k, -1, np.int32), np.full(k, -1, np.int32)
        em, lb = np.full(k, np.nan), np.zeros(k, np.int64)
        if k:
            first, last = int(rows[0]), int(rows[-1])
            for chunk in self._codings:
                if chunk.coder != coder or chunk.hi < first or chunk.lo > last:
                    continue  # another coder's, empty, or no row in common
                at = np.minimum(np.searchsorted(rows, chunk.rows), k - 1)
                hit = rows[at] == chunk.rows
                dst = at[hit]
                tp[dst] = chunk.values.touchpoint[hit]
                st[dst] = chunk.values.stage[hit]
                em[dst] = chunk.values.emotion[hit]
                lb[dst] = chunk.values.labels[hit]
        return TagSlice(tp, st, em, lb, np.full(k, coder, np.int32))

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

    # ------------------------------------------------------------------ tags file
    @property
    def orphan_tags(self) -> dict[str, dict[str, Any]]:
        """Tags loaded for evidence ids not in this store (kept; the next save writes them)."""
        return dict(self._orphans)

    def _changed_rows(self) -> np.ndarray:
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
        bound = fingerprint_json(self, rows, orphan_ids, rows_c, coding_ids)
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
        bound = fingerprint_json(self, rows, orphan_ids, rows_c, coding_ids)
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

    def open_tags(self, path: str | Path, *, delay: float = 0.5) -> Evidence:
        """Load the tags from ``path`` when the file exists (else create it), then write every
        tag change to it; returns this evidence. Idempotent: Run All opens the same file.
        Details: :mod:`cjm_widgets.evidence.tags_open`.

        Usage: ``ev = cjm.Evidence.concat([a, b]).open_tags("work/grocery.tags.json")``
        """
        from cjm_widgets.evidence.tags_open import open_tags

        return open_tags(self, path, delay=delay)

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
            data, binding = check_and_bind(self, data, file, rebind=rebind)
            report = {**self._load(data, file), "binding": binding}
            keep_orphan_hashes(self, binding)
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

    # ------------------------------------------------------------------ display
    def summary(self) -> pd.DataFrame:
        """Rows, tagged rows, rows with an emotion and participants per source and document.

        A tagged row has a tag that says something (an emotion, a label, or a touchpoint or
        stage on a row with text): a rating row whose rating is blank or "not applicable" is
        not tagged.

        Usage: ``ev.summary()``
        """
        tagged = self.tagged_mask & self._says_something()  # a blank rating is not tagged
        df = pd.DataFrame(
            {
                "source": self._raw["source"],
                "document": self._raw["document"],
                "participant": self._raw["participant"],
                "tagged": tagged,
                "emotion": ~np.isnan(self._em),
            }
        )
        out = df.groupby(["source", "document"], sort=False, observed=True).agg(
            rows=("tagged", "size"),
            tagged=("tagged", "sum"),
            with_emotion=("emotion", "sum"),
            participants=("participant", "nunique"),
        )
        return out.reset_index()

    def nbytes(self) -> int:
        """Memory of the store in bytes (raw columns deep + tag arrays + built indexes)."""
        total = self._raw.nbytes()
        arrays = [self._tp, self._st, self._em, self._lb, self._cd, self._at, self._tp_stage]
        if self._base is not None:  # the import state (memory shared until the first change)
            arrays += [b for b, a in zip(self._base, arrays, strict=False) if b is not a]
        total += sum(a.nbytes for a in arrays if a.strides != (0,))  # constants take none
        if self._index is not None:
            total += self._index.nbytes
        if self._folded is not None:
            total += self._folded.nbytes
        return total

    def _repr_html_(self) -> str:
        head = self.frame.head(10)
        n_tagged = int(self.tagged_mask.sum())
        sources = ", ".join(f"{html.escape(k)}: {v}" for k, v in self._sources().items())
        return (
            '<div class="cjm-evidence">'
            f"<p><b>Evidence</b>: {self._n} rows, {n_tagged} tagged ({sources})</p>"
            f"{head.to_html(escape=True, max_cols=20)}"
            "</div>"
        )


# ------------------------------------------------------------------------------ helpers


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


def _remap_bits(masks: np.ndarray, mapping: Sequence[int]) -> np.ndarray:
    if list(mapping) == list(range(len(mapping))):
        return masks.copy()
    out = np.zeros(len(masks), np.int64)
    for bit, target in enumerate(mapping):
        out |= ((masks >> bit) & 1) << target
    return out


def _str_categories(cat: pd.Categorical) -> pd.Categorical:
    """Text categories as the str dtype, so categoricals of several parts can be unioned."""
    categories = cat.categories
    if categories.dtype == object or str(categories.dtype) in ("str", "string"):
        return cat.rename_categories(pd.Index(categories.astype(str), dtype="str"))
    return cat


def _concat_frames(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Row-wise concat keeping categoricals categorical (union of categories)."""
    columns: list[str] = []
    for f in frames:
        columns += [c for c in f.columns if c not in columns]
    out: dict[str, Any] = {}
    for col in columns:
        pieces = [f[col] if col in f.columns else None for f in frames]
        present = [p for p in pieces if p is not None]
        textish = all(
            isinstance(p.dtype, pd.CategoricalDtype)
            or p.dtype == object
            or str(p.dtype) in ("str", "string")
            for p in present
        )
        if textish and any(isinstance(p.dtype, pd.CategoricalDtype) for p in present):
            cats = [
                _str_categories(pd.Categorical(p))
                if p is not None
                else pd.Categorical([None] * len(f), categories=pd.Index([], dtype="str"))
                for p, f in zip(pieces, frames, strict=True)
            ]
            out[col] = pd.api.types.union_categoricals(cats, ignore_order=True)
        else:
            filled = [
                p.reset_index(drop=True)
                if p is not None
                else pd.Series(
                    [None] * len(f),
                    dtype=present[0].dtype
                    if present[0].dtype.kind in "OUSfM"
                    or str(present[0].dtype) in ("str", "string")
                    else "float64",
                )
                for p, f in zip(pieces, frames, strict=True)
            ]
            out[col] = pd.concat(filled, ignore_index=True)
    return pd.DataFrame(out)
