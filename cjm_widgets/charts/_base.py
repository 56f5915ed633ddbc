"""Helpers shared by the chart builders: inline records, autosize, frames from inputs."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from cjm_widgets._text import safe_text

#: Every chart pads to fit and resizes after updates (else it clips in a JupyterChart).
AUTOSIZE = alt.AutoSizeParams(type="pad", resize=True)

#: Order a nominal axis by the rows' ``slot`` column (0, 1, …): the order travels as data.
#: A list of names as ``sort=`` would be placed by Vega-Lite inside an expression, where a
#: line break or U+2028 in a name is a parse error.
SLOT_SORT = alt.EncodingSortField(field="slot", op="min")


def count_legend(title: str, *, scale: str = "size") -> alt.Legend:
    """A legend for a count (n) encoded on ``scale``: whole numbers only, on a 1-2-5 step.

    Vega's own ticks of a small domain are halves ("n 0.5"), which no count can be. The values
    are an expression of the scale's domain, so a chart whose data is replaced in place keeps
    them right: step = the smallest of 1, 2, 5, 10, 20, … that is at least a quarter of the
    domain's span; the values are the step's multiples within the domain.

    Usage: ``alt.Size("n:Q", legend=count_legend("n"))``
    """
    lo, hi = f"domain('{scale}')[0]", f"domain('{scale}')[1]"
    raw = f"max(({hi} - {lo}) / 4, 1)"
    mag = f"pow(10, floor(log({raw}) / LN10))"
    step = f"({raw} <= 1 ? 1 : ({raw} / {mag} <= 2 ? 2 : {raw} / {mag} <= 5 ? 5 : 10) * {mag})"
    values = alt.ExprRef(f"sequence(ceil({lo} / {step}) * {step}, {hi} + 1, {step})")
    return alt.Legend(title=title, format="d", values=values)


def plain(value: Any) -> Any:
    """A JSON-ready Python value: NaN/NA → None, numpy scalars → Python, lists → lists."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``frame`` as JSON-ready dicts (the chart's inline data)."""
    cols = list(frame.columns)
    return [
        {c: plain(v) for c, v in zip(cols, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def inline(frame: pd.DataFrame) -> alt.Data:
    """Inline data (never a URL, never the raw evidence rows)."""
    return alt.Data(values=records(frame))


def analysis_frame(data: Any, compute: Any, what: str, **kw: Any) -> pd.DataFrame:
    """``data`` itself when it is a DataFrame, else ``compute(journey, evidence, **kw)`` for a
    ``(journey, evidence)`` pair."""
    if isinstance(data, pd.DataFrame):
        if kw:
            raise TypeError(
                f"Options {sorted(kw)} go to {what}(); pass (journey, evidence) instead of a "
                "frame, or compute the frame with them."
            )
        return data
    if isinstance(data, tuple) and len(data) == 2:
        return compute(*data, **kw)
    raise TypeError(
        f"Pass a {what}() DataFrame or a (journey, evidence) pair, got {type(data).__name__}."
    )


def slot_labels(frame: pd.DataFrame) -> list[str]:
    """One unique, readable label per row: the touchpoint (or stage) name on one line
    (:func:`~cjm_widgets.safe_text`), made unique."""
    labels: list[str] = []
    seen: dict[str, int] = {}
    for tp, st in zip(frame["touchpoint"], frame["stage"], strict=True):
        label = safe_text(st if tp is None or tp is pd.NA else tp, one_line=True)
        if tp is not None and tp is not pd.NA and str(tp) == "(whole stage)":
            label = f"{safe_text(st, one_line=True)} (whole stage)"
        seen[label] = seen.get(label, 0) + 1
        labels.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return labels


def empty_chart(message: str, *, width: int = 320, height: int = 60) -> alt.Chart:
    """A chart that says why there is nothing to draw (e.g. a journey without stages)."""
    return (
        alt.Chart(alt.Data(values=[{"message": message}]))
        .mark_text(fontSize=13, color="#666", align="left", x=8, y=height / 2)
        .encode(text="message:N")
        .properties(width=width, height=height)
    )


def layered(chart: alt.LayerChart | alt.FacetChart) -> alt.LayerChart:
    """``chart``, checked to be the layer chart it is: altair types ``LayerChart.properties``
    as returning a layer or a facet chart, and the builders promise a layer.

    Usage: ``return layered(alt.layer(a, b).properties(width=300))``
    """
    if not isinstance(chart, alt.LayerChart):
        raise TypeError(f"Expected an altair LayerChart, got {type(chart).__name__}.")
    return chart
