"""The journey map as Markdown (a GitHub-flavoured table) for wikis, issues and READMEs.

Usage::

    text = journey.to_markdown()          # the map only (this module)
    text = cjm.export.to_markdown(journey, ev)   # the map plus findings from the evidence

User text is escaped so that it can neither break the table (``|``, newlines) nor start a
heading, quote or list (leading ``#``, ``>``, ``-`` …) nor inject HTML (``<``, ``>``, ``&``
become entities). Items of one cell are separated by ``<br>``, the only HTML this module writes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cjm_widgets._text import safe_text

if TYPE_CHECKING:  # pragma: no cover
    from cjm_widgets.model.journey import Journey

__all__ = ["journey_markdown", "md_cell", "md_text"]

# Characters with an inline meaning in CommonMark/GFM, escaped with a backslash; ``$`` starts
# math in Jupyter and GitHub (a quote "$5 … $10" would render as LaTeX).
_INLINE = re.compile(r"([\\`*_\[\]|~$])")
# What would start a block (heading, list, quote, thematic break, setext underline) at the
# start of a line: escaped with a backslash before the first character.
_BLOCK_START = re.compile(r"^(?:([#+=-])|(\d+)([.)]))")

_STATE = {"current": "Current state", "future": "Future state"}


def md_text(value: object) -> str:
    """``value`` as literal Markdown text on one line: inline markup, HTML and block starts
    escaped, newlines folded to spaces.

    Usage: ``md_text("# not a heading | <b>")  # '\\# not a heading \\| &lt;b&gt;'``
    """
    text = " ".join(safe_text(value, one_line=True).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    return _BLOCK_START.sub(_escape_start, text)


def _escape_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def md_cell(items: list[str] | tuple[str, ...] | str) -> str:
    """One table cell: the items escaped and joined by ``<br>`` (``–`` when empty).

    Usage: ``md_cell(["Fills the basket", "Pays"])``
    """
    if isinstance(items, str):
        items = [items]
    shown = [md_text(item) for item in items if str(item).strip()]
    return "<br>".join(shown) if shown else "–"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def journey_markdown(journey: Journey, *, heading_level: int = 1) -> str:
    """The map as Markdown: title, state, scope, personas, a lanes × stages table (touchpoints
    with their channel), and the opportunities (quick wins starred).

    Usage: ``Path("map.md").write_text(journey_markdown(journey))``
    """
    h = "#" * max(1, min(6, heading_level))
    out: list[str] = [f"{h} {md_text(journey.title) or 'Untitled journey'}", ""]
    facts = [f"**{_STATE.get(journey.state, journey.state)}**"]
    if journey.template:
        facts.append(f"template {md_text(journey.template)}")
    out.append(" · ".join(facts))
    out.append("")
    if journey.scope:
        out += [f"**Scope:** {md_text(journey.scope)}", ""]
    for index, persona in enumerate(journey.personas):
        label = "Persona" if index == 0 else "Also"
        line = f"**{label}:** {md_text(persona.name)}"
        if persona.description:
            line += f" — {md_text(persona.description)}"
        out.append(line)
        if persona.segment:
            parts = []
            for column, wanted in persona.segment.items():
                values = wanted if isinstance(wanted, list | tuple) else [wanted]
                parts.append(f"{md_text(column)} = {', '.join(md_text(v) for v in values)}")
            out.append(f"- Segment: {'; '.join(parts)}")
        for key, items in (("Goals", persona.goals), ("Needs", persona.needs)):
            if items:
                out.append(f"- {key}: {'; '.join(md_text(i) for i in items)}")
        out.append("")
    stages = journey.stages
    if not stages:
        out += ["_This journey has no stages yet._", ""]
    else:
        out.append(_row(["Lane", *(md_text(s.name) for s in stages)]))
        out.append(_row(["---"] * (len(stages) + 1)))
        for lane in journey.lanes:
            cells = []
            for stage in stages:
                if lane.kind == "touchpoints":
                    items = [f"{tp.name} ({tp.channel})" for tp in stage.touchpoints]
                else:
                    items = list(stage.lanes.get(lane.id, ()))
                cells.append(md_cell(items))
            out.append(_row([f"**{md_text(lane.name)}**", *cells]))
        out.append("")
    if journey.opportunities:
        names = {tp.id: tp.name for tp in journey.touchpoints}
        out += [f"{h}# Opportunities", ""]
        for opp in journey.opportunities:
            star = "★ quick win — " if opp.quick_win else ""
            line = f"- {star}{md_text(opp.text)} (impact {opp.impact}/5, effort {opp.effort}/5)"
            linked = [names[t] for t in opp.touchpoints if t in names]
            if linked:
                line += f" — {md_text(', '.join(linked))}"
            out.append(line)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
