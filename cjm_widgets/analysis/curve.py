"""The emotion curve: mean emotion per touchpoint (or stage) × series, with 95% CI.

Usage: ``cjm.emotion_curve(journey, ev, by="Class")``
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cjm_widgets.analysis._stats import summarize

COLUMNS = [
    "stage_id",
    "stage",
    "touchpoint_id",
    "touchpoint",
    "order",
    "series",
    "n",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    "n_participants",
    "supported",
]
WHOLE_STAGE = "(whole stage)"
MISSING = "(missing)"
OVERALL = "All"


def _persona(journey: Any, by: Any) -> Any:
    from cjm_widgets.model.entities import Persona

    if isinstance(by, Persona):
        return by
    if isinstance(by, str):
        for p in journey.personas:
            if by in (p.name, p.id):
                return p
    return None


def _series(
    journey: Any, ev: Any, by: Any, overall: bool | None
) -> tuple[np.ndarray, list[str], bool]:
    """Per-row series code (-1 = not in any named series), series names, overall flag."""
    n = len(ev)
    if by is None:
        return np.full(n, -1, dtype=np.int64), [], True
    persona = _persona(journey, by)
    if persona is not None:
        mask = np.ones(n, dtype=bool)
        for col, want in persona.segment.items():
            values = ev.column(col)
            wanted = want if isinstance(want, (list, tuple, set)) else [want]
            mask &= values.isin(list(wanted)).to_numpy(dtype=bool)
        return np.where(mask, 0, -1).astype(np.int64), [persona.name], bool(overall)

    def factorize() -> tuple[np.ndarray, list[str]]:
        strings = ev.column(by).astype("string").fillna(MISSING).astype(object)
        codes, uniques = pd.factorize(strings, sort=True)
        return codes.astype(np.int64), [str(u) for u in uniques]

    codes, names = ev.derived(("analysis.series", by), factorize)
    return codes, list(names), bool(overall)


def _row_mask(ev: Any, include_interviewer: bool, emotion: bool = True) -> np.ndarray:
    ta = ev._tag_arrays()
    mask = ~np.isnan(ta.emotion) if emotion else np.ones(len(ev), dtype=bool)
    if not include_interviewer:
        mask &= ~ev.derived(("analysis.interviewer",), lambda: _interviewer_rows(ev))
    return mask


def _interviewer_rows(ev: Any) -> np.ndarray:
    """Rows whose role is "interviewer" (all False when the evidence has no role column)."""
    try:
        role = ev.column("role")
    except Exception:
        return np.zeros(len(ev), dtype=bool)
    return (role.astype("string") == "interviewer").fillna(False).to_numpy(dtype=bool)


def participant_codes(ev: Any) -> np.ndarray:
    """Integer code of each row's participant (computed once per evidence store)."""
    return ev.derived(
        ("analysis.participant",),
        lambda: pd.factorize(ev.column("participant"))[0].astype(np.int64),
    )


def _layout(
    journey: Any, ev: Any, level: str, stage_only_present: set[int]
) -> list[dict[str, Any]]:
    """Output slots in journey order with the store place codes each slot draws from.

    Place codes: touchpoint code t (0..T−1) for touchpoint rows, T + s for stage-only rows.
    """
    tp_code = {tid: i for i, tid in enumerate(ev.touchpoint_ids)}
    st_code = {sid: i for i, sid in enumerate(ev.stage_ids)}
    n_tp = len(ev.touchpoint_ids)
    slots: list[dict[str, Any]] = []
    for stage in journey.stages:
        whole = st_code.get(stage.id)
        whole_place = None if whole is None else n_tp + whole
        tps = [(tp, tp_code.get(tp.id)) for tp in stage.touchpoints]
        if level == "stage":
            places = [c for _, c in tps if c is not None]
            if whole_place is not None:
                places.append(whole_place)
            slots.append(
                {
                    "stage_id": stage.id,
                    "stage": stage.name,
                    "touchpoint_id": pd.NA,
                    "touchpoint": pd.NA,
                    "places": places,
                }
            )
            continue
        if whole_place is not None and whole_place in stage_only_present:
            slots.append(
                {
                    "stage_id": stage.id,
                    "stage": stage.name,
                    "touchpoint_id": pd.NA,
                    "touchpoint": WHOLE_STAGE,
                    "places": [whole_place],
                }
            )
        for tp, c in tps:
            slots.append(
                {
                    "stage_id": stage.id,
                    "stage": stage.name,
                    "touchpoint_id": tp.id,
                    "touchpoint": tp.name,
                    "places": [] if c is None else [c],
                }
            )
    return slots


