"""Shared statistics of the emotion curve: one canonical reduction from value histograms.

Both the full recompute (:func:`~cjm_widgets.analysis.emotion_curve`) and the incremental
:class:`~cjm_widgets.analysis.EmotionAggregate` describe a cell (place × series) by its
**histogram of emotion values**: how many rows carry each distinct value. Counts are integers,
so adding and removing rows in any order gives the same histogram exactly. :func:`moments` then
turns histograms into n, mean, sd and the CI with one fixed order of floating-point operations
(each cell's values in increasing order), so the two paths agree bit for bit for *any* emotion
values — including the non-dyadic ones a 1–7 or 0–10 scale produces (multiples of 2/3, 0.4),
where running float sums would differ in the last bit depending on the order of tagging.

The variance is the two-pass form Σ c·(v − mean)² / (n − 1) over the histogram, which also
avoids the cancellation of the sum-of-squares formula.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["moments", "t_half_width", "value_codes"]


def t_half_width(sd: np.ndarray, n: np.ndarray, level: float = 0.95) -> np.ndarray:
    """Half width of the Student-t interval: t.ppf((1+level)/2, n−1)·sd/√n (NaN when n < 2)."""
    n = np.asarray(n, dtype=np.float64)
    sd = np.asarray(sd, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(n > 1, stats.t.ppf(0.5 + level / 2, np.maximum(n - 1.0, 1.0)), np.nan)
        return t * sd / np.sqrt(n)


def value_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, table) of finite float values: ``table[codes] == values`` exactly.

    −0.0 is folded into 0.0. Integers (hand tags, 1–5 scales) take a fast path.
    """
    values = np.asarray(values, dtype=np.float64) + 0.0
    if not len(values):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    lo, hi = float(values.min()), float(values.max())
    if hi - lo < 1 << 20 and np.array_equal(values, np.rint(values)):
        return (values - lo).astype(np.int64), np.arange(lo, hi + 1.0)
    import pandas as pd

    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), np.asarray(uniques, dtype=np.float64)


def moments(
    cell: np.ndarray,
    code: np.ndarray,
    count: np.ndarray,
    table: np.ndarray,
    n_cells: int,
) -> dict[str, np.ndarray]:
    """n, mean, sd (ddof=1) and 95% Student-t CI per cell from histogram entries.

    Entry i says: ``count[i]`` rows of cell ``cell[i]`` carry the value ``table[code[i]]``.
    Entries may repeat a (cell, value) pair and may have count 0; the result depends only on
    the histogram they add up to, never on their order or on how values are coded.
    """
    cell = np.asarray(cell, dtype=np.int64)
    code = np.asarray(code, dtype=np.int64)
    count = np.asarray(count, dtype=np.int64)
    table = np.asarray(table, dtype=np.float64) + 0.0
    if len(cell):
        # merge entries of the same (cell, value): rank the table so equal values share a key
        uniq_vals, rank_of = np.unique(table, return_inverse=True)
        key = cell * len(uniq_vals) + rank_of.astype(np.int64)[code]
        ukey, inv = np.unique(key, return_inverse=True)  # sorted: by cell, then by value
        merged = np.rint(
            np.bincount(inv, weights=count.astype(np.float64), minlength=len(ukey))
        ).astype(np.int64)  # integer counts (< 2**53): exact in float64
        keep = merged > 0
        ukey, merged = ukey[keep], merged[keep]
        cell = ukey // len(uniq_vals)
        value = uniq_vals[ukey % len(uniq_vals)]
    else:
        value = np.zeros(0)
        merged = np.zeros(0, dtype=np.int64)
    n = np.bincount(cell, weights=merged, minlength=n_cells).astype(np.int64)[:n_cells]
    cf = merged.astype(np.float64)
    # bincount adds each cell's terms in input order: increasing value (ukey is sorted)
    total = np.bincount(cell, weights=cf * value, minlength=n_cells)[:n_cells]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / n, np.nan)
        dev = value - mean[cell] if len(cell) else value
        sq = np.bincount(cell, weights=cf * (dev * dev), minlength=n_cells)[:n_cells]
        var = np.where(n > 1, sq / (n - 1.0), np.nan)
        sd = np.sqrt(var)
    half = t_half_width(sd, n)
    return {"n": n, "mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half}
