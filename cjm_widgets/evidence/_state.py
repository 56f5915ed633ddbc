"""The evidence store's state: tag arrays, id registries and the id index.

:class:`EvidenceCore` holds what every part of :class:`~cjm_widgets.evidence.store.Evidence`
reads: the raw columns, the tag arrays (codes into the registries of stages, touchpoints,
labels and coders) and the evidence-id lookup. Usage: internal, through ``cjm.Evidence``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Self, TypeAlias, cast

import numpy as np
import pandas as pd
import pyarrow as pa

from cjm_widgets.errors import EvidenceError, TagError
from cjm_widgets.evidence._survey import LongColumns
from cjm_widgets.evidence.readers import BASE_COLUMNS
from cjm_widgets.evidence.search import IdIndex
from cjm_widgets.evidence.tags import (
    MAX_LABELS,
    TagArrays,
    TagSlice,
    label_key,
)

#: What selects evidence rows: an evidence id, a list (or set, Series, Index) of ids, a
#: boolean mask with one value per row, or a query string such as ``"source == 'survey'"``.
Selector: TypeAlias = (
    "str | Sequence[str] | Sequence[bool] | AbstractSet[str] | np.ndarray | pd.Series | pd.Index"
)
#: A touchpoint or a stage: its name, its id or the journey's entity.
TouchpointRef: TypeAlias = "str | Touchpoint"
StageRef: TypeAlias = "str | Stage"
#: Label names: one name or several.
Labels: TypeAlias = "str | Iterable[str]"

if TYPE_CHECKING:
    from cjm_widgets._history import History
    from cjm_widgets.evidence._survey import SurveyIds
    from cjm_widgets.evidence.readers import RawEvidence
    from cjm_widgets.evidence.search import TextIndex
    from cjm_widgets.evidence.store import Evidence
    from cjm_widgets.evidence.tags import EvidenceChange
    from cjm_widgets.model.entities import Stage, Touchpoint
    from cjm_widgets.model.journey import Journey


#: Raw columns the readers add for some sources (not segments).
READER_COLUMNS: tuple[str, ...] = ("item", "speaker", "role", "start", "end")
#: Raw columns linking a row to the row its text was cut from (quotes, split sentences).
SPAN_COLUMNS: tuple[str, ...] = ("parent_id", "span_start", "span_end")
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
    labels_before: Any = None  # label edits (_labels.py): the label registry before/after
    labels_after: Any = None


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


class EvidenceCore:
    """Part of :class:`~cjm_widgets.evidence.store.Evidence` (see its module).

    The attributes below are set by ``Evidence.__init__``; they are declared here so that
    every part of the class (and the type checker) knows them.
    """

    meta: dict[str, Any]
    touchpoint_ids: list[str]
    stage_ids: list[str]
    label_names: list[str]
    coders: list[str]
    _journey: Journey | None
    _steps: History[tuple[_Op, bool], EvidenceChange]
    _tp_code: dict[str, int]
    _st_code: dict[str, int]
    _lb_code: dict[str, int]
    _cd_code: dict[str, int]
    _tp_stage: np.ndarray
    _history: list[dict[str, Any]]
    _history_rows: list[np.ndarray]
    _codings: list[_Coding]
    _orphans: dict[str, dict[str, Any]]
    _orphan_codings: list[dict[str, Any]]
    _frame: pd.DataFrame | None
    _index: IdIndex | None
    _folded: TextIndex | None
    _id_strings: pa.Array | None
    _lazy_ids: SurveyIds | None
    _raw: LongColumns
    _n: int
    _tp: np.ndarray  # tag arrays: touchpoint, stage, emotion, label bits, coder, tagged_at
    _st: np.ndarray
    _em: np.ndarray
    _lb: np.ndarray
    _cd: np.ndarray
    _at: np.ndarray
    _base: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    _raw_version: int
    _participant_segments: list[str]

    if TYPE_CHECKING:  # defined by Evidence and the upper mixins; declared for the checker

        def __init__(
            self,
            frame_or_raw: pd.DataFrame | RawEvidence,
            meta: Mapping[str, Any] | None = None,
            journey: Journey | None = None,
        ) -> None: ...

        @property
        def frame(self) -> pd.DataFrame: ...

        @property
        def raw_version(self) -> int: ...

    def _evidence(self) -> Evidence:
        """This store typed as the whole :class:`Evidence` (for helpers that take one)."""
        return cast("Evidence", self)

    def _own(self) -> None:
        """Give every tag array its own writable memory (before the first write)."""
        for name in ("_tp", "_st", "_em", "_lb", "_cd", "_at"):
            arr = getattr(self, name)
            if not arr.flags.writeable:
                setattr(self, name, np.array(arr))

    def __len__(self) -> int:
        return self._n

    def _sources(self) -> dict[str, int]:
        counts = self._raw["source"].value_counts(sort=False)
        return {str(k): int(v) for k, v in counts.items() if v}

    @property
    def journey(self) -> Journey | None:
        """The journey this evidence is linked to (or None)."""
        return self._journey

    def link(self, journey: Journey) -> Self:
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

    def _mask_of(self, value: Any) -> int:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return 0
        names = [value] if isinstance(value, str) else list(value)
        mask = 0
        for name in names:
            mask |= 1 << self._register_label(str(name))
        return mask

    def _label_tuples(self, masks: np.ndarray) -> np.ndarray:
        uniq, inverse = np.unique(masks, return_inverse=True)
        names = self.label_names
        tuples = np.empty(len(uniq), dtype=object)
        for i, mask in enumerate(uniq.tolist()):
            tuples[i] = tuple(names[b] for b in range(len(names)) if mask >> b & 1)
        return tuples[inverse] if len(masks) else np.empty(0, dtype=object)

    def _names(self, mask: int) -> tuple[str, ...]:
        return tuple(n for i, n in enumerate(self.label_names) if mask >> i & 1)

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
        fixed = set(BASE_COLUMNS) | set(READER_COLUMNS) | set(SPAN_COLUMNS)
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
