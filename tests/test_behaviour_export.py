"""Behaviour in the report, Markdown and Excel exports: present, escaped, from the same frames."""

from __future__ import annotations

from needs import module
from test_behaviour_charts import grocery_events

import cjm_widgets as cjm

module("duckdb")


def test_report_markdown_and_excel_carry_the_behaviour(tmp_path):
    journey, ev, events = grocery_events()
    tp = journey.touchpoints[0]
    journey.rename_touchpoint(tp, "<script>alert(1)</script> ad")
    funnel = cjm.funnel(journey, events)
    path = cjm.export.html_report(journey, ev, tmp_path / "r.html", events=events)
    html = path.read_text(encoding="utf-8")
    assert '<section id="behaviour"' in html and 'href="#behaviour"' in html
    assert html.index('id="behaviour"') < html.index('id="methods"')
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; ad" in html
    assert f"{int(funnel['reached'].iloc[-1]):,}" in html and "Wilson" in html
    md = cjm.export.to_markdown(journey, ev, events=events)
    assert "## Behaviour" in md and "<script>" not in md
    first = funnel.iloc[0]
    assert f"| {first['stage']} | {int(first['reached']):,} |" in md
    from openpyxl import load_workbook

    book = load_workbook(cjm.export.to_excel(journey, ev, tmp_path / "x.xlsx", events=events))
    assert {"funnel", "reach", "flows", "paths"} <= set(book.sheetnames)
    assert book["funnel"].max_row == len(funnel) + 1
