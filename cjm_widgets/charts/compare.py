"""Comparison chart: difference of mean emotion per touchpoint with its 95% CI."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from cjm_widgets._text import safe_text
from cjm_widgets.charts._base import (
    AUTOSIZE,
    SLOT_SORT,
    analysis_frame,
    inline,
    layered,
    slot_labels,
)

__all__ = ["compare_chart"]

#: The widest possible difference of two means on the −2…+2 scale.
LIMIT = 4.0


def compare_chart(
    data: Any, *, width: int = 380, row: int = 24, alpha: float = 0.05, **compare_kw: Any
) -> alt.LayerChart:
    """One row per touchpoint (journey order): the difference b − a of mean emotion as a point
    with its 95% CI as a bar, and a zero line. Differences with p < ``alpha`` are filled and
    coloured by direction; unsupported rows (too few rows per group) are hollow and have no
    bar. The x axis never goes beyond −4…+4, the widest difference two means on the −2…+2
    scale can have (it clamps there).

    ``data``: a ``compare()`` frame or a ``(journey, evidence)`` pair with ``compare_kw``
    (``by=``, ``a=``, ``b=``) for :func:`~cjm_widgets.analysis.compare`.
    """
    from cjm_widgets.analysis import compare

    if not compare_kw and isinstance(data, tuple):
        raise TypeError("compare_chart((journey, evidence), by=..., a=..., b=...) needs a and b")
    frame = analysis_frame(data, compare, "compare", **compare_kw).copy()
    a, b = (safe_text(frame.attrs.get(k, k), one_line=True) for k in ("a", "b"))
    frame["label"] = slot_labels(frame)
    frame["slot"] = range(len(frame))
    order = list(frame["label"])
    frame["significant"] = (frame["p"] < alpha).fillna(False).astype(bool)
    frame["direction"] = [
        ("better" if d > 0 else "worse") if s else "not significant"
        for d, s in zip(frame["diff"].fillna(0), frame["significant"], strict=True)
    ]
    frame["supported"] = frame["supported"].astype(bool)
    for col in ("ci_low", "ci_high"):  # no interval for too few rows, none beyond ±4
        frame[col] = frame[col].where(frame["supported"]).clip(-LIMIT, LIMIT)
    keep = [
        "label",
        "slot",
        "stage",
        "touchpoint",
        "n_a",
        "n_b",
        "mean_a",
        "mean_b",
        "diff",
        "ci_low",
        "ci_high",
        "p",
        "hedges_g",
        "significant",
        "direction",
        "supported",
    ]
    data_ = inline(frame[frame["diff"].notna()][keep])
    y = alt.Y("label:N", sort=SLOT_SORT, title=None, axis=alt.Axis(labelLimit=240))
    widest = frame[["ci_low", "ci_high", "diff"]].abs().max().max()
    span = 2.0 if pd.isna(widest) else min(LIMIT, max(2.0, float(widest) * 1.1))
    xs = alt.Scale(domain=[-span, span], nice=span < LIMIT, clamp=True)
    title = f"Mean emotion: {b} − {a}"
    base = alt.Chart(data_)
    bars = base.mark_rule(strokeWidth=2, color="#888").encode(
        x=alt.X("ci_low:Q", scale=xs, title=f"{b} − {a} (95% CI)"), x2="ci_high:Q", y=y
    )
    colour = alt.Color(
        "direction:N",
        scale=alt.Scale(
            domain=["better", "worse", "not significant"], range=["#1f77b4", "#d62728", "#7f7f7f"]
        ),
        title=f"p < {alpha:g}",
    )
    points = base.mark_point(size=90, filled=True, strokeWidth=2).encode(
        x=alt.X("diff:Q", scale=xs),
        y=y,
        color=colour,
        fillOpacity=alt.condition("datum.supported", alt.value(1), alt.value(0)),
        tooltip=[
            alt.Tooltip("stage:N"),
            alt.Tooltip("touchpoint:N"),
            alt.Tooltip("mean_a:Q", format=".2f", title=f"mean {a}"),
            alt.Tooltip("mean_b:Q", format=".2f", title=f"mean {b}"),
            alt.Tooltip("diff:Q", format=".2f"),
            alt.Tooltip("ci_low:Q", format=".2f"),
            alt.Tooltip("ci_high:Q", format=".2f"),
            alt.Tooltip("p:Q", format=".3g"),
            alt.Tooltip("hedges_g:Q", format=".2f", title="Hedges' g"),
            alt.Tooltip("n_a:Q", title=f"n {a}"),
            alt.Tooltip("n_b:Q", title=f"n {b}"),
        ],
    )
    zero = (
        alt.Chart(inline(pd.DataFrame([{"z": 0.0}])))
        .mark_rule(color="#444")
        .encode(x=alt.X("z:Q", scale=xs))
    )
    # every touchpoint keeps its row even without a comparison (so gaps are visible)
    rows = alt.Chart(inline(frame[["label", "slot"]])).mark_tick(opacity=0).encode(y=y)
    return layered(
        alt.layer(rows, zero, bars, points).properties(
            width=width, height=row * max(len(order), 1), autosize=AUTOSIZE, title=title
        )
    )
