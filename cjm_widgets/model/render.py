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
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import markupsafe

from cjm_widgets._text import safe_text
from cjm_widgets.errors import CJMError
from cjm_widgets.model import templates
from cjm_widgets.model._jinja import environment, read
from cjm_widgets.model.entities import CHANNELS, PHASES, Lane, Opportunity, Stage, Touchpoint
from cjm_widgets.model.generated import generated_items
from cjm_widgets.model.lane_html import emotion_lane_row, generated_title, lane_css

if TYPE_CHECKING:  # pragma: no cover
    import jinja2
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


@functools.lru_cache(maxsize=16)
def _labels(language: str) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """UI, channel and phase labels for ``language``, with English for anything missing."""
    ui, channels, phases = dict(_UI_EN), dict(_CHANNELS_EN), dict(_PHASES_EN)
    for lang in ("en", language) if language != "en" else ("en",):
        try:
            found = templates.labels(lang)
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
    import numpy as np
    import pandas as pd

    stages, lanes = journey.stages, journey.lanes
    # one 2-D object array, not a list of lists: pandas builds the frame 2.4x faster from it
    cells = np.empty((len(lanes), len(stages)), dtype=object)
    for i, lane in enumerate(lanes):
        cells[i] = ["\n".join(_cell_items(stage, lane)) for stage in stages]
    frame = pd.DataFrame(
        cells,
        index=pd.Index([lane.name for lane in lanes], name="lane", dtype=object),
        columns=pd.Index([stage.name for stage in stages], name="stage", dtype=object),
        dtype=object,
        copy=False,
    )
    frame.attrs["stage_ids"] = [stage.id for stage in stages]
    frame.attrs["lane_ids"] = [lane.id for lane in lanes]
    return frame


def _cell_items(stage: Stage, lane: Lane) -> list[str]:
    if lane.kind == "touchpoints":
        return [tp.name for tp in stage.touchpoints]
    return list(stage.lanes.get(lane.id, ()))


# ---------------------------------------------------------------------------------- HTML
def _template() -> jinja2.Template:
    """The map's Jinja2 template (compiled once, kept by the environment); see its header."""
    return environment().get_template("journey_map.html.j2")


def _parts(language: str) -> Any:
    """``journey_map_parts.html.j2`` as a module for ``language``: its ``badge(channel)``,
    ``card_top(channel)`` and ``phase_tag(phase, index)`` macros give escaped markup, made
    once per channel and phase. Kept while :func:`_labels` gives the same labels."""
    labels = _labels(language)
    kept = _PARTS.get(language)
    if kept is not None and kept[0] is labels:
        return kept[1]
    ui, channels, phases = labels
    module = (
        environment()
        .get_template("journey_map_parts.html.j2")
        .make_module(
            {"ui": ui, "channels": channels, "phases": phases, "channel_style": _CHANNEL_STYLE}
        )
    )
    _PARTS[language] = (labels, module)
    return module


_PARTS: dict[str, tuple[object, Any]] = {}
_CHANNEL_STYLE = {channel: style[:2] for channel, style in CHANNEL_STYLE.items()}


def _grid(
    journey: Journey, made: Mapping[str, Mapping[str, Mapping[str, Any]]]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], dict[str, Any]]:
    """The map's table as plain rows for the template (see its comment): the stage heads, the
    lane rows, and the badge of each channel used. A card's top and phase are made once per
    channel and phase, not per card: a map can hold thousands of cards."""
    parts = _parts(journey.language)
    tops: dict[str, Any] = {}
    phase_tags: dict[str, Any] = {}
    split = _SLASH_BREAK.split
    stages = journey.stages

    def wrap(name: str) -> Sequence[str]:
        pieces = split(name) if "/" in name else ()
        return pieces if len(pieces) > 1 else ()

    def card(tp: Touchpoint) -> tuple[Any, ...]:
        channel, phase = tp.channel, tp.phase
        top = tops.get(channel)
        if top is None:
            top = tops[channel] = parts.card_top(channel)
        tag: Any = ""
        if phase:
            tag = phase_tags.get(phase)
            if tag is None:
                index = PHASES.index(phase) if phase in PHASES else 0
                tag = phase_tags[phase] = parts.phase_tag(phase, index)
        return (top, tp.name, wrap(tp.name), tp.description, tag, tp.owner)

    label = _labels(journey.language)[0]["stage"]
    heads = [
        (f"{label} {i}", st.name, wrap(st.name), st.description) for i, st in enumerate(stages, 1)
    ]
    rows: list[tuple[Any, ...]] = []
    for lane, cls in zip(journey.lanes, _lane_classes(journey.lanes), strict=True):
        if lane.kind == "touchpoints":
            cells: list[Any] = [[card(tp) for tp in st.touchpoints] for st in stages]
        else:
            cells = []
            for st in stages:
                marks = made.get(st.id, {}).get(lane.id, {})
                items = st.lanes.get(lane.id) or ()
                cells.append([(item, generated_title(marks.get(item))) for item in items])
        rows.append((cls, lane.name, lane.kind == "touchpoints", cells))
    badges = {channel: parts.badge(channel) for channel in tops}
    return heads, rows, badges


