"""XSS: every payload of the corpus in every user-visible field, every output checked as inert.

One journey holds all payloads of :mod:`xss_corpus` (each in the title, scope, a persona's
name/description/goals/needs/segment value, a stage's name and description, a touchpoint's
name/owner/description, every text lane item, a lane name and an opportunity's text/notes);
one evidence store holds them as quote text, participant, segment value (``Class``), custom
label and coder. Each output below is parsed (HTML/SVG with an allowlist, Markdown rendered
with raw HTML allowed, Mermaid line by line): nothing may be markup, every payload must be
visible as text. Adding an output is one line in :data:`SURFACES`.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pytest
from xss_corpus import (
    PAYLOADS,
    TRIPWIRE,
    check_html,
    check_markdown,
    check_mermaid,
    check_output,
    xss_evidence,
    xss_journey,
)

import cjm_widgets as cjm

TEXTS = [p.text for p in PAYLOADS]
#: What the journey keeps of each payload (names and lane items are stripped of outer space).
SHOWN = [t.strip() for t in TEXTS]


@dataclass
class World:
    journey: Any
    evidence: Any


@pytest.fixture(scope="module")
def world() -> World:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        journey = xss_journey(TEXTS)
        evidence = xss_evidence(journey, TEXTS, per_payload=5)
    return World(journey, evidence)


def _snapshot(widget: Any) -> str:
    """The text/html snapshot a widget puts in its mimebundle (what nbconvert/GitHub show)."""
    try:
        bundle = widget._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        assert "text/html" in data, f"{type(widget).__name__} has no text/html snapshot"
        return data["text/html"]
    finally:
        widget.close()


def _frame_html(journey: Any) -> str:
    with pd.option_context("display.max_colwidth", None, "display.max_columns", None):
        return journey.to_frame()._repr_html_()


def _svg(chart: Any) -> str:
    return cjm.charts.to_svg(chart)


@dataclass(frozen=True)
class Surface:
    """One output: ``render(world) -> text`` of ``kind`` (a key of xss_corpus.CHECKS).

    ``prefix``: charts truncate long labels, so only that many leading characters of each
    payload must be visible there. ``shown``: how the output displays a text (pandas shows
    a line break as a visible ``\\n``).
    """

    name: str
    kind: str
    render: Callable[[World], str]
    prefix: int | None = None
    shown: Callable[[str], str] = str


SURFACES = [
    Surface("Journey._repr_html_", "html", lambda w: w.journey._repr_html_()),
    Surface(
        "Journey.to_frame() HTML",
        "html",
        lambda w: _frame_html(w.journey),
        shown=lambda t: t.replace("\n", "\\n"),
    ),
    Surface(
        "JourneyEditor snapshot",
        "html",
        lambda w: _snapshot(cjm.JourneyEditor(w.journey, evidence=w.evidence)),
    ),
    Surface(
        "EvidenceTagger snapshot",
        "html",
        lambda w: _snapshot(cjm.EvidenceTagger(w.journey, w.evidence, page_size=500)),
    ),
    Surface(
        "EmotionCurve snapshot",
        "html",
        lambda w: _snapshot(cjm.EmotionCurve(w.journey, w.evidence)),
        prefix=6,
    ),
    Surface(
        "Workspace snapshot (by segment)",
        "html",
        lambda w: _snapshot(cjm.Workspace(w.journey, w.evidence, by="Class")),
        prefix=6,
    ),
    Surface(
        "emotion_curve_chart SVG (by segment)",
        "svg",
        lambda w: _svg(cjm.charts.emotion_curve_chart((w.journey, w.evidence), by="Class")),
        prefix=6,
    ),
    Surface(
        "opportunity_matrix_chart SVG",
        "svg",
        lambda w: _svg(cjm.charts.opportunity_matrix_chart((w.journey, w.evidence))),
        prefix=6,
    ),
    Surface(
        "coverage_chart SVG",
        "svg",
        lambda w: _svg(cjm.charts.coverage_chart((w.journey, w.evidence))),
        prefix=6,
    ),
    Surface(
        "channel_matrix_chart SVG",
        "svg",
        lambda w: _svg(cjm.charts.channel_matrix_chart((w.journey, w.evidence))),
        prefix=6,
    ),
    Surface("Journey.to_markdown", "markdown", lambda w: w.journey.to_markdown()),
    Surface("Journey.to_mermaid", "mermaid", lambda w: w.journey.to_mermaid()),
    Surface(
        "export.to_markdown", "markdown", lambda w: cjm.export.to_markdown(w.journey, w.evidence)
    ),
    Surface("export.to_mermaid", "mermaid", lambda w: cjm.export.to_mermaid(w.journey, w.evidence)),
    Surface(
        "export.report_html (by segment)",
        "html",
        lambda w: cjm.export.report_html(w.journey, w.evidence, by="Class"),
    ),
]


@pytest.mark.parametrize("surface", SURFACES, ids=[s.name for s in SURFACES])
def test_output_is_inert_and_shows_payloads_as_text(world, surface):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        out = surface.render(world)
    assert isinstance(out, str) and out
    expect = [surface.shown(t) for t in SHOWN]
    check_output(surface.kind, out, expect, prefix=surface.prefix, where=surface.name)


# Fields of one payload that the static map shows: persona name, description, goal, need,
# segment value; stage name and description; touchpoint name, owner, description; the
# items of the four text lanes; the lane's name; the opportunity's text and notes.
MAP_FIELDS = 17


def test_static_map_shows_every_field_as_text(world):
    visible = check_html(world.journey._repr_html_(), where="Journey._repr_html_")
    title_and_scope = 2  # the joined title and scope hold each payload once more
    for p in PAYLOADS:
        norm = " ".join(p.text.split())
        shown = visible.count(norm) - title_and_scope
        assert shown >= MAP_FIELDS, f"{p.id} ({p.kind}) shown {shown} times, not {MAP_FIELDS}"


def test_tagger_window_carries_payloads_as_plain_strings(world):
    # the live tagger renders its window in JS from these strings (textContent, tested in
    # the browser); here: the text, participant, segment, label and coder arrive verbatim
    tagger = cjm.EvidenceTagger(world.journey, world.evidence, page_size=500)
    try:
        window = tagger._window
        cells = {str(v) for row in window["rows"] for v in row}
        flat = " ".join(
            str(x)
            for row in window["rows"]
            for v in row
            for x in (v if isinstance(v, list) else [v])
        )
    finally:
        tagger.close()
    for text in TEXTS:
        assert text in cells or text in flat, f"payload missing from the tagger window: {text!r}"


# ----------------------------------------------------------------------- the checks themselves


def test_checks_catch_unescaped_payloads():
    # the checks must fail on the very mistakes they guard against
    raw = PAYLOADS[1].text  # <img src=x onerror=...>
    with pytest.raises(AssertionError, match=r"onerror|not allowed"):
        check_html(f"<div>{raw}</div>", [raw])
    with pytest.raises(AssertionError, match="payload in attribute"):
        check_html(f'<span class="{TRIPWIRE}(1)">x</span>')
    with pytest.raises(AssertionError, match="inside <style>"):
        check_html(f"<style>.a{{}} {TRIPWIRE}</style>")
    with pytest.raises(AssertionError, match="URL attribute"):
        check_html('<a href="javascript:alert(1)">x</a>')
    with pytest.raises(AssertionError, match="not shown as text"):
        check_html("<p>&lt;b&gt;</p>", ["<i>"])
    with pytest.raises(AssertionError, match=r"not allowed|onerror"):
        check_markdown(f"| a |\n|---|\n| {raw} |\n", [raw])
    with pytest.raises(AssertionError, match="not a journey line"):
        check_mermaid("journey\n  section A\n    Pay: 3\n%%{init: {}}%%\n")
    with pytest.raises(AssertionError, match="directive"):
        check_mermaid('journey\n  title %%{init: {"theme": "dark"}}%%\n')
    # and pass on escaped text
    assert raw in check_html(f"<p>{raw.replace('<', '&lt;')}</p>", [raw])


def test_corpus_is_big_and_every_payload_reports_itself():
    assert len(PAYLOADS) >= 30
    assert len({p.id for p in PAYLOADS}) == len(PAYLOADS)
    assert len({p.text.casefold() for p in PAYLOADS}) == len(PAYLOADS)
    for p in PAYLOADS:
        assert TRIPWIRE in html.unescape(p.text) and p.id in p.text, p
        assert len(p.text) < 500  # fits a stage / touchpoint name


def test_markdown_keeps_dollar_signs_literal():
    # GitHub and Jupyter typeset $…$ as math: a quote "$5 … $10" must stay text
    text = cjm.Journey(title="Paid $5 then $10").to_markdown()
    assert "\\$5 then \\$10" in text
