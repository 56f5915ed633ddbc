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

The class is assembled from one mixin per concern (each its own module): ``_state`` (tag
arrays, id registries), ``_select`` (masks, selectors, search), ``_undo`` (undo, redo,
history, change events), ``_tagging`` (tag, untag, move_tags), ``_participant_edits``,
``_tagsfile`` (codings, save/load tags), ``_construct`` (the readers' glue), ``_concat``
and ``_quotes`` (quotes: rows that are a span of another row's text).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from cjm_widgets._history import History
from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence._concat import ConcatMixin
from cjm_widgets.evidence._labels import LabelsMixin
from cjm_widgets.evidence._quotes import QuotesMixin
from cjm_widgets.evidence._state import (
    READER_COLUMNS,
    SOURCES,
    TAG_COLUMNS,
    _Coding,
    _constant,
    _Op,
    _read_only,
)
from cjm_widgets.evidence._survey import LongColumns, SurveyIds
from cjm_widgets.evidence.readers import RawEvidence
from cjm_widgets.evidence.search import IdIndex, TextIndex
from cjm_widgets.evidence.tags import (
    BUILTIN_LABELS,
    NAT,
    EvidenceChange,
    label_key,
)

if TYPE_CHECKING:
    from cjm_widgets.model.journey import Journey

__all__ = ["READER_COLUMNS", "SOURCES", "TAG_COLUMNS", "Evidence"]


class Evidence(QuotesMixin, LabelsMixin, ConcatMixin):
    """An evidence table (``ev.frame``) and its tags. See the module docs for usage.

    ``Evidence(frame_or_raw, meta=None, journey=None)`` wraps a reader's result or any
    DataFrame with an ``evidence_id`` column (a ``touchpoint`` column is resolved against
    ``journey``). Prefer :meth:`from_transcripts`, :meth:`from_survey`, :meth:`from_frame`.
    """

    def __init__(
        self,
        frame_or_raw: pd.DataFrame | RawEvidence,
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
        #: undo/redo steps (an operation applied backward/forward) and the observers
        self._steps: History[tuple[_Op, bool], EvidenceChange] = History(
            name="evidence", error=EvidenceError
        )
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
        if self._lazy_ids is not None:
            self._lazy_ids.keys  # noqa: B018 - makes the respondent ids (a closure until then)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self._journey is not None:  # the journey's copy dropped its counters: link again
            self._journey.add_reference_counter(self.count_tagged)

    def __repr__(self) -> str:
        n_tagged = int((self.tagged_mask & self._says_something()).sum())  # not blank ratings
        return f"<Evidence: {self._n} rows, {n_tagged} tagged, sources {self._sources()}>"

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
