"""Mermaid ``journey`` diagrams scored from the evidence (the emotion curve).

Usage::

    text = cjm.export.to_mermaid(journey, ev)                 # one diagram (str)
    diagrams = cjm.export.to_mermaid(journey, ev, by="Class")  # one per series (list of str)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cjm_widgets.model.mermaid import journey_to_mermaid

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey, Persona

__all__ = ["to_mermaid"]


def to_mermaid(
    journey: Journey, evidence: Evidence | None = None, *, by: str | Persona | None = None
) -> str | list[str]:
    """A Mermaid ``journey`` diagram whose task scores come from the emotion curve: each
    touchpoint's mean emotion −2..+2 mapped onto 0..5 (rounded; no evidence → neutral 3).

    Without ``by``: one diagram as text (without ``evidence``: ``journey.to_mermaid()``).
    With ``by`` (a segment column or persona): a **list** with one diagram per series, in the
    curve's series order, each titled "<title> (<series>)" — paste each into its own
    ```` ```mermaid ```` block.

    Usage: ``print(cjm.export.to_mermaid(journey, ev))``
    """
    if evidence is None:
        if by is not None:
            raise TypeError(
                "to_mermaid(by=...) needs the evidence: to_mermaid(journey, ev, by=...)"
            )
        return journey_to_mermaid(journey)
    from cjm_widgets.analysis import emotion_curve

    curve = emotion_curve(journey, evidence, by=by)
    if by is None:
        return journey_to_mermaid(journey, curve)
    series = list(dict.fromkeys(str(s) for s in curve["series"]))
    return [journey_to_mermaid(journey, curve, series=s) for s in series]
