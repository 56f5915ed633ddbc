"""The shareable HTML report: one self-contained file that opens offline and prints well.

Usage::

    cjm.export.html_report(journey, ev, "report.html", by="Class")

Everything is inside the one file: the map (the same HTML as the notebook's), the charts as
inline SVG rendered by vl-convert, the tables, the quotes and a methods section. No script,
no URL, no external font or image; a Content-Security-Policy forbids loading anything, and
all user text is cleaned of control characters (:func:`cjm_widgets.safe_text`) and
HTML-escaped (the SVG text is escaped by vl-convert).
"""

from __future__ import annotations

import contextvars
import datetime as _dt
import html
import math
import os
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

from cjm_widgets._text import safe_text
from cjm_widgets.errors import CJMError
from cjm_widgets.export._findings import (
    CI_FORMULA,
    PAIN_FORMULA,
    PAIN_RANKING,
    PRIORITY_FORMULA,
    Findings,
    collect,
    method_facts,
)

__all__ = ["html_report", "report_html"]

#: At most this many pain points are shown with their quotes.
TOP_PAINS = 10

_SVG_XMLNS = re.compile(r'\s+xmlns(?::xlink)?="[^"]*"')
_SVG_ID = re.compile(r'\bid="([^"]+)"')


def _e(value: Any) -> str:
    return html.escape(safe_text(value), quote=True)


def _f(value: Any, fmt: str = "+.2f") -> str:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if math.isnan(x) else format(x, fmt)


def _n(value: Any) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "–"


#: While a report is built, charts are queued here and rendered together (two at a time:
#: vl-convert releases the GIL), then put in place of their placeholder comments.
_QUEUE: contextvars.ContextVar[list[tuple[str, Any, str, str]] | None] = contextvars.ContextVar(
    "cjm_report_charts", default=None
)


def _svg(chart: Any, key: str, label: str) -> str:
    """The chart's inline SVG, or a placeholder while a report queues its charts."""
    queue = _QUEUE.get()
    if queue is None:
        return _render(chart, key, label)
    token = f"<!--cjm-svg-{uuid.uuid4().hex}-->"
    queue.append((token, chart, key, label))
    return token


def _render(chart: Any, key: str, label: str) -> str:
    """Inline SVG of ``chart``: no xmlns URLs (HTML does not need them), ids made unique per
    chart (several SVGs share one document), a role and label for screen readers.

    Renders like :func:`cjm_widgets.charts.to_svg` (vl-convert, no URL allowed) but without
    re-validating the spec against the Vega-Lite schema: the builders' specs are tested, and
    validation costs ~0.25 s per chart, most of a report's build time on large data."""
    import vl_convert as vlc

    from cjm_widgets.charts.render import static_spec

    spec = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    svg = vlc.vegalite_to_svg(static_spec(spec), allowed_base_urls=[])
    svg = _SVG_XMLNS.sub("", svg, count=2)
    ids = set(_SVG_ID.findall(svg))
    for ident in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{ident}"', f'id="{key}-{ident}"')
        svg = svg.replace(f"url(#{ident})", f"url(#{key}-{ident})")
        svg = svg.replace(f'href="#{ident}"', f'href="#{key}-{ident}"')
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_e(label)}" ', 1)
    return f'<figure class="cjm-r-chart">{svg}</figure>'


