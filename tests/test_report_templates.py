"""The report comes from autoescaping Jinja2 templates with its CSS in a file of the package."""

from __future__ import annotations

import html
from pathlib import Path

import cjm_widgets as cjm
from cjm_widgets.export import report

TEMPLATES = Path(report.__file__).parent / "templates"


def test_templates_autoescape_and_css_comes_from_its_file():
    assert report._ENV.autoescape is True
    names = {p.name for p in TEMPLATES.iterdir()}
    assert {"page.html.j2", "header.html.j2", "methods.html.j2", "report.css"} <= names
    demo = cjm.datasets.demo()
    text = cjm.export.report_html(demo.journey, demo.evidence(), generated="today")
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    assert f"<style>{css}</style>" in text
    assert text.startswith("<!DOCTYPE html>") and text.endswith("</html>\n")


def test_persona_text_is_cleaned_and_escaped_in_the_header():
    demo = cjm.datasets.demo()
    journey = demo.journey
    evil = "O'Brien <script>alert(1)</script>\x07 & co"  # the journey refuses the BELL
    journey.update(scope=evil.replace("\x07", ""))
    journey.add_persona("Night shopper <b>", description=evil.replace("\x07", ""))
    text = cjm.export.report_html(journey, demo.evidence(), generated="<now>")
    assert "<script>" not in text and "<b>" not in text
    cleaned = evil.replace("\x07", "")
    assert html.escape(cleaned, quote=True) in text  # same escaping as html.escape
    assert "generated &lt;now&gt;" in text
    assert "<strong>Night shopper &lt;b&gt;</strong> — " + html.escape(cleaned) in text
