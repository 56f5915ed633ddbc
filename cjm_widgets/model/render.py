"""The static journey map: HTML for the notebook (``Journey._repr_html_``) and a DataFrame.

Usage::

    journey            # in a notebook cell: the map as an HTML table
    journey.to_frame() # the same map as a pandas DataFrame (lanes × stages)

The HTML is self-contained and safe to share: one ``<style>`` block whose selectors are all
scoped under ``.cjm-map``, colours from JupyterLab's CSS variables (with fallbacks, so it also
reads well outside Jupyter and in print), no JavaScript, no URLs, and every piece of user text
HTML-escaped. The same journey always renders to the same string, so notebook outputs stay
stable in version control.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from cjm_widgets._text import safe_text
from cjm_widgets.errors import CJMError
from cjm_widgets.model.entities import CHANNELS, PHASES, Lane, Persona, Stage, Touchpoint

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cjm_widgets.model.journey import Journey

__all__ = ["CHANNEL_STYLE", "journey_frame", "journey_html"]

#: English UI labels, used for any key the journey's language does not define.
_UI_EN: dict[str, str] = {
    "persona": "Persona",
    "scope": "Scope",
    "stage": "Stage",
    "lane": "Lane",
    "touchpoints": "Touchpoints",
    "no_touchpoints": "No touchpoints",
    "current_state": "Current state",
    "future_state": "Future state",
    "goals": "Goals",
    "needs": "Needs",
    "owner": "Owner",
    "phase": "Phase",
    "channel": "Channel",
    "opportunities": "Opportunities",
    "impact": "Impact",
    "effort": "Effort",
    "quick_win": "Quick win",
    "segment": "Segment",
    "no_stages": "This journey has no stages yet.",
}

_CHANNELS_EN: dict[str, str] = {
    "web": "Web",
    "mobile app": "Mobile app",
    "social": "Social media",
    "email": "Email",
    "phone": "Phone",
    "chat": "Chat",
    "in store": "In store",
    "in person": "In person",
    "print": "Print",
    "other": "Other",
}

_PHASES_EN: dict[str, str] = {
    "pre-purchase": "Pre-purchase",
    "purchase": "Purchase",
    "post-purchase": "Post-purchase",
}

#: Per channel: (css class suffix, badge symbol, badge colour). The symbols are plain text
#: (ASCII or common Unicode), recognisable without a legend and the same in every language;
#: the colours carry white text at a contrast of at least 4.5:1 and read on light and dark
#: backgrounds alike.
CHANNEL_STYLE: dict[str, tuple[str, str, str]] = {
    "web": ("web", "www", "#1565c0"),
    "mobile app": ("app", "app", "#6a1b9a"),
    "social": ("social", "#", "#ad1457"),
    "email": ("email", "@", "#00695c"),
    "phone": ("phone", "\u260e\ufe0e", "#2e7d32"),
    "chat": ("chat", "\u2026", "#00727d"),
    "in store": ("store", "\u20ac", "#bf360c"),
    "in person": ("person", "\u263a\ufe0e", "#5d4037"),
    "print": ("print", "\u00b6", "#455a64"),
    "other": ("other", "\u2022", "#616161"),
}

# Lanes of the template vocabulary get an accent colour (by lane id, never by user text).
_LANE_CLASS: dict[str, str] = {
    "actions": "act",
    "customer_actions": "act",
    "main_actions": "act",
    "thoughts": "think",
    "feelings": "feel",
    "thoughts_feelings": "think",
    "touchpoints": "tp",
    "touchpoints_at_time": "tp",
    "pain_points": "pain",
    "opportunities": "opp",
    "what_to_change": "change",
    "how_why": "why",
    "use_now": "why",
    "use_better": "change",
    "frontstage": "front",
    "backstage": "back",
    "support_processes": "support",
    "physical_evidence": "evidence",
}

_NO_STAGES_HINT = (
    'Add one with <span class="cjm-code">journey.add_stage("Awareness")</span>, or start from '
    'a template: <span class="cjm-code">cjm.Journey.from_template("current_state", '
    'stages="five_stage")</span>.'
)

_DASH = "\u2013"

# After a slash between two words ("Decision/Purchase"), not in " / " or "//".
_SLASH_BREAK = re.compile(r"(?<=[^\s/]/)(?=[^\s/])")


def _esc(value: object) -> str:
    return html.escape(safe_text(value), quote=True)


@functools.lru_cache(maxsize=16)
def _labels(language: str) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """UI, channel and phase labels for ``language``, with English for anything missing."""
    from cjm_widgets.model.templates import labels

    ui, channels, phases = dict(_UI_EN), dict(_CHANNELS_EN), dict(_PHASES_EN)
    for lang in ("en", language) if language != "en" else ("en",):
        try:
            found = labels(lang)
        except (CJMError, KeyError, ValueError):  # unknown language: keep English
            continue
        for target, key in ((ui, "ui"), (channels, "channels"), (phases, "phases")):
            block = found.get(key) if isinstance(found, Mapping) else None
            if isinstance(block, Mapping):
                target.update({k: v for k, v in block.items() if isinstance(v, str) and v})
    return ui, channels, phases


# ---------------------------------------------------------------------------------- DataFrame
def journey_frame(journey: Journey) -> pd.DataFrame:
    """The map as a DataFrame: one row per lane (index ``lane``), one column per stage
    (columns ``stage``); each cell is the lane's items joined by newlines ("" when empty), the
    touchpoints lane lists the touchpoint names. ``frame.attrs`` holds ``stage_ids`` and
    ``lane_ids`` in the same order.

    Usage: ``journey_frame(journey).loc["Pain points", "Purchase"]``
    """
    import pandas as pd

    stages, lanes = journey.stages, journey.lanes
    rows = [[_cell_items(stage, lane) for stage in stages] for lane in lanes]
    frame = pd.DataFrame(
        [["\n".join(items) for items in row] for row in rows],
        index=pd.Index([lane.name for lane in lanes], name="lane", dtype=object),
        columns=pd.Index([stage.name for stage in stages], name="stage", dtype=object),
        dtype=object,
    )
    frame.attrs["stage_ids"] = [stage.id for stage in stages]
    frame.attrs["lane_ids"] = [lane.id for lane in lanes]
    return frame


def _cell_items(stage: Stage, lane: Lane) -> list[str]:
    if lane.kind == "touchpoints":
        return [tp.name for tp in stage.touchpoints]
    return list(stage.lanes.get(lane.id, ()))


# ---------------------------------------------------------------------------------- HTML
def journey_html(journey: Journey, *, lane: Mapping[str, Any] | None = None) -> str:
    """The journey map as self-contained HTML (no JavaScript, no URLs, user text escaped).

    ``lane``: the emotion lane's data (``cjm.emotion_lane(journey, ev)``), drawn under the
    touchpoint cards (see :mod:`cjm_widgets.model.lane_html`).

    Usage: ``IPython.display.HTML(journey_html(journey))``
    """
    ui, channels, phases = _labels(journey.language)
    out: list[str] = [
        # mathjax_ignore / tex2jax_ignore: JupyterLab and nbconvert typeset $…$ in HTML
        # outputs with MathJax; user text ("$5 … $10") must stay text
        f'<div class="cjm-map mathjax_ignore tex2jax_ignore" lang="{_esc(journey.language)}">',
        _STYLE,
    ]
    from cjm_widgets.model.generated import generated_items

    if lane or generated_items(journey):  # the emotion lane's / generated items' styles
        from cjm_widgets.model.lane_html import LANE_CSS

        out.append(LANE_CSS)
    _header(out, journey, ui)
    if journey.stages:
        _table(out, journey, ui, channels, phases, lane)
    else:
        out.append(
            f'<div class="cjm-nostages"><p><strong>{_esc(ui["no_stages"])}</strong></p>'
            f"<p>{_NO_STAGES_HINT}</p></div>"
        )
    _opportunities(out, journey, ui)
    out.append("</div>")
    return "".join(out)


def _header(out: list[str], journey: Journey, ui: Mapping[str, str]) -> None:
    state = "future" if journey.state == "future" else "current"
    out.append('<div class="cjm-head"><div class="cjm-titlebar">')
    out.append(f'<h2 class="cjm-title">{_esc(journey.title)}</h2>')
    out.append(f'<span class="cjm-state cjm-state-{state}">{_esc(ui[state + "_state"])}</span>')
    out.append("</div>")
    if journey.scope:
        out.append(
            f'<p class="cjm-scope"><span class="cjm-kicker">{_esc(ui["scope"])}</span>'
            f"{_esc(journey.scope)}</p>"
        )
    personas = journey.personas
    if personas:
        out.append('<div class="cjm-personas">')
        for index, persona in enumerate(personas):
            _persona(out, persona, ui, main=index == 0)
        out.append("</div>")
    out.append("</div>")


def _initials(name: str) -> str:
    words = [w for w in name.split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:2]) or name[:1]
    return letters.upper()


def _persona(out: list[str], persona: Persona, ui: Mapping[str, str], *, main: bool) -> None:
    kind = "cjm-persona-main" if main else "cjm-persona-other"
    out.append(f'<div class="cjm-persona {kind}">')
    out.append(
        f'<div class="cjm-ptop"><span class="cjm-avatar" aria-hidden="true">'
        f"{_esc(_initials(persona.name))}</span><div>"
        f'<span class="cjm-kicker">{_esc(ui["persona"])}</span>'
        f'<strong class="cjm-pname">{_esc(persona.name)}</strong></div></div>'
    )
    if persona.segment:
        out.append(f'<div class="cjm-segment" title="{_esc(ui["segment"])}">')
        for column, wanted in persona.segment.items():
            values = wanted if isinstance(wanted, list | tuple) else [wanted]
            shown = ", ".join(_esc(v) for v in values)
            out.append(f'<span class="cjm-chip">{_esc(column)}: <strong>{shown}</strong></span>')
        out.append("</div>")
    if persona.description:
        out.append(f'<p class="cjm-pdesc">{_esc(persona.description)}</p>')
    if persona.goals or persona.needs:
        out.append('<div class="cjm-gn">')
        for key, items in (("goals", persona.goals), ("needs", persona.needs)):
            if items:
                out.append(f'<div><span class="cjm-kicker">{_esc(ui[key])}</span>')
                _items(out, items, "cjm-plist")
                out.append("</div>")
        out.append("</div>")
    out.append("</div>")


def _items(
    out: list[str], items: Iterable[str], cls: str, made: Mapping[str, Any] | None = None
) -> None:
    out.append(f'<ul class="{cls}">')
    if made:  # items cjm.fill_lanes wrote, not edited since (model/generated.py)
        from cjm_widgets.model.lane_html import generated_mark

        out.extend(f"<li>{_esc(item)}{generated_mark(made.get(item))}</li>" for item in items)
    else:
        out.extend(f"<li>{_esc(item)}</li>" for item in items)
    out.append("</ul>")


def _table(
    out: list[str],
    journey: Journey,
    ui: Mapping[str, str],
    channels: Mapping[str, str],
    phases: Mapping[str, str],
    emotion: Mapping[str, Any] | None = None,
) -> None:
    from cjm_widgets.model.generated import generated_items

    stages, lanes = journey.stages, journey.lanes
    made = generated_items(journey)
    stage_label = _esc(ui["stage"])
    out.append('<div class="cjm-scroll"><table class="cjm-grid">')
    out.append(f'<caption class="cjm-sr">{_esc(journey.title)}</caption>')
    out.append('<thead><tr><td class="cjm-corner"></td>')
    for number, stage in enumerate(stages, 1):
        out.append(
            f'<th scope="col" class="cjm-stage"><span class="cjm-kicker cjm-num">'
            f'{stage_label} {number}</span><span class="cjm-sname">{_breakable(stage.name)}</span>'
        )
        if stage.description:
            out.append(f'<small class="cjm-sdesc">{_esc(stage.description)}</small>')
        out.append("</th>")
    out.append("</tr></thead><tbody>")
    # Touchpoint cards do not depend on the lane: build each stage's once.
    cards: dict[str, str] | None = None
    previous: str | None = None
    under = ""
    for lane in lanes:
        cls = _LANE_CLASS.get(lane.id, "custom")
        if lane.id == "backstage" and previous == "frontstage":
            cls += " cjm-visibility"
        previous = lane.id
        out.append(
            f'<tr class="cjm-l-{cls}"><th scope="row" class="cjm-lane">{_esc(lane.name)}</th>'
        )
        if lane.kind == "touchpoints":
            if cards is None:
                cards = {s.id: _cards(s.touchpoints, ui, channels, phases) for s in stages}
            out.extend(f'<td class="cjm-tps">{cards[stage.id]}</td>' for stage in stages)
            if emotion:  # the emotion lane goes under the cards (model/lane_html.py)
                from cjm_widgets.model.lane_html import emotion_lane_row

                under = emotion_lane_row(stages, emotion)
        else:
            for stage in stages:
                items = stage.lanes.get(lane.id)
                if items:
                    out.append("<td>")
                    _items(out, items, "cjm-items", made.get(stage.id, {}).get(lane.id))
                    out.append("</td>")
                else:
                    out.append(f'<td><span class="cjm-empty">{_DASH}</span></td>')
        out.append("</tr>")
        out.append(under)
        under = ""
    out.append("</tbody></table></div>")
    used = {tp.channel for stage in stages for tp in stage.touchpoints}
    if used:
        out.append(f'<div class="cjm-legend"><span class="cjm-kicker">{_esc(ui["channel"])}</span>')
        for channel in CHANNELS:
            if channel in used:
                out.append(
                    f'<span class="cjm-legend-item">{_badge(channel, channels)}'
                    f"{_esc(channels.get(channel, channel))}</span>"
                )
        out.append("</div>")


def _breakable(name: str) -> str:
    """Escaped ``name`` that may wrap after a slash ("Decision/Purchase"), which browsers
    otherwise keep as one unbreakable word."""
    pieces = _SLASH_BREAK.split(name)
    if len(pieces) == 1:
        return _esc(name)
    return "".join(f'<span class="cjm-w">{_esc(piece)}</span>' for piece in pieces)


def _badge(channel: str, channels: Mapping[str, str]) -> str:
    css, symbol, _colour = CHANNEL_STYLE.get(channel, CHANNEL_STYLE["other"])
    label = _esc(channels.get(channel, channel))
    return (
        f'<span class="cjm-badge cjm-ch-{css}" role="img" title="{label}" '
        f'aria-label="{label}">{_esc(symbol)}</span>'
    )


def _cards(
    touchpoints: Iterable[Touchpoint],
    ui: Mapping[str, str],
    channels: Mapping[str, str],
    phases: Mapping[str, str],
) -> str:
    parts: list[str] = []
    for tp in touchpoints:
        css = CHANNEL_STYLE.get(tp.channel, CHANNEL_STYLE["other"])[0]
        parts.append(
            f'<div class="cjm-card cjm-card-{css}"><div class="cjm-card-top">'
            f"{_badge(tp.channel, channels)}"
            f'<strong class="cjm-tp">{_breakable(tp.name)}</strong></div>'
        )
        if tp.description:
            parts.append(f'<p class="cjm-tpdesc">{_esc(tp.description)}</p>')
        if tp.phase or tp.owner:
            parts.append('<div class="cjm-meta">')
            if tp.phase:
                phase = _esc(phases.get(tp.phase, tp.phase))
                index = PHASES.index(tp.phase) if tp.phase in PHASES else 0
                parts.append(
                    f'<span class="cjm-phase cjm-ph{index}" title="{_esc(ui["phase"])}">'
                    f"{phase}</span>"
                )
            if tp.owner:
                parts.append(
                    f'<span class="cjm-owner"><small>{_esc(ui["owner"])}</small> '
                    f"{_esc(tp.owner)}</span>"
                )
            parts.append("</div>")
        parts.append("</div>")
    if not parts:
        return f'<span class="cjm-empty" title="{_esc(ui["no_touchpoints"])}">{_DASH}</span>'
    return "".join(parts)


def _dots(score: int) -> str:
    score = max(0, min(5, int(score)))
    return "\u25cf" * score + "\u25cb" * (5 - score)


def _opportunities(out: list[str], journey: Journey, ui: Mapping[str, str]) -> None:
    opportunities = journey.opportunities
    if not opportunities:
        return
    names = {tp.id: tp.name for tp in journey.touchpoints}
    out.append(
        f'<div class="cjm-opps"><h3 class="cjm-h3">{_esc(ui["opportunities"])}</h3>'
        '<ul class="cjm-opplist">'
    )
    for opp in opportunities:
        quick = opp.quick_win
        out.append(f'<li class="cjm-opp{" cjm-quick" if quick else ""}">')
        out.append(f'<div class="cjm-opp-text"><strong>{_esc(opp.text)}</strong>')
        if quick:
            out.append(f'<span class="cjm-qw">\u2605 {_esc(ui["quick_win"])}</span>')
        out.append('</div><div class="cjm-scores">')
        for key, score in (("impact", opp.impact), ("effort", opp.effort)):
            out.append(
                f'<span class="cjm-score cjm-{key}"><small>{_esc(ui[key])}</small> '
                f'<span class="cjm-dots" aria-hidden="true">{_dots(score)}</span> '
                f"{int(score)}/5</span>"
            )
        out.append("</div>")
        linked = [names[t] for t in opp.touchpoints if t in names]
        if linked:
            out.append(
                f'<p class="cjm-links"><small>{_esc(ui["touchpoints"])}</small> '
                f"{_esc(', '.join(linked))}</p>"
            )
        if opp.notes:
            out.append(f'<p class="cjm-notes">{_esc(opp.notes)}</p>')
        out.append("</li>")
    out.append("</ul></div>")


def _channel_css() -> str:
    rules = []
    for css, _symbol, colour in CHANNEL_STYLE.values():
        rules.append(f".cjm-map .cjm-ch-{css} {{ background: {colour}; }}")
        rules.append(f".cjm-map .cjm-card-{css} {{ border-left-color: {colour}; }}")
        rules.append(
            f"@media print {{ .cjm-map .cjm-ch-{css} {{ color: {colour} !important; "
            f"border-color: {colour} !important; }} }}"
        )
    return "\n".join(rules)


# Every selector starts with .cjm-map; every --jp- variable has a fallback. Two classes per
# selector where JupyterLab's own rendered-HTML rules (e.g. ".jp-RenderedHTMLCommon td") would
# otherwise win.
_CSS = """
.cjm-map {
  --cjm-bg0: var(--jp-layout-color0, #fff);
  --cjm-bg1: var(--jp-layout-color1, #fff);
  --cjm-bg2: var(--jp-layout-color2, #eee);
  --cjm-fg1: var(--jp-ui-font-color1, rgba(0, 0, 0, 0.87));
  --cjm-fg2: var(--jp-ui-font-color2, rgba(0, 0, 0, 0.6));
  --cjm-line: var(--jp-border-color2, #e0e0e0);
  --cjm-line1: var(--jp-border-color1, #bdbdbd);
  --cjm-brand: var(--jp-brand-color1, #1976d2);
  --cjm-accent: var(--jp-border-color1, #9e9e9e);
  color: var(--cjm-fg1);
  background: var(--cjm-bg0);
  font-family: var(--jp-content-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  font-size: var(--jp-ui-font-size1, 13px);
  line-height: 1.4;
  text-align: left;
  padding: 4px 0 8px;
  max-width: 100%;
  box-sizing: border-box;
  overflow-wrap: break-word;
}
.cjm-map *, .cjm-map *::before, .cjm-map *::after {
  box-sizing: border-box;
}
.cjm-map .cjm-head {
  margin: 0 0 12px;
}
.cjm-map .cjm-titlebar {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 6px 12px;
}
.cjm-map h2.cjm-title {
  margin: 0;
  padding: 0;
  font-size: 1.45em;
  font-weight: 650;
  line-height: 1.25;
  color: var(--cjm-fg1);
}
.cjm-map .cjm-state {
  display: inline-block;
  padding: 2px 10px;
  border-radius: 999px;
  font-size: 0.8em;
  font-weight: 600;
  letter-spacing: 0.02em;
  border: 1px solid var(--cjm-line1);
  color: var(--cjm-fg1);
  background: var(--cjm-bg2);
  white-space: nowrap;
}
.cjm-map .cjm-state-future {
  border-color: var(--jp-accent-color1, #388e3c);
  background: rgba(56, 142, 60, 0.14);
}
.cjm-map .cjm-kicker {
  display: block;
  font-size: 0.72em;
  font-weight: 700;
  letter-spacing: 0.06em;
  text-transform: uppercase;
  color: var(--cjm-fg2);
  margin: 0 0 2px;
}
.cjm-map p.cjm-scope {
  margin: 8px 0 0;
  max-width: 70em;
  white-space: pre-line;
}
.cjm-map .cjm-personas {
  display: flex;
  flex-wrap: wrap;
  gap: 10px;
  margin: 12px 0 0;
  align-items: stretch;
}
.cjm-map .cjm-persona {
  flex: 0 1 22em;
  min-width: 16em;
  padding: 10px 12px;
  border: 1px solid var(--cjm-line);
  border-radius: 8px;
  background: var(--cjm-bg1);
}
.cjm-map .cjm-persona-main {
  flex-basis: 30em;
  border-top: 3px solid var(--cjm-brand);
}
.cjm-map .cjm-persona-other {
  font-size: 0.95em;
}
.cjm-map .cjm-ptop {
  display: flex;
  align-items: center;
  gap: 10px;
}
.cjm-map .cjm-avatar {
  flex: none;
  display: inline-flex;
  align-items: center;
  justify-content: center;
  width: 2.4em;
  height: 2.4em;
  border-radius: 50%;
  background: var(--cjm-bg2);
  border: 1px solid var(--cjm-line1);
  font-weight: 700;
  font-size: 0.95em;
  color: var(--cjm-fg1);
}
.cjm-map .cjm-persona-main .cjm-avatar {
  border: 2px solid var(--cjm-brand);
}
.cjm-map .cjm-pname {
  font-size: 1.1em;
}
.cjm-map p.cjm-pdesc {
  margin: 6px 0 0;
  white-space: pre-line;
}
.cjm-map .cjm-segment {
  display: flex;
  flex-wrap: wrap;
  gap: 4px;
  margin: 6px 0 0;
}
.cjm-map .cjm-chip {
  display: inline-block;
  padding: 0 7px;
  border-radius: 999px;
  border: 1px solid var(--cjm-line1);
  font-size: 0.82em;
}
.cjm-map .cjm-gn {
  display: flex;
  flex-wrap: wrap;
  gap: 4px 24px;
  margin: 8px 0 0;
}
.cjm-map .cjm-gn > div {
  flex: 1 1 12em;
}
.cjm-map ul.cjm-plist {
  margin: 0;
  padding: 0 0 0 1.1em;
  list-style: disc;
}
.cjm-map ul.cjm-plist li {
  margin: 0 0 1px;
}
.cjm-map .cjm-scroll {
  position: relative;
  overflow-x: auto;
  max-width: 100%;
  border: 1px solid var(--cjm-line);
  border-radius: 8px;
  background: var(--cjm-bg0);
}
.cjm-map table.cjm-grid {
  border-collapse: separate;
  border-spacing: 0;
  table-layout: fixed;
  width: 100%;
  margin: 0;
  border: none;
  font-size: 1em;
  color: var(--cjm-fg1);
  background: var(--cjm-bg0);
}
.cjm-map .cjm-grid caption.cjm-sr, .cjm-map .cjm-sr {
  position: absolute;
  width: 1px;
  height: 1px;
  padding: 0;
  margin: -1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
  border: 0;
}
.cjm-map .cjm-grid tr,
.cjm-map .cjm-grid tbody tr:nth-child(n),
.cjm-map .cjm-grid tbody tr:hover {
  background: transparent;
}
.cjm-map .cjm-grid th, .cjm-map .cjm-grid td {
  text-align: left;
  vertical-align: top;
  padding: 8px 9px;
  line-height: 1.4;
  white-space: normal;
  border: none;
  border-right: 1px solid var(--cjm-line);
  border-bottom: 1px solid var(--cjm-line);
  color: var(--cjm-fg1);
  background: var(--cjm-bg0);
}
.cjm-map .cjm-grid th:last-child, .cjm-map .cjm-grid td:last-child {
  border-right: none;
}
.cjm-map .cjm-grid tbody tr:last-child > * {
  border-bottom: none;
}
.cjm-map .cjm-grid thead th.cjm-stage {
  width: 12.5em;
  min-width: 12.5em;
  background: var(--cjm-bg2);
  border-top: 3px solid var(--cjm-brand);
  border-bottom: 1px solid var(--cjm-line1);
  font-weight: 400;
}
.cjm-map .cjm-grid thead td.cjm-corner {
  width: 10em;
  background: var(--cjm-bg2);
  border-top: 3px solid transparent;
  border-bottom: 1px solid var(--cjm-line1);
  position: sticky;
  left: 0;
  z-index: 2;
}
.cjm-map .cjm-stage .cjm-kicker {
  color: var(--cjm-fg1);
  font-weight: 600;
}
.cjm-map .cjm-w {
  display: inline-block;
  max-width: 100%;
}
.cjm-map .cjm-sname {
  display: block;
  font-weight: 700;
  font-size: 1.05em;
  line-height: 1.3;
}
.cjm-map small.cjm-sdesc {
  display: block;
  margin: 3px 0 0;
  font-size: 0.85em;
  font-weight: 400;
  white-space: pre-line;
}
.cjm-map .cjm-grid tbody th.cjm-lane {
  position: sticky;
  left: 0;
  z-index: 1;
  background: var(--cjm-bg2);
  border-right: 1px solid var(--cjm-line1);
  border-left: 4px solid var(--cjm-accent);
  padding: 8px 6px 8px 8px;
  font-weight: 700;
  font-size: 0.9em;
  hyphens: auto;
}
.cjm-map .cjm-grid td.cjm-tps {
  background: rgba(128, 128, 128, 0.07);
}
.cjm-map ul.cjm-items {
  margin: 0;
  padding: 0;
  list-style: none;
}
.cjm-map ul.cjm-items li {
  margin: 0 0 5px;
  padding: 3px 7px;
  border-left: 3px solid var(--cjm-accent);
  border-radius: 3px;
  background: rgba(128, 128, 128, 0.08);
  white-space: pre-line;
  overflow-wrap: anywhere;
  hyphens: auto;
}
.cjm-map ul.cjm-items li:last-child {
  margin-bottom: 0;
}
.cjm-map .cjm-l-act {
  --cjm-accent: #1e88e5;
}
.cjm-map .cjm-l-think {
  --cjm-accent: #8e24aa;
}
.cjm-map .cjm-l-feel {
  --cjm-accent: #d81b60;
}
.cjm-map .cjm-l-tp {
  --cjm-accent: #00897b;
}
.cjm-map .cjm-l-pain {
  --cjm-accent: #e53935;
}
.cjm-map .cjm-l-opp {
  --cjm-accent: #43a047;
}
.cjm-map .cjm-l-change {
  --cjm-accent: #fb8c00;
}
.cjm-map .cjm-l-why {
  --cjm-accent: #6d4c41;
}
.cjm-map .cjm-l-front {
  --cjm-accent: #3949ab;
}
.cjm-map .cjm-l-back {
  --cjm-accent: #546e7a;
}
.cjm-map .cjm-l-support {
  --cjm-accent: #78909c;
}
.cjm-map .cjm-l-evidence {
  --cjm-accent: #c0ca33;
}
.cjm-map .cjm-l-pain ul.cjm-items li {
  background: rgba(229, 57, 53, 0.12);
}
.cjm-map .cjm-l-opp ul.cjm-items li {
  background: rgba(67, 160, 71, 0.13);
}
.cjm-map .cjm-grid tr.cjm-visibility > * {
  border-top: 2px dashed var(--cjm-line1);
}
.cjm-map .cjm-empty {
  color: var(--cjm-fg2);
  opacity: 0.6;
}
.cjm-map .cjm-card {
  margin: 0 0 6px;
  padding: 6px 7px 7px;
  border: 1px solid var(--cjm-line);
  border-left: 4px solid #616161;
  border-radius: 6px;
  background: var(--cjm-bg1);
  color: var(--cjm-fg1);
  box-shadow: 0 1px 2px rgba(0, 0, 0, 0.12);
  overflow-wrap: anywhere;
  hyphens: auto;
}
.cjm-map .cjm-card:last-child {
  margin-bottom: 0;
}
.cjm-map .cjm-card-top {
  display: flow-root;
}
.cjm-map .cjm-tp {
  font-weight: 650;
  line-height: 1.3;
  color: var(--cjm-fg1);
}
.cjm-map .cjm-badge {
  display: inline-block;
  margin: 1px 7px 0 0;
  vertical-align: 1px;
  min-width: 2.3em;
  padding: 0 4px;
  border: 1px solid transparent;
  border-radius: 4px;
  color: #fff;
  font-size: 0.74em;
  font-weight: 700;
  line-height: 1.35;
  text-align: center;
  letter-spacing: 0.02em;
  box-shadow: inset 0 0 0 1px rgba(255, 255, 255, 0.16);
  font-family: var(--jp-ui-font-family, system-ui, sans-serif);
}
.cjm-map p.cjm-tpdesc {
  margin: 4px 0 0;
  font-size: 0.9em;
  white-space: pre-line;
}
.cjm-map .cjm-meta {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 4px 8px;
  margin: 5px 0 0;
  font-size: 0.85em;
}
.cjm-map .cjm-phase {
  display: inline-block;
  padding: 0 6px;
  border-radius: 999px;
  border: 1px solid var(--cjm-line1);
  white-space: nowrap;
}
.cjm-map .cjm-ph0 {
  border-style: dashed;
}
.cjm-map .cjm-ph1 {
  border-color: var(--cjm-brand);
}
.cjm-map .cjm-ph2 {
  border-style: dotted;
}
.cjm-map .cjm-owner small, .cjm-map .cjm-score small, .cjm-map .cjm-links small {
  font-size: 0.85em;
  font-weight: 700;
  text-transform: uppercase;
  letter-spacing: 0.04em;
  color: var(--cjm-fg2);
}
.cjm-map .cjm-legend {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 6px 14px;
  margin: 8px 0 0;
  font-size: 0.9em;
}
.cjm-map .cjm-legend .cjm-kicker {
  display: inline-block;
  margin: 0;
}
.cjm-map .cjm-legend-item {
  display: inline-flex;
  align-items: center;
}
.cjm-map .cjm-card-top .cjm-badge {
  float: left;
}
.cjm-map .cjm-nostages {
  padding: 14px 16px;
  border: 1px dashed var(--cjm-line1);
  border-radius: 8px;
  background: var(--cjm-bg1);
}
.cjm-map .cjm-nostages p {
  margin: 0 0 4px;
}
.cjm-map .cjm-nostages p:last-child {
  margin: 0;
}
.cjm-map .cjm-code {
  font-family: var(--jp-code-font-family, ui-monospace, monospace);
  font-size: 0.92em;
  padding: 0 3px;
  border-radius: 3px;
  background: var(--cjm-bg2);
}
.cjm-map .cjm-opps {
  margin: 16px 0 0;
}
.cjm-map h3.cjm-h3 {
  margin: 0 0 8px;
  padding: 0;
  font-size: 1.1em;
  font-weight: 650;
  color: var(--cjm-fg1);
}
.cjm-map ul.cjm-opplist {
  display: flex;
  flex-wrap: wrap;
  gap: 8px;
  margin: 0;
  padding: 0;
  list-style: none;
}
.cjm-map .cjm-opp {
  flex: 0 1 21em;
  min-width: 15em;
  margin: 0;
  padding: 8px 10px;
  border: 1px solid var(--cjm-line);
  border-left: 4px solid #43a047;
  border-radius: 6px;
  background: var(--cjm-bg1);
}
.cjm-map .cjm-quick {
  border-color: #43a047;
}
.cjm-map .cjm-opp-text {
  display: flex;
  flex-wrap: wrap;
  align-items: baseline;
  gap: 4px 8px;
  overflow-wrap: break-word;
  white-space: pre-line;
}
.cjm-map .cjm-qw {
  display: inline-block;
  padding: 0 7px;
  border-radius: 999px;
  background: #2e7d32;
  color: #fff;
  font-size: 0.78em;
  font-weight: 700;
  white-space: nowrap;
}
.cjm-map .cjm-scores {
  display: flex;
  flex-wrap: wrap;
  gap: 2px 14px;
  margin: 5px 0 0;
  font-size: 0.88em;
}
.cjm-map .cjm-dots {
  letter-spacing: 1px;
  color: var(--cjm-brand);
}
.cjm-map .cjm-effort .cjm-dots {
  color: var(--jp-warn-color1, #f57c00);
}
.cjm-map p.cjm-links, .cjm-map p.cjm-notes {
  margin: 4px 0 0;
  font-size: 0.88em;
  white-space: pre-line;
}
@media print {
  .cjm-map {
    --cjm-bg0: #fff;
    --cjm-bg1: #fff;
    --cjm-bg2: #f2f2f2;
    --cjm-fg1: #000;
    --cjm-fg2: #444;
    --cjm-line: #bbb;
    --cjm-line1: #888;
    color: #000;
    background: #fff;
  }
  .cjm-map .cjm-scroll {
    overflow: visible;
    border-color: #bbb;
  }
  .cjm-map .cjm-grid th, .cjm-map .cjm-grid td {
    position: static;
  }
  .cjm-map .cjm-grid thead th.cjm-stage {
    width: auto;
    min-width: 0;
  }
  .cjm-map table.cjm-grid {
    font-size: 0.8em;
  }
  .cjm-map .cjm-grid th, .cjm-map .cjm-grid td {
    padding: 5px;
  }
  .cjm-map .cjm-grid thead td.cjm-corner {
    width: 9.5em;
  }
  .cjm-map .cjm-card {
    padding: 4px 5px;
    border-left-width: 3px;
  }
  .cjm-map .cjm-card-top .cjm-badge {
    float: none;
    display: block;
    width: max-content;
    margin: 0 0 2px;
  }
  .cjm-map .cjm-phase {
    white-space: normal;
  }
  .cjm-map .cjm-grid tr {
    break-inside: avoid;
  }
  .cjm-map .cjm-card, .cjm-map .cjm-opp, .cjm-map .cjm-persona {
    box-shadow: none;
    break-inside: avoid;
  }
  .cjm-map .cjm-badge, .cjm-map .cjm-qw {
    background: #fff !important;
    color: #000 !important;
    border: 1px solid #000 !important;
    box-shadow: none;
  }
  .cjm-map ul.cjm-items li, .cjm-map .cjm-state {
    background: transparent !important;
  }
}
"""


def _compact(css: str) -> str:
    """One line per rule (declarations joined), so the output stays small and diffable."""
    return re.sub(r"\n\s+", " ", css.strip())


_STYLE = f"<style>{_compact(_CSS)}\n{_channel_css()}</style>"
