"""A suggester's probabilities for many rows at once, without the "why" (for filters, sorting
and accepting a large selection).

Usage::

    s = cjm.Suggester(journey, ev)
    p = suggestion_scores(s)                 # per store row: the suggested touchpoint's
    rows = np.flatnonzero(p >= 0.8)          # probability, NaN where there is no suggestion
    table = suggestion_table(s, rows)        # what ev.accept_suggestions takes

:func:`suggestion_scores` gives the probability :func:`cjm_widgets.suggest` reports as
``touchpoint_p`` (the same model and the same rejected touchpoints left out), for every row
the suggester would suggest for (untagged, with text, interviewer turns left out unless asked),
computed in batches over the rows' features and kept per model version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cjm_widgets.analysis.suggest import _predict
from cjm_widgets.evidence.provenance import rejected

if TYPE_CHECKING:
    from cjm_widgets.analysis.suggest import Suggester, _Model

__all__ = ["suggestion_scores", "suggestion_table"]

_BATCH = 200_000  # rows per predict_proba call (bounds the dense probability matrix)


def _model(s: Suggester) -> _Model:
    with s._lock:
        return s._model


def _scores(s: Suggester, model: _Model, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    no = rejected(s.evidence, s.name)
    parts: list[tuple[np.ndarray, ...]] = []
    for start in range(0, len(rows), _BATCH):
        chunk = rows[start : start + _BATCH]
        banned = [no.get(r) for r in chunk.tolist()] if no else None
        parts.append(_predict(model, s._features.x[chunk], banned))
    if not parts:
        return _predict(model, s._features.x[rows[:0]])
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(len(parts[0])))


def suggestion_scores(s: Suggester) -> np.ndarray:
    """Per store row, the probability of its suggested touchpoint (float64; NaN for rows
    that get no suggestion: tagged, without text, interviewer turns).

    Computed once per model version (every tag or rejection re-trains the model, so a new
    version follows each change); rows tagged since are NaN at once.

    Usage: ``p = suggestion_scores(s); (p >= 0.8).sum()``
    """
    model = _model(s)
    ev = s.evidence
    kept = getattr(s, "_scores_cache", None)
    if kept is None or kept[0] != model.version:
        rows = np.flatnonzero(~ev.tagged_mask & s._usable())
        _, _, p1, *_ = _scores(s, model, rows)
        scores = np.full(len(ev), np.nan)
        scores[rows] = p1
        kept = (model.version, scores)
        s._scores_cache = kept  # type: ignore[attr-defined]
    out = np.array(kept[1])
    out[ev.tagged_mask] = np.nan
    return out


def suggestion_table(s: Suggester, rows: np.ndarray) -> pd.DataFrame:
    """The suggestions of store ``rows`` that get one (untagged, with text) as
    :meth:`Evidence.accept_suggestions` takes them: evidence_id, touchpoint_id, touchpoint_p,
    emotion, emotion_p (no "why": see :meth:`Suggester.suggest` for that).

    Usage: ``ev.accept_suggestions(suggestion_table(s, rows), by="anna")``
    """
    ev = s.evidence
    rows = np.asarray(rows, dtype=np.int64)
    rows = rows[(~ev.tagged_mask & s._usable())[rows]]
    model = _model(s)
    _, tp_id, p1, _, emotion, emotion_p = _scores(s, model, rows)
    frame = pd.DataFrame(
        {
            "evidence_id": ev._ids_of(rows),
            "touchpoint_id": tp_id,
            "touchpoint_p": p1,
            "emotion": emotion.astype(np.float64),
            "emotion_p": emotion_p,
        }
    )
    frame.attrs.update(model=s.name, n_tags=model.n_tags, version=model.version)
    return frame
