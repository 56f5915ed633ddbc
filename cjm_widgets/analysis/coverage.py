"""Coverage: how much evidence, of which source and from how many people, backs each part of
the journey — and which stages have none.

Usage: ``cjm.coverage(journey, ev)``
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cjm_widgets.analysis._common import counted, distinct_count, slot_frame
from cjm_widgets.evidence.readers import SOURCES

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["SOURCES", "coverage"]


def _source_codes(ev: Evidence) -> tuple[np.ndarray, list[str]]:
    def compute() -> tuple[np.ndarray, list[str]]:
        values = ev.column("source").astype("string").fillna("other")
        extra = sorted(set(pd.unique(values).tolist()) - set(SOURCES))
        names = [*SOURCES, *extra]
        codes = pd.Categorical(values, categories=names).codes.astype(np.int64)
        return codes, names

    return ev.derived(("analysis.source",), compute)


def coverage(
    journey: Journey,
    evidence: Evidence,
    *,
    level: str = "touchpoint",
    include_interviewer: bool = False,
) -> pd.DataFrame:
    """Evidence per touchpoint (or stage) in journey order, by source, with participants.

    Columns: stage_id, stage, touchpoint_id, touchpoint, order, channel, n (tagged rows with
    an emotion, a label or a text: a survey's "not applicable" answer is not evidence),
    n_rated (with an emotion), mean (mean emotion, NaN when none), n_participants, one count
    column per source (interview, survey, review, ticket, other, then any other source),
    stage_n (rows tagged anywhere in the stage) and ``stage_without_evidence`` (stage_n == 0:
    the stage is drawn from assumptions only).

    Every stage appears: a stage without touchpoints gets one "(whole stage)" row, as does
    evidence tagged to a stage only. Interviewer turns are excluded unless
    ``include_interviewer``. ``attrs``: ``unplaced_rows`` (tagged to removed touchpoints or
    stages), ``untagged_rows`` and ``sources`` (the source columns).

    Usage: ``cjm.coverage(journey, ev).query("stage_without_evidence")``
    """
    c = counted(
        journey, evidence, level=level, include_interviewer=include_interviewer, empty_stages=True
    )
    k = len(c.slots)
    out = slot_frame(c.slots)
    channel = {tp.id: tp.channel for tp in journey.touchpoints}
    out["channel"] = pd.array(
        [
            channel.get(s["touchpoint_id"]) if isinstance(s["touchpoint_id"], str) else None
            for s in c.slots
        ],
        dtype="string",
    )
    rated = ~np.isnan(c.emotion)
    out["n"] = np.bincount(c.slot, minlength=k).astype(np.int64)
    out["n_rated"] = np.bincount(c.slot[rated], minlength=k).astype(np.int64)
    total = np.bincount(c.slot[rated], weights=c.emotion[rated], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mean"] = np.where(out["n_rated"] > 0, total / out["n_rated"], np.nan)
    out["n_participants"] = distinct_count(c.slot, c.participant, k)
    codes, names = _source_codes(evidence)
    src = codes[c.rows]
    table = np.bincount(c.slot * len(names) + src, minlength=k * len(names)).reshape(k, len(names))
    for j, name in enumerate(names):
        out[name] = table[:, j].astype(np.int64)
    stage_n = out.groupby("stage_id", sort=False)["n"].transform("sum")
    out["stage_n"] = stage_n.astype(np.int64)
    out["stage_without_evidence"] = out["stage_n"] == 0
    ta = evidence._tag_arrays()
    out.attrs["unplaced_rows"] = c.unplaced
    out.attrs["untagged_rows"] = int(((ta.touchpoint < 0) & (ta.stage < 0)).sum())
    out.attrs["sources"] = names
    return out
