"""The journey model: Journey, Persona, Stage, Touchpoint, Lane, Opportunity, templates.

The lowest layer: it knows nothing of evidence or widgets. Usage::

    from cjm_widgets.model import Journey
    journey = Journey.from_template("current_state", stages="seven_stage")
"""

from cjm_widgets.model.entities import (
    CHANNELS,
    PHASES,
    STATES,
    JourneyChange,
    Lane,
    Opportunity,
    Persona,
    Stage,
    Touchpoint,
)
from cjm_widgets.model.journey import SCHEMA_VERSION, Journey, Removal
from cjm_widgets.model.templates import LANGUAGES, TEMPLATES

__all__ = [
    "CHANNELS",
    "LANGUAGES",
    "PHASES",
    "SCHEMA_VERSION",
    "STATES",
    "TEMPLATES",
    "Journey",
    "JourneyChange",
    "Lane",
    "Opportunity",
    "Persona",
    "Removal",
    "Stage",
    "Touchpoint",
]
