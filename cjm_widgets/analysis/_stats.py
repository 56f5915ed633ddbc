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

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import special  # light; scipy.stats takes ~1 s to import and is not needed

__all__ = ["moments", "t_half_width", "value_codes", "welch"]


def t_half_width(sd: np.ndarray, n: np.ndarray, level: float = 0.95) -> np.ndarray:
    """Half width of the Student-t interval: t.ppf((1+level)/2, n−1)·sd/√n (NaN when n < 2).

    The quantile is ``scipy.special.stdtrit``, the function ``scipy.stats.t.ppf`` evaluates.
    """
    n = np.asarray(n, dtype=np.float64)
    sd = np.asarray(sd, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(n > 1, special.stdtrit(np.maximum(n - 1.0, 1.0), 0.5 + level / 2), np.nan)
        return np.asarray(t * sd / np.sqrt(n), dtype=np.float64)


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


def welch(
    n_a: Any,
    m_a: Any,
    s_a: Any,
    n_b: Any,
    m_b: Any,
    s_b: Any,
    *,
    min_n: int = 5,
    span: float | None = None,
) -> pd.DataFrame:
    """The statistics of :func:`cjm.compare` from per-group n, mean and sample sd (ddof=1):
    ``diff`` = mean_b − mean_a; Welch's ``t``, ``df`` (Welch–Satterthwaite) and two-sided ``p``
    (what ``scipy.stats.ttest_ind_from_stats(equal_var=False)`` gives: p = 2·stdtr(df, −|t|),
    from ``scipy.special`` as scipy.stats computes it); ``ci_low, ci_high`` = diff ±
    stdtrit(df, 0.975)·se (``t.ppf``);
    ``hedges_g`` = diff / s_pooled × (1 − 3 / (4(n_a + n_b) − 9));
    ``supported`` = both n ≥ ``min_n``. With ``span`` (the widest possible difference, e.g. 4
    on the −2…+2 scale) the interval is cut to ±span and left out (NaN) unless supported.
    NaN where a group has fewer than two values or no spread.

    Usage: ``welch(n_a, mean_a, sd_a, n_b, mean_b, sd_b)``
    """
    n_a, m_a, s_a, n_b, m_b, s_b = (
        np.asarray(v, dtype=np.float64) for v in (n_a, m_a, s_a, n_b, m_b, s_b)
    )
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        diff = m_b - m_a
        va, vb = s_a**2 / n_a, s_b**2 / n_b
        se = np.sqrt(va + vb)
        df = (va + vb) ** 2 / (va**2 / (n_a - 1.0) + vb**2 / (n_b - 1.0))
        # scipy.special, not scipy.stats: the same functions, without scipy.stats' ~1 s import
        # (a CLI report spent a quarter of its time on it)
        t_stat = np.array(diff / se, dtype=np.float64, ndmin=1)
        p = np.array(2.0 * special.stdtr(df, -np.abs(diff / se)), dtype=np.float64, ndmin=1)
        half = special.stdtrit(df, 0.975) * se
        pooled = np.sqrt(((n_a - 1.0) * s_a**2 + (n_b - 1.0) * s_b**2) / (n_a + n_b - 2.0))
        g = diff / pooled * (1.0 - 3.0 / (4.0 * (n_a + n_b) - 9.0))
    bad = (n_a < 2) | (n_b < 2) | ~(se > 0)
    df, half = np.array(df, ndmin=1), np.array(half, ndmin=1)
    for arr in (df, t_stat, p, half):
        arr[bad] = np.nan
    g = np.array(g, ndmin=1)
    g[(n_a < 2) | (n_b < 2) | ~(pooled > 0)] = np.nan
    supported = (n_a >= min_n) & (n_b >= min_n)
    low, high = diff - half, diff + half
    if span is not None:
        with np.errstate(invalid="ignore"):
            low = np.where(supported, np.clip(low, -span, span), np.nan)
            high = np.where(supported, np.clip(high, -span, span), np.nan)
    return pd.DataFrame(
        {
            "n_a": n_a, "mean_a": m_a, "sd_a": s_a, "n_b": n_b, "mean_b": m_b, "sd_b": s_b,
            "diff": diff, "ci_low": low, "ci_high": high, "t": t_stat, "df": df,
            "p": p, "hedges_g": g, "supported": supported,
        }
    )  # fmt: skip
