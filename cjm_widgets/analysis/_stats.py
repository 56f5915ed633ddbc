"""Shared statistics: mean/sd/CI from sufficient statistics (count, sum, sum of squares).

Both the full recompute (:func:`emotion_curve`) and the incremental aggregate use
:func:`summarize`, so their results are bit-identical given identical sums. Float exactness
assumption: hand tags are integers in −2..+2 and 1–5 survey scales map to multiples of 1/4,
so sums and sums of squares of such values are exact in float64 regardless of summation order.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def summarize(n: np.ndarray, s: np.ndarray, ss: np.ndarray) -> dict[str, np.ndarray]:
    """mean, sd (ddof=1), 95% Student-t CI (mean ± t.ppf(0.975, n−1)·sd/√n); NaN when n < 2."""
    n = np.asarray(n, dtype=np.int64)
    nf = n.astype(np.float64)
    s = np.asarray(s, dtype=np.float64)
    ss = np.asarray(ss, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, s / nf, np.nan)
        var = np.where(n > 1, (ss - s * s / nf) / (nf - 1.0), np.nan)
        var = np.where(var < 0, 0.0, var)
        sd = np.sqrt(var)
        t = np.where(n > 1, stats.t.ppf(0.975, np.maximum(nf - 1.0, 1.0)), np.nan)
        half = t * sd / np.sqrt(nf)
    return {"mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half}
