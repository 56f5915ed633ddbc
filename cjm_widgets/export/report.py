"""The shareable HTML report: one self-contained file that opens offline and prints well.

Usage::

    cjm.export.html_report(journey, ev, "report.html", by="Class")

Everything is inside the one file: the map (the same HTML as the notebook's), the charts as
inline SVG rendered by vl-convert, the tables, the quotes and a methods section. No script,
no URL, no external font or image; a Content-Security-Policy forbids loading anything, and
all user text is cleaned of control characters (:func:`cjm_widgets.safe_text`) and
HTML-escaped (the SVG text is escaped by vl-convert).

The page is built from Jinja2 templates in ``cjm_widgets/export/templates/`` (``page``,
``header``, ``summary``, ``curve``, ``compare``, ``pains``, ``opportunities``, ``coverage``,
``methods``; the CSS in ``report.css``) with autoescaping on: every ``{{ value }}`` is cleaned
by ``safe_text`` and escaped (``&``, ``<``, ``>``, ``"`` and ``'``); only the map's HTML, the
charts' SVG and the CSS, which this package makes, are marked safe. This module computes what
each section says.
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
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd
from markupsafe import Markup

from cjm_widgets._text import safe_text
from cjm_widgets.errors import CJMError
from cjm_widgets.evidence.display import quote_windows
from cjm_widgets.export._findings import (
    CI_FORMULA,
    PAIN_FORMULA,
    PAIN_RANKING,
    PRIORITY_FORMULA,
    Findings,
    collect,
    method_facts,
)

if TYPE_CHECKING:
    from cjm_widgets.events import Events
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

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


def _joined(value: Any, sep: str = ", ") -> str:
    """A list or tuple as text joined by ``sep`` (escaped later, item text and all)."""
    if isinstance(value, list | tuple):
        return sep.join(str(v) for v in value)
    return "" if value is None else str(value)


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}`` of the templates: Markup as it is, anything else cleaned of
    control characters and escaped (quotes too, also inside attributes)."""
    if isinstance(value, Markup):
        return value
    return Markup(_e(value))


_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    finalize=_finalize,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
    undefined=jinja2.StrictUndefined,
)
_ENV.filters.update(f=_f, n=_n, joined=_joined)


def _render_template(name: str, **context: Any) -> Markup:
    return Markup(_ENV.get_template(name).render(**context))


def _css() -> Markup:
    """The report's stylesheet (templates/report.css), a file of this package."""
    css = (Path(__file__).parent / "templates" / "report.css").read_text(encoding="utf-8")
    return Markup(css)


