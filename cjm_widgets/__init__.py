"""cjm-widgets: Customer Journey Mapping in Jupyter, built on the evidence itself.

Usage::

    import cjm_widgets as cjm
    journey = cjm.Journey.from_template("current_state", stages="seven_stage")
    journey  # renders the map

Layers (imports only go downward): model → evidence → analysis → charts → widgets → export.
"""

from cjm_widgets._text import safe_text
from cjm_widgets.errors import (
    AutosaveError,
    CJMError,
    EvidenceError,
    JourneyError,
    NotFoundError,
    ReaderError,
    SchemaError,
    TagError,
    TagsMismatchError,
)
from cjm_widgets.evidence import Evidence, EvidenceChange
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
)
from cjm_widgets.model.templates import templates

__version__ = "0.1.0"

# Widgets (and the layers above the model) load on first use, so `import cjm_widgets` stays
# light in scripts and batch jobs that never show a widget.
_LAZY = {
    "JourneyEditor": "cjm_widgets.widgets",
    "EvidenceTagger": "cjm_widgets.widgets",
    "EmotionCurve": "cjm_widgets.widgets",
    "Workspace": "cjm_widgets.widgets",
    "datasets": "cjm_widgets.datasets",
    "analysis": "cjm_widgets.analysis",
    "charts": "cjm_widgets.charts",
    "export": "cjm_widgets.export",
    "emotion_curve": "cjm_widgets.analysis",
    "EmotionAggregate": "cjm_widgets.analysis",
    "pain_points": "cjm_widgets.analysis",
    "opportunities": "cjm_widgets.analysis",
    "coverage": "cjm_widgets.analysis",
    "compare": "cjm_widgets.analysis",
    "agreement": "cjm_widgets.analysis",
    "themes": "cjm_widgets.analysis",
    "Themes": "cjm_widgets.analysis",
    "AffinityBoard": "cjm_widgets.widgets",
    # event logs (DuckDB / Ibis load on first use)
    "Events": "cjm_widgets.events",
    "EventsError": "cjm_widgets.events",
    "reach": "cjm_widgets.analysis.behaviour",
    "funnel": "cjm_widgets.analysis.behaviour",
    "flows": "cjm_widgets.analysis.behaviour",
    "variants": "cjm_widgets.analysis.behaviour",
    "contacts": "cjm_widgets.analysis.behaviour",
    "compare_periods": "cjm_widgets.analysis.behaviour",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cjm_widgets' has no attribute {name!r}")
    import importlib

    loaded = importlib.import_module(module)
    value = loaded if module.endswith("." + name) else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

__all__ = [
    "CHANNELS",
    "LANGUAGES",
    "PHASES",
    "STATES",
    "TEMPLATES",
    "AffinityBoard",
    "AutosaveError",
    "CJMError",
    "EmotionAggregate",
    "EmotionCurve",
    "Events",
    "EventsError",
    "Evidence",
    "EvidenceChange",
    "EvidenceError",
    "EvidenceTagger",
    "Journey",
    "JourneyChange",
    "JourneyEditor",
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
    "TagsMismatchError",
    "Themes",
    "Touchpoint",
    "Workspace",
    "__version__",
    "agreement",
    "analysis",
    "charts",
    "compare",
    "compare_periods",
    "contacts",
    "coverage",
    "datasets",
    "emotion_curve",
    "export",
    "flows",
    "funnel",
    "opportunities",
    "pain_points",
    "reach",
    "safe_text",
    "templates",
    "themes",
    "variants",
]