def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table; cells are already-escaped HTML."""
    out = [f'<table class="cjm-r-table {cls}"><thead><tr>']
    out += [f'<th scope="col">{_e(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _interval(low: Any, high: Any, supported: Any, n: Any, fmt: str = "+.2f") -> str | None:
    """The text "low to high" of a supported interval, else None (never quoted under min_n)."""
    text_low, text_high = _f(low, fmt), _f(high, fmt)
    if not bool(supported) or "–" in (text_low, text_high):
        return None
    return f"{text_low} to {text_high}"


def _too_few(n: Any) -> str:
    return f"n = {_n(n)}, too few for an interval"


def _place(stage: Any, touchpoint: Any) -> str:
    tp = "" if touchpoint is None or touchpoint is pd.NA else str(touchpoint)
    return f"<strong>{_e(tp or stage)}</strong> <small>{_e(stage)}</small>"


# ------------------------------------------------------------------------------ sections
def _header(f: Findings, title: str, generated: str) -> str:
    j = f.journey
    out = ['<header class="cjm-r-head">']
    out.append(f'<p class="cjm-r-kicker">Customer journey report · {_e(j.state)} state</p>')
    out.append(f"<h1>{_e(title)}</h1>")
    if j.scope:
        out.append(f'<p class="cjm-r-scope"><span>Scope</span> {_e(j.scope)}</p>')
    for index, p in enumerate(j.personas):
        out.append(f'<div class="cjm-r-persona"><p><span>{"Persona" if not index else "Also"}'
                   f"</span> <strong>{_e(p.name)}</strong>")
        if p.description:
            out.append(f" — {_e(p.description)}")
        out.append("</p>")
        facts = []
        if p.segment:
            seg = "; ".join(
                f"{_e(c)} = {_e(', '.join(map(str, v)) if isinstance(v, list | tuple) else v)}"
                for c, v in p.segment.items()
            )
            facts.append(f"<li><span>Segment</span> {seg}</li>")
        if p.goals:
            facts.append(f"<li><span>Goals</span> {_e('; '.join(p.goals))}</li>")
        if p.needs:
            facts.append(f"<li><span>Needs</span> {_e('; '.join(p.needs))}</li>")
        if facts:
            out.append('<ul class="cjm-r-facts">' + "".join(facts) + "</ul>")
        out.append("</div>")
    by = f" · series by {_e(getattr(f.by, 'name', f.by))}" if f.by is not None else ""
    out.append(
        f'<p class="cjm-r-meta">{_n(len(f.evidence))} evidence rows · generated {_e(generated)} '
        f"with cjm-widgets{by}</p>"
    )
    out.append("</header>")
    return "".join(out)


def _toc(sections: list[tuple[str, str]]) -> str:
    links = "".join(f'<li><a href="#{key}">{_e(name)}</a></li>' for key, name in sections)
    return f'<nav class="cjm-r-toc" aria-label="Contents"><ol>{links}</ol></nav>'


def _summary(f: Findings) -> str:
    tagged = int(f.evidence.evidence_mask.sum())  # a blank rating is not tagged evidence
    items = [f"<li>{_n(len(f.evidence))} evidence rows, {_n(tagged)} tagged to the journey.</li>"]
    low = f.lowest(1)
    if len(low):
        r = low.iloc[0]
        ci = _interval(r["ci_low"], r["ci_high"], r["supported"], r["n"])
        detail = f"95% CI {ci}, n = {_n(r['n'])}" if ci else _too_few(r["n"])
        items.append(
            f"<li>Lowest point of the curve: {_place(r['stage'], r['touchpoint'])}, mean "
            f"{_f(r['mean'])} ({detail}).</li>"
        )
    high = f.highest(1)
    if len(high):
        r = high.iloc[0]
        items.append(
            f"<li>Highest point: {_place(r['stage'], r['touchpoint'])}, mean {_f(r['mean'])} "
            f"(n = {_n(r['n'])}).</li>"
        )
    if len(f.pains):
        r = f.pains.iloc[0]
        ci = _interval(r["score_low"], r["score_high"], True, r["n"], ".2f")
        items.append(
            f"<li>Top pain point: {_place(r['stage'], r['touchpoint'])}, score "
            f"{_f(r['score'], '.2f')}{f' (95% interval {ci})' if ci else ''}; "
            f"{_f(100 * r['frequency'], '.0f')}% of {_n(r['n'])} rows report a pain.</li>"
        )
    wins = f.quick_wins()
    if len(wins):
        names = ", ".join(f"<strong>{_e(t)}</strong>" for t in wins["text"])
        items.append(f"<li>{len(wins)} quick win{'s' if len(wins) > 1 else ''}: {names}.</li>")
    assumptions = f.assumptions()
    if assumptions:
        shown = ", ".join(_e(t) for _, t in assumptions[:8])
        more = f" and {len(assumptions) - 8} more" if len(assumptions) > 8 else ""
        items.append(
            f'<li class="cjm-r-warn">{len(assumptions)} touchpoint(s) without evidence '
            f"(assumptions): {shown}{more}.</li>"
        )
    return (
        '<section id="summary" class="cjm-r-section"><h2>Key findings</h2>'
        f'<ul class="cjm-r-keys">{"".join(items)}</ul></section>'
    )


def _map(f: Findings) -> str:
    from cjm_widgets.model.render import journey_html

    return (
        '<section id="map" class="cjm-r-section cjm-r-wide"><h2>Journey map</h2>'
        f"{journey_html(f.journey)}</section>"
    )


def _curve(f: Findings) -> str:
    from cjm_widgets.analysis.curve import missing_note
    from cjm_widgets.charts import emotion_curve_chart

    out = ['<section id="curve" class="cjm-r-section"><h2>Emotion curve</h2>']
    out.append(
        "<p>Mean emotion (−2 very negative … +2 very positive) of the evidence tagged to each "
        "touchpoint, with its 95% confidence interval (cut to the scale). Hollow points rest "
        f"on fewer than {f.min_n} rows: too few for an interval, so none is drawn; red rings "
        "mark the top three pain points.</p>"
    )
    curve = f.curve
    if int(curve["n"].sum()) == 0:
        out.append('<p class="cjm-r-warn">No evidence is tagged yet: there is no curve.</p>')
        out.append("</section>")
        return "".join(out)
    width = min(980, max(560, 64 * int(curve["order"].nunique())))
    chart = emotion_curve_chart(curve, pain=f.pains.head(3), width=width)
    out.append(_svg(chart, "curve", "Emotion curve"))
    dropped = missing_note(curve)
    if dropped:
        out.append(
            f'<p class="cjm-r-muted">{_e(dropped)} (they count in the overall figures; see '
            "Methods).</p>"
        )
    series = list(dict.fromkeys(str(s) for s in curve["series"]))
    head = ["Stage", "Touchpoint", *series]
    rows = []
    for (_, stage, tp), group in curve.groupby(
        ["order", "stage", "touchpoint"], sort=True, dropna=False
    ):
        cells = {}
        for r in group.itertuples(index=False):
            if r.n == 0:
                cells[str(r.series)] = '<span class="cjm-r-muted">no evidence</span>'
                continue
            if not r.supported:
                cells[str(r.series)] = (
                    f'<span class="cjm-r-weak" title="fewer than {f.min_n} rows">{_f(r.mean)}'
                    f"</span> <small>n = {_n(r.n)}, too few</small>"
                )
                continue
            ci = _interval(r.ci_low, r.ci_high, True, r.n)
            cells[str(r.series)] = (
                f"{_f(r.mean)} <small>{f'[{ci}] ' if ci else ''}n = {_n(r.n)}</small>"
            )
        rows.append([_e(stage), _e(tp), *(cells.get(s, "–") for s in series)])
    out.append('<details class="cjm-r-details" open><summary>Curve values</summary>')
    out.append(_table(head, rows, "cjm-r-num"))
    out.append("</details></section>")
    return "".join(out)


def _compare(f: Findings) -> str:
    from cjm_widgets.charts import compare_chart

    cmp = f.compare
    if cmp is None:
        return ""
    a, b = cmp.attrs.get("a", "a"), cmp.attrs.get("b", "b")
    out = [
        '<section id="compare" class="cjm-r-section">'
        f"<h2>{_e(b)} compared with {_e(a)}</h2>",
        f"<p>Difference of mean emotion ({_e(b)} − {_e(a)}) per touchpoint with its 95% CI; "
        "filled points differ at p &lt; 0.05 (Welch's t-test).</p>",
    ]
    if int(cmp["n_a"].sum() + cmp["n_b"].sum()) > 0:
        out.append(_svg(compare_chart(cmp), "compare", f"{b} compared with {a}"))
    rows = []
    for r in cmp.itertuples(index=False):
        if r.n_a == 0 and r.n_b == 0:
            continue
        ci = _interval(r.ci_low, r.ci_high, r.supported, None)
        rows.append(
            [
                _place(r.stage, r.touchpoint),
                f"{_f(r.mean_a)} <small>n = {_n(r.n_a)}</small>",
                f"{_f(r.mean_b)} <small>n = {_n(r.n_b)}</small>",
                f"{_f(r.diff)} <small>{f'[{ci}]' if ci else 'too few rows for an interval'}"
                "</small>",
                _f(r.p, ".3g"),
                _f(r.hedges_g, "+.2f"),
            ]
        )
    out.append('<details class="cjm-r-details"><summary>Comparison values</summary>')
    out.append(
        _table(["Touchpoint", str(a), str(b), "Difference [95% CI]", "p", "Hedges' g"], rows)
    )
    out.append("</details></section>")
    return "".join(out)


def _pains(f: Findings) -> str:
    out = ['<section id="pain-points" class="cjm-r-section"><h2>Pain points</h2>']
    pains = f.pains.head(TOP_PAINS)
    if not len(pains):
        out.append("<p>No evidence reports a pain (no negative emotion, no “pain point” "
                   "label).</p>")
        return "".join(out) + "</section>"
    out.append(
        f"<p>{_e(PAIN_FORMULA)}. Ranked by the lower end of the score's 95% interval, so that "
        "a few rows do not outrank many on chance (see Methods).</p>"
        '<ol class="cjm-r-pains">'
    )
    for r in pains.itertuples(index=False):
        weak = "" if r.supported else ' <span class="cjm-r-weak">few rows</span>'
        out.append(
            f'<li class="cjm-r-pain"><p>{_place(r.stage, r.touchpoint)}{weak}</p>'
            f'<p class="cjm-r-stats">score {_f(r.score, ".2f")} '
            f"(95% interval {_f(r.score_low, '.2f')} to {_f(r.score_high, '.2f')}) · "
            f"{_f(100 * r.frequency, '.0f')}% of {_n(r.n)} rows report a pain · severity "
            f"{_f(r.severity, '.2f')} · {_n(r.n_participants)} participants</p>"
        )
        quotes, ids = list(r.quotes), list(r.quote_ids)
        for quote, ident, who in zip(quotes, ids, f.quote_participants(ids), strict=True):
            out.append(
                f'<blockquote class="cjm-r-quote"><p>{_e(quote)}</p>'
                f"<footer>{_e(who)} <small>({_e(ident)})</small></footer></blockquote>"
            )
        out.append("</li>")
    out.append("</ol>")
    if len(f.pains) > TOP_PAINS:
        out.append(f"<p><small>{len(f.pains) - TOP_PAINS} more in the Excel export.</small></p>")
    return "".join(out) + "</section>"


def _opportunities(f: Findings) -> str:
    from cjm_widgets.charts import opportunity_matrix_chart

    out = ['<section id="opportunities" class="cjm-r-section"><h2>Opportunities</h2>']
    opps = f.opportunities
    if not len(opps):
        out.append("<p>No opportunities are recorded in the journey yet.</p></section>")
        return "".join(out)
    out.append(f"<p>{_e(PRIORITY_FORMULA)}; bubble size = pain evidence behind it.</p>")
    wins = f.quick_wins()
    if len(wins):
        out.append('<div class="cjm-r-wins"><h3>Quick wins</h3><ul>')
        for r in wins.itertuples(index=False):
            out.append(
                f"<li><strong>{_e(r.text)}</strong> <small>impact {r.impact}, effort "
                f"{r.effort} · {_e(', '.join(r.touchpoints)) or 'no touchpoint'} · "
                f"{_n(r.evidence_n)} pain rows</small></li>"
            )
        out.append("</ul></div>")
    out.append(_svg(opportunity_matrix_chart(opps), "opportunities", "Opportunity matrix"))
    rows = [
        [
            str(r.rank),
            _e(r.text) + (' <span class="cjm-r-win">quick win</span>' if r.quick_win else ""),
            _e(", ".join(r.touchpoints)),
            str(r.impact),
            str(r.effort),
            str(r.priority),
            _n(r.evidence_n),
        ]
        for r in opps.itertuples(index=False)
    ]
    out.append(
        _table(["#", "Opportunity", "Touchpoints", "Impact", "Effort", "Priority", "Pain rows"],
               rows)
    )
    return "".join(out) + "</section>"


def _coverage(f: Findings) -> str:
    from cjm_widgets.charts import coverage_chart

    cov = f.coverage
    out = ['<section id="coverage" class="cjm-r-section"><h2>Evidence coverage</h2>']
    out.append(
        "<p>How much evidence of which source, and from how many participants, backs each "
        "touchpoint. Stages without any evidence are drawn from assumptions.</p>"
    )
    if not len(cov):
        out.append("<p>The journey has no stages yet.</p></section>")
        return "".join(out)
    out.append(_svg(coverage_chart(cov), "coverage", "Evidence coverage"))
    empty = cov[cov["stage_without_evidence"].astype(bool)]["stage"].unique().tolist()
    notes = []
    if empty:
        notes.append(f"Stages without evidence: {_e(', '.join(map(str, empty)))}.")
    untagged = cov.attrs.get("untagged_rows")
    if untagged:
        notes.append(f"{_n(untagged)} evidence rows are not tagged to any touchpoint or stage.")
    if cov.attrs.get("unplaced_rows"):
        notes.append(
            f"{_n(cov.attrs['unplaced_rows'])} rows are tagged to touchpoints or stages that are "
            "no longer in the journey (not counted)."
        )
    if notes:
        out.append('<ul class="cjm-r-notes">' + "".join(f"<li>{n}</li>" for n in notes) + "</ul>")
    return "".join(out) + "</section>"


def _methods(f: Findings) -> str:
    facts = method_facts(f.evidence)
    out = ['<section id="methods" class="cjm-r-section"><h2>Methods</h2>', "<h3>Sources</h3>"]
    src = facts["sources"]
    out.append(
        _table(
            ["Source", "Rows (n)", "Tagged", "With emotion", "Participants", "Interviewer turns"],
            [
                [_e(r.source), _n(r.rows), _n(r.tagged), _n(r[3]), _n(r.participants), _n(r[5])]
                for r in src.itertuples(index=False)
            ],
            "cjm-r-num",
        )
    )
    if facts["files"]:
        out.append(f"<p>Files: {_e(', '.join(facts['files']))}.</p>")
    from cjm_widgets.evidence.participants import describe_participants

    out.append(f"<p>{_e(describe_participants(f.evidence))}</p>")
    out.append("<h3>Scales</h3><p>Emotion is one scale everywhere, −2 (very negative) to +2 "
               "(very positive). Hand tags give it directly.")
    if facts["coders"]:
        out.append(f" Coders: {_e(', '.join(facts['coders']))}.")
    out.append("</p>")
    if facts["scales"]:
        out.append("<p>Survey and rating items map linearly onto it; answers with a missing "
                   "code (“not applicable”) and blanks carry no emotion and are not counted.</p>")
        out.append(
            _table(
                ["Items", "Scale", "Mapping onto −2..+2", "Missing codes"],
                [
                    [
                        f"{len(s['items'])}: {_e(', '.join(s['items']))}",
                        _e(s["scale"]),
                        _e(s["mapping"]),
                        _e(s["missing"] or "none"),
                    ]
                    for s in facts["scales"]
                ],
            )
        )
    if facts["empty_answers"]:
        out.append(
            f"<p>{_n(facts['empty_answers'])} rating rows have no rating (blank or a missing "
            "code): they belong to a touchpoint but say nothing, so they are not counted as "
            "tagged and not used anywhere in this report.</p>"
        )
    if facts["invalid"]:
        out.append(f"<p>{_n(facts['invalid'])} ratings outside their scale were set missing.</p>")
    if facts["warnings"]:
        shown = "".join(f"<li>{_e(w)}</li>" for w in facts["warnings"][:10])
        out.append(f"<p>Reader warnings:</p><ul>{shown}</ul>")
    out.append("<h3>Statistics</h3><ul>")
    out.append(f"<li>Curve: per touchpoint and series, n rows with an emotion; 95% CI = "
               f"{_e(CI_FORMULA)}. Interviewer turns are not counted.</li>")
    out.append(
        f"<li>A point is <em>supported</em> when n ≥ {f.min_n} (min_n). Points with "
        "fewer rows are hollow in the chart and marked “too few” in the tables; they "
        "get no interval (drawn or quoted), and the key findings use supported points "
        "when there are any.</li>"
    )
    if "dropped_column" in f.curve.attrs:  # series by a column (not by a persona)
        dropped = int(f.curve.attrs.get("dropped_rows", 0) or 0)
        by = _e(f.curve.attrs["dropped_column"])
        out.append(
            f"<li>Series: one per value of {by}. "
            + (
                f"{_n(dropped)} rated rows without a {by} are not shown as a series of their "
                "own; they count in the overall figures (key findings, pain points, coverage)."
                if dropped
                else f"Every rated row has a {by}."
            )
            + "</li>"
        )
    out.append(f"<li>Pain points: {_e(PAIN_FORMULA)}. {_e(PAIN_RANKING)}.</li>")
    out.append(f"<li>Opportunities: {_e(PRIORITY_FORMULA)}.</li>")
    if f.compare is not None:
        out.append(
            "<li>Comparison: difference of means with Welch's t-test (unequal "
            "variances), its 95% CI (cut to −4 … +4, the widest possible difference; "
            "none when a group has fewer than min_n rows) and Hedges' g.</li>"
        )
    elif f.compare_note:
        out.append(f"<li>{_e(f.compare_note)}</li>")
    out.append("</ul>")
    weak = f.unsupported()
    out.append(f"<h3>Unsupported points (n &lt; {f.min_n})</h3>")
    if len(weak):
        rows = [
            [_e(r.stage), _e(r.touchpoint), _e(r.series), _n(r.n)]
            for r in weak.itertuples(index=False)
        ]
        out.append(_table(["Stage", "Touchpoint", "Series", "n"], rows, "cjm-r-num"))
    else:
        out.append("<p>None: every point with evidence rests on at least "
                   f"{f.min_n} rows.</p>")
    assumptions = f.assumptions()
    if assumptions:
        out.append("<p>Touchpoints without any evidence (assumptions): "
                   f"{_e(', '.join(f'{t} ({s})' for s, t in assumptions))}.</p>")
    return "".join(out) + "</section>"


# ------------------------------------------------------------------------------ the page
_CSS = """
:root { color-scheme: light; }
body.cjm-report { margin: 0; background: #fff; color: #1f2328;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
.cjm-report main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
.cjm-report h1 { font-size: 1.9em; line-height: 1.2; margin: 0.1em 0 0.3em; }
.cjm-report h2 { font-size: 1.35em; margin: 0 0 0.5em; padding-bottom: 0.2em;
  border-bottom: 2px solid #d0d7de; }
.cjm-report h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
.cjm-report small, .cjm-r-muted { color: #57606a; }
.cjm-r-head { border-bottom: 4px solid #1565c0; padding-bottom: 12px; margin-bottom: 16px; }
.cjm-r-kicker { text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.78em;
  color: #57606a; margin: 0; }
.cjm-r-head span, .cjm-r-facts span { font-size: 0.78em; text-transform: uppercase;
  letter-spacing: 0.05em; color: #57606a; margin-right: 0.4em; }
.cjm-r-scope, .cjm-r-persona p { margin: 0.2em 0; }
.cjm-r-facts { margin: 0.2em 0 0.4em; padding-left: 1.2em; }
.cjm-r-meta { font-size: 0.85em; color: #57606a; margin: 0.6em 0 0; }
.cjm-r-toc ol { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; padding: 0;
  margin: 0 0 20px; font-size: 0.9em; }
.cjm-r-toc a { color: #0b57d0; }
.cjm-r-section { margin: 0 0 32px; break-inside: auto; }
.cjm-r-keys li { margin: 0.25em 0; }
.cjm-r-warn { color: #a40e26; }
.cjm-r-weak { font-style: italic; color: #8a5a00; }
.cjm-r-win { display: inline-block; font-size: 0.75em; font-weight: 600; color: #0f5323;
  border: 1px solid #2e7d32; border-radius: 8px; padding: 0 6px; margin-left: 4px; }
.cjm-r-chart { margin: 12px 0; overflow-x: auto; }
.cjm-r-chart svg { max-width: 100%; height: auto; }
.cjm-r-table { border-collapse: collapse; margin: 8px 0 12px; font-size: 0.88em; }
.cjm-r-table th, .cjm-r-table td { border: 1px solid #d0d7de; padding: 4px 8px;
  text-align: left; vertical-align: top; }
.cjm-r-table thead th { background: #f3f5f7; }
.cjm-r-num td { font-variant-numeric: tabular-nums; }
.cjm-r-details summary { cursor: pointer; color: #0b57d0; margin: 4px 0; }
.cjm-r-pains { padding-left: 1.4em; }
.cjm-r-pain { margin: 0 0 14px; break-inside: avoid; }
.cjm-r-pain p { margin: 0.1em 0; }
.cjm-r-stats { font-size: 0.88em; color: #57606a; }
.cjm-r-quote { margin: 6px 0 6px 4px; padding: 4px 12px; border-left: 4px solid #c62828;
  background: #fdf3f3; }
.cjm-r-quote p { margin: 0; white-space: pre-wrap; }
.cjm-r-quote footer { font-size: 0.82em; color: #57606a; }
.cjm-r-wins { border: 1px solid #2e7d32; border-radius: 6px; padding: 4px 14px;
  margin: 8px 0 12px; }
.cjm-r-wins h3 { margin: 0.4em 0 0.2em; color: #0f5323; }
.cjm-r-foot { font-size: 0.8em; color: #57606a; border-top: 1px solid #d0d7de;
  padding-top: 8px; }
.cjm-report .cjm-map .cjm-head { display: none; }
.cjm-report .cjm-map .cjm-grid thead th.cjm-stage { width: auto; min-width: 8.5em; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body.cjm-report { font-size: 10.5pt; background: #fff !important; color: #000 !important; }
  .cjm-report main { max-width: none; padding: 0; }
  .cjm-r-toc, .cjm-r-details summary { display: none; }
  .cjm-r-details > * { display: block; }
  .cjm-r-section { break-before: page; }
  #summary, #map { break-before: auto; }
  .cjm-r-chart, .cjm-r-table tr, .cjm-r-quote, .cjm-r-wins { break-inside: avoid; }
  .cjm-r-chart { overflow: visible; }
  .cjm-r-table thead th { background: #fff !important; }
  .cjm-r-quote { background: #fff !important; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; " \
    "form-action 'none'"


def report_html(
    journey: Any,
    evidence: Any,
    *,
    by: Any = None,
    title: str | None = None,
    min_n: int = 5,
    generated: str | None = None,
    events: Any = None,
    themes: Any = None,
) -> str:
    """The report as one HTML string (see :func:`html_report`).

    Usage: ``text = report_html(journey, ev, by="Class")``
    """
    from cjm_widgets import __version__

    f = collect(journey, evidence, by=by, min_n=min_n)
    shown = title if title is not None else journey.title
    if generated is None:
        generated = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    sections = [("summary", "Key findings"), ("map", "Journey map"), ("curve", "Emotion curve")]
    if f.compare is not None:
        sections.append(("compare", "Comparison"))
    sections += [
        ("pain-points", "Pain points"),
        ("opportunities", "Opportunities"),
        ("coverage", "Coverage"),
        ("methods", "Methods"),
    ]
    if events is not None:
        sections.insert(-1, ("behaviour", "Behaviour"))
    if themes is not None:
        sections.insert(-1, ("themes", "Themes"))
    queue: list[tuple[str, Any, str, str]] = []
    reset = _QUEUE.set(queue)
    try:
        body = _body(f, shown, generated, sections)
        if events is not None:
            from cjm_widgets.export.behaviour import behaviour_html

            section = behaviour_html(journey, events, svg=_svg, table=_table, escape=_e)
            body.insert(-2, section)  # before Methods and the footer
        if themes is not None:
            from cjm_widgets.export.themes_section import themes_html

            body.insert(-2, themes_html(journey, evidence, themes, table=_table, escape=_e))
    finally:
        _QUEUE.reset(reset)
    page = "".join(body)
    with ThreadPoolExecutor(max_workers=2) as pool:
        svgs = list(pool.map(lambda job: _render(*job[1:]), queue))
    for (token, *_), svg in zip(queue, svgs, strict=True):
        page = page.replace(token, svg, 1)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(journey.language or "en")}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="cjm-widgets {_e(__version__)}">'
        f"<title>{_e(shown)}</title><style>{_CSS}</style></head>"
        f'<body class="cjm-report"><main>{page}</main></body></html>\n'
    )


def _body(f: Findings, shown: str, generated: str, sections: list[tuple[str, str]]) -> list[str]:
    from cjm_widgets import __version__

    return [
        _header(f, shown, generated),
        _toc(sections),
        _summary(f),
        _map(f),
        _curve(f),
        _compare(f),
        _pains(f),
        _opportunities(f),
        _coverage(f),
        _methods(f),
        f'<footer class="cjm-r-foot">Made with cjm-widgets {_e(__version__)}: every number '
        "in this report is computed from the evidence it names.</footer>",
    ]


def html_report(
    journey: Any,
    evidence: Any,
    path: str | os.PathLike[str],
    by: Any = None,
    title: str | None = None,
    *,
    min_n: int = 5,
    events: Any = None,
    themes: Any = None,
) -> Path:
    """Write the shareable report: one self-contained HTML file (no script, no URL) with the
    map, the emotion curve, the comparison of two groups (when ``by`` has two), pain points
    with their quotes, opportunities and quick wins, coverage and the methods. Returns the
    path. Written atomically.

    ``by``: a segment column or persona for the curve's series; ``title`` replaces the
    journey's title; ``min_n``: fewer rows than this mark a point unsupported; ``events``: a
    mapped :class:`cjm.Events` adds a Behaviour section (funnel, flows, paths, log quality);
    ``themes``: True, a :func:`cjm.themes` DataFrame or a :class:`cjm.Themes` adds a Themes
    section (see :mod:`cjm_widgets.export.themes_section`).

    Usage: ``cjm.export.html_report(journey, ev, "report.html", by="Class")``
    """
    from cjm_widgets._atomic import atomic_write_text
    from cjm_widgets.model.journey import Journey

    if not isinstance(journey, Journey):
        raise CJMError(f"html_report needs a cjm.Journey first, got {type(journey).__name__}.")
    target = Path(path)
    text = report_html(
        journey, evidence, by=by, title=title, min_n=min_n, events=events, themes=themes
    )
    return atomic_write_text(target, text)
