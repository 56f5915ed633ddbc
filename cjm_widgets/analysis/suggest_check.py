"""How far the suggestions agree with the researcher: cross-validated on their own tags.

Usage: ``cjm.check_suggestions(journey, ev)``

Accepted suggestions agree with the model by construction, so they say nothing about its
quality. Here the model is trained K times, each time without one K-th of the rows a person
tagged by hand, and predicts those rows. Agreement is then counted between the prediction
and the person's tag, with Cohen's κ (:func:`cjm_widgets.analysis.agreement.cohen_kappa`).
For agreement on the rows someone accepted or corrected later, use
``cjm.agreement(ev, coders=("anna", "model:suggest"))``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.analysis.agreement import cohen_kappa
from cjm_widgets.analysis.pain_points import wilson_interval
from cjm_widgets.analysis.suggest import Suggester, _predict
from cjm_widgets.errors import EvidenceError
from cjm_widgets.evidence.provenance import suggested_mask

if TYPE_CHECKING:  # pragma: no cover
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["check_suggestions"]

COLUMNS = [
    "field",
    "n_units",
    "percent_agreement",
    "ci_low",
    "ci_high",
    "cohen_kappa",
    "folds",
    "n_teaching",
]


def check_suggestions(
    journey: Journey,
    evidence: Evidence,
    *,
    folds: int = 5,
    ratings: Sequence[str] | None = None,
    embed: Callable[[list[str]], Any] | None = None,
    random_state: int = 0,
) -> pd.DataFrame:
    """Model-vs-human agreement of the suggestions, by ``folds``-fold cross-validation.

    The rows tagged by hand with a touchpoint (accepted suggestions left out) are split at
    random into ``folds`` parts; for each part the model learns from the others (and the
    touchpoint names) and predicts it. Rows (one per field):

    - ``touchpoint``: share of rows whose suggested touchpoint is the person's, its 95%
      Wilson interval (ci_low, ci_high) and Cohen's κ of suggested vs tagged touchpoints;
    - ``touchpoint, most confident 30%``: the same over the 30% of rows with the highest
      suggested probability (the share a researcher could accept with least checking);
    - ``emotion`` (the exact value) and ``emotion sign`` (−, 0, +) over the rows that also
      carry an emotion.

    ``n_units`` counts the rows compared; ``n_teaching`` the tagged rows the models learned
    from in each fold (on average). Nothing here changes the evidence.

    Usage: ``cjm.check_suggestions(journey, ev, folds=5)``
    """
    if not isinstance(folds, int) or folds < 2:
        raise EvidenceError(f"folds must be a whole number ≥ 2, not {folds!r}.")
    s = Suggester(journey, evidence, ratings=ratings, embed=embed, background=False)
    ta = evidence._tag_arrays()
    hand = (ta.touchpoint >= 0) & s._usable() & ~suggested_mask(evidence)
    known = {t[0] for t in s._features.touchpoints}
    tp_ids = np.array([*evidence.touchpoint_ids, None], dtype=object)[ta.touchpoint]
    hand &= np.array([t in known for t in tp_ids], dtype=bool)
    rows = np.flatnonzero(hand)
    if len(rows) < 2 * folds:
        raise EvidenceError(
            f"Checking the suggestions needs at least {2 * folds} rows tagged by hand with a "
            f"touchpoint ({folds} folds × 2); there are {len(rows)}. Tag more, or pass "
            "folds=2."
        )
    part = np.random.default_rng(random_state).permutation(len(rows)) % folds
    pred_tp = np.empty(len(rows), dtype=object)
    pred_p = np.zeros(len(rows))
    pred_em = np.full(len(rows), np.nan)
    teaching = []
    for k in range(folds):
        held = rows[part == k]
        teach = np.ones(len(evidence), dtype=bool)
        teach[held] = False
        model = s._train(teach)
        teaching.append(model.n_tags)
        _, tp, p1, _, em, _ = _predict(model, s._features.x[held])
        pred_tp[part == k], pred_p[part == k], pred_em[part == k] = tp, p1, em
    true_tp = tp_ids[rows]
    true_em = ta.emotion[rows]
    top = np.argsort(-pred_p, kind="stable")[: max(1, round(0.3 * len(rows)))]
    has_em = ~np.isnan(true_em) & ~np.isnan(pred_em)
    records = [
        _row("touchpoint", pred_tp, true_tp),
        _row("touchpoint, most confident 30%", pred_tp[top], true_tp[top]),
        _row("emotion", pred_em[has_em], true_em[has_em]),
        _row("emotion sign", np.sign(pred_em[has_em]), np.sign(true_em[has_em])),
    ]
    frame = pd.DataFrame(records, columns=COLUMNS[:-2])
    frame["folds"] = folds
    frame["n_teaching"] = float(np.mean(teaching))
    return frame


def _row(field: str, predicted: np.ndarray, tagged: np.ndarray) -> dict[str, Any]:
    n = len(predicted)
    share = float(np.mean(predicted == tagged)) if n else float("nan")
    low, high = wilson_interval(np.array([share if n else 0.0]), np.array([n]))
    kappa = cohen_kappa(list(predicted), list(tagged)) if n else float("nan")
    return {
        "field": field,
        "n_units": n,
        "percent_agreement": share,
        "ci_low": float(low[0]),
        "ci_high": float(high[0]),
        "cohen_kappa": kappa,
    }
