"""Mermaid ``journey`` diagrams: write a journey as one, and read one back as a journey.

Usage::

    text = journey.to_mermaid()                       # neutral scores (3) or imported ones
    text = journey.to_mermaid({"t3": -1.2, "t4": 0.5})  # scores from emotions −2..+2
    journey = cjm.Journey.from_mermaid(text)

The diagram::

    journey
      title First online grocery order
      section Checkout
        Basket and payment: 2: Busy parent
        Delivery slot picker: 1: Busy parent

Stages become ``section``\\ s, touchpoints tasks, the personas the actors. Emotion −2..+2 maps
linearly onto Mermaid's score 0..5 (``score = round((emotion + 2) · 5/4)``, halves rounded up,
so a neutral 0 is 3, the neutral face) and back (``emotion = score · 4/5 − 2``). Names lose
``:``, ``#``, ``;`` and line breaks (and actors ``,``), which Mermaid cannot hold; a name that
would read as a keyword (``section …``, ``title …``) gets an invisible word joiner in front.
Reading a diagram keeps each task's score in ``journey.metadata["mermaid_scores"]`` (by
touchpoint id), so ``Journey.from_mermaid(text).to_mermaid()`` gives the same diagram back.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from cjm_widgets._text import char_label, find_control, safe_text
from cjm_widgets.errors import JourneyError
from cjm_widgets.model.journey import Journey

__all__ = [
    "NEUTRAL_SCORE",
    "SCORES_KEY",
    "emotion_to_score",
    "journey_from_mermaid",
    "journey_to_mermaid",
    "mermaid_name",
    "score_to_emotion",
]

#: The score of a touchpoint without evidence (emotion 0: Mermaid's neutral face).
NEUTRAL_SCORE = 3
#: Metadata key under which :func:`journey_from_mermaid` keeps the imported scores.
SCORES_KEY = "mermaid_scores"

_WORD_JOINER = "\u2060"
_KEYWORDS = re.compile(r"^(?:title|section|journey|acctitle|accdescr)(?:\s|:|$)", re.IGNORECASE)
_NAME_DROP = re.compile(r"[:#;\r\n]+")
_ACTOR_DROP = re.compile(r"[:#;,\r\n]+")
_TITLE_DROP = re.compile(r"[#;\r\n]+")
_PERCENTS = re.compile(r"%(?=%)")
_LINE_END = re.compile(r"\r\n|\r|\n")


def emotion_to_score(emotion: float | None) -> int:
    """Mermaid score 0..5 of an emotion −2..+2 (None/NaN → the neutral 3); halves round up.

    Usage: ``emotion_to_score(-2)  # 0``
    """
    if emotion is None or (isinstance(emotion, float) and math.isnan(emotion)):
        return NEUTRAL_SCORE
    value = (max(-2.0, min(2.0, float(emotion))) + 2.0) * 5.0 / 4.0
    return math.floor(value + 0.5)


def score_to_emotion(score: int) -> float:
    """Emotion −2..+2 of a Mermaid score 0..5.

    Usage: ``score_to_emotion(5)  # 2.0``
    """
    return score * 4.0 / 5.0 - 2.0


def _clean(value: str, drop: re.Pattern[str]) -> str:
    # "%%" starts a comment (to the end of the line) or a %%{init: …}%% directive anywhere
    # in the text: keep the two signs apart with an invisible word joiner so user text can
    # neither hide the rest of a line nor configure the diagram
    text = " ".join(drop.sub(" ", safe_text(value, one_line=True)).split())
    return _PERCENTS.sub("%" + _WORD_JOINER, text)


def mermaid_name(name: str, *, actor: bool = False) -> str:
    """``name`` as Mermaid can hold it: ``:``, ``#``, ``;``, line breaks (actors also ``,``)
    removed, spaces collapsed; a leading keyword or ``%`` is guarded by an invisible word
    joiner, and so is ``%%`` inside (a comment or directive in Mermaid).

    Usage: ``mermaid_name("Pay: card #1")  # 'Pay card 1'``
    """
    clean = _clean(name, _ACTOR_DROP if actor else _NAME_DROP)
    if _KEYWORDS.match(clean) or clean.startswith("%"):  # a task line "% …" is a comment
        clean = _WORD_JOINER + clean
    return clean


def _scores_for(journey: Journey, scores: Any, series: str | None) -> dict[str, float | None]:
    """Touchpoint id → emotion from a mapping (ids or names) or an ``emotion_curve`` frame."""
    if scores is None:
        stored = journey.metadata.get(SCORES_KEY) or {}
        return {
            tp.id: score_to_emotion(int(stored[tp.id]))
            for tp in journey.touchpoints
            if isinstance(stored.get(tp.id), int) and 0 <= stored[tp.id] <= 5
        }
    if hasattr(scores, "columns") and {"touchpoint_id", "mean"} <= set(scores.columns):
        frame = scores
        if "series" in frame.columns:
            names = list(dict.fromkeys(str(s) for s in frame["series"]))
            if series is None:
                if len(names) > 1:
                    raise JourneyError(
                        f"The curve has several series ({', '.join(map(repr, names))}); pass "
                        "series=... to pick one, or use cjm.export.to_mermaid(journey, ev, "
                        "by=...) for one diagram per series."
                    )
                series = names[0] if names else None
            elif series not in names:
                raise JourneyError(
                    f"Unknown series {series!r}. Series: {', '.join(map(repr, names)) or 'none'}."
                )
            if series is not None:
                frame = frame[frame["series"].astype(str) == series]
        out: dict[str, float | None] = {}
        for tp_id, mean, n in zip(
            frame["touchpoint_id"], frame["mean"], frame.get("n", frame["mean"]), strict=True
        ):
            if isinstance(tp_id, str) and n == n and mean == mean:  # skip NA / NaN
                out[tp_id] = float(mean)
        return out
    if not isinstance(scores, Mapping):
        raise JourneyError(
            "scores must be a mapping of touchpoint (id or name) to emotion −2..+2, or an "
            f"emotion_curve() frame; got {type(scores).__name__}."
        )
    out = {}
    for ref, value in scores.items():
        tp = journey.touchpoint(ref)
        if value is not None and not isinstance(value, int | float):
            raise JourneyError(f"The score of {tp.name!r} must be a number −2..+2, got {value!r}.")
        if value is not None and not math.isnan(value) and not -2 <= value <= 2:
            raise JourneyError(f"The score of {tp.name!r} must be from −2 to +2, got {value!r}.")
        out[tp.id] = None if value is None else float(value)
    return out


def journey_to_mermaid(
    journey: Journey,
    scores: Any = None,
    *,
    series: str | None = None,
    title: str | None = None,
) -> str:
    """One Mermaid ``journey`` diagram of ``journey`` (see the module docs).

    ``scores``: touchpoint (id or name) → emotion −2..+2, or an ``emotion_curve`` frame
    (``series`` picks one of its series); touchpoints without a score get the neutral 3.
    Without ``scores``, the scores kept by :func:`journey_from_mermaid` are used. Actors are
    the personas' names (none when the journey has no persona).

    Usage: ``print(journey_to_mermaid(journey))``
    """
    emotions = _scores_for(journey, scores, series)
    shown_title = _clean(title if title is not None else journey.title, _TITLE_DROP)
    if series is not None and title is None:
        shown_title = f"{shown_title} ({_clean(series, _TITLE_DROP)})".strip()
    actors = [a for a in (mermaid_name(p.name, actor=True) for p in journey.personas) if a]
    lines = ["journey"]
    if shown_title:
        lines.append(f"  title {shown_title}")
    for stage in journey.stages:
        lines.append(f"  section {mermaid_name(stage.name) or stage.id}")
        for tp in stage.touchpoints:
            score = emotion_to_score(emotions.get(tp.id))
            task = f"    {mermaid_name(tp.name) or tp.id}: {score}"
            if actors:
                task += ": " + ", ".join(actors)
            lines.append(task)
    return "\n".join(lines) + "\n"


def _unguard(name: str) -> str:
    return name[1:] if name.startswith(_WORD_JOINER) else name


def journey_from_mermaid(text: str, cls: type[Journey] | None = None) -> Journey:
    """A journey from a Mermaid ``journey`` diagram (``%%`` comments and blank lines ignored;
    a surrounding ```` ```mermaid ```` fence or a ``---`` front matter block is accepted).

    Sections become stages, tasks touchpoints (channel "other"), actors personas, and the
    scores go to ``metadata["mermaid_scores"]``. A malformed line raises
    :class:`~cjm_widgets.JourneyError` naming its line number; nothing is returned then.

    Usage: ``journey = journey_from_mermaid(Path("map.mmd").read_text())``
    """
    if cls is None:
        cls = Journey
    if not isinstance(text, str):
        raise JourneyError(f"from_mermaid needs the diagram as text, got {type(text).__name__}.")
    text = text.removeprefix("\ufeff")  # a byte order mark from a Windows editor
    at = find_control(text)
    if at >= 0:
        before = _LINE_END.split(text[:at])
        line_no, column = len(before), len(before[-1]) + 1
        raise JourneyError(
            f"Line {line_no}, column {column}: {char_label(text[at])} is a character a diagram "
            "cannot hold (a control character, a lone surrogate or a non-character); remove it."
        )
    # lines end at LF, CR LF or CR only, as in Mermaid (U+2028 is part of a name)
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    number = 0
    fenced = False
    # the header: optional fence and front matter, then the keyword "journey"
    header_seen = False
    title = ""
    stages: list[tuple[str, int, list[tuple[str, int, list[str], int]]]] = []
    task_names: dict[int, set[str]] = {}
    in_front_matter = False
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if in_front_matter:
            if line == "---":
                in_front_matter = False
            continue
        if not line or line.startswith("%%"):
            continue
        if not header_seen:
            opener = line[3:].strip().lower() in ("", "mermaid")
            if line.startswith("```") and not fenced and opener:
                fenced = True
                continue
            if line == "---":
                in_front_matter = True
                continue
            if line.lower() != "journey":
                raise JourneyError(
                    f"Line {number}: a Mermaid journey diagram starts with 'journey', found "
                    f"{line[:60]!r}."
                )
            header_seen = True
            continue
        if fenced and line.startswith("```"):
            fenced = False
            break  # anything after the closing fence is not part of the diagram
        keyword, _, rest = line.partition(" ")
        key = keyword.lower()
        if key == "title" and rest.strip():
            if stages:
                raise JourneyError(f"Line {number}: 'title' must come before the first section.")
            title = rest.strip()
            continue
        if key in ("acctitle:", "accdescr:") or key.startswith(("acctitle:", "accdescr:")):
            continue
        if key == "section":
            name = _unguard(rest.strip())
            if not name:
                raise JourneyError(f"Line {number}: a section needs a name ('section Booking').")
            if ":" in name:
                raise JourneyError(
                    f"Line {number}: a section name cannot contain ':' ({line[:60]!r})."
                )
            if any(name.casefold() == s[0].casefold() for s in stages):
                raise JourneyError(
                    f"Line {number}: section {name!r} appears twice; stage names must be unique."
                )
            stages.append((name, number, []))
            continue
        # a task: "<name>: <score>[: <actor>, ...]"
        parts = line.split(":")
        if len(parts) < 2 or not parts[0].strip():
            raise JourneyError(
                f"Line {number}: expected a task '<name>: <score>: <actors>', a 'section' or a "
                f"'title', found {line[:60]!r}."
            )
        if len(parts) > 3:
            raise JourneyError(
                f"Line {number}: too many ':' in {line[:60]!r}; a task is "
                "'<name>: <score>: <actor>, …' and its name cannot contain ':'."
            )
        if not stages:
            raise JourneyError(
                f"Line {number}: task {parts[0].strip()!r} comes before any 'section'; put it "
                "in a section (a stage)."
            )
        name = _unguard(parts[0].strip())
        score_text = parts[1].strip()
        if not re.fullmatch(r"\d+", score_text) or not 0 <= int(score_text) <= 5:
            raise JourneyError(
                f"Line {number}: the score of task {name!r} must be a whole number from 0 to 5, "
                f"found {score_text!r}."
            )
        actors = [a.strip() for a in parts[2].split(",")] if len(parts) == 3 else []
        actors = [a for a in actors if a]
        stage_name, _, tasks = stages[-1]
        seen = task_names.setdefault(len(stages), set())  # a set: n tasks take O(n)
        if name.casefold() in seen:
            raise JourneyError(
                f"Line {number}: task {name!r} appears twice in section {stage_name!r}; "
                "touchpoint names must be unique within a stage."
            )
        tasks.append((name, int(score_text), actors, number))
        seen.add(name.casefold())
    if not header_seen and not stages:
        raise JourneyError(
            f"Line {max(number, 1)}: no Mermaid journey diagram found (it starts with 'journey')."
        )
    if fenced:
        raise JourneyError(f"Line {number}: the ```mermaid fence is not closed.")
    journey = cls(title=title or "Untitled journey")
    scores: dict[str, int] = {}
    with journey.batch("from mermaid"):
        personas: list[str] = []
        for _, _, tasks in stages:
            for _, _, actors, _ in tasks:
                personas.extend(a for a in actors if a not in personas)
        for persona in personas:
            journey.add_persona(persona)
        for stage_name, line_no, tasks in stages:
            try:
                journey.add_stage(stage_name)
            except JourneyError as err:
                raise JourneyError(f"Line {line_no}: {err}") from None
            for task, score, _, task_line in tasks:
                try:
                    tp = journey.add_touchpoint(stage_name, task)
                except JourneyError as err:
                    raise JourneyError(f"Line {task_line}: {err}") from None
                scores[tp.id] = score
        if scores:
            journey.update(metadata={SCORES_KEY: scores})
    journey._history.clear()  # the import is the starting point, not an edit to undo
    return journey
