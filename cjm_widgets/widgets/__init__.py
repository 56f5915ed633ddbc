"""Widgets: live views over the journey and evidence (anywidget; JupyterLab, Notebook, VS Code).

Usage::

    import cjm_widgets as cjm
    editor = cjm.JourneyEditor(journey)

Each widget is one module here with its front end beside it (ES modules in ``static/src/``,
bundled by esbuild into ``static/dist/<name>.js``; ``static/<name>.css``), built on
:class:`~cjm_widgets.widgets._base.CJMWidget` (errors shown in the widget, calls from the
front end to whitelisted Python handlers, a static HTML snapshot for nbconvert and GitHub).

Each widget's module is imported on first use, so showing a ``JourneyEditor`` does not load
what the emotion curve needs (the analysis layer, scipy, Altair, vl-convert).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from cjm_widgets.widgets._base import CJMWidget
    from cjm_widgets.widgets.affinity_board import AffinityBoard
    from cjm_widgets.widgets.behaviour_lane import BehaviourLane
    from cjm_widgets.widgets.emotion_curve import EmotionCurve
    from cjm_widgets.widgets.evidence_tagger import EvidenceTagger
    from cjm_widgets.widgets.journey_editor import JourneyEditor
    from cjm_widgets.widgets.workspace import Workspace

_MODULES = {
    "AffinityBoard": "cjm_widgets.widgets.affinity_board",
    "BehaviourLane": "cjm_widgets.widgets.behaviour_lane",
    "CJMWidget": "cjm_widgets.widgets._base",
    "EmotionCurve": "cjm_widgets.widgets.emotion_curve",
    "EvidenceTagger": "cjm_widgets.widgets.evidence_tagger",
    "JourneyEditor": "cjm_widgets.widgets.journey_editor",
    "Workspace": "cjm_widgets.widgets.workspace",
}

__all__ = [
    "AffinityBoard",
    "BehaviourLane",
    "CJMWidget",
    "EmotionCurve",
    "EvidenceTagger",
    "JourneyEditor",
    "Workspace",
]


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'cjm_widgets.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULES))