def build_frame(
    slots: list[dict[str, Any]],
    series_names: list[str],
    count: np.ndarray,
    total: np.ndarray,
    sumsq: np.ndarray,
    participants: np.ndarray,
    min_n: int,
    participants_by_place: np.ndarray | None = None,
) -> pd.DataFrame:
    """The curve frame from per-(place, series) sufficient statistics (shared by both paths).

    ``count/total/sumsq`` have shape (places, series); ``participants`` is a callable-free
    array of (place, series, participant) triples (int64, shape (k, 3), unique rows).
    """
    n_series = len(series_names)
    n_slots = len(slots)
    n = np.zeros((n_slots, n_series), dtype=np.int64)
    s = np.zeros((n_slots, n_series))
    ss = np.zeros((n_slots, n_series))
    npart = np.zeros((n_slots, n_series), dtype=np.int64)
    place_slot: dict[int, int] = {}
    for i, slot in enumerate(slots):
        for p in slot["places"]:
            place_slot[p] = i
            if p < count.shape[0]:
                n[i] += count[p]
                s[i] += total[p]
                ss[i] += sumsq[p]
    if participants_by_place is not None:
        # each slot holds one place (touchpoint level): distinct counts add up directly
        for i, slot in enumerate(slots):
            for p in slot["places"]:
                if p < participants_by_place.shape[0]:
                    npart[i] += participants_by_place[p, :n_series]
    elif len(participants) and n_slots:
        lut = np.full(max(count.shape[0], int(participants[:, 0].max()) + 1), -1, dtype=np.int64)
        for p, i in place_slot.items():
            if p < len(lut):
                lut[p] = i
        slot_of = lut[participants[:, 0]]
        keep = slot_of >= 0
        trip = unique_rows(
            np.stack([slot_of[keep], participants[keep, 1], participants[keep, 2]], 1)
        )
        if len(trip):
            np.add.at(npart, (trip[:, 0], trip[:, 1]), 1)
    stat = summarize(n.ravel(), s.ravel(), ss.ravel())
    rep = np.repeat(np.arange(n_slots), n_series)
    out = pd.DataFrame(
        {
            "stage_id": pd.array([slots[i]["stage_id"] for i in rep], dtype="string"),
            "stage": pd.array([slots[i]["stage"] for i in rep], dtype="string"),
            "touchpoint_id": pd.array([slots[i]["touchpoint_id"] for i in rep], dtype="string"),
            "touchpoint": pd.array([slots[i]["touchpoint"] for i in rep], dtype="string"),
            "order": rep.astype(np.int64),
            "series": pd.array(list(series_names) * n_slots, dtype="string"),
            "n": n.ravel(),
            "mean": stat["mean"],
            "sd": stat["sd"],
            "ci_low": stat["ci_low"],
            "ci_high": stat["ci_high"],
            "n_participants": npart.ravel(),
            "supported": n.ravel() >= min_n,
        },
        columns=COLUMNS,
    )
    return out


def unique_rows(rows: np.ndarray) -> np.ndarray:
    """Distinct rows of a (k, 3) array of non-negative int64 codes, hash-based (O(k)).

    ``np.unique(axis=0)`` sorts rows lexicographically and takes seconds on millions of rows;
    packing each row into one int64 and hashing is ~50x faster. Order is not meaningful.
    """
    if not len(rows):
        return rows.reshape(0, 3).astype(np.int64)
    rows = np.asarray(rows, dtype=np.int64)
    m1 = int(rows[:, 1].max()) + 1
    m2 = int(rows[:, 2].max()) + 1
    key = (rows[:, 0] * m1 + rows[:, 1]) * m2 + rows[:, 2]
    uniq = pd.unique(key)
    out = np.empty((len(uniq), 3), dtype=np.int64)
    out[:, 2] = uniq % m2
    rest = uniq // m2
    out[:, 1] = rest % m1
    out[:, 0] = rest // m1
    return out


