"""The words the evidence tagger shows about linked filters and tagging (no widget state here).

Usage::

    from cjm_widgets.widgets._tagger_text import link_label, tag_feedback

    link_label("curve", {"touchpoint": "t7", "Class": "Business"}, journey)
    # 'From curve: Check-in desk · Business'
    tag_feedback(3, hidden=1, needs_touchpoint=3, emotion=-1, touchpoint="Check-in desk")

Kept apart from ``evidence_tagger.py`` so the widget module stays about state and the wire.
The text is plain: the front end puts it in with ``textContent``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cjm_widgets.model import Journey

__all__ = ["EMOTION_WORDS", "link_label", "tag_feedback"]

#: Emotion value -> the word on the face button of that value.
EMOTION_WORDS = {
    -2: "very negative",
    -1: "negative",
    0: "neutral",
    1: "positive",
    2: "very positive",
}

_ORIGINS = {"curve": "From curve", "map": "From map", "lane": "From behaviour lane"}


def _name(journey: Journey, kind: str, ident: str) -> str:
    """The current name of a stage or touchpoint (its id when it is gone)."""
    try:
        return str(getattr(journey, kind)(ident).name)
    except Exception:
        return str(ident)


def link_label(origin: str, filters: Mapping[str, Any], journey: Journey) -> str:
    """The chip's text: where a linked filter came from and what it keeps.

    Usage: ``link_label("map", {"touchpoint": "t3"}, journey)`` → ``'From map: Slot picker'``
    """
    head = _ORIGINS.get(origin, f"From {origin}")
    parts = []
    for key, value in filters.items():
        if key == "touchpoint":
            parts.append(_name(journey, "touchpoint", value))
        elif key == "stage":
            parts.append(_name(journey, "stage", value))
        elif key == "search":
            parts.append(f"“{value}”")
        elif key == "untagged":
            parts.append("untagged")
        elif key == "ids":
            parts.append(_plural(len(value), "quote"))
        else:
            parts.append(str(value))
    return f"{head}: {' · '.join(parts)}" if parts else head


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _emotion_text(value: float) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else ""
    word = EMOTION_WORDS.get(round(value), "")
    number = f"{sign}{abs(value):g}"
    return f"emotion {number} ({word})" if word else f"emotion {number}"


def tag_feedback(
    n: int,
    *,
    hidden: int = 0,
    needs_touchpoint: int = 0,
    emotion: float | None = None,
    touchpoint: str | None = None,
    labels: list[str] | None = None,
    verb: str = "Tagged",
) -> tuple[str, str]:
    """The status line after a tag: ``(text, kind)`` where kind is "ok" or "warn".

    ``n`` rows were tagged; ``hidden`` of them are not under the current filter;
    ``needs_touchpoint`` of them have an emotion but no touchpoint, so the emotion curve
    (which places evidence by touchpoint) leaves them out until they get one.

    Usage: ``tag_feedback(3, emotion=-1, touchpoint="Check-in desk")``
    """
    what = []
    if touchpoint:
        what.append(touchpoint)
    if emotion is not None:
        what.append(_emotion_text(emotion))
    if labels:
        what.append(", ".join(labels))
    text = f"{verb} {_plural(n, 'row')}" + (f": {' · '.join(what)}." if what else ".")
    kind = "ok"
    if hidden:
        if hidden >= n:
            whom = "It is" if n == 1 else "All of them are"
        else:
            whom = f"{hidden:,} of them {'is' if hidden == 1 else 'are'}"
        text += f" {whom} hidden by the current filter (still selected)."
        kind = "warn"
    if needs_touchpoint:
        who = (
            "It needs"
            if n == 1
            else "They need"
            if needs_touchpoint == n
            else (f"{needs_touchpoint:,} of them need")
        )
        text += (
            f" {who} a touchpoint before {'it counts' if needs_touchpoint == 1 else 'they count'}"
            " on the curve: choose one in “Touchpoint…” (a face then tags both)."
        )
        kind = "warn"
    elif emotion is not None and n:
        text += " The curve counts them now." if n > 1 else " The curve counts it now."
    return text, kind
