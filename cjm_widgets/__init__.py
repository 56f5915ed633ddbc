"""cjm-widgets: Customer Journey Mapping in Jupyter, built on the evidence itself.

Usage::

    import cjm_widgets as cjm
    journey = cjm.Journey.from_template("current_state", stages="seven_stage")
    journey  # renders the map

Layers (imports only go downward): model → evidence → analysis → charts → widgets → export.

Importing the package loads the model and evidence layers only; widgets, analysis (scipy),
charts (Altair) and event logs (DuckDB, Ibis) load on first use. It also defers the grammar
compilation that ``jsonschema`` triggers through ``rfc3987_syntax`` to the first IRI check
(see :mod:`cjm_widgets._deferred`; what is validated does not change).
"""

from cjm_widgets._deferred import defer_rfc3987_syntax as _defer_rfc3987_syntax

_defer_rfc3987_syntax()

# ruff: noqa: E402  (the deferral above must run before jsonschema can be imported)
from cjm_widgets._text import safe_text
from cjm_widgets.errors import (
    AutosaveError,
    CJMError,
    EvidenceError,
    JourneyError,
    NotFoundError,
    ReaderError,
    ReadOnlyError,
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
    # tag suggestions (scikit-learn loads on first use)
    "suggest": "cjm_widgets.analysis",
    "tag_next": "cjm_widgets.analysis",
    "Suggester": "cjm_widgets.analysis",
    "check_suggestions": "cjm_widgets.analysis",
    "emotion_lane": "cjm_widgets.analysis.lane",
    "fill_lanes": "cjm_widgets.analysis.fill",
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
    "curve_from_engine": "cjm_widgets.analysis.engine_curve",
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
    "ReadOnlyError",
    "ReaderError",
    "Removal",
    "SchemaError",
    "Stage",
    "Suggester",
    "TagError",
    "TagsMismatchError",
    "Themes",
    "Touchpoint",
    "Workspace",
    "__version__",
    "agreement",
    "analysis",
    "charts",
    "check_suggestions",
    "compare",
    "compare_periods",
    "contacts",
    "coverage",
    "curve_from_engine",
    "datasets",
    "emotion_curve",
    "emotion_lane",
    "export",
    "fill_lanes",
    "flows",
    "funnel",
    "opportunities",
    "pain_points",
    "reach",
    "safe_text",
    "suggest",
    "tag_next",
    "templates",
    "themes",
    "variants",
]
