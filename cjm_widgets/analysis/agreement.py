"""Inter-coder agreement on the touchpoint and emotion codes: Cohen's κ and Krippendorff's α.

Usage: ``cjm.agreement(ev, coders=("anna", "ben"))``

Codings come from ``ev.codings`` (one row per evidence id and coder: that coder's own latest
coding; tags without a coder and import pre-tags are not codings).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.errors import EvidenceError

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence

__all__ = ["agreement", "cohen_kappa", "krippendorff_alpha"]

COLUMNS = [
    "field",
    "level",
    "coders",
    "n_units",
    "percent_agreement",
    "cohen_kappa",
    "krippendorff_alpha",
    "statistic",
    "value",
]


def cohen_kappa(x: Sequence[Any], y: Sequence[Any]) -> float:
    """Cohen's κ = (p_o − p_e) / (1 − p_e) of two coders' nominal codes.

    Units where either code is missing (None/NaN) are left out. p_o is the share of equal
    codes, p_e = Σ_c p_x(c)·p_y(c) the agreement expected from each coder's own frequencies.
    NaN when no unit is left or p_e = 1 (both coders used one and the same code throughout).
    """
    pairs = [(a, b) for a, b in zip(x, y, strict=True) if not _missing(a) and not _missing(b)]
    if not pairs:
        return float("nan")
    codes, _ = pd.factorize(pd.Series([v for p in pairs for v in p], dtype=object))
    cx, cy = codes[0::2], codes[1::2]
    n, k = len(pairs), int(codes.max()) + 1
    p_o = float(np.mean(cx == cy))
    p_e = float(np.dot(np.bincount(cx, minlength=k) / n, np.bincount(cy, minlength=k) / n))
    if p_e >= 1.0:
        return float("nan")
    return (p_o - p_e) / (1.0 - p_e)


def krippendorff_alpha(data: Any, level: str = "nominal") -> float:
    """Krippendorff's α of a coders × units table (missing = None/NaN), ``level`` "nominal"
    or "interval".

    α = 1 − D_o / D_e with the coincidence matrix o_ck = Σ_u (pairs of values c, k within
    unit u) / (m_u − 1) over units with m_u ≥ 2 values; n_c = Σ_k o_ck, n = Σ_c n_c;
    D_o = Σ o_ck·δ²_ck, D_e = Σ n_c·n_k·δ²_ck / (n − 1); δ² = [c ≠ k] (nominal) or
    (c − k)² (interval). NaN when there is nothing to compare or no variation at all.
    """
    if level not in ("nominal", "interval"):
        raise ValueError(f"level must be 'nominal' or 'interval', not {level!r}")
    table = pd.DataFrame(data).T  # units × coders
    flat = table.stack(future_stack=True)
    flat = flat[[not _missing(v) for v in flat]]
    if flat.empty:
        return float("nan")
    unit = pd.factorize(flat.index.get_level_values(0))[0]
    codes, cats = pd.factorize(flat.to_numpy(dtype=object))
    n_units, n_cats = int(unit.max()) + 1, len(cats)
    counts = np.zeros((n_units, n_cats))
    np.add.at(counts, (unit, codes), 1.0)
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m = counts[pairable], m[pairable]
    if not len(m):
        return float("nan")
    w = 1.0 / (m - 1.0)
    o = (counts * w[:, None]).T @ counts - np.diag((counts * w[:, None]).sum(axis=0))
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if level == "nominal":
        delta = 1.0 - np.eye(n_cats)
    else:
        values = np.asarray(cats, dtype=np.float64)
        delta = (values[:, None] - values[None, :]) ** 2
    d_o = float((o * delta).sum())
    d_e = float((np.outer(n_c, n_c) * delta).sum() / (n - 1.0))
    if d_e == 0:
        return float("nan")
    return 1.0 - d_o / d_e


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(np.isnan(value))
    except (TypeError, ValueError):
        return False


def _field_values(codings: pd.DataFrame, field: str) -> tuple[pd.Series, str]:
    if field == "touchpoint":
        tp = codings["touchpoint_id"].astype(object)
        st = codings["stage_id"].astype(object)
        place = [
            t if not _missing(t) else (f"stage:{s}" if not _missing(s) else None)
            for t, s in zip(tp, st, strict=True)
        ]
        return pd.Series(place, index=codings.index, dtype=object), "nominal"
    if field == "stage":
        return codings["stage_id"].astype(object).where(codings["stage_id"].notna(), None), (
            "nominal"
        )
    if field == "emotion":
        return codings["emotion"].astype(np.float64), "interval"
    # any other name: a label, coded as present / absent by each coder
    key = field.casefold()
    has = [any(str(x).casefold() == key for x in (labels or ())) for labels in codings["labels"]]
    return pd.Series(has, index=codings.index, dtype=object), "nominal"


def agreement(
    evidence: Evidence,
    *,
    coders: Sequence[str] | None = None,
    fields: Sequence[str] = ("touchpoint", "emotion"),
) -> pd.DataFrame:
    """Agreement of ``coders`` (default: every person who coded; a model whose suggestions
    were accepted, coder ``"model:…"``, only when named) on the evidence all of them coded.

    One row per field: ``touchpoint`` (nominal: the touchpoint id, or the stage for a
    stage-only code), ``emotion`` (interval), ``stage`` (nominal) or a label name such as
    "pain point" (nominal: present or not). Columns: field, level, coders, n_units (units
    with at least two codes of the field), percent_agreement (share of those units where all
    codes are equal), cohen_kappa (two coders only; units both coded, the codes as nominal
    categories), krippendorff_alpha (any number of coders; missing codes allowed), statistic
    and value: κ for two coders, α for more.

    Usage: ``cjm.agreement(ev, coders=("anna", "ben", "chen"))``
    """
    if isinstance(coders, str):
        raise EvidenceError("coders must be a list of at least two coder names, not one name.")
    codings = evidence.codings
    known = list(dict.fromkeys(codings["coder"].dropna().astype(str)))
    people = [c for c in known if not c.startswith("model:")]  # accepted suggestions' models
    names = list(people if coders is None else coders)
    unknown = [c for c in names if c not in known]
    if unknown:
        raise EvidenceError(
            f"No codings by {', '.join(map(repr, unknown))}. Coders: "
            f"{', '.join(map(repr, known)) or 'none (tag with coder=...)'}."
        )
    if len(set(names)) < 2:
        raise EvidenceError(
            f"Agreement needs at least two coders; got {names!r} (coders: {known!r})."
        )
    mine = codings[codings["coder"].isin(names)]
    per_unit = mine.groupby("evidence_id", sort=False)["coder"].nunique()
    units = per_unit.index[per_unit == len(set(names))]
    mine = mine[mine["evidence_id"].isin(units)]
    records = []
    for field in fields:
        values, level = _field_values(mine, field)
        table = (
            pd.DataFrame({"u": mine["evidence_id"], "c": mine["coder"], "v": values})
            .pivot(index="c", columns="u", values="v")
            .reindex(names)
        )
        rows = [list(table.loc[c]) for c in names]
        present = [[v for v in col if not _missing(v)] for col in zip(*rows, strict=True)]
        pairable = [p for p in present if len(p) >= 2]
        agree = float(np.mean([len(set(p)) == 1 for p in pairable])) if pairable else np.nan
        kappa = cohen_kappa(rows[0], rows[1]) if len(names) == 2 else float("nan")
        alpha = krippendorff_alpha(rows, level) if rows and rows[0] else float("nan")
        two = len(names) == 2
        records.append(
            {
                "field": field,
                "level": level,
                "coders": tuple(names),
                "n_units": len(pairable),
                "percent_agreement": agree,
                "cohen_kappa": kappa,
                "krippendorff_alpha": alpha,
                "statistic": "cohen_kappa" if two else "krippendorff_alpha",
                "value": kappa if two else alpha,
            }
        )
    return pd.DataFrame(records, columns=COLUMNS)
