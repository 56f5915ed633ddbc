"""Coverage heatmap: evidence per touchpoint × source, with stages lacking evidence flagged."""

from __future__ import annotations

from typing import Any

import altair as alt

from cjm_widgets._text import safe_text
from cjm_widgets.charts._base import (
    AUTOSIZE,
    SLOT_SORT,
    analysis_frame,
    empty_chart,
    inline,
    layered,
    slot_labels,
)

__all__ = ["coverage_chart"]

FLAG = "#d62728"
NO_EVIDENCE = "⚠ no evidence"


def coverage_chart(
    data: Any, *, cell: int = 64, row: int = 22, **coverage_kw: Any
) -> alt.LayerChart | alt.Chart:
    """Heatmap of evidence counts: one row per touchpoint (journey order), one column per
    source that occurs plus "participants"; the number in each cell. Rows of stages without
    any evidence are labelled "⚠ no evidence" in red.

    ``data``: a ``coverage()`` frame or a ``(journey, evidence)`` pair (``coverage_kw`` go to
    ``coverage``).
    """
    from cjm_widgets.analysis import coverage
    from cjm_widgets.analysis.coverage import SOURCES

    frame = analysis_frame(data, coverage, "coverage", **coverage_kw).copy()
    if frame.empty:
        return empty_chart("No stages or touchpoints yet: nothing to cover.")
    sources = list(frame.attrs.get("sources") or [s for s in SOURCES if s in frame.columns])
    used = [s for s in sources if s in frame.columns and frame[s].sum() > 0] or sources[:1]
    frame["label"] = slot_labels(frame)
    flagged = frame["stage_without_evidence"].astype(bool)
    frame.loc[flagged, "label"] = frame.loc[flagged, "label"] + " " + NO_EVIDENCE
    frame["slot"] = range(len(frame))
    order = list(frame["label"])
    columns = [*used, "participants"]
    long = frame.rename(columns={"n_participants": "participants"}).melt(
        id_vars=["label", "slot", "stage", "stage_without_evidence"],
        value_vars=columns,
        var_name="column",
        value_name="count",
    )
    long["count"] = long["count"].astype(int)
    long["kind"] = ["people" if c == "participants" else "rows" for c in long["column"]]
    # source names are data: ordered by their position, shown on one line
    position = {c: i for i, c in enumerate(columns)}
    long["column_slot"] = [position[c] for c in long["column"]]
    long["column"] = [safe_text(c, one_line=True) for c in long["column"]]
    x = alt.X(
        "column:N",
        sort=alt.EncodingSortField(field="column_slot", op="min"),
        title=None,
        axis=alt.Axis(orient="top", labelAngle=0),
    )
    y = alt.Y(
        "label:N",
        sort=SLOT_SORT,
        title=None,
        axis=alt.Axis(
            labelLimit=260,
            labelColor=alt.ExprRef(
                f"indexof(datum.value, '{NO_EVIDENCE}') >= 0 ? '{FLAG}' : '#333'"
            ),
        ),
    )
    base = alt.Chart(inline(long))
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        x=x,
        y=y,
        color=alt.condition(
            "datum.count > 0",
            alt.Color("count:Q", scale=alt.Scale(scheme="blues", type="symlog"), title="Count"),
            alt.value("#f5f5f5"),
        ),
        tooltip=[
            alt.Tooltip("stage:N"),
            alt.Tooltip("label:N", title="Touchpoint"),
            alt.Tooltip("column:N", title="Source"),
            alt.Tooltip("count:Q"),
        ],
    )
    text = base.mark_text(fontSize=11).encode(
        x=x,
        y=y,
        text="count:Q",
        color=alt.condition("datum.count > 0", alt.value("#111"), alt.value(FLAG)),
    )
    return layered(
        alt.layer(rect, text).properties(
            width=cell * len(columns),
            height=row * max(len(order), 1),
            autosize=AUTOSIZE,
            title="Evidence coverage",
        )
    )
