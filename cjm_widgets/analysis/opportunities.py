"""Opportunities ranked by impact and effort, weighted by the pain evidence behind them.

Usage: ``cjm.opportunities(journey, ev)``
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cjm_widgets.analysis._common import counted

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["opportunities"]

COLUMNS = [
    "rank",
    "opportunity_id",
    "text",
    "touchpoint_ids",
    "touchpoints",
    "stages",
    "impact",
    "effort",
    "priority",
    "quick_win",
    "evidence_n",
    "n_participants",
    "pain_score",
    "evidence_weight",
    "weighted_impact",
]


def opportunities(
    journey: Journey,
    evidence: Evidence | None = None,
    *,
    k: float = 5.0,
    include_interviewer: bool = False,
) -> pd.DataFrame:
    """The journey's opportunities with their priority and the evidence behind them.

    - ``priority`` = impact × (6 − effort): 1 … 25, highest for high impact at low effort.
    - ``quick_win`` = impact ≥ 4 and effort ≤ 2.
    - ``evidence_n``: pain evidence rows (emotion < 0 or the "pain point" label) tagged to the
      opportunity's touchpoints (interviewer turns excluded unless ``include_interviewer``);
      ``n_participants``: distinct participants among them.
    - ``pain_score``: severity × frequency (as in :func:`pain_points`) over all evidence
      tagged to its touchpoints together (NaN without rated evidence).
    - ``evidence_weight`` = evidence_n / (evidence_n + k): 0 without evidence, ½ at ``k``
      rows, towards 1 with more; ``weighted_impact`` = impact × evidence_weight.

    Sorted by priority, then weighted impact (highest first); ``rank`` counts from 1. Without
    ``evidence`` the evidence columns are 0 / NaN.

    Usage: ``cjm.opportunities(journey, ev).query("quick_win")``
    """
    if k <= 0:
        raise ValueError(f"k must be positive, got {k!r}")
    opps = list(journey.opportunities)
    n_opp = len(opps)
    evidence_n = np.zeros(n_opp, dtype=np.int64)
    n_part = np.zeros(n_opp, dtype=np.int64)
    pain_score = np.full(n_opp, np.nan)
    if evidence is not None and n_opp:
        c = counted(journey, evidence, include_interviewer=include_interviewer)
        slot_of_tp = {s["touchpoint_id"]: i for i, s in enumerate(c.slots) if s["places"]}
        for i, opp in enumerate(opps):
            slots = [slot_of_tp[t] for t in opp.touchpoints if t in slot_of_tp]
            mine = np.isin(c.slot, slots)
            pain = mine & c.pain
            evidence_n[i] = int(pain.sum())
            n_part[i] = len(pd.unique(c.participant[pain]))
            rated = mine & ~np.isnan(c.emotion)
            if rated.any():
                severity = float(np.maximum(0.0, -c.emotion[rated]).mean())
                pain_score[i] = severity * (evidence_n[i] / int(mine.sum()))
    by_id = {tp.id: tp for tp in journey.touchpoints}
    stage_of = {tp.id: st.name for st in journey.stages for tp in st.touchpoints}
    impact = np.array([o.impact for o in opps], dtype=np.int64)
    effort = np.array([o.effort for o in opps], dtype=np.int64)
    weight = evidence_n / (evidence_n + float(k))
    out = pd.DataFrame(
        {
            "opportunity_id": pd.array([o.id for o in opps], dtype="string"),
            "text": pd.array([o.text for o in opps], dtype="string"),
            "touchpoint_ids": [[t for t in o.touchpoints if t in by_id] for o in opps],
            "touchpoints": [[by_id[t].name for t in o.touchpoints if t in by_id] for o in opps],
            "stages": [
                list(dict.fromkeys(stage_of[t] for t in o.touchpoints if t in stage_of))
                for o in opps
            ],
            "impact": impact,
            "effort": effort,
            "priority": impact * (6 - effort),
            "quick_win": (impact >= 4) & (effort <= 2),
            "evidence_n": evidence_n,
            "n_participants": n_part,
            "pain_score": pain_score,
            "evidence_weight": weight,
            "weighted_impact": impact * weight,
        }
    )
    out["_pos"] = np.arange(n_opp)
    out = out.sort_values(
        ["priority", "weighted_impact", "_pos"], ascending=[False, False, True]
    ).drop(columns="_pos")
    out.insert(0, "rank", np.arange(1, n_opp + 1, dtype=np.int64))
    return out.reset_index(drop=True)[COLUMNS]
