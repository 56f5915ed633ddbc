"""Analyses of tagged evidence against a journey, each a DataFrame with a documented formula.

- :func:`emotion_curve` and its incremental twin :class:`EmotionAggregate`
- :func:`pain_points`, :func:`opportunities`, :func:`coverage`, :func:`compare`
- :func:`themes` (candidate themes of quotes) and :class:`Themes` (the board's model)
- :func:`agreement` (Cohen's κ, Krippendorff's α) with :func:`cohen_kappa` and
  :func:`krippendorff_alpha` on plain tables
- :func:`suggest`, :func:`tag_next`, :class:`Suggester` (tag suggestions learned from the
  tags, scikit-learn loaded on first use) and :func:`check_suggestions` (their agreement with
  the researcher, cross-validated)

Usage: ``cjm.pain_points(journey, ev)``
"""

from cjm_widgets.analysis._aggregate import EmotionAggregate
from cjm_widgets.analysis.agreement import agreement, cohen_kappa, krippendorff_alpha
from cjm_widgets.analysis.compare import compare
from cjm_widgets.analysis.coverage import coverage
from cjm_widgets.analysis.curve import emotion_curve
from cjm_widgets.analysis.opportunities import opportunities
from cjm_widgets.analysis.pain_points import pain_points
from cjm_widgets.analysis.suggest import Suggester, suggest, tag_next
from cjm_widgets.analysis.suggest_check import check_suggestions
from cjm_widgets.analysis.theme_model import Themes
from cjm_widgets.analysis.themes import themes

__all__ = [
    "EmotionAggregate",
    "Suggester",
    "Themes",
    "agreement",
    "check_suggestions",
    "cohen_kappa",
    "compare",
    "coverage",
    "emotion_curve",
    "krippendorff_alpha",
    "opportunities",
    "pain_points",
    "suggest",
    "tag_next",
    "themes",
]
