"""Analyses of tagged evidence against a journey (DataFrames)."""

from cjm_widgets.analysis._aggregate import EmotionAggregate
from cjm_widgets.analysis.curve import emotion_curve

__all__ = ["EmotionAggregate", "emotion_curve"]
