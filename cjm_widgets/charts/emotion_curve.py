"""The emotion curve chart: touchpoints in journey order under stage bands, mean ± 95% CI.

Nothing is drawn outside the scale −2…+2: the y scale is fixed to it and clamps, and the
points carry intervals already cut to it (and none under ``min_n``; see
:func:`~cjm_widgets.analysis.emotion_curve`), so a tiny group cannot stretch the chart.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from cjm_widgets._text import safe_text, safe_tree
from cjm_widgets.charts._base import AUTOSIZE, count_legend, layered


def _frame(data: Any, **kw: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    from cjm_widgets.analysis import emotion_curve

    journey, evidence = data
    return emotion_curve(journey, evidence, **kw)


#: Name of the chart's dataset of points (one row per touchpoint × series); a live view
#: replaces just these values when tags change, keeping the view and its selection.
CURVE_DATA = "curve"


#: Name of the chart's param holding the x-axis labels (one per position, cleaned text).
AXIS_LABELS = "cjm_axis_labels"

#: Name of the chart's param holding the touchpoint ids to highlight (a live view sets it as
#: a signal, without redrawing; e.g. the touchpoints of a theme selected in the Workspace).
HIGHLIGHT = "cjm_highlight"
#: The halo's colour (a highlighted point; the one mark drawn in it).
HALO = "#fbc02d"

#: The fields of each point the chart draws (and a live view receives).
POINT_FIELDS = (
    "stage_id", "stage", "touchpoint_id", "touchpoint", "series", "n", "mean", "sd", "ci_low",
    "ci_high", "n_participants", "supported", "x", "label", "pain", "n_label",
)  # fmt: skip
#: The y scale of every layer: the emotion scale, values beyond it clamped to its edge.
Y_SCALE = alt.Scale(domain=[-2, 2], clamp=True, nice=False, zero=False)


def _in_scale(value: float | None) -> float | None:
    return None if value is None else min(2.0, max(-2.0, value))


def _texts(frame: pd.DataFrame, column: str) -> list[str]:
    return [
        "" if v is None or v is pd.NA or v is pd.NaT or v != v else str(v)
        for v in frame[column].tolist()
    ]


def _numbers(frame: pd.DataFrame, column: str) -> list[float | None]:
    values = frame[column].to_numpy(dtype=float, na_value=np.nan)
    return [None if v != v else v for v in values.tolist()]


def curve_records(
    frame: pd.DataFrame, *, pain_threshold: float = -0.5, pain: Any = None
) -> list[dict[str, Any]]:
    """The points the chart draws from an ``emotion_curve`` frame, as JSON-ready dicts: the
    frame's columns (without ``order``) plus ``x`` (position), ``label`` (touchpoint, else
    stage), a ``pain`` flag and ``n_label`` (the n a tooltip shows: "686", or "2, too few"
    under min_n); "" for missing text, None for missing numbers. Intervals are given only
    for supported points and cut to −2…+2 (a frame from elsewhere is held to the same rule).

    Plain Python over the columns (no per-row pandas work): a live curve calls this after
    every tag.

    Usage: ``curve_records(cjm.emotion_curve(journey, ev))``
    """
    stage_id, stage = _texts(frame, "stage_id"), _texts(frame, "stage")
    tp_id, tp = _texts(frame, "touchpoint_id"), _texts(frame, "touchpoint")
    series = _texts(frame, "series")
    mean, sd = _numbers(frame, "mean"), _numbers(frame, "sd")
    low, high = _numbers(frame, "ci_low"), _numbers(frame, "ci_high")
    n = [int(v) for v in frame["n"].to_numpy(dtype=float, na_value=0).tolist()]
    people = [int(v) for v in frame["n_participants"].to_numpy(dtype=float, na_value=0).tolist()]
    supported = [bool(v) for v in frame["supported"].to_numpy(dtype=bool).tolist()]
    low = [_in_scale(v) if ok else None for v, ok in zip(low, supported, strict=True)]
    high = [_in_scale(v) if ok else None for v, ok in zip(high, supported, strict=True)]
    n_label = [
        str(k) if ok or not k else f"{k}, too few" for k, ok in zip(n, supported, strict=True)
    ]
    order = [int(v) for v in frame["order"].to_numpy().tolist()]
    if pain is None:
        flags = [m is not None and m <= pain_threshold for m in mean]
    else:
        ids = pain["touchpoint_id"].dropna() if isinstance(pain, pd.DataFrame) else pain
        wanted = {str(t) for t in ids}
        flags = [t in wanted and m is not None for t, m in zip(tp_id, mean, strict=True)]
    return [
        dict(
            zip(
                POINT_FIELDS,
                (
                    stage_id[i], stage[i], tp_id[i], tp[i], series[i], n[i], mean[i], sd[i],
                    low[i], high[i], people[i], supported[i], order[i], tp[i] or stage[i],
                    flags[i], n_label[i],
                ),
                strict=True,
            )
        )
        for i in range(len(order))
    ]  # fmt: skip


def curve_points(
    frame: pd.DataFrame, *, pain_threshold: float = -0.5, pain: Any = None
) -> pd.DataFrame:
    """:func:`curve_records` as a DataFrame (one row per point).

    Usage: ``curve_points(cjm.emotion_curve(journey, ev))``
    """
    rows = curve_records(frame, pain_threshold=pain_threshold, pain=pain)
    return pd.DataFrame(rows, columns=list(POINT_FIELDS))


def emotion_curve_chart(
    data: Any,
    *,
    width: int | None = None,
    height: int = 260,
    pain_threshold: float = -0.5,
    pain: Any = None,
    highlight: Any = (),
    **curve_kw: Any,
) -> alt.LayerChart:
    """Line + CI band + points sized by n, one colour per series, stage bands and headers.

    ``data``: an ``emotion_curve`` frame or a ``(journey, evidence)`` pair (``curve_kw`` go to
    ``emotion_curve``). The 95% CI is a band along each series (broken where a point has no
    interval) and a bar at each point. Unsupported points (n < min_n) are hollow, have no
    interval, their tooltip says "n  2, too few", and their line segments are dashed. The y
    axis is the scale −2…+2 and nothing is drawn beyond it, so tiny groups keep the chart's
    height. Pain points are marked with a red ring: the touchpoints of ``pain`` (a
    ``pain_points()`` frame or touchpoint ids) when given, else points with mean ≤
    ``pain_threshold``. A point selection named ``point`` (fields
    ``touchpoint_id``, ``series``) lets widgets listen to clicks. ``highlight``: touchpoint
    ids whose points get a yellow halo (the param ``cjm_highlight``, settable in a live view).
    """
    rows = curve_records(_frame(data, **curve_kw), pain_threshold=pain_threshold, pain=pain)
    # the layout works on cleaned names (a pandas text column cannot hold a lone surrogate);
    # the points keep theirs, as data
    cur = pd.DataFrame(safe_tree(rows, one_line=True), columns=list(POINT_FIELDS))
    n_x = int(cur["x"].max()) + 1 if len(cur) else 1
    width = width or max(300, 40 * n_x)
    stages = cur.groupby(["stage_id", "stage"], sort=False)["x"].agg(["min", "max"]).reset_index()
    stages["x0"] = stages["min"] - 0.5
    stages["x1"] = stages["max"] + 0.5
    stages["mid"] = (stages["min"] + stages["max"]) / 2
    stages["band"] = range(len(stages))
    stages["odd"] = stages["band"] % 2
    stages["stage"] = [safe_text(v, one_line=True) for v in stages["stage"]]
    # the axis labels are data (a param's value), never text inside an expression
    by_x = dict(zip(cur["x"], cur["label"], strict=False))
    axis_labels = alt.param(
        name=AXIS_LABELS, value=[safe_text(by_x.get(i, ""), one_line=True) for i in range(n_x)]
    )
    x_scale = alt.Scale(domain=[-0.5, n_x - 0.5], nice=False, zero=False)
    x_axis = alt.Axis(
        values=list(range(n_x)),
        labelExpr=f"{AXIS_LABELS}[datum.value]",
        labelAngle=-40,
        labelLimit=220,
        labelOverlap=False,
        title=None,
        grid=False,
    )
    y = alt.Y("mean:Q", scale=Y_SCALE, title="Emotion (−2..+2)")
    sdata = alt.Data(values=stages[["stage", "x0", "x1", "mid", "odd"]].to_dict("records"))
    # stage bands: a fixed fill whose opacity alternates (no colour scale, so the series
    # colours stay their own)
    bands = (
        alt.Chart(sdata)
        .mark_rect(color="#8c8c8c")
        .encode(
            x=alt.X("x0:Q", scale=x_scale, axis=x_axis),
            x2="x1:Q",
            opacity=alt.condition("datum.odd == 0", alt.value(0.10), alt.value(0.03)),
        )
    )
    # headers on two alternating rows, each limited to its band's width, so that stages with
    # a single touchpoint do not overprint their neighbours
    px_per_x = width / max(n_x, 1)
    sdata_headers = alt.Data(
        values=[
            {**row, "limit": max(30.0, (row["x1"] - row["x0"]) * px_per_x * 1.9)}
            for row in stages[["stage", "x0", "x1", "mid", "odd"]].to_dict("records")
        ]
    )
    headers = alt.layer(
        *(
            alt.Chart(sdata_headers)
            .transform_filter(f"datum.odd == {odd}")
            .mark_text(baseline="bottom", fontWeight="bold", fontSize=11, dy=-4 - 14 * odd)
            .encode(
                x=alt.X("mid:Q", scale=x_scale),
                y=alt.value(0),
                text="stage:N",
                tooltip=alt.Tooltip("stage:N", title="Stage"),
            )
            for odd in (0, 1)
        )
    )
    zero = (
        alt.Chart(alt.Data(values=[{"z": 0}]))
        .mark_rule(color="#666")
        .encode(y=alt.Y("z:Q", scale=Y_SCALE))
    )
    base = alt.Chart()  # the layer's named dataset, below
    colour = alt.Color(
        "series:N",
        title="Series",
        scale=alt.Scale(scheme="tableau10"),
        legend=alt.Legend(symbolOpacity=1, symbolType="circle"),
    )
    point = alt.selection_point(name="point", fields=["touchpoint_id", "series"])
    tooltip = [
        alt.Tooltip("stage:N"),
        alt.Tooltip("touchpoint:N"),
        alt.Tooltip("series:N"),
        alt.Tooltip("mean:Q", format=".2f"),
        alt.Tooltip("ci_low:Q", format=".2f"),
        alt.Tooltip("ci_high:Q", format=".2f"),
        alt.Tooltip("n_label:N", title="n"),
    ]
    x = alt.X("x:Q", scale=x_scale, axis=x_axis)
    # the band breaks at points without an interval (never bridges an unsupported point)
    band = base.mark_area(opacity=0.18, invalid="break-paths-filter-domains").encode(
        x=x, y=alt.Y("ci_low:Q", scale=Y_SCALE), y2="ci_high:Q", color=colour
    )
    # and a bar per point, so that an interval between two unsupported points still shows
    bars = (
        base.transform_filter("isValid(datum.ci_low) && isValid(datum.ci_high)")
        .mark_rule(opacity=0.55, strokeWidth=1.5)
        .encode(x=x, y=alt.Y("ci_low:Q", scale=Y_SCALE), y2="ci_high:Q", color=colour)
    )
    line = base.mark_line(strokeDash=[4, 3]).encode(x=x, y=y, color=colour)
    solid = base.transform_filter("datum.supported").mark_line().encode(x=x, y=y, color=colour)
    pts = (
        base.mark_point(filled=True)
        .encode(
            x=x,
            y=y,
            color=colour,
            size=alt.Size(
                "n:Q",
                scale=alt.Scale(range=[30, 300]),
                legend=count_legend("n"),  # whole numbers: n counts rows or people
            ),
            fillOpacity=alt.condition("datum.supported", alt.value(1), alt.value(0)),
            stroke=alt.condition(
                point,
                alt.value("#111111"),
                alt.Color("series:N", scale=alt.Scale(scheme="tableau10"), legend=None),
                empty=False,
            ),
            strokeWidth=alt.condition(point, alt.value(3), alt.value(1.5), empty=False),
            tooltip=tooltip,
        )
        .add_params(point)
        .properties(name="points")  # the selection's unit, which a live view restores
    )
    pain_ring = (
        base.transform_filter("datum.pain")
        .mark_point(shape="circle", size=420, color="#d62728", strokeWidth=2, filled=False)
        .encode(x=x, y=y)
    )
    # a halo under the points of the highlighted touchpoints (param HIGHLIGHT: a list of ids).
    # Unnamed (its marks are found by their fill, HALO): in a concat (charts/behaviour.py)
    # altair 6.3 gives *every* named layer the layer chart's selections, so a second named
    # layer besides "points" duplicates the ``point`` signal and Vega refuses the chart.
    halo = (
        base.transform_filter(
            f"isValid(datum.mean) && indexof({HIGHLIGHT}, datum.touchpoint_id) >= 0"
        )
        .mark_point(shape="circle", size=700, filled=True, color=HALO, opacity=0.55)
        .encode(x=x, y=y)
    )
    marked = alt.param(name=HIGHLIGHT, value=[str(t) for t in highlight])
    return layered(
        alt.layer(
            bands,
            headers,
            zero,
            halo,
            band,
            bars,
            line,
            solid,
            pts,
            pain_ring,
            data=alt.Data(values=rows, name=CURVE_DATA),
        )
        .add_params(axis_labels, marked)
        .properties(width=width, height=height, autosize=AUTOSIZE)
    )
