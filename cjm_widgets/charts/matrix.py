"""Matrix charts: opportunities by impact × effort, and touchpoints × channels."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from cjm_widgets._text import safe_text
from cjm_widgets.charts._base import (
    AUTOSIZE,
    SLOT_SORT,
    analysis_frame,
    count_legend,
    inline,
    layered,
    slot_labels,
)

__all__ = ["channel_matrix_chart", "opportunity_matrix_chart"]

QUICK = "#2ca02c"
OTHER = "#4c78a8"


def _opportunity_frame(data: Any) -> pd.DataFrame:
    from cjm_widgets.analysis import opportunities
    from cjm_widgets.model.journey import Journey

    if isinstance(data, Journey):
        return opportunities(data)
    return analysis_frame(data, opportunities, "opportunities")


def opportunity_matrix_chart(
    data: Any,
    *,
    width: int = 440,
    height: int = 380,
    label_limit: int = 260,
) -> alt.HConcatChart:
    """Opportunities on impact (y, 1–5) × effort (x, 1–5) with quadrant lines at 3.

    ``data``: an ``opportunities()`` frame, a Journey, or a ``(journey, evidence)`` pair. The
    quick-win zone (impact ≥ 4, effort ≤ 2) is shaded and quick wins are green; bubble area
    = ``evidence_n`` (pain evidence behind the opportunity); opportunities on the same spot are
    spread sideways. Bubbles carry the opportunity's rank; the texts are listed beside the
    matrix (quick wins in green). A point selection named ``opportunity`` (field
    ``opportunity_id``).
    """
    opp = _opportunity_frame(data).copy()
    # spread opportunities that share an (impact, effort) cell
    k = opp.groupby(["impact", "effort"]).cumcount()
    size = opp.groupby(["impact", "effort"])["impact"].transform("size")
    opp["x"] = opp["effort"] + (k - (size - 1) / 2) * 0.22
    opp["y"] = opp["impact"].astype(float)
    opp["label"] = [safe_text(t, one_line=True) for t in opp["text"]]
    opp["touchpoints"] = [", ".join(map(str, t)) for t in opp["touchpoints"]]
    opp = opp.drop(columns=["touchpoint_ids", "stages"])
    scale = alt.Scale(domain=[0.5, 5.5], nice=False, zero=False)
    ticks = [1, 2, 3, 4, 5]
    x = alt.X("x:Q", scale=scale, axis=alt.Axis(values=ticks, title="Effort (1 low – 5 high)"))
    y = alt.Y("y:Q", scale=scale, axis=alt.Axis(values=ticks, title="Impact (1 low – 5 high)"))
    zone = (
        alt.Chart(inline(pd.DataFrame([{"x0": 0.5, "x1": 2.5, "y0": 3.5, "y1": 5.5}])))
        .mark_rect(color=QUICK, opacity=0.12)
        .encode(x=alt.X("x0:Q", scale=scale), x2="x1:Q", y=alt.Y("y0:Q", scale=scale), y2="y1:Q")
    )
    zone_label = (
        alt.Chart(inline(pd.DataFrame([{"x": 0.6, "y": 5.4, "t": "Quick wins"}])))
        .mark_text(align="left", baseline="top", color=QUICK, fontWeight="bold")
        .encode(x=alt.X("x:Q", scale=scale), y=alt.Y("y:Q", scale=scale), text="t:N")
    )
    lines = alt.Chart(inline(pd.DataFrame([{"v": 3.0}])))
    vline = lines.mark_rule(strokeDash=[4, 4], color="#888").encode(x=alt.X("v:Q", scale=scale))
    hline = lines.mark_rule(strokeDash=[4, 4], color="#888").encode(y=alt.Y("v:Q", scale=scale))
    base = alt.Chart(inline(opp))
    pick = alt.selection_point(name="opportunity", fields=["opportunity_id"])
    most = max(int(opp["evidence_n"].max()) if len(opp) else 0, 1)
    points = (
        base.mark_circle(opacity=0.8, stroke="white", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            size=alt.Size(
                "evidence_n:Q",
                scale=alt.Scale(domain=[0, most], range=[60, 1400]),
                legend=count_legend("Pain evidence"),
            ),
            color=alt.Color(
                "quick_win:N",
                scale=alt.Scale(domain=[True, False], range=[QUICK, OTHER]),
                title="Quick win",
            ),
            tooltip=[
                alt.Tooltip("text:N", title="Opportunity"),
                alt.Tooltip("touchpoints:N", title="Touchpoints"),
                alt.Tooltip("impact:Q"),
                alt.Tooltip("effort:Q"),
                alt.Tooltip("priority:Q"),
                alt.Tooltip("evidence_n:Q", title="Pain evidence"),
                alt.Tooltip("weighted_impact:Q", format=".2f", title="Evidence-weighted impact"),
            ],
        )
        .add_params(pick)
    )
    numbers = base.mark_text(color="white", fontWeight="bold", fontSize=11).encode(
        x=x, y=y, text="rank:Q"
    )
    matrix = alt.layer(zone, zone_label, vline, hline, points, numbers).properties(
        width=width, height=height, title="Opportunities: impact × effort"
    )
    # the texts in a numbered list beside the matrix (bubbles carry the numbers)
    listing = (
        base.transform_calculate(entry="datum.rank + '. ' + datum.label")
        .mark_text(align="left", baseline="middle", fontSize=12, limit=label_limit)
        .encode(
            x=alt.value(0),
            y=alt.Y("rank:O", axis=None, title=None),
            text="entry:N",
            color=alt.Color(
                "quick_win:N",
                scale=alt.Scale(domain=[True, False], range=[QUICK, "#333333"]),
                legend=None,
            ),
            tooltip=[alt.Tooltip("text:N", title="Opportunity")],
        )
        .properties(
            width=label_limit,
            height=min(height, 22 * max(len(opp), 1)),
            view=alt.ViewConfig(strokeWidth=0),
        )
    )
    return (
        alt.hconcat(matrix, listing, spacing=24)
        .resolve_scale(color="independent")
        .properties(autosize=AUTOSIZE)
    )


def _channel_frame(data: Any) -> pd.DataFrame:
    from cjm_widgets.analysis import coverage
    from cjm_widgets.model.journey import Journey

    if isinstance(data, Journey):
        rows = [
            {
                "stage_id": st.id,
                "stage": st.name,
                "touchpoint_id": tp.id,
                "touchpoint": tp.name,
                "order": i,
                "channel": tp.channel,
                "n": np.nan,
                "mean": np.nan,
            }
            for i, (st, tp) in enumerate((s, t) for s in data.stages for t in s.touchpoints)
        ]
        return pd.DataFrame(
            rows,
            columns=[
                "stage_id",
                "stage",
                "touchpoint_id",
                "touchpoint",
                "order",
                "channel",
                "n",
                "mean",
            ],
        )
    return analysis_frame(data, coverage, "coverage")


def channel_matrix_chart(data: Any, *, cell: int = 30, label_angle: int = -40) -> alt.LayerChart:
    """Touchpoints (columns, journey order) × channels (rows): which channel each touchpoint
    uses. With evidence, the mark's area is the evidence count and its colour the mean emotion
    (red −2 … blue +2; grey without ratings).

    ``data``: a ``coverage()`` frame, a Journey, or a ``(journey, evidence)`` pair.
    """
    from cjm_widgets.model.entities import CHANNELS

    frame = _channel_frame(data)
    frame = frame[frame["channel"].notna()].copy()
    frame["label"] = slot_labels(frame)
    frame["slot"] = range(len(frame))
    order = list(frame["label"])
    frame["channel"] = [safe_text(c, one_line=True) for c in frame["channel"]]
    extra = sorted(set(frame["channel"]) - set(CHANNELS))
    channels = [*CHANNELS, *extra]
    # both axes are ordered by position columns (data), never by lists of names
    rank = {ch: i for i, ch in enumerate(channels)}
    frame["channel_slot"] = [rank[c] for c in frame["channel"]]
    frame = frame[["stage", "touchpoint", "label", "slot", "channel", "channel_slot", "n", "mean"]]
    grid = pd.DataFrame(
        [
            {"label": lab, "slot": i, "channel": ch, "channel_slot": k}
            for i, lab in enumerate(order)
            for k, ch in enumerate(channels)
        ]
    )
    x = alt.X(
        "label:N",
        sort=SLOT_SORT,
        title=None,
        axis=alt.Axis(labelAngle=label_angle, labelLimit=160),
    )
    y = alt.Y(
        "channel:N",
        sort=alt.EncodingSortField(field="channel_slot", op="min"),
        title="Channel",
    )
    back = (
        alt.Chart(inline(grid))
        .mark_rect(fill="#f2f2f2", stroke="white", strokeWidth=1)
        .encode(x=x, y=y)
    )
    has_n = frame["n"].notna().any()
    base = alt.Chart(inline(frame))
    enc: dict[str, Any] = {
        "x": x,
        "y": y,
        "tooltip": [
            alt.Tooltip("stage:N"),
            alt.Tooltip("touchpoint:N"),
            alt.Tooltip("channel:N"),
            alt.Tooltip("n:Q", title="Evidence"),
            alt.Tooltip("mean:Q", format=".2f", title="Mean emotion"),
        ],
    }
    if has_n:
        most = max(float(frame["n"].max()), 1.0)
        enc["size"] = alt.Size(
            "n:Q",
            scale=alt.Scale(domain=[0, most], range=[40, cell * cell * 0.8]),
            legend=count_legend("Evidence"),
        )
        enc["color"] = alt.condition(
            "isValid(datum.mean)",
            alt.Color(
                "mean:Q",
                scale=alt.Scale(scheme="redblue", domain=[-2, 2]),
                title="Mean emotion",
            ),
            alt.value("#9e9e9e"),
        )
        marks = base.mark_circle(opacity=0.9).encode(**enc)
    else:
        marks = base.mark_square(size=cell * cell * 0.45, color=OTHER).encode(**enc)
    n_x, n_y = max(len(order), 1), len(channels)
    return layered(
        alt.layer(back, marks).properties(
            width=cell * n_x, height=cell * n_y, autosize=AUTOSIZE, title="Channels per touchpoint"
        )
    )
