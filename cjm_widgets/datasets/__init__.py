"""Deterministic demo data made in code (no network).

Usage: ``demo = cjm.datasets.demo()``
"""

from cjm_widgets.datasets.demo import DemoData, demo, grocery_journey

__all__ = ["DemoData", "demo", "grocery_journey"]
