"""Deterministic demo data made in code (no network).

Usage: ``demo = cjm.datasets.demo()``
"""

from cjm_widgets.datasets.airline import AIRLINE_ITEMS, AIRLINE_STAGES, airline_journey
from cjm_widgets.datasets.demo import DemoData, demo, grocery_journey

__all__ = [
    "AIRLINE_ITEMS",
    "AIRLINE_STAGES",
    "DemoData",
    "airline_journey",
    "demo",
    "grocery_journey",
]
