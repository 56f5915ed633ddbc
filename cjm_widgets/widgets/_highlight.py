"""The ``highlight`` trait shared by the curve and the board: touchpoints to mark.

Usage::

    curve.highlight = ["Checkout", "t5"]     # names or ids; kept as ids
    editor.highlight = []                     # nothing marked

Both widgets validate the list the same way (:func:`touchpoint_ids`), so an unknown name is
refused with the journey's own error and the trait never holds a half-applied list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import traitlets

__all__ = ["touchpoint_ids"]


def touchpoint_ids(journey: Any, items: Iterable[Any], *, owner: str) -> list[str]:
    """The ids of ``items`` (touchpoint ids, names or objects of ``journey``), each once, in
    order. Raises ``traitlets.TraitError`` naming the item and the way out.

    Usage: ``touchpoint_ids(journey, ["Checkout"], owner="EmotionCurve.highlight")``
    """
    out: list[str] = []
    for item in items:
        try:
            tp = journey.touchpoint(item)
        except Exception as exc:
            raise traitlets.TraitError(
                f"{owner}: {exc} Give ids or names of the journey's touchpoints."
            ) from None
        if tp.id not in out:
            out.append(tp.id)
    return out
