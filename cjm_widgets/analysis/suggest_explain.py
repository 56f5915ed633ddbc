"""Why a suggestion, and which rows to tag next: the explaining and ordering of suggestions.

Usage (inside :mod:`cjm_widgets.analysis.suggest`): ``why_words(model, feats, x, best)``,
``neighbours(ev, model, feats, x)``, ``teach_order(x, margin, feats, model, limit)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from cjm_widgets.analysis.suggest import _Model
    from cjm_widgets.analysis.suggest_features import Features

__all__ = ["class_weights", "neighbours", "teach_order", "why_words"]


def class_weights(model: Any, n_classes: int) -> np.ndarray:
    """classes × features weights (a two-class model stores one row: class 1 = +w, 0 = −w)."""
    coef = np.asarray(model.coef_)
    if coef.shape[0] == 1 and n_classes == 2:
        return np.vstack([-coef[0], coef[0]])
    return coef


def why_words(model: _Model, feats: Features, x: Any, best: np.ndarray) -> list[tuple[str, ...]]:
    """Per row, up to three word n-grams of its own text that pushed most towards the
    suggested touchpoint (feature value × the class weight, positive only)."""
    n = x.shape[0]
    if not n:
        return []
    xw = x[:, : feats.n_words].tocsr()
    w = class_weights(model.tp_model, len(model.tp_classes))[:, : feats.n_words]
    r = np.repeat(np.arange(n), np.diff(xw.indptr))
    contrib = xw.data * w[best[r], xw.indices] * ~feats.common[xw.indices]
    order = np.lexsort((-contrib, r))
    r_sorted = r[order]
    first = np.searchsorted(r_sorted, np.arange(n))
    rank = np.arange(len(order)) - first[r_sorted]
    keep = order[(rank < 3) & (contrib[order] > 0)]
    out: list[list[str]] = [[] for _ in range(n)]
    for row, feature in zip(r[keep].tolist(), xw.indices[keep].tolist(), strict=True):
        out[row].append(str(feats.word_vocab[feature]))
    return [tuple(words) for words in out]


def neighbours(ev: Any, model: _Model, feats: Features, x: Any) -> tuple[list[Any], list[Any]]:
    """The most similar tagged row of each row, by cosine similarity of their words (1–2-grams)
    when it is at least 0.3, else None. Computed in blocks of 2,000 rows."""
    from sklearn.preprocessing import normalize

    n = x.shape[0]
    if not n or not len(model.teach_rows):
        return [None] * n, [None] * n
    taught = normalize(feats.x[model.teach_rows][:, : feats.n_words]).T.tocsc()
    mine = normalize(x[:, : feats.n_words])
    best = np.zeros(n, dtype=np.int64)
    value = np.zeros(n)
    for lo in range(0, n, 2000):
        sims = (mine[lo : lo + 2000] @ taught).toarray()
        best[lo : lo + 2000] = sims.argmax(axis=1)
        value[lo : lo + 2000] = sims.max(axis=1)
    ids = ev._ids_of(model.teach_rows)
    ok = value >= 0.3
    neighbour = [ids[b] if o else None for b, o in zip(best.tolist(), ok.tolist(), strict=True)]
    tp = [model.teach_tp[b] if o else None for b, o in zip(best.tolist(), ok.tolist(), strict=True)]
    return neighbour, tp


def teach_order(
    x: Any, margin: np.ndarray, feats: Features, model: _Model, limit: int | None
) -> np.ndarray:
    """Margin sampling with diversity: greedily pick the row with the largest
    (1 − margin) × (1 − its highest cosine similarity to the tagged rows and the rows picked
    before it) from the most uncertain rows; the rest follow by uncertainty."""
    from sklearn.preprocessing import normalize

    n = len(margin)
    uncertainty = 1.0 - margin
    by_doubt = np.argsort(-uncertainty, kind="stable")
    picks = min(n, limit if limit is not None else 50)
    pool = by_doubt[: min(n, max(200, 5 * picks))]
    if not len(pool):
        return by_doubt
    xp = normalize(x[pool])
    if len(model.teach_rows):
        seen = xp @ normalize(feats.x[model.teach_rows]).T
        closest = np.asarray(seen.max(axis=1).todense()).ravel()
    else:
        closest = np.zeros(len(pool))
    chosen: list[int] = []
    free = np.ones(len(pool), dtype=bool)
    for _ in range(picks):
        score = np.where(free, uncertainty[pool] * (1.0 - np.clip(closest, 0, 1)), -np.inf)
        j = int(np.argmax(score))
        chosen.append(j)
        free[j] = False
        sim = np.asarray((xp @ xp[j].T).todense()).ravel()
        closest = np.maximum(closest, sim)
    first = pool[chosen]
    rest = by_doubt[~np.isin(by_doubt, first)]
    return np.concatenate([first, rest])
