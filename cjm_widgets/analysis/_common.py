"""Pieces shared by the analyses: the counted rows, journey slots and group masks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.analysis.curve import (
    MISSING,
    base_mask,
    distinct_per_cell,
    layout,
    participant_codes,
    persona_mask,
    place_codes,
    resolve_persona,
    series_codes,
    slot_lookup,
)
from cjm_widgets.errors import EvidenceError, TagError

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

PAIN_LABEL = "pain point"
SLOT_COLUMNS = ["stage_id", "stage", "touchpoint_id", "touchpoint", "order"]


@dataclass(frozen=True)
class Counted:
    """Tagged rows an analysis counts, with their slot in the journey layout."""

    rows: np.ndarray  # store rows
    slot: np.ndarray  # slot index per row
    emotion: np.ndarray
    pain: np.ndarray  # emotion < 0 or the "pain point" label
    participant: np.ndarray  # participant code
    slots: list[dict[str, Any]]
    unplaced: int  # tagged rows whose touchpoint/stage is no longer in the journey


def pain_mask(ev: Evidence) -> np.ndarray:
    """Rows carrying the "pain point" label (all False when the label is unknown)."""
    try:
        return ev.has_label(PAIN_LABEL)
    except TagError:  # a store without the built-in label ("Unknown label"); bugs raise
        return np.zeros(len(ev), dtype=bool)


def has_text(ev: Evidence) -> np.ndarray:
    """Rows whose text is not blank (computed once per store)."""

    def compute() -> np.ndarray:
        text = ev.column("text").astype("string").str.strip()
        return (text.str.len() > 0).fillna(False).to_numpy(dtype=bool)

    return ev.derived(("analysis.has_text",), compute)


def counted(
    journey: Journey,
    ev: Evidence,
    *,
    level: str = "touchpoint",
    include_interviewer: bool = False,
    where: np.ndarray | None = None,
    empty_stages: bool = False,
) -> Counted:
    """Tagged rows that say something — an emotion, a label or a text — placed on the
    journey's slots (interviewer turns dropped unless asked). A survey answer "not
    applicable" (tagged, no emotion, no text) is not evidence and is not counted.

    At touchpoint level, rows tagged to a stage only form a "(whole stage)" slot first in their
    stage, as in :func:`~cjm_widgets.analysis.emotion_curve`.
    """
    if level not in ("touchpoint", "stage"):
        raise ValueError(f"level must be 'touchpoint' or 'stage', not {level!r}")
    ta = ev._tag_arrays()
    place = place_codes(ta.touchpoint, ta.stage)
    mask = base_mask(ev, include_interviewer) & ev.evidence_mask  # placed, says something
    if where is not None:
        mask &= where
    rows = np.flatnonzero(mask)
    pl = place[rows]
    present = set(np.flatnonzero(np.bincount(pl)).tolist()) if len(pl) else set()
    slots = layout(journey, ev, level, present, empty_stages=empty_stages)
    lut = slot_lookup(slots, int(pl.max()) + 1 if len(pl) else 0)
    slot = lut[pl] if len(pl) else np.zeros(0, dtype=np.int64)
    ok = slot >= 0
    rows, slot = rows[ok], slot[ok]
    emotion = ta.emotion[rows]
    pain = (emotion < 0) | pain_mask(ev)[rows]
    return Counted(
        rows=rows,
        slot=slot,
        emotion=emotion,
        pain=pain,
        participant=participant_codes(ev)[rows],
        slots=slots,
        unplaced=int((~ok).sum()),
    )


def slot_frame(slots: list[dict[str, Any]]) -> pd.DataFrame:
    """stage_id, stage, touchpoint_id, touchpoint, order of each slot (string dtypes)."""
    return pd.DataFrame(
        {
            "stage_id": pd.array([s["stage_id"] for s in slots], dtype="string"),
            "stage": pd.array([s["stage"] for s in slots], dtype="string"),
            "touchpoint_id": pd.array([s["touchpoint_id"] for s in slots], dtype="string"),
            "touchpoint": pd.array([s["touchpoint"] for s in slots], dtype="string"),
            "order": np.arange(len(slots), dtype=np.int64),
        },
        columns=SLOT_COLUMNS,
    )


def distinct_count(group: np.ndarray, member: np.ndarray, n_groups: int) -> np.ndarray:
    """Distinct ``member`` values per group (int64, length ``n_groups``)."""
    n_members = int(member.max()) + 1 if len(member) else 1
    return distinct_per_cell(group.astype(np.int64), member, n_groups, n_members)


def group_mask(journey: Journey, ev: Evidence, by: Any, value: Any) -> np.ndarray:
    """Rows of one group: ``value`` of column ``by`` (a value or a list of values; None, NaN
    or "not given" match the rows without a value), or — with ``by=None`` — a Persona /
    persona name or id (its segment filter)."""
    if by is None:
        persona = resolve_persona(journey, value)
        if persona is None:
            known = ", ".join(repr(p.name) for p in journey.personas) or "none"
            raise EvidenceError(
                f"{value!r} is not a persona of the journey (personas: {known}); pass by= a "
                "column to compare values of that column."
            )
        return persona_mask(ev, persona)
    codes, names, _ = series_codes(journey, ev, by, False, "label")  # cached per store, column
    wanted = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
    keys = [
        MISSING if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in wanted
    ]
    hit = [names.index(k) for k in keys if k in names]
    if not hit:
        shown = ", ".join(map(repr, names[:10]))
        raise EvidenceError(f"No evidence has {by} = {value!r}. Values of {by!r}: {shown}.")
    mask = np.isin(codes, hit)
    return mask