@functools.cache
def _style() -> markupsafe.Markup:
    """The ``<style>`` block: journey_map.css (comments dropped, one line per rule) and the
    channel colours."""
    css = read("journey_map.css")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return markupsafe.Markup(f"<style>{_compact(css)}\n{_channel_css()}</style>")


def journey_html(journey: Journey, *, lane: Mapping[str, Any] | None = None) -> str:
    """The journey map as self-contained HTML (no JavaScript, no URLs, user text escaped).

    ``lane``: the emotion lane's data (``cjm.emotion_lane(journey, ev)``), drawn under the
    touchpoint cards (see :mod:`cjm_widgets.model.lane_html`). Lane items ``cjm.fill_lanes``
    wrote (and the researcher has not edited) carry a "generated" mark.

    Rendered from ``model/templates/journey_map.html.j2`` with autoescaping on; the CSS is
    ``model/templates/journey_map.css``.

    Usage: ``IPython.display.HTML(journey_html(journey))``
    """
    ui, channels, phases = _labels(journey.language)
    names: dict[str, str] = {}

    def touchpoint_names(opp: Opportunity) -> list[str]:
        if not names:
            names.update((tp.id, tp.name) for tp in journey.touchpoints)
        return [safe_text(names[t]) for t in opp.touchpoints if t in names]

    made = generated_items(journey)
    heads, lane_rows, badges = _grid(journey, made)
    return _template().render(
        journey=journey,
        heads=heads,
        lane_rows=lane_rows,
        badges=badges,
        lane_css=markupsafe.Markup(lane_css()) if lane or made else "",
        emotion_row=markupsafe.Markup(emotion_lane_row(journey.stages, lane)) if lane else "",
        ui=ui,
        channels=channels,
        phases=phases,
        state="future" if journey.state == "future" else "current",
        style=_style(),
        no_stages_hint=markupsafe.Markup(_NO_STAGES_HINT),
        dash=_DASH,
        star="\u2605",
        used_channels=[c for c in CHANNELS if c in badges],
        initials=_initials,
        as_list=lambda wanted: [
            safe_text(v) for v in (wanted if isinstance(wanted, list | tuple) else [wanted])
        ],
        dots=_dots,
        touchpoint_names=touchpoint_names,
    )


def _lane_classes(lanes: Iterable[Lane]) -> list[str]:
    """The accent class of each lane (by lane id, never by user text); a backstage right
    under a frontstage also draws the line of visibility."""
    out: list[str] = []
    previous: str | None = None
    for lane in lanes:
        cls = _LANE_CLASS.get(lane.id, "custom")
        if lane.id == "backstage" and previous == "frontstage":
            cls += " cjm-visibility"
        previous = lane.id
        out.append(cls)
    return out


def _initials(name: str) -> str:
    words = [w for w in name.split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:2]) or name[:1]
    return letters.upper()


def _dots(score: int) -> str:
    score = max(0, min(5, int(score)))
    return "\u25cf" * score + "\u25cb" * (5 - score)


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


def _compact(css: str) -> str:
    """One line per rule (declarations joined), so the output stays small and diffable."""
    return re.sub(r"\n\s+", " ", css.strip())


def __getattr__(name: str) -> str:
    """``render._STYLE``: the ``<style>`` block as text (read from journey_map.css on first
    use; older code and tests read it under that name)."""
    if name == "_STYLE":
        return str(_style())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
