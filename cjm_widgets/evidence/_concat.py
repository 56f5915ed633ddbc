"""Combining evidence stores (rows in order, tags, codings and orphan tags kept).

Usage: ``ev = cjm.Evidence.concat([ev1, ev2], prefixes=["a:", "b:"])``
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

import numpy as np
import pandas as pd

from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence._from_readers import FromReadersMixin
from cjm_widgets.evidence._state import (
    _EXAMPLES,
    _Coding,
    _large_strings,
)
from cjm_widgets.evidence.search import IdIndex
from cjm_widgets.evidence.tags import (
    TagSlice,
)


class ConcatMixin(FromReadersMixin):
    """Part of :class:`~cjm_widgets.evidence.store.Evidence` (see its module)."""

    @classmethod
    def concat(cls, parts: Sequence[Self], *, prefixes: Sequence[str] | None = None) -> Self:
        """Combine stores into one (rows in order; tags, codings and orphan tags kept).

        Ids must stay unique: on a collision pass ``prefixes=["a:", "b:"]`` (one per part),
        which is prepended to each part's ids. Usage: ``ev = cjm.Evidence.concat([ev1, ev2])``
        """
        parts = list(parts)
        if not parts or not all(isinstance(p, cls) for p in parts):
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
