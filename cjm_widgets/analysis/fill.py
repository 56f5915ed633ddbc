"""Lanes from evidence: fill the map's text lanes from the tagged evidence, in one undo step.

Usage::

    filled = cjm.fill_lanes(journey, ev)   # then journey.undo() takes it all back
    filled                                  # {"thoughts_feelings": 7, "pain_points": 3, ...}

What goes where (each item is one line of a stage's cell, touchpoint by touchpoint):

- **Thoughts and feelings** (``thoughts_feelings``): the most telling quote of each touchpoint,
  with its source — ``Delivery slot picker: “No evening slots left again” (P3, interview)``.
  *Most telling* is chosen among the touchpoint's tagged rows with text (interviewer turns
  left out), in this order: rows the researcher labelled "quote" first; then rows whose
  emotion has the sign of the touchpoint's mean emotion (what most people there say), the
  strongest emotion first; then texts of 6–60 words before shorter or longer ones; then the
  first in the evidence. Quotes longer than 200 characters are cut at a word with "…".
- **Pain points** (``pain_points``): the ``top`` touchpoints (3 by default) that
  :func:`~cjm_widgets.analysis.pain_points` ranks first (by the lower end of the score's 95%
  interval, so a few rows do not outrank many), among those with at least ``min_n`` rows and
  one pain row, each with the share of rows reporting a pain, n and the score with its
  interval; the evidence behind it is the pain quotes pain_points picks.
- **What we want to change** (``what_to_change``): the journey's opportunities, each in the
  stage of every touchpoint it addresses, with impact, effort and "quick win".

A lane the journey lacks is added (named in the journey's language). Each item written is
recorded in ``journey.metadata["cjm_generated"]`` with the evidence ids behind it: the board
and the static map mark it "generated" (with a link to its evidence) until the researcher
edits its text. Running it again replaces the generated items that are still unedited and
keeps everything the researcher wrote; with the same evidence it changes nothing. The whole
fill is one undo step (:meth:`Journey.batch`). Text stays text: every renderer escapes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets._text import safe_text
from cjm_widgets.model.generated import GENERATED_KEY

if TYPE_CHECKING:  # pragma: no cover
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["LANES", "fill_lanes"]
#: The lanes fill_lanes can fill, in the order it fills them.
LANES = ("thoughts_feelings", "pain_points", "what_to_change")
_MAX_CHARS = 200


def _cut(text: str) -> str:
    text = " ".join(safe_text(text).split())
    if len(text) <= _MAX_CHARS:
        return text
    head = text[:_MAX_CHARS].rsplit(" ", 1)[0]
    return head.rstrip(",;:.") + "…"


def _quotes(journey: Journey, evidence: Any) -> dict[str, tuple[str, list[str]]]:
    """touchpoint id → (item text, [evidence id]) of its most telling quote."""
    from cjm_widgets.analysis._common import counted, has_text

    c = counted(journey, evidence)
    tp_of = np.array([s["touchpoint_id"] or "" for s in c.slots], dtype=object)
    texted = has_text(evidence)[c.rows]
    rows, slot, emotion = c.rows[texted], c.slot[texted], c.emotion[texted]
    try:
        quoted = evidence.has_label("quote")[rows]
    except Exception:  # no "quote" label in this store
        quoted = np.zeros(len(rows), dtype=bool)
    text = evidence.column("text")
    ids = evidence.column("evidence_id")
    who = evidence.column("participant")
    source = evidence.column("source")
    out: dict[str, tuple[str, list[str]]] = {}
    for s in np.unique(slot):
        tp = tp_of[s]
        if not tp:
            continue  # rows tagged to a stage only
        here = np.flatnonzero(slot == s)
        em = emotion[here]
        rated = ~np.isnan(em)
        sign = float(np.sign(em[rated].mean())) if rated.any() else 0.0
        words = np.array([len(str(text.iat[r]).split()) for r in rows[here]])
        agrees = rated & ((np.sign(em) == sign) if sign else True)
        strength = np.where(rated, np.abs(em), 0.0)
        readable = (words >= 6) & (words <= 60)
        # lexsort: the last key sorts first
        order = np.lexsort((rows[here], ~readable, -strength, ~agrees, ~quoted[here]))
        best = int(rows[here][order[0]])
        person = "" if pd.isna(who.iat[best]) else safe_text(str(who.iat[best]))
        origin = ", ".join(p for p in (person, safe_text(str(source.iat[best]))) if p)
        name = journey.touchpoint(tp).name
        quote = _cut(str(text.iat[best]))
        out[tp] = (f"{name}: \u201c{quote}\u201d ({origin})", [str(ids.iat[best])])
    return out


def _pains(
    journey: Journey, evidence: Evidence, min_n: int, top: int
) -> dict[str, tuple[str, list[str]]]:
    from cjm_widgets.analysis.pain_points import pain_points

    frame = pain_points(journey, evidence, min_n=min_n)
    out: dict[str, tuple[str, list[str]]] = {}
    for r in frame.itertuples(index=False):
        tp = r.touchpoint_id
        if not isinstance(tp, str) or not tp or not r.supported or not r.n_pain:
            continue
        text = (
            f"{r.touchpoint}: {100 * r.frequency:.0f}% of {r.n} rows report a pain "
            f"(score {r.score:.2f}, 95% {r.score_low:.2f}\u2013{r.score_high:.2f})"
        )
        out[tp] = (text, [str(i) for i in r.quote_ids])
        if len(out) >= top:
            break
    return out


def _changes(journey: Journey) -> list[tuple[list[str], str, list[str]]]:
    """(touchpoint ids, item text, []) per opportunity linked to touchpoints."""
    out: list[tuple[list[str], str, list[str]]] = []
    for opp in journey.opportunities:
        if not opp.touchpoints:
            continue
        quick = ", quick win" if opp.quick_win else ""
        text = f"{opp.text} (impact {opp.impact}/5, effort {opp.effort}/5{quick})"
        out.append((list(opp.touchpoints), text, []))
    return out


def fill_lanes(
    journey: Journey,
    evidence: Evidence,
    *,
    lanes: Iterable[str] = LANES,
    min_n: int = 5,
    top: int = 3,
) -> dict[str, int]:
    """Fill the text lanes of ``journey`` from ``evidence`` (see the module docstring for what
    goes where and how the quote is chosen); returns the number of items per lane.

    One undo step; generated items are marked until edited; running it again keeps the
    researcher's own items and replaces only unedited generated ones.

    Usage: ``cjm.fill_lanes(journey, ev, lanes=["pain_points"])``
    """
    if isinstance(lanes, str):
        lanes = [lanes]
    for name, value in (("min_n", min_n), ("top", top)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"fill_lanes({name}=...) needs a whole number ≥ 1, not {value!r}.")
    wanted = list(dict.fromkeys(lanes))
    unknown = [lane for lane in wanted if lane not in LANES]
    if unknown or not wanted:
        raise ValueError(
            f"fill_lanes() fills {', '.join(LANES)}; got {', '.join(map(repr, unknown)) or '[]'}."
        )
    per_tp: dict[str, dict[str, tuple[str, list[str]]]] = {}
    if "thoughts_feelings" in wanted:
        per_tp["thoughts_feelings"] = _quotes(journey, evidence)
    if "pain_points" in wanted:
        per_tp["pain_points"] = _pains(journey, evidence, min_n, top)
    how = {
        "thoughts_feelings": "most telling quote",
        "pain_points": "cjm.pain_points",
        "what_to_change": "opportunity",
    }
    cells: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
    for stage in journey.stages:
        for tp in stage.touchpoints:
            for lane_id, found in per_tp.items():
                if tp.id in found:
                    text, ids = found[tp.id]
                    rec = {"evidence": ids, "touchpoint": tp.id, "how": how[lane_id]}
                    cells.setdefault((stage.id, lane_id), []).append((text, rec))
    if "what_to_change" in wanted:
        stage_of = {tp.id: s.id for s in journey.stages for tp in s.touchpoints}
        for tps, text, ids in _changes(journey):
            for sid in dict.fromkeys(stage_of[t] for t in tps if t in stage_of):
                first = next(t for t in tps if stage_of.get(t) == sid)
                rec = {"evidence": ids, "touchpoint": first, "how": how["what_to_change"]}
                cells.setdefault((sid, "what_to_change"), []).append((text, rec))
    return _write(journey, wanted, cells)


def _write(
    journey: Journey,
    wanted: list[str],
    cells: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]],
) -> dict[str, int]:
    """Write the cells and the record in one batch (one undo step)."""
    metadata = journey.metadata
    old = metadata.get(GENERATED_KEY) or {}
    record: dict[str, dict[str, dict[str, Any]]] = {}
    counts = dict.fromkeys(wanted, 0)
    with journey.batch("fill lanes"):
        have = {lane.id for lane in journey.lanes}
        after = "touchpoints" if "touchpoints" in have else None
        for lane_id in wanted:
            if lane_id not in have and any(k[1] == lane_id for k in cells):
                journey.add_lane(lane_id, after=after)
        for stage in journey.stages:
            for lane_id in wanted:
                stale = set((old.get(stage.id) or {}).get(lane_id, {}))
                try:
                    current = journey.cell(stage.id, lane_id)
                except Exception:  # the lane is not on this journey and gets nothing
                    current = []
                mine = [item for item in current if item not in stale]
                new = [(t, r) for t, r in cells.get((stage.id, lane_id), []) if t not in mine]
                items = mine + [t for t, _ in new]
                if items != current:
                    journey.set_lane(stage.id, lane_id, items)
                if new:
                    record.setdefault(stage.id, {})[lane_id] = dict(new)
                    counts[lane_id] += len(new)
        for sid, lanes in old.items():  # lanes not filled this time keep their record
            for lane_id, items in lanes.items():
                if lane_id not in wanted:
                    record.setdefault(sid, {})[lane_id] = items
        if record != old:
            journey.update(metadata={**metadata, GENERATED_KEY: record})
    return counts