def _stats_of(
    places: np.ndarray,
    series: np.ndarray,
    emotion: np.ndarray,
    part: np.ndarray,
    n_places: int,
    n_series: int,
) -> tuple[np.ndarray, ...]:
    key = places * n_series + series
    size = n_places * n_series
    count = np.bincount(key, minlength=size).reshape(n_places, n_series)
    total = np.bincount(key, weights=emotion, minlength=size).reshape(n_places, n_series)
    sumsq = np.bincount(key, weights=emotion * emotion, minlength=size).reshape(n_places, n_series)
    trip = (
        unique_rows(np.stack([places, series, part], 1)) if len(key) else np.zeros((0, 3), np.int64)
    )
    return count, total, sumsq, trip


def emotion_curve(
    journey: Any,
    evidence: Any,
    by: Any = None,
    level: str = "touchpoint",
    min_n: int = 5,
    include_interviewer: bool = False,
    overall: bool | None = None,
) -> pd.DataFrame:
    """Mean emotion per touchpoint (or stage) × series in journey order.

    Columns: stage_id, stage, touchpoint_id, touchpoint, order, series, n, mean, sd, ci_low,
    ci_high, n_participants, supported. ``mean`` over rows with an emotion (interviewer turns
    excluded unless ``include_interviewer``); CI = mean ± t.ppf(0.975, n−1)·sd/√n with sample sd
    (ddof=1), NaN when n < 2; ``supported`` = n ≥ ``min_n``. Touchpoints without evidence appear
    with n = 0. At touchpoint level, evidence tagged to a stage only forms a "(whole stage)" row
    first in its stage; ``level="stage"`` counts it in the stage. ``by``: an evidence column (one
    series per sorted value, NA → "(missing)") or a Persona / persona name (its segment filter →
    one series named after the persona); ``overall=True`` adds the "All" series (default only
    when ``by`` is None). Rows tagged to touchpoints not in the journey are counted in
    ``attrs["unplaced_rows"]``.
    """
    if level not in ("touchpoint", "stage"):
        raise ValueError(f"level must be 'touchpoint' or 'stage', not {level!r}")
    ta = evidence._tag_arrays()
    n_tp = len(evidence.touchpoint_ids)
    n_places = n_tp + len(evidence.stage_ids)
    mask = _row_mask(evidence, include_interviewer)
    tp = ta.touchpoint.astype(np.int64)
    st = ta.stage.astype(np.int64)
    place = np.where(tp >= 0, tp, np.where(st >= 0, n_tp + st, -1))
    mask &= place >= 0
    scode, names, with_all = _series(journey, evidence, by, overall)
    if by is None:
        with_all = True
    part = participant_codes(evidence)
    series_names = list(names) + ([OVERALL] if with_all else [])
    rows = np.flatnonzero(mask)
    sc = scode[rows]
    pl = place[rows]
    em = ta.emotion[rows]
    pa_ = part[rows]
    keep = sc >= 0
    parts = [(pl[keep], sc[keep], em[keep], pa_[keep])]
    if with_all:
        parts.append((pl, np.full(len(pl), len(names), np.int64), em, pa_))
    cat = [np.concatenate(x) for x in zip(*parts, strict=False)]
    count, total, sumsq, trip = _stats_of(
        *cat, n_places=max(n_places, 1), n_series=max(len(series_names), 1)
    )
    present = {int(p) for p in pd.unique(pl[pl >= n_tp])} if level == "touchpoint" else set()
    slots = _layout(journey, evidence, level, present)
    by_place = None
    if level == "touchpoint":  # one place per slot: distinct participants per place suffice
        by_place = np.zeros(count.shape, dtype=np.int64)
        np.add.at(by_place, (trip[:, 0], trip[:, 1]), 1)
    out = build_frame(
        slots,
        series_names,
        count[:, : len(series_names)],
        total[:, : len(series_names)],
        sumsq[:, : len(series_names)],
        trip,
        min_n,
        participants_by_place=by_place,
    )
    placed = {p for slot in slots for p in slot["places"]}
    if level == "touchpoint":
        tp_ids = {t.id for t in journey.touchpoints}
        st_ids = {s.id for s in journey.stages}
        placed = {i for i, t in enumerate(evidence.touchpoint_ids) if t in tp_ids}
        placed |= {n_tp + i for i, s in enumerate(evidence.stage_ids) if s in st_ids}
    ok = np.zeros(max(n_places, 1), dtype=bool)
    ok[list(placed)] = True
    out.attrs["unplaced_rows"] = int((~ok[pl]).sum()) if len(pl) else 0
    return out
