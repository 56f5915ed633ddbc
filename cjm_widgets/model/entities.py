"""The journey's parts: Persona, Lane, Touchpoint, Stage, Opportunity and the change event.

These are plain dataclasses; the :class:`~cjm_widgets.model.journey.Journey` owns them and is
the only place that edits them (so every edit is validated, undoable and observed). Read them
freely; edit through the journey::

    tp = journey.touchpoint("Checkout")
    journey.update_touchpoint(tp, channel="mobile app")
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CHANNELS",
    "PHASES",
    "STATES",
    "JourneyChange",
    "Lane",
    "Opportunity",
    "Persona",
    "Stage",
    "Touchpoint",
]

#: The channels a touchpoint can use (the order is the order of the legend).
CHANNELS: tuple[str, ...] = (
    "web",
    "mobile app",
    "social",
    "email",
    "phone",
    "chat",
    "in store",
    "in person",
    "print",
    "other",
)

#: The purchase phase of a touchpoint (optional).
PHASES: tuple[str, ...] = ("pre-purchase", "purchase", "post-purchase")

#: A journey maps the current state or a future (designed) state.
STATES: tuple[str, ...] = ("current", "future")

LANE_KINDS: tuple[str, ...] = ("text", "touchpoints")


@dataclass
class Persona:
    """Who walks the journey.

    ``segment`` filters the evidence to this persona, e.g. ``{"Class": "Business"}`` or
    ``{"Class": ["Business", "Eco Plus"]}``.

    Usage: ``journey.add_persona("Frequent flyer", goals=["Arrive rested"])``
    """

    id: str
    name: str
    description: str = ""
    goals: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    segment: dict[str, Any] = field(default_factory=dict)


@dataclass
class Lane:
    """A row of the map (actions, thoughts and feelings, touchpoints, backstage, …).

    ``kind`` is ``"text"`` (a cell of text items per stage) or ``"touchpoints"`` (the row
    that shows each stage's touchpoint cards).
    """

    id: str
    name: str
    kind: str = "text"


@dataclass
class Touchpoint:
    """Where the customer meets the service.

    Usage: ``journey.add_touchpoint("Purchase", "Checkout", channel="web", phase="purchase")``
    """

    id: str
    name: str
    channel: str = "other"
    phase: str | None = None
    owner: str = ""
    description: str = ""


@dataclass
class Stage:
    """A column of the map: an ordered step of the journey with its touchpoints and lane cells.

    ``key`` is the template's language-neutral id of the stage (``"awareness"``), or None for
    a stage the researcher named.
    """

    id: str
    name: str
    description: str = ""
    key: str | None = None
    touchpoints: list[Touchpoint] = field(default_factory=list)
    lanes: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Opportunity:
    """Something to improve, ranked by impact and effort (both 1–5).

    A quick win has impact ≥ 4 and effort ≤ 2.

    Usage: ``journey.add_opportunity("One-page checkout", touchpoints=["Checkout"], impact=5,
    effort=2)``
    """

    id: str
    text: str
    touchpoints: list[str] = field(default_factory=list)
    impact: int = 3
    effort: int = 3
    notes: str = ""

    @property
    def quick_win(self) -> bool:
        """True when impact ≥ 4 and effort ≤ 2."""
        return self.impact >= 4 and self.effort <= 2


@dataclass(frozen=True)
class JourneyChange:
    """One change of a journey, delivered to ``journey.observe`` callbacks.

    ``kind`` names the edit (``"stage_added"``, ``"touchpoint_moved"``, ``"undo"`` …), ``ids``
    the stage/touchpoint/lane/opportunity ids it touched, ``detail`` anything else (old and new
    names, positions, for undo/redo the kind of the change undone).
    """

    kind: str
    ids: tuple[str, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)
