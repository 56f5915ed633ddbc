"""Share a journey and its findings: an offline HTML report, Markdown, Mermaid and Excel.

The top layer: it may use every layer below (model, evidence, analysis, charts).

- :func:`html_report` — one self-contained HTML file (no script, no URL) with the map, the
  charts as SVG, pain points with quotes, opportunities, coverage and the methods.
- :func:`to_markdown` — the map as a Markdown table plus a findings summary.
- :func:`to_mermaid` — Mermaid ``journey`` diagrams scored from the emotion curve.
- :func:`to_excel` — a workbook with the map, the evidence with its tags, curve, pain points.

Usage: ``cjm.export.html_report(journey, ev, "report.html", by="Class")``
"""

from cjm_widgets.export.excel import to_excel
from cjm_widgets.export.markdown import to_markdown
from cjm_widgets.export.mermaid import to_mermaid
from cjm_widgets.export.report import html_report, report_html

__all__ = ["html_report", "report_html", "to_excel", "to_markdown", "to_mermaid"]