def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table (the Behaviour section's); cells are already-escaped HTML."""
    cells = [[Markup(c) for c in row] for row in rows]
    table = _ENV.get_template("_macros.html.j2").module.table  # type: ignore[attr-defined]
    return str(table(head, cells, cls))


def _interval(low: Any, high: Any, supported: Any, n: Any, fmt: str = "+.2f") -> str | None:
    """The text "low to high" of a supported interval, else None (never quoted under min_n)."""
    text_low, text_high = _f(low, fmt), _f(high, fmt)
    if not bool(supported) or "–" in (text_low, text_high):
        return None
    return f"{text_low} to {text_high}"


def _text(value: Any) -> str:
    """A touchpoint or stage cell: "" for a missing value."""
    return "" if value is None or value is pd.NA else str(value)


# ------------------------------------------------------------------------------ sections
def _header(f: Findings, title: str, generated: str, sections: list[tuple[str, str]]) -> Markup:
    return _render_template(
        "header.html.j2",
        journey=f.journey,
        title=title,
        n_rows=len(f.evidence),
        generated=generated,
        by=None if f.by is None else getattr(f.by, "name", f.by),
        sections=sections,
    )


def _summary(f: Findings) -> Markup:
    from cjm_widgets.analysis.lane import lane_from_frame
    from cjm_widgets.model.render import journey_html

    low = high = pain = None
    lowest = f.lowest(1)
    if len(lowest):
        r = lowest.iloc[0]
        low = {
            "stage": r["stage"],
            "touchpoint": _text(r["touchpoint"]),
            "mean": r["mean"],
            "n": r["n"],
            "ci": _interval(r["ci_low"], r["ci_high"], r["supported"], r["n"]),
        }
    highest = f.highest(1)
    if len(highest):
        r = highest.iloc[0]
        high = {"stage": r["stage"], "touchpoint": _text(r["touchpoint"]), "mean": r["mean"]}
        high["n"] = r["n"]
    if len(f.pains):
        r = f.pains.iloc[0]
        pain = {
            "stage": r["stage"],
            "touchpoint": _text(r["touchpoint"]),
            "score": r["score"],
            "ci": _interval(r["score_low"], r["score_high"], True, r["n"], ".2f"),
            "frequency": r["frequency"],
            "n": r["n"],
        }
    return _render_template(
        "summary.html.j2",
        n_rows=len(f.evidence),
        n_tagged=int(f.evidence.evidence_mask.sum()),  # a blank rating is not tagged evidence
        low=low,
        high=high,
        pain=pain,
        wins=[str(t) for t in f.quick_wins()["text"]],
        assumptions=[t for _, t in f.assumptions()],
        map_html=Markup(journey_html(f.journey, lane=lane_from_frame(f.curve, min_n=f.min_n))),
        min_n=f.min_n,
    )


def _curve(f: Findings) -> Markup:
    from cjm_widgets.analysis.curve import missing_note
    from cjm_widgets.charts import emotion_curve_chart

    curve = f.curve
    if int(curve["n"].sum()) == 0:
        return _render_template("curve.html.j2", min_n=f.min_n, empty=True)
    width = min(980, max(560, 64 * int(curve["order"].nunique())))
    chart = emotion_curve_chart(curve, pain=f.pains.head(3), width=width)
    series = list(dict.fromkeys(str(s) for s in curve["series"]))
    rows = []
    for (_, stage, tp), group in curve.groupby(
        ["order", "stage", "touchpoint"], sort=True, dropna=False
    ):
        cells = {
            str(r.series): {
                "n": r.n,
                "mean": r.mean,
                "supported": bool(r.supported),
                "ci": _interval(r.ci_low, r.ci_high, True, r.n) if r.supported else None,
            }
            for r in group.itertuples(index=False)
        }
        rows.append({"stage": stage, "touchpoint": tp, "cells": cells})
    return _render_template(
        "curve.html.j2",
        min_n=f.min_n,
        empty=False,
        chart=Markup(_svg(chart, "curve", "Emotion curve")),
        dropped=missing_note(curve),
        series=series,
        rows=rows,
    )


def _compare(f: Findings) -> Markup:
    from cjm_widgets.charts import compare_chart

    cmp = f.compare
    if cmp is None:
        return Markup("")
    a, b = cmp.attrs.get("a", "a"), cmp.attrs.get("b", "b")
    chart = None
    if int(cmp["n_a"].sum() + cmp["n_b"].sum()) > 0:
        chart = Markup(_svg(compare_chart(cmp), "compare", f"{b} compared with {a}"))
    rows = [
        {
            "stage": r.stage,
            "touchpoint": _text(r.touchpoint),
            "mean_a": r.mean_a,
            "n_a": r.n_a,
            "mean_b": r.mean_b,
            "n_b": r.n_b,
            "diff": r.diff,
            "ci": _interval(r.ci_low, r.ci_high, r.supported, None),
            "p": r.p,
            "hedges_g": r.hedges_g,
        }
        for r in cmp.itertuples(index=False)
        if not (r.n_a == 0 and r.n_b == 0)
    ]
    return _render_template("compare.html.j2", a=str(a), b=str(b), chart=chart, rows=rows)


def _contexts(evidence: Any, ids: list[str]) -> list[dict[str, Any] | None]:
    """Each quote's window of its parent's text (None for whole rows), control characters
    cleaned (the template escapes)."""
    out = quote_windows(evidence, ids)
    for ctx in out:
        if ctx is not None:
            ctx["before"], ctx["after"] = safe_text(ctx["before"]), safe_text(ctx["after"])
            ctx["parent"] = safe_text(ctx["parent"])
    return out


def _pains(f: Findings) -> Markup:
    pains = []
    for r in f.pains.head(TOP_PAINS).itertuples(index=False):
        ids = list(r.quote_ids)
        quotes = [
            {"text": quote, "id": ident, "who": who, "context": ctx, "source": source}
            for quote, ident, who, ctx, source in zip(
                list(r.quotes),
                ids,
                f.quote_participants(ids),
                _contexts(f.evidence, ids),  # a quote inside its parent's line
                f.quote_sources(ids),
                strict=True,
            )
        ]
        pains.append({**r._asdict(), "touchpoint": _text(r.touchpoint), "quotes": quotes})
    return _render_template(
        "pains.html.j2",
        pains=pains,
        formula=PAIN_FORMULA,
        more=max(0, len(f.pains) - TOP_PAINS),
    )


def _opportunities(f: Findings) -> Markup:
    from cjm_widgets.charts import opportunity_matrix_chart

    opps = f.opportunities
    if not len(opps):
        return _render_template("opportunities.html.j2", rows=[])
    chart = _svg(opportunity_matrix_chart(opps), "opportunities", "Opportunity matrix")
    return _render_template(
        "opportunities.html.j2",
        formula=PRIORITY_FORMULA,
        wins=list(f.quick_wins().itertuples(index=False)),
        chart=Markup(chart),
        rows=list(opps.itertuples(index=False)),
    )


def _coverage(f: Findings) -> Markup:
    from cjm_widgets.charts import coverage_chart

    cov = f.coverage
    if cov is None or not len(cov):
        return _render_template("coverage.html.j2", empty_journey=True)
    empty = cov[cov["stage_without_evidence"].astype(bool)]["stage"].unique().tolist()
    return _render_template(
        "coverage.html.j2",
        empty_journey=False,
        chart=Markup(_svg(coverage_chart(cov), "coverage", "Evidence coverage")),
        empty_stages=[str(s) for s in empty],
        untagged=cov.attrs.get("untagged_rows"),
        unplaced=cov.attrs.get("unplaced_rows"),
    )


def _methods(f: Findings) -> Markup:
    from cjm_widgets import __version__
    from cjm_widgets.evidence.participants import describe_participants

    facts = method_facts(f.evidence)
    series_by = f.curve.attrs.get("dropped_column") if "dropped_column" in f.curve.attrs else None
    return _render_template(
        "methods.html.j2",
        facts=facts,
        sources=[tuple(r) for r in facts["sources"].itertuples(index=False)],
        participants=describe_participants(f.evidence),
        ci_formula=CI_FORMULA,
        pain_formula=PAIN_FORMULA,
        pain_ranking=PAIN_RANKING,
        priority_formula=PRIORITY_FORMULA,
        min_n=f.min_n,
        series_by=series_by,
        dropped=int(f.curve.attrs.get("dropped_rows", 0) or 0),
        compared=f.compare is not None,
        compare_note=f.compare_note,
        weak=list(f.unsupported().itertuples(index=False)),
        assumptions=f.assumptions(),
        version=__version__,
    )


# ------------------------------------------------------------------------------ the page
def report_html(
    journey: Journey,
    evidence: Evidence,
    *,
    by: Any = None,
    title: str | None = None,
    min_n: int = 5,
    generated: str | None = None,
    events: Events | None = None,
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
        body = [
            _header(f, shown, generated, sections),
            _summary(f),  # and the map
            _curve(f),
            _compare(f),
            _pains(f),
            _opportunities(f),
            _coverage(f),
        ]
        if events is not None:
            from cjm_widgets.export.behaviour import behaviour_html

            section = behaviour_html(journey, events, svg=_svg, table=_table, escape=_e)
            body.append(Markup(section))  # before Methods and the footer
        if themes is not None:
            from cjm_widgets.export.themes_section import themes_html

            body.append(Markup(themes_html(journey, evidence, themes, table=_table, escape=_e)))
        body.append(_methods(f))
    finally:
        _QUEUE.reset(reset)
    page = "".join(body)
    with ThreadPoolExecutor(max_workers=2) as pool:
        svgs = list(pool.map(lambda job: _render(*job[1:]), queue))
    for (token, *_), svg in zip(queue, svgs, strict=True):
        page = page.replace(token, svg, 1)
    text = _ENV.get_template("page.html.j2").render(
        lang=journey.language or "en",
        version=__version__,
        title=shown,
        css=_css(),
        page=Markup(page),
    )
    return text + "\n"


def html_report(
    journey: Journey,
    evidence: Evidence,
    path: str | os.PathLike[str],
    *,
    by: Any = None,
    title: str | None = None,
    min_n: int = 5,
    events: Events | None = None,
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
