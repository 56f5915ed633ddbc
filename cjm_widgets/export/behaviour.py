"""The behaviour findings of an event log, shared by the HTML report, Markdown and Excel:
the funnel, the main flows and paths, contacts, and how each number is computed.

Usage: ``b = behaviour_findings(journey, events)``; ``b.funnel``, ``b.flows``, ``b.variants``
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from cjm_widgets.events import Events
    from cjm_widgets.model import Journey

__all__ = [
    "METHODS",
    "BehaviourFindings",
    "behaviour_findings",
    "behaviour_html",
    "behaviour_markdown",
]

#: How every behaviour number is computed (the report's Methods; docstrings have the detail).
METHODS = (
    "Behaviour comes from the event log, computed in its engine (DuckDB or Spark). A case's "
    "furthest step is the last stage in journey order where it has an event; 'reached' counts "
    "cases whose furthest step is that stage or later, 'left after' those whose furthest step "
    "it is; shares are of all cases, with 95% Wilson intervals. Times run from the case's first "
    "event to its first event at the step, in whole seconds (median and 90th percentile, "
    "linear interpolation). Flows are directly-follows transitions between the touchpoints of "
    "consecutive mapped events (ties in time ordered by journey order, then activity name); "
    "their share is of all transitions leaving the source. Paths (variants) are each case's "
    "full sequence of touchpoints. Exact duplicate events are kept once; impossible dates are "
    "left out and counted in the data-quality table."
)


@dataclass
class BehaviourFindings:
    """The behaviour frames a report shows (each as returned by its analysis)."""

    funnel: pd.DataFrame
    reach: pd.DataFrame
    flows: pd.DataFrame
    variants: pd.DataFrame
    quality: pd.DataFrame
    unmapped: pd.DataFrame


def behaviour_findings(journey: Journey, events: Events, *, top: int = 10) -> BehaviourFindings:
    """Run the analyses a report shows on a mapped event log."""
    from cjm_widgets.analysis.behaviour import flows, funnel, reach, variants

    return BehaviourFindings(
        funnel=funnel(journey, events),
        reach=reach(journey, events),
        flows=flows(journey, events),
        variants=variants(journey, events, top=top),
        quality=events.quality,
        unmapped=events.unmapped,
    )


def _pct(value: float) -> str:
    return "–" if value != value else f"{100 * value:.1f}%"


def _dur(seconds: float) -> str:
    if seconds != seconds:
        return "–"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def behaviour_html(journey: Journey, events: Events, *, svg: Any, table: Any, escape: Any) -> str:
    """The report's behaviour section; ``svg``, ``table`` and ``escape`` are the report's own
    chart, table and escaping helpers (every text from the log or journey is escaped)."""
    from cjm_widgets.charts.behaviour import flow_chart, funnel_chart

    b = behaviour_findings(journey, events)
    e = escape
    out = ['<section id="behaviour" class="cjm-r-section"><h2>Behaviour</h2>']
    total = int(b.funnel["cases_total"].iloc[0]) if len(b.funnel) else 0
    out.append(
        f"<p>From the event log: {total:,} cases. Where customers get to and where they "
        "leave, stage by stage.</p>"
    )
    out.append(svg(funnel_chart(b.funnel), "behaviour-funnel", "Funnel of cases by stage"))
    rows = [
        [
            f"<strong>{e(r.stage)}</strong>",
            f"{int(r.reached):,}",
            f"{_pct(r.share)} <small>({_pct(r.share_low)}–{_pct(r.share_high)})</small>",
            f"{int(r.left_after):,}",
            _dur(r.time_median_s),
            _dur(r.time_p90_s),
        ]
        for r in b.funnel.itertuples()
    ]
    head = ["Stage", "Reached", "Share (95% CI)", "Left after", "Median time", "p90 time"]
    out.append(table(head, rows))
    out.append("<h3>Main flows</h3>")
    out.append(svg(flow_chart(b.flows, journey), "behaviour-flows", "Flows between touchpoints"))
    out.append("<h3>Most common paths</h3>")
    vrows = [
        [e(r.path), f"{int(r.cases):,}", f"{_pct(r.share)}", _dur(r.median_duration_s)]
        for r in b.variants.itertuples()
    ]
    out.append(table(["Path", "Cases", "Share", "Median duration"], vrows))
    q = b.quality[b.quality["count"] > 0]
    out.append("<h3>Data quality of the log</h3>")
    out.append(
        table(
            ["Check", "Count", "Handling"],
            [[e(r.check), f"{int(r.count):,}", e(r.handling)] for r in q.itertuples()],
        )
    )
    if len(b.unmapped):
        names = ", ".join(e(a) for a in b.unmapped["activity"].head(10))
        more = f" and {len(b.unmapped) - 10} more" if len(b.unmapped) > 10 else ""
        out.append(f"<p><small>Activities on no touchpoint (kept): {names}{more}.</small></p>")
    out.append(f"<p><small>{e(METHODS)}</small></p></section>")
    return "".join(out)


def behaviour_markdown(journey: Journey, events: Events) -> str:
    """The behaviour findings as Markdown: funnel and top paths tables, and the method."""
    from cjm_widgets.model.markdown import md_text as cell

    b = behaviour_findings(journey, events)

    lines = ["## Behaviour", "", "| Stage | Reached | Share (95% CI) | Left after | Median time |",
             "| --- | ---: | --- | ---: | --- |"]  # fmt: skip
    for r in b.funnel.itertuples():
        lines.append(
            f"| {cell(r.stage)} | {int(r.reached):,} | {_pct(r.share)} ({_pct(r.share_low)}–"
            f"{_pct(r.share_high)}) | {int(r.left_after):,} | {_dur(r.time_median_s)} |"
        )
    lines += ["", "| Path | Cases | Share |", "| --- | ---: | ---: |"]
    for r in b.variants.itertuples():
        lines.append(f"| {cell(r.path)} | {int(r.cases):,} | {_pct(r.share)} |")
    lines += ["", METHODS, ""]
    return "\n".join(lines)
