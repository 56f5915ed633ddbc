"""Charts of behaviour from event logs: funnel, flow diagram in journey order, transition
heatmap, and the emotion curve with reach and drop-off under it on the same touchpoint axis.

Pure functions of the (already aggregated) analysis frames; inline data, nothing online.

Usage::

    cjm.charts.funnel_chart(cjm.funnel(journey, events))
    cjm.charts.emotion_reach_chart(cjm.emotion_curve(journey, ev), cjm.reach(journey, events),
                                   cjm.funnel(journey, events, level="touchpoint"))
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from cjm_widgets.charts._base import AUTOSIZE, records

if TYPE_CHECKING:
    from cjm_widgets.model import Journey

__all__ = ["emotion_reach_chart", "flow_chart", "funnel_chart", "transition_heatmap_chart"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean(frame: pd.DataFrame, *cols: str) -> pd.DataFrame:
    """Control characters out of chart text (vl-convert aborts on them)."""
    frame = frame.copy()
    for col in cols:
        if col in frame:
            frame[col] = [
                _CONTROL.sub(" ", v) if isinstance(v, str) else v for v in frame[col].tolist()
            ]
    return frame


def _label(frame: pd.DataFrame) -> pd.Series:
    tp = frame["touchpoint"] if "touchpoint" in frame else pd.Series([None] * len(frame))
    return tp.where(tp.notna(), frame["stage"]).astype(str)


def funnel_chart(frame: pd.DataFrame, *, width: int = 420) -> alt.LayerChart:
    """Horizontal bars of ``reached`` per step (journey order, top to bottom), the 95% Wilson
    interval of the share as a rule, and the drop-off after each step as text.

    Usage: ``funnel_chart(cjm.funnel(journey, events))``
    """
    data = frame.assign(label=_label(frame))
    data = _clean(data, "label", "series")
    data = data.assign(
        pct=(data["share"] * 100).round(1),
        low=data["share_low"] * data["cases_total"],
        high=data["share_high"] * data["cases_total"],
    )
    rows = records(data[["label", "order", "series", "reached", "cases_total", "left_after",
                         "pct", "low", "high", "time_median_s"]])  # fmt: skip
    base = alt.Chart(alt.Data(values=rows))
    y = alt.Y("label:N", sort=alt.EncodingSortField("order"), title=None)
    multi = data["series"].nunique() > 1
    colour = alt.Color("series:N", title="Series") if multi else alt.value("#4c78a8")
    offset = {"yOffset": "series:N"} if multi else {}
    bars = base.mark_bar().encode(
        y=y,
        x=alt.X("reached:Q", title="Cases reaching the step"),
        color=colour,
        tooltip=[
            alt.Tooltip("label:N", title="Step"),
            "series:N",
            "reached:Q",
            "cases_total:Q",
            alt.Tooltip("pct:Q", title="% of cases"),
            alt.Tooltip("left_after:Q", title="Left"),
            alt.Tooltip("time_median_s:Q", title="Median s to get here"),
        ],
        **offset,
    )
    ci = base.mark_rule(color="#333").encode(y=y, x="low:Q", x2="high:Q", **offset)
    text = base.mark_text(align="left", dx=4, fontSize=10).encode(
        y=y, x="reached:Q", text=alt.Text("pct:Q", format=".1f"), **offset
    )
    return (
        alt.layer(bars, ci, text)
        .properties(width=width, title="Funnel (bars: cases; rule: 95% CI; % of all cases)")
        .configure_view(stroke=None)
        .properties(autosize=AUTOSIZE)
    )


def flow_chart(
    frame: pd.DataFrame, journey: Journey, *, top: int = 20, width: int | None = None
) -> alt.LayerChart:
    """A Sankey-like arc diagram of the main transitions: touchpoints on one axis in journey
    order, each flow an arc whose width is its count (forward arcs above, backward ones below),
    the ``top`` largest flows (repeats at the same place left out, they are in the heatmap).

    Usage: ``flow_chart(cjm.flows(journey, events), journey)``
    """
    order = {tp.id: i for i, tp in enumerate(journey.touchpoints)}
    names = [tp.name for tp in journey.touchpoints]
    moves = frame[frame["source_id"] != frame["target_id"]]
    moves = moves.sort_values("count", ascending=False).head(top).reset_index(drop=True)
    pts = []
    biggest = float(moves["count"].max()) if len(moves) else 1.0
    for i, row in moves.iterrows():
        a, b = order.get(row["source_id"]), order.get(row["target_id"])
        if a is None or b is None:
            continue
        height = (abs(b - a) ** 0.7) * (1 if b > a else -1)
        for step, (px, py) in enumerate(((a, 0.0), ((a + b) / 2, height), (b, 0.0))):
            pts.append({"edge": i, "step": step, "x": px, "y": py, "count": int(row["count"]),
                        "w": 1 + 11 * row["count"] / biggest, "share": float(row["share"]),
                        "back": b < a, "flow": f"{row['source']} → {row['target']}"})  # fmt: skip
    nodes = pd.DataFrame({"x": range(len(names)), "name": names, "y": 0.0})
    nodes = _clean(nodes, "name")
    cols = ["edge", "step", "x", "y", "count", "w", "share", "back", "flow"]
    arcs = pd.DataFrame(pts, columns=cols)
    arcs = _clean(arcs, "flow")
    width = width or max(360, 70 * len(names))
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.5, len(names) - 0.5], nice=False))
    lines = (
        alt.Chart(alt.Data(values=records(arcs)))
        .mark_trail(interpolate="monotone", opacity=0.55)
        .encode(
            x=x,
            y=alt.Y("y:Q", axis=None),
            detail="edge:N",
            order="step:Q",
            size=alt.Size("w:Q", legend=None, scale=None),
            color=alt.condition("datum.back", alt.value("#e45756"), alt.value("#4c78a8")),
            tooltip=["flow:N", "count:Q", alt.Tooltip("share:Q", format=".1%")],
        )
    )
    dots = alt.Chart(alt.Data(values=records(nodes))).mark_circle(size=90, color="#333")
    dots = dots.encode(x=x, y="y:Q", tooltip=["name:N"])
    text = alt.Chart(alt.Data(values=records(nodes))).mark_text(dy=14, angle=0, fontSize=10)
    text = text.encode(x=x, y="y:Q", text="name:N")
    return (
        alt.layer(lines, dots, text)
        .properties(width=width, height=240,
                    title="Flows in journey order (blue forward, red back; width = count)")
        .configure_view(stroke=None)
        .properties(autosize=AUTOSIZE)
    )  # fmt: skip


def transition_heatmap_chart(frame: pd.DataFrame, journey: Journey) -> alt.Chart:
    """Source × target heatmap of the directly-follows share (row-normalised), count as text,
    both axes in journey order.

    Usage: ``transition_heatmap_chart(cjm.flows(journey, events), journey)``
    """
    names = [tp.name for tp in journey.touchpoints]
    data = _clean(frame, "source", "target")
    rows = records(data[["source", "target", "count", "share", "median_s"]])
    names = [_CONTROL.sub(" ", n) for n in names]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("target:N", sort=names, title="to"),
        y=alt.Y("source:N", sort=names, title="from"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("share:Q", scale=alt.Scale(scheme="blues", domain=[0, 1]), title="share"),
        tooltip=[
            "source:N",
            "target:N",
            "count:Q",
            alt.Tooltip("share:Q", format=".1%"),
            alt.Tooltip("median_s:Q", title="median s"),
        ],
    )
    text = base.mark_text(fontSize=9).encode(
        text="count:Q",
        color=alt.condition("datum.share > 0.5", alt.value("white"), alt.value("black")),
    )
    return (
        (cells + text)
        .properties(title="Transitions (share of the row; count)")
        .properties(autosize=AUTOSIZE)
    )


def emotion_reach_chart(
    curve: pd.DataFrame,
    reach_frame: pd.DataFrame,
    funnel_frame: pd.DataFrame | None = None,
    *,
    width: int | None = None,
) -> alt.VConcatChart:
    """The emotion curve with, under it on the same touchpoint axis, the share of cases
    reaching each touchpoint (bars, 95% Wilson interval) and the cases leaving after it (red
    ticks, from a touchpoint-level funnel). How customers feel above, what they do below.

    Usage: ``emotion_reach_chart(cjm.emotion_curve(journey, ev), cjm.reach(journey, events),
    cjm.funnel(journey, events, level="touchpoint"))``
    """
    from cjm_widgets.charts.emotion_curve import emotion_curve_chart

    n_x = len(reach_frame[reach_frame["series"] == reach_frame["series"].iloc[0]])
    width = width or max(300, 40 * n_x)
    top = emotion_curve_chart(curve, width=width, height=220)
    top.autosize = alt.Undefined  # set once on the whole stack below
    first = reach_frame[reach_frame["series"] == reach_frame["series"].iloc[0]]
    data = first[["order", "touchpoint", "cases", "cases_total", "share", "ci_low", "ci_high"]]
    data = _clean(data.assign(left=0, left_share=0.0), "touchpoint")
    if funnel_frame is not None and "touchpoint_id" in funnel_frame:
        f = funnel_frame[funnel_frame["series"] == funnel_frame["series"].iloc[0]]
        left = dict(zip(f["order"], f["left_after"], strict=True))
        data["left"] = data["order"].map(left).fillna(0).astype(int)
        data["left_share"] = data["left"] / data["cases_total"]
    scale = alt.Scale(domain=[-0.5, n_x - 0.5], nice=False, zero=False)
    base = alt.Chart(alt.Data(values=records(data))).encode(
        x=alt.X("order:Q", scale=scale, axis=alt.Axis(values=list(range(n_x)), labels=False,
                                                      title=None, grid=False, ticks=False))
    )  # fmt: skip
    yscale = alt.Scale(domain=[0, 1])
    bars = base.mark_bar(width=max(6, width / max(n_x, 1) * 0.5), color="#72b7b2").encode(
        y=alt.Y("share:Q", scale=yscale, title="Cases reaching", axis=alt.Axis(format="%")),
        tooltip=["touchpoint:N", "cases:Q", "cases_total:Q",
                 alt.Tooltip("share:Q", format=".1%"), alt.Tooltip("left:Q", title="left after")],
    )  # fmt: skip
    ci = base.mark_rule(color="#333").encode(y=alt.Y("ci_low:Q", scale=yscale), y2="ci_high:Q")
    tick = max(8, width / max(n_x, 1) * 0.6)
    drop = base.mark_tick(color="#e45756", thickness=3, orient="horizontal", size=tick)
    drop = drop.encode(y=alt.Y("left_share:Q", scale=yscale))
    bottom = alt.layer(bars, ci, drop).properties(
        width=width, height=120, title="Reach (bars, 95% CI) and drop-off after (red)"
    )
    return alt.vconcat(top, bottom).properties(autosize=AUTOSIZE)
