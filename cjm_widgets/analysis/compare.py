"""Compare two segments or waves per touchpoint: difference of mean emotion, Welch's t-test,
Hedges' g and the CI of the difference.

Usage: ``cjm.compare(journey, ev, by="wave", a="2025", b="2026")``
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.analysis._common import counted, group_mask, slot_frame
from cjm_widgets.analysis._stats import moments, value_codes, welch
from cjm_widgets.analysis.curve import MISSING, SCALE, histogram, series_codes
from cjm_widgets.errors import EvidenceError

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["compare"]


def _label(value: Any) -> str:
    name = getattr(value, "name", None)
    if isinstance(name, str):
        return name
    if isinstance(value, (list, tuple, set, frozenset)):
        return " + ".join(map(str, value))
    return str(value)


def _default_groups(
    journey: Journey, evidence: Evidence, by: str | None, a: Any, b: Any
) -> tuple[Any, Any]:
    """Fill in ``a``/``b`` when the choice is unambiguous: a column (or the journey's personas)
    with exactly two groups, in their order of appearance. Otherwise say what to pass."""
    if by is None:
        names = [p.name for p in journey.personas]
    else:
        names = [n for n in series_codes(journey, evidence, by, False)[1] if n != MISSING]
    rest = [n for n in names if n not in (a, b)]
    if a is None and b is None and len(names) == 2:
        return names[0], names[1]
    if (a is None) != (b is None) and len(rest) == 1:
        return (rest[0], b) if a is None else (a, rest[0])
    what = f"values of {by!r}" if by is not None else "personas"
    shown = ", ".join(map(repr, names[:10])) or "none"
    raise EvidenceError(
        f"compare() needs the two groups to compare: pass a=... and b=... ({what}: {shown})."
    )


def compare(
    journey: Journey,
    evidence: Evidence,
    *,
    by: str | None = None,
    a: Any = None,
    b: Any = None,
    level: str = "touchpoint",
    min_n: int = 5,
    include_interviewer: bool = False,
) -> pd.DataFrame:
    """Per touchpoint (or stage): group ``b`` against group ``a``.

    Groups: the rows whose column ``by`` equals ``a`` (or ``b``) — a value or a list of values,
    None or "not given" for the rows without a value — or, with ``by=None``, two personas
    (objects, names or ids; their segment filters). Only rows with an emotion count;
    interviewer turns are excluded unless ``include_interviewer``.

    - ``n_a, mean_a, sd_a`` / ``n_b, mean_b, sd_b``: count, mean and sample sd (ddof=1).
    - ``diff`` = mean_b − mean_a (positive: b feels better).
    - Welch's t-test (unequal variances): se = √(sd_a²/n_a + sd_b²/n_b), ``t`` = diff / se,
      ``df`` by Welch–Satterthwaite = se⁴ / ((sd_a²/n_a)²/(n_a−1) + (sd_b²/n_b)²/(n_b−1)),
      ``p`` two-sided (``scipy.stats.ttest_ind_from_stats(equal_var=False)``, the same as
      ``ttest_ind(b_values, a_values, equal_var=False)``).
    - ``ci_low, ci_high`` = diff ± t.ppf(0.975, df)·se (95% CI of the difference), cut to
      −4…+4 (two means on the −2…+2 scale cannot differ by more), and NaN unless
      ``supported``: too few rows to estimate an interval, so none is drawn or quoted.
    - ``hedges_g`` = diff / s_pooled × (1 − 3 / (4(n_a + n_b) − 9)), s_pooled =
      √(((n_a−1)sd_a² + (n_b−1)sd_b²) / (n_a + n_b − 2)).
    - ``supported`` = n_a ≥ ``min_n`` and n_b ≥ ``min_n``.

    Statistics that need two rows per group (or any spread) are NaN otherwise.

    With exactly two groups in ``by`` (or two personas) ``a`` and ``b`` may be left out: they
    are the two groups in order of appearance.

    Usage: ``cjm.compare(journey, ev, by="household", a="Single", b="Family")``
    """
    if a is None or b is None:
        a, b = _default_groups(journey, evidence, by, a, b)
    mask_a = group_mask(journey, evidence, by, a)
    mask_b = group_mask(journey, evidence, by, b)
    ta = evidence._tag_arrays()
    rated = ~np.isnan(ta.emotion)
    c = counted(journey, evidence, level=level, include_interviewer=include_interviewer)
    k = len(c.slots)
    keep = rated[c.rows]
    rows, slot = c.rows[keep], c.slot[keep]
    code, table = value_codes(ta.emotion[rows])
    in_a, in_b = mask_a[rows], mask_b[rows]
    cells = np.concatenate([slot[in_a] * 2, slot[in_b] * 2 + 1])
    codes = np.concatenate([code[in_a], code[in_b]])
    # value histogram per (slot, group) first: a few entries instead of one per row
    zero = np.zeros(len(cells), np.int64)
    hp, _, hc, counts = histogram(cells, zero, codes, 1, max(len(table), 1))
    stat = moments(hp, hc, counts, table, 2 * k)
    n_a, n_b = stat["n"][0::2], stat["n"][1::2]
    m_a, m_b = stat["mean"][0::2], stat["mean"][1::2]
    s_a, s_b = stat["sd"][0::2], stat["sd"][1::2]
    stats_ = welch(n_a, m_a, s_a, n_b, m_b, s_b, min_n=min_n, span=SCALE[1] - SCALE[0])
    out = slot_frame(c.slots)
    for column in stats_.columns:
        out[column] = stats_[column].to_numpy()
    out.attrs.update({"by": by, "a": _label(a), "b": _label(b), "unplaced_rows": c.unplaced})
    return out
