"""Building an evidence store: checking a table's columns and importing its tag columns
(touchpoint, stage, emotion, labels, coder, tagged_at) into the tag arrays.

Usage: internal, through ``cjm.Evidence(frame)`` and the ``Evidence.from_*`` readers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.errors import EvidenceError, NotFoundError
from cjm_widgets.evidence._state import (
    _EXAMPLES,
    SOURCES,
    _read_only,
)
from cjm_widgets.evidence._survey import LongColumns
from cjm_widgets.evidence._tagsfile import TagsFileMixin
from cjm_widgets.evidence.readers import BASE_COLUMNS

if TYPE_CHECKING:
    from cjm_widgets.model.journey import Journey


class ConstructMixin(TagsFileMixin):
    """Part of :class:`~cjm_widgets.evidence.store.Evidence` (see its module)."""

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
