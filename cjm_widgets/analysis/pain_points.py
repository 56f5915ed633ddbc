"""Pain points: touchpoints ranked by how bad and how common the bad experiences are.

Usage: ``cjm.pain_points(journey, ev)``
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import special

from cjm_widgets.analysis._common import SLOT_COLUMNS, counted, distinct_count, slot_frame
from cjm_widgets.analysis._common import has_text as text_rows

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["pain_points", "quote_picks", "wilson_interval"]

#: Each factor of the score gets a two-sided interval at this level, so that both hold
#: together with at least 95% confidence (Bonferroni: 1 − 2 × 2.5%).
FACTOR_LEVEL = 0.975

COLUMNS = [
    "rank",
    *SLOT_COLUMNS,
    "n",
    "n_rated",
    "n_pain",
    "n_participants",
    "frequency",
    "severity",
    "score",
    "score_low",
    "score_high",
    "supported",
    "quotes",
    "quote_ids",
]


def quote_picks(
    ev: Evidence,
    group: np.ndarray,
    rows: np.ndarray,
    emotion: np.ndarray,
    participant: np.ndarray,
    n_groups: int,
    k: int = 3,
) -> list[list[int]]:
    """Per group, up to ``k`` store rows with text: most negative emotion first (unrated
    rows after rated ones, then store order), at most one per participant."""
    has_text = text_rows(ev)[rows]
    idx = np.flatnonzero(has_text)
    picks: list[list[int]] = [[] for _ in range(n_groups)]
    if not len(idx) or not k:
        return picks
    em = np.where(np.isnan(emotion[idx]), np.inf, emotion[idx])
    order = idx[np.lexsort((rows[idx], em, group[idx]))]
    frame = pd.DataFrame({"g": group[order], "p": participant[order], "row": rows[order]})
    frame = frame.drop_duplicates(["g", "p"])
    frame = frame[frame.groupby("g", sort=False).cumcount() < k]
    for g, row in zip(frame["g"].tolist(), frame["row"].tolist(), strict=True):
        picks[g].append(row)
    return picks


def wilson_interval(
    share: np.ndarray, n: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a share (a proportion, or the mean of values in 0…1) over
    ``n`` rows; NaN where n = 0.

    For values in 0…1 with mean μ the variance is at most μ(1 − μ), the variance of a 0/1
    value, so the interval also holds (conservatively) for a bounded mean such as the severity.

    Usage: ``low, high = wilson_interval(np.array([0.5]), np.array([40]))``
    """
    p = np.asarray(share, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    z = special.ndtri(0.5 + level / 2)  # = scipy.stats.norm.ppf
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = 1.0 + z * z / n
        centre = (p + z * z / (2.0 * n)) / denom
        half = z * np.sqrt(np.maximum(p * (1.0 - p), 0.0) / n + z * z / (4.0 * n * n)) / denom
        ok = n > 0
        low = np.where(ok, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(ok, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def pain_points(
    journey: Journey,
    evidence: Evidence,
    *,
    min_n: int = 5,
    quotes: int = 3,
    include_interviewer: bool = False,
    all_touchpoints: bool = False,
) -> pd.DataFrame:
    """Touchpoints ranked by the lower end of the 95% interval of the pain score
    (severity × frequency), so that a few rows never outrank many on noise.

    Over the evidence tagged to each touchpoint (interviewer turns excluded unless
    ``include_interviewer``; evidence tagged to a stage only forms a "(whole stage)" row):

    - ``n``: tagged rows with an emotion, a label or a text (a survey's "not applicable"
      answer is not evidence); ``n_rated``: rows with an emotion;
      ``n_pain``: rows with emotion < 0 **or** the "pain point" label.
    - ``frequency`` = n_pain / n (share of the evidence that reports a pain).
    - ``severity`` = mean of max(0, −emotion) over the rated rows (0 … 2; NaN when none is
      rated): how bad it is, with positive and neutral ratings counting as 0.
    - ``score`` = severity × frequency (0 … 2; NaN when severity is NaN).
    - ``score_low``, ``score_high``: a 95% interval of the score. Each factor gets a Wilson
      score interval at 97.5% — frequency over the n rows, severity / 2 (a mean of values in
      0…1, whose variance is at most that of a 0/1 value, so Wilson holds) over the n_rated
      rows — and the score's interval is the product of their ends; both factors hold
      together with ≥ 95% confidence (Bonferroni). 8 rows all at −2 (score 2) give 0.75 … 2,
      686 rows with frequency 0.71 and severity 1.30 (score 0.92) give 0.81 … 1.03: the
      686 rank first.
    - ``supported`` = n ≥ ``min_n``.
    - ``quotes`` / ``quote_ids``: up to ``quotes`` texts of pain rows, most negative first,
      each from a different participant (unrated pain-labelled rows after rated ones).

    Rows are sorted by ``score_low`` (highest first, NaN last: the pain we are 95% sure is at
    least this bad), then score, then n_pain; ``rank`` counts from 1.
    Only touchpoints with at least one pain row are listed unless ``all_touchpoints``.

    Usage: ``cjm.pain_points(journey, ev).head(5)``
    """
    c = counted(journey, evidence, include_interviewer=include_interviewer)
    k = len(c.slots)
    rated = ~np.isnan(c.emotion)
    n = np.bincount(c.slot, minlength=k).astype(np.int64)
    n_rated = np.bincount(c.slot[rated], minlength=k).astype(np.int64)
    n_pain = np.bincount(c.slot[c.pain], minlength=k).astype(np.int64)
    hurt = np.bincount(c.slot[rated], weights=np.maximum(0.0, -c.emotion[rated]), minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        severity = np.where(n_rated > 0, hurt / n_rated, np.nan)
        frequency = np.where(n > 0, n_pain / n, np.nan)
    out = slot_frame(c.slots)
    out["n"] = n
    out["n_rated"] = n_rated
    out["n_pain"] = n_pain
    out["n_participants"] = distinct_count(c.slot, c.participant, k)
    out["frequency"] = frequency
    out["severity"] = severity
    out["score"] = severity * frequency
    f_low, f_high = wilson_interval(frequency, n, FACTOR_LEVEL)
    s_low, s_high = wilson_interval(severity / 2.0, n_rated, FACTOR_LEVEL)
    out["score_low"] = f_low * 2.0 * s_low
    out["score_high"] = f_high * 2.0 * s_high
    out["supported"] = n >= min_n
    pain = np.flatnonzero(c.pain)
    picks = quote_picks(
        evidence, c.slot[pain], c.rows[pain], c.emotion[pain], c.participant[pain], k, quotes
    )
    text = evidence.column("text")
    ids = evidence.column("evidence_id")
    out["quotes"] = [[str(text.iat[r]) for r in p] for p in picks]
    out["quote_ids"] = [[str(ids.iat[r]) for r in p] for p in picks]
    if not all_touchpoints:
        out = out[out["n_pain"] > 0]
    out = out.sort_values(
        ["score_low", "score", "n_pain", "order"],
        ascending=[False, False, False, True],
        na_position="last",
    )
    out.insert(0, "rank", np.arange(1, len(out) + 1, dtype=np.int64))
    out = out.reset_index(drop=True)[COLUMNS]
    out.attrs["unplaced_rows"] = c.unplaced
    return out
