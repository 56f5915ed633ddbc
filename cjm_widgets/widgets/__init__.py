"""Widgets: live views over the journey and evidence (anywidget; JupyterLab, Notebook, VS Code).

Usage::

    import cjm_widgets as cjm
    editor = cjm.JourneyEditor(journey)

Each widget is one module here with its front end beside it (ES modules in ``static/src/``,
bundled by esbuild into ``static/dist/<name>.js``; ``static/<name>.css``), built on
:class:`~cjm_widgets.widgets._base.CJMWidget` (errors shown in the widget, calls from the
front end to whitelisted Python handlers, a static HTML snapshot for nbconvert and GitHub).
"""

from cjm_widgets.widgets._base import CJMWidget
from cjm_widgets.widgets.affinity_board import AffinityBoard
from cjm_widgets.widgets.behaviour_lane import BehaviourLane
from cjm_widgets.widgets.emotion_curve import EmotionCurve
from cjm_widgets.widgets.evidence_tagger import EvidenceTagger
from cjm_widgets.widgets.journey_editor import JourneyEditor
from cjm_widgets.widgets.workspace import Workspace

__all__ = [
    "AffinityBoard",
    "BehaviourLane",
    "CJMWidget",
    "EmotionCurve",
    "EvidenceTagger",
    "JourneyEditor",
    "Workspace",
]
