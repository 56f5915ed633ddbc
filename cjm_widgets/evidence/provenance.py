"""Accepted suggestions: ordinary tags that remember the model that suggested them.

Usage::

    table = cjm.suggest(journey, ev)
    ev.accept_suggestions(table.head(20), by="anna")          # or accept_suggestions(ev, ...)
    ev.reject_suggestions(table, by="anna", ids=["review:7"])  # next time: another touchpoint
    ev.history.provenance.iloc[-1]   # {'suggested_by': 'model:suggest', 'accepted_by': 'anna', …}
    cjm.agreement(ev, coders=("anna", "model:suggest"))
    cjm.emotion_curve(journey, ev, suggested=False)           # the curve without them

Accepting writes, in one undoable step: the tag itself (coder = the person who accepted it),
that person's coding, and the model's coding (coder ``"model:<name>"``), so the codings and the
tags file keep who suggested what. A row counts as *suggested* (:func:`suggested_mask`) while its
tag is still the one accepted: the model's coding of the row has the row's current touchpoint
and emotion and the same time stamp. Any later edit of the row by hand (or an undo) ends that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from cjm_widgets.errors import TagError
from cjm_widgets.evidence.tags import EvidenceChange, TagSlice, check_emotion

__all__ = [
    "MODEL_PREFIX",
    "accept_suggestions",
    "reject_suggestions",
    "rejected",
    "suggested_mask",
]

#: Coder names of models start with this; people's names may not.
MODEL_PREFIX = "model:"
_NEEDED = ("evidence_id", "touchpoint_id", "emotion")
_EXAMPLES = 5


def _examples(values: Iterable[Any]) -> str:
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:_EXAMPLES])
    return shown + (" …" if len(values) > _EXAMPLES else "")


def _checked(
    evidence: Any, suggestions: Any, by: Any, ids: Iterable[str] | None, journey: Any, verb: str
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, str, str, Any]:
    """Validate a request to accept or reject suggestions; nothing changes here.

    Returns (the chosen rows of the table, their store rows, touchpoint ids, the person, the
    model's coder name, the journey)."""
    if not isinstance(by, str) or not by.strip():
        raise TagError(f"by= must name the person who {verb}s the suggestions, not {by!r}.")
    by = by.strip()
    if by.startswith(MODEL_PREFIX):
        raise TagError(
            f"by={by!r}: names starting with {MODEL_PREFIX!r} are kept for models; give the "
            f"name of the person who {verb}s the suggestions."
        )
    if not isinstance(suggestions, pd.DataFrame):
        raise TagError(
            f"{verb}_suggestions needs the DataFrame from cjm.suggest(...) (pick rows with "
            f"ids=...), not {type(suggestions).__name__}."
        )
    missing = [c for c in _NEEDED if c not in suggestions.columns]
    if missing:
        raise TagError(
            f"The suggestions lack column(s) {', '.join(missing)}: pass the DataFrame that "
            "cjm.suggest(...) returned (or rows of it). Nothing was tagged."
        )
    table = suggestions
    if ids is not None:
        wanted = [ids] if isinstance(ids, str) else [str(i) for i in ids]
        present = set(table["evidence_id"].astype(str))
        absent = [i for i in wanted if i not in present]
        if absent:
            raise TagError(
                f"{len(absent)} id(s) are not in the suggestions: {_examples(absent)}. "
                "Nothing was tagged."
            )
        table = table[table["evidence_id"].astype(str).isin(set(wanted))]
    dup = table["evidence_id"][table["evidence_id"].duplicated()]
    if len(dup):
        raise TagError(f"Evidence ids suggested twice: {_examples(dup)}. Nothing was tagged.")
    model = str(suggestions.attrs.get("model", "suggest"))
    coder_model = model if model.startswith(MODEL_PREFIX) else MODEL_PREFIX + model
    journey = journey if journey is not None else evidence.journey
    if journey is None:
        raise TagError(
            f"To {verb} suggestions, link the journey: pass journey=your_journey or call "
            "ev.link(journey) first. Nothing was tagged."
        )
    rows = evidence.rows_of(table["evidence_id"].astype(str).tolist())
    tp_ids = table["touchpoint_id"].astype(object).to_numpy()
    known = {tp.id for tp in journey.touchpoints}
    gone = sorted({str(t) for t in tp_ids if t not in known})
    if gone:
        raise TagError(
            f"Suggested touchpoint(s) {_examples(gone)} are no longer in the journey: make "
            "the suggestions again. Nothing was tagged."
        )
    since = rows[evidence._tag_arrays().touchpoint[rows] >= 0]
    if len(since):
        raise TagError(
            f"{len(since)} row(s) were tagged after the suggestions were made: "
            f"{_examples(evidence._ids_of(since))}. Make the suggestions again or leave "
            "them out (ids=...). Nothing was tagged."
        )
    return table, rows, tp_ids, by, coder_model, journey


def _codes(evidence: Any, journey: Any, tp_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Store codes of the touchpoints and of their stages (registered when new)."""
    stages = np.array(
        [evidence._register_stage(journey.stage_of(t).id) for t in tp_ids], dtype=np.int32
    )
    tps = np.array(
        [evidence._register_tp(t, s) for t, s in zip(tp_ids, stages, strict=True)],
        dtype=np.int32,
    )
    return tps, stages


def accept_suggestions(
    evidence: Any,
    suggestions: pd.DataFrame,
    *,
    by: str,
    ids: Iterable[str] | None = None,
    journey: Any = None,
    emotion: bool = True,
) -> EvidenceChange:
    """Tag rows with their suggested touchpoint (and emotion), as accepted by ``by``.

    ``suggestions``: the frame from :func:`cjm_widgets.analysis.suggest.suggest` (columns
    evidence_id, touchpoint_id, emotion; the model's name in ``attrs["model"]``); ``ids``
    accepts only those of its rows. ``emotion=False`` leaves the emotion untagged. All or
    nothing: a row unknown to the store, a touchpoint no longer in the journey, or a row
    tagged since the suggestions were made raises a TagError naming them, and nothing changes.
    One undo step; ``ev.history`` gets a ``provenance`` entry (suggested_by, accepted_by,
    n_rows, mean_probability).

    Usage: ``ev.accept_suggestions(table.head(20), by="anna")``
    """
    table, rows, tp_ids, by, coder_model, journey = _checked(
        evidence, suggestions, by, ids, journey, "accept"
    )
    values = table["emotion"].to_numpy(dtype=np.float64)
    if emotion:
        for v in values[~np.isnan(values)]:
            check_emotion(float(v))
    else:
        values = np.full(len(values), np.nan)
    # ---- validated: one operation
    order = np.argsort(rows, kind="stable")
    rows, tp_ids, values = rows[order], tp_ids[order], values[order]
    tp_codes, stage_codes = _codes(evidence, journey, tp_ids)
    old = TagSlice.take(evidence._tag_arrays(), rows)
    em = np.where(np.isnan(values), old.emotion, values)
    person = evidence._register_coder(by)
    machine = evidence._register_coder(coder_model)
    k = len(rows)
    new = TagSlice(tp_codes, stage_codes, em, old.labels.copy(), np.full(k, person, np.int32))
    theirs = TagSlice(tp_codes, stage_codes, em, old.labels.copy(), np.full(k, machine, np.int32))
    from cjm_widgets.evidence._state import _Coding, _now_ns

    at = _now_ns()
    stamps = np.full(k, at, np.int64)
    probability = (
        float(table["touchpoint_p"].mean()) if "touchpoint_p" in table and k else float("nan")
    )
    info = {
        "coder": by,
        "touchpoint_id": str(tp_ids[0]) if len(set(tp_ids.tolist())) == 1 else None,
        "emotion": float(em[0]) if k and len(set(em.tolist())) == 1 else None,
        "provenance": {
            "suggested_by": coder_model,
            "accepted_by": by,
            "n_rows": k,
            "mean_probability": probability,
        },
    }
    codings = [*evidence._codings, _Coding(rows, machine, theirs, stamps)]
    codings.append(_Coding(rows, person, new, stamps))
    return evidence._commit("tag", rows, old, new, at, info, codings_after=codings)


def reject_suggestions(
    evidence: Any,
    suggestions: pd.DataFrame,
    *,
    by: str,
    ids: Iterable[str] | None = None,
    journey: Any = None,
) -> EvidenceChange:
    """Record that ``by`` rejected the suggested touchpoints of some rows; no tag changes.

    The model's suggestion is kept as its coding of the row (coder ``"model:…"``), so the
    row's next suggestion is another touchpoint, and once someone tags the row,
    ``cjm.agreement(ev, coders=(person, "model:suggest"))`` counts the disagreement. One undo
    step (action ``"reject"`` in ``ev.history``, with its provenance); checks as
    :func:`accept_suggestions`.

    Usage: ``ev.reject_suggestions(table, by="anna", ids=["review:12"])``
    """
    _, rows, tp_ids, by, coder_model, journey = _checked(
        evidence, suggestions, by, ids, journey, "reject"
    )
    order = np.argsort(rows, kind="stable")
    rows, tp_ids = rows[order], tp_ids[order]
    tp_codes, stage_codes = _codes(evidence, journey, tp_ids)
    machine = evidence._register_coder(coder_model)
    arrays = evidence._tag_arrays()
    old = TagSlice.take(arrays, rows)
    same = TagSlice.take(arrays, rows)
    k = len(rows)
    theirs = TagSlice(
        tp_codes,
        stage_codes,
        np.full(k, np.nan),
        np.zeros(k, np.int64),
        np.full(k, machine, np.int32),
    )
    from cjm_widgets.evidence._state import _Coding, _now_ns

    at = _now_ns()
    info = {
        "coder": by,
        "provenance": {"suggested_by": coder_model, "rejected_by": by, "n_rows": k},
    }
    codings = [*evidence._codings, _Coding(rows, machine, theirs, np.full(k, at, np.int64))]
    return evidence._commit(
        "reject",
        rows,
        old,
        same,
        at,
        info,
        codings_after=codings,
        at_values=arrays.tagged_at[rows].copy(),
    )


def rejected(evidence: Any, model: str = "suggest") -> dict[int, str]:
    """Store row → touchpoint id the model suggested and a person rejected, for rows still
    untagged. Usage: ``rejected(ev)``"""
    coder = model if model.startswith(MODEL_PREFIX) else MODEL_PREFIX + model
    if coder not in evidence.coders:
        return {}
    latest = evidence._latest_codings()
    if latest is None:
        return {}
    rows, coders, values, _ = latest
    code = evidence.coders.index(coder)
    ta = evidence._tag_arrays()
    pick = (coders == code) & (ta.touchpoint[rows] < 0) & (values.touchpoint >= 0)
    names = np.array(evidence.touchpoint_ids, dtype=object)
    return dict(zip(rows[pick].tolist(), names[values.touchpoint[pick]].tolist(), strict=True))


def suggested_mask(evidence: Any) -> np.ndarray:
    """Boolean array: rows whose current tag is an accepted suggestion, unchanged since.

    A row counts when a model's coding of it (coder ``"model:…"``) has the row's current
    touchpoint and emotion and the row's current tag time. Saved and loaded with the tags.

    Usage: ``ev.frame[suggested_mask(ev)]``
    """
    out = np.zeros(len(evidence), dtype=bool)
    models = [i for i, name in enumerate(evidence.coders) if name.startswith(MODEL_PREFIX)]
    if not models:
        return out
    latest = evidence._latest_codings()
    if latest is None:
        return out
    rows, coder, values, at = latest
    ta = evidence._tag_arrays()
    pick = np.isin(coder, models)
    rows, values_tp, values_em, at = (
        rows[pick],
        values.touchpoint[pick],
        values.emotion[pick],
        at[pick],
    )
    same = (
        (ta.touchpoint[rows] == values_tp)
        & ((ta.emotion[rows] == values_em) | (np.isnan(ta.emotion[rows]) & np.isnan(values_em)))
        & (ta.tagged_at[rows] == at)
        & (values_tp >= 0)
    )
    out[rows[same]] = True
    return out
