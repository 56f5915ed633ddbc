"""Altair charts of aggregated analysis frames, and offline SVG/PNG rendering."""

from cjm_widgets.charts.emotion_curve import emotion_curve_chart
from cjm_widgets.charts.render import save, to_png, to_svg

__all__ = ["emotion_curve_chart", "save", "to_png", "to_svg"]
