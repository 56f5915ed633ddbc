"""Before vs after a change: reach and time-to-reach per touchpoint (or stage), with the same
statistics as :func:`cjm.compare` (Welch's t-test, 95% CI of the difference, Hedges' g).

Usage: ``cjm.compare_periods(journey, events, change="2011-06-01")``
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from cjm_widgets.analysis.behaviour._base import (
    SERIES,
    STAGE,
    STAGE_ORDER,
    TP,
    TP_ORDER,
    places,
    prepared,
    seconds,
    to_frame,
)
from cjm_widgets.events.errors import EventsError
from cjm_widgets.events.log import CASE, TIME

__all__ = ["compare_periods", "welch"]


def welch(
    n_a: Any, m_a: Any, s_a: Any, n_b: Any, m_b: Any, s_b: Any, *, min_n: int = 5
) -> pd.DataFrame:
    """The statistics of :func:`cjm.compare` from per-group n, mean and sample sd (ddof=1):
    ``diff`` = mean_b − mean_a; Welch's ``t``, ``df`` (Welch–Satterthwaite) and two-sided ``p``
    (``scipy.stats.ttest_ind_from_stats(equal_var=False)``); ``ci_low, ci_high`` = diff ±
    t.ppf(0.975, df)·se; ``hedges_g`` = diff / s_pooled × (1 − 3 / (4(n_a + n_b) − 9));
    ``supported`` = both n ≥ ``min_n``. NaN where a group has fewer than two values or no
    spread.

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
        test = stats.ttest_ind_from_stats(m_b, s_b, n_b, m_a, s_a, n_a, equal_var=False)
        t_stat = np.array(test.statistic, dtype=np.float64, ndmin=1)
        p = np.array(test.pvalue, dtype=np.float64, ndmin=1)
        half = stats.t.ppf(0.975, df) * se
        pooled = np.sqrt(((n_a - 1.0) * s_a**2 + (n_b - 1.0) * s_b**2) / (n_a + n_b - 2.0))
        g = diff / pooled * (1.0 - 3.0 / (4.0 * (n_a + n_b) - 9.0))
    bad = (n_a < 2) | (n_b < 2) | ~(se > 0)
    df, half = np.array(df, ndmin=1), np.array(half, ndmin=1)
    for arr in (df, t_stat, p, half):
        arr[bad] = np.nan
    g = np.array(g, ndmin=1)
    g[(n_a < 2) | (n_b < 2) | ~(pooled > 0)] = np.nan
    return pd.DataFrame(
        {
            "n_a": n_a, "mean_a": m_a, "sd_a": s_a, "n_b": n_b, "mean_b": m_b, "sd_b": s_b,
            "diff": diff, "ci_low": diff - half, "ci_high": diff + half, "t": t_stat, "df": df,
            "p": p, "hedges_g": g, "supported": (n_a >= min_n) & (n_b >= min_n),
        }
    )  # fmt: skip


def compare_periods(
    journey: Any,
    events: Any,
    *,
    change: Any,
    measure: str = "reach",
    level: str = "touchpoint",
    min_n: int = 5,
) -> pd.DataFrame:
    """Per touchpoint (or stage): cases that started after ``change`` (b) against those that
    started before (a), by the case's first event.

    - ``measure="reach"``: each case is 1 if it has an event at the place, else 0; the mean is
      the share of cases reaching it (n = all cases of the period) and sd = √(p(1−p)·n/(n−1)),
      the sample sd of those 0/1 values — so the test is :func:`cjm.compare`'s Welch test on
      them.
    - ``measure="time"``: seconds from the case's first event to its first event at the place,
      over the cases that got there (mean and sample sd computed in the engine).

    Columns as :func:`cjm.compare`: ``n_a, mean_a, sd_a, n_b, mean_b, sd_b, diff, ci_low,
    ci_high, t, df, p, hedges_g, supported`` (a = before, b = after).

    Usage: ``cjm.compare_periods(journey, events, change="2011-06-01", measure="time")``
    """
    if measure not in ("reach", "time"):
        raise EventsError(f"measure= is 'reach' or 'time', not {measure!r}.")
    t = prepared(journey, events, by="period", change=change)
    key, order = (TP, TP_ORDER) if level == "touchpoint" else (STAGE, STAGE_ORDER)
    frame = places(journey, level)
    starts = t.group_by([CASE, SERIES]).aggregate(_start=t[TIME].min())
    mapped = t.filter(t[key].notnull())
    firsts = mapped.group_by([CASE, order]).aggregate(_at=mapped[TIME].min()).join(starts, CASE)
    firsts = firsts.mutate(_secs=seconds(firsts._at) - seconds(firsts._start))
    got = to_frame(
        firsts.group_by([SERIES, order]).aggregate(
            n=firsts.count(), mean=firsts._secs.mean(), sd=firsts._secs.std()
        )
    )
    totals = to_frame(starts.group_by(SERIES).aggregate(n=starts.count())).set_index(SERIES)["n"]
    cols = {}
    for side, label in (("a", "before"), ("b", "after")):
        part = got[got[SERIES] == label].set_index(order)
        if measure == "reach":
            n = float(totals.get(label, 0))
            k = frame["order"].map(part["n"]).fillna(0).to_numpy(dtype=float)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = k / n if n else np.full(len(k), np.nan)
                sd = np.sqrt(mean * (1 - mean) * n / (n - 1)) if n > 1 else np.full(len(k), np.nan)
            cols[side] = (np.full(len(k), n), mean, sd)
        else:
            n = frame["order"].map(part["n"]).fillna(0).to_numpy(dtype=float)
            mean = frame["order"].map(part["mean"]).to_numpy(dtype=float)
            sd = frame["order"].map(part["sd"]).to_numpy(dtype=float)
            cols[side] = (n, mean, sd)
    table = welch(*cols["a"], *cols["b"], min_n=min_n)
    for col in ("n_a", "n_b"):
        table[col] = table[col].astype("int64")
    out = pd.concat([frame.reset_index(drop=True), table], axis=1)
    out.attrs.update(
        {"by": "period", "a": "before", "b": "after", "change": str(change), "measure": measure}
    )
    return out
