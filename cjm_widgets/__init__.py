"""cjm-widgets: Customer Journey Mapping in Jupyter, built on the evidence itself.

Usage::

    import cjm_widgets as cjm
    journey = cjm.Journey.from_template("current_state", stages="seven_stage")
    journey  # renders the map

Layers (imports only go downward): model → evidence → analysis → charts → widgets → export.
"""

from cjm_widgets.errors import (
    CJMError,
    EvidenceError,
    JourneyError,
    NotFoundError,
    ReaderError,
    SchemaError,
    TagError,
)
from cjm_widgets.model import (
    CHANNELS,
    LANGUAGES,
    PHASES,
    STATES,
    TEMPLATES,
    Journey,
    JourneyChange,
    Lane,
    Opportunity,
    Persona,
    Removal,
    Stage,
    Touchpoint,
    templates,
)

__version__ = "0.1.0"

__all__ = [
    "CHANNELS",
    "LANGUAGES",
    "PHASES",
    "STATES",
    "TEMPLATES",
    "CJMError",
    "EvidenceError",
    "Journey",
    "JourneyChange",
    "JourneyError",
    "Lane",
    "NotFoundError",
    "Opportunity",
    "Persona",
    "ReaderError",
    "Removal",
    "SchemaError",
    "Stage",
    "TagError",
    "Touchpoint",
    "__version__",
    "templates",
]
