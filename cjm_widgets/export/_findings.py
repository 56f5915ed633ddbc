"""What every export reports, computed once: curve, pain points, opportunities, coverage,
comparison, and the method facts (sources, scales, missing codes) from the evidence meta."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjm_widgets.errors import EvidenceError

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["CI_FORMULA", "PAIN_RANKING", "Findings", "collect", "method_facts"]

CI_FORMULA = (
    "mean ± t(0.975, n − 1) · sd / √n (Student t, sd with n − 1), cut to the scale −2 … +2 "
    "(a mean of values on the scale cannot leave it, so the cut interval loses no coverage)"
)
PAIN_FORMULA = (
    "score = severity × frequency; frequency = share of the evidence with emotion < 0 or the "
    "“pain point” label; severity = mean of max(0, −emotion) over the rated rows (0 … 2)"
)
PAIN_RANKING = (
    "Pain points are ranked by the lower end of a 95% interval of the score, so that a "
    "touchpoint with a few rows does not outrank one with many on chance alone: frequency and "
    "severity ÷ 2 each get a 97.5% Wilson score interval (over all rows and over the rated "
    "rows; a mean of values in 0 … 1 has at most the variance of a yes/no share, so Wilson "
    "holds for it too), and the score's interval is the product of their ends (both hold "
    "together with at least 95% confidence)"
)
PRIORITY_FORMULA = "priority = impact × (6 − effort); quick win = impact ≥ 4 and effort ≤ 2"


@dataclass
class Findings:
    """The analysis frames behind an export (see :func:`collect`)."""

    journey: Journey
    evidence: Evidence
    by: Any
    min_n: int
    overall: pd.DataFrame
    curve: pd.DataFrame
    pains: pd.DataFrame
    opportunities: pd.DataFrame
    coverage: pd.DataFrame | None
    compare: pd.DataFrame | None
    compare_note: str = ""
    notes: list[str] = field(default_factory=list)

    def _rated(self) -> pd.DataFrame:
        """Points with evidence; supported ones only when there are any (n ≥ min_n)."""
        rated = self.overall[self.overall["n"] > 0]
        supported = rated[rated["supported"].astype(bool)]
        return supported if len(supported) else rated

    def lowest(self, k: int = 3) -> pd.DataFrame:
        """The ``k`` lowest points of the overall curve (most negative first), among the
        supported points when there are any."""
        return self._rated().sort_values(["mean", "order"]).head(k)

    def highest(self, k: int = 1) -> pd.DataFrame:
        """The ``k`` highest points of the overall curve, among the supported ones if any."""
        return self._rated().sort_values(["mean", "order"], ascending=[False, True]).head(k)

    def unsupported(self) -> pd.DataFrame:
        """Curve points with some evidence but fewer than ``min_n`` rows (by series)."""
        frame = self.curve if self.by is not None else self.overall
        return frame[(frame["n"] > 0) & ~frame["supported"].astype(bool)]

    def assumptions(self) -> list[tuple[str, str]]:
        """(stage, touchpoint) of touchpoints with no rated evidence at all: assumptions."""
        rows = self.overall[(self.overall["n"] == 0) & self.overall["touchpoint_id"].notna()]
        return [(str(s), str(t)) for s, t in zip(rows["stage"], rows["touchpoint"], strict=True)]

    def quick_wins(self) -> pd.DataFrame:
        """The opportunities that are quick wins (impact ≥ 4, effort ≤ 2), by priority."""
        return self.opportunities[self.opportunities["quick_win"].astype(bool)]

    def quote_participants(self, ids: list[str]) -> list[str]:
        """The participant of each evidence id (\"\" when unknown)."""
        if not ids:
            return []
        rows = self.evidence.rows_of(ids)
        part = self.evidence.column("participant")
        return ["" if r < 0 else str(part.iat[int(r)]) for r in rows]

    def quote_sources(self, ids: list[str]) -> list[str]:
        """The source of each evidence id (review, interview …; "" when unknown)."""
        if not ids:
            return []
        rows = self.evidence.rows_of(ids)
        source = self.evidence.column("source")
        return ["" if r < 0 else str(source.iat[int(r)]) for r in rows]


#: Columns every evidence table has that also make series (one per interview, person …).
_SERIES_COLUMNS = ("document", "participant", "source")


def _check_by(evidence: Evidence, journey: Journey, by: Any) -> None:
    """Accept what ``emotion_curve(by=...)`` accepts: a persona or any evidence column (a
    segment, ``document``, ``participant``, ``source`` …); else say what there is."""
    if by is None:
        return
    from cjm_widgets.analysis.curve import resolve_persona

    if resolve_persona(journey, by) is not None:
        return
    if isinstance(by, str):
        try:
            evidence.column(by)  # the lookup emotion_curve makes
            return
        except EvidenceError:
            pass
    personas = [p.name for p in journey.personas]
    raise EvidenceError(
        f"by={by!r} is neither an evidence column nor a persona. Segment columns: "
        f"{', '.join(map(repr, evidence.segments)) or 'none'}; also "
        f"{', '.join(map(repr, _SERIES_COLUMNS))}"
        + (f"; personas: {', '.join(map(repr, personas))}" if personas else "")
        + "."
    )


def collect(
    journey: Journey,
    evidence: Evidence,
    *,
    by: Any = None,
    min_n: int = 5,
    with_coverage: bool = True,
) -> Findings:
    """Compute the analyses an export shows (each once).

    Usage: ``f = collect(journey, ev, by="Class"); f.lowest()``
    """
    from cjm_widgets.analysis import compare, coverage, emotion_curve, opportunities, pain_points
    from cjm_widgets.evidence import Evidence

    if not isinstance(evidence, Evidence):
        raise EvidenceError(
            f"The export needs a cjm.Evidence as evidence, got {type(evidence).__name__}."
        )
    _check_by(evidence, journey, by)
    overall = emotion_curve(journey, evidence, min_n=min_n)
    curve = emotion_curve(journey, evidence, by=by, min_n=min_n) if by is not None else overall
    pains = pain_points(journey, evidence, min_n=min_n)
    opps = opportunities(journey, evidence)
    cov = coverage(journey, evidence) if with_coverage else None
    cmp, note = None, ""
    if by is not None:
        column = by if isinstance(by, str) and by in evidence.segments else None
        groups = _groups(journey, evidence, column)
        if len(groups) == 2:
            cmp = compare(journey, evidence, by=column, a=groups[0], b=groups[1], min_n=min_n)
        else:
            note = _no_comparison(column, groups)
    return Findings(journey, evidence, by, min_n, overall, curve, pains, opps, cov, cmp, note)


def _groups(journey: Journey, evidence: Evidence, column: str | None) -> list[str]:
    """The groups a comparison could set side by side: the values of ``column`` (rows without
    a value are no group), or the journey's personas."""
    if column is None:
        return [p.name for p in journey.personas]
    from cjm_widgets.analysis.curve import series_codes

    return list(series_codes(journey, evidence, column, False)[1])


def _no_comparison(column: str | None, groups: list[str]) -> str:
    """Why the report has no comparison section, in the reader's words."""
    what = f"“{column}”" if column is not None else "the journey's personas"
    if not groups:
        return f"No comparison of two groups: {what} has no groups in the evidence."
    shown = ", ".join(groups[:6]) + (f" and {len(groups) - 6} more" if len(groups) > 6 else "")
    kind = "value" if column is not None else "persona"
    count = f"{len(groups)} {kind}{'s' if len(groups) != 1 else ''}"
    return (
        f"No comparison of two groups: {what} has {count} ({shown}), and the comparison "
        "section sets exactly two side by side."
    )


def _walk_meta(meta: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    out = [meta]
    for part in meta.get("parts") or ():
        if isinstance(part, Mapping):
            out.extend(_walk_meta(part))
    return out


def _num(value: Any) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def method_facts(evidence: Evidence) -> dict[str, Any]:
    """Sources (rows, tagged, rated, participants), files (names only), scales and missing
    codes per item (grouped when items share them), invalid values, reader warnings.

    "Tagged" counts the rows tagged to the journey that say something (an emotion, a label or
    a text; :attr:`Evidence.evidence_mask`); ``empty_answers`` counts the rows tagged on
    import that say nothing (a blank or "not applicable" rating), which are not counted.

    Usage: ``method_facts(ev)["scales"]``
    """
    from cjm_widgets.analysis.curve import interviewer_rows, participant_codes

    ta = evidence._tag_arrays()
    # integer codes throughout (cached per store): a 1.5M-row survey takes milliseconds
    source = evidence.column("source")
    if isinstance(source.dtype, pd.CategoricalDtype):
        src_codes = source.cat.codes.to_numpy()
        src_names = list(source.cat.categories)
    else:
        src_codes, src_names = pd.factorize(source.astype(object), sort=False)
    k = len(src_names)
    part = participant_codes(evidence)
    placed = (ta.touchpoint >= 0) | (ta.stage >= 0)
    tagged = evidence.evidence_mask  # placed and saying something: not a blank rating
    rated = ~np.isnan(ta.emotion)
    known = src_codes >= 0
    src, part_k = src_codes[known].astype(np.int64), part[known]
    width = int(part_k.max()) + 1 if len(part_k) else 1
    named = part_k >= 0  # a row without a participant is nobody
    pairs = np.unique(src[named] * width + part_k[named])
    sources = pd.DataFrame(
        {
            "source": [str(s) for s in src_names],
            "rows": np.bincount(src, minlength=k),
            "tagged": np.bincount(src, weights=tagged[known], minlength=k).astype(np.int64),
            "with emotion": np.bincount(src, weights=rated[known], minlength=k).astype(np.int64),
            "participants": np.bincount(pairs // width, minlength=k),
            "interviewer turns": np.bincount(
                src, weights=interviewer_rows(evidence)[known], minlength=k
            ).astype(np.int64),
        }
    )
    sources = sources[sources["rows"] > 0].reset_index(drop=True)
    metas = _walk_meta(evidence.meta or {})
    files: list[str] = []
    readers: list[str] = []
    warnings: list[str] = []
    scale_groups: dict[tuple[str, str], list[str]] = {}
    invalid = 0
    for meta in metas:
        reader = meta.get("reader")
        if isinstance(reader, str) and reader != "concat" and reader not in readers:
            readers.append(reader)
        if meta.get("reader") == "concat":
            continue
        for f in meta.get("files") or ():
            name = PurePath(str(f)).name
            if name not in files:
                files.append(name)
        warnings.extend(str(w) for w in meta.get("warnings") or ())
        scales = meta.get("scales") or {}
        missing = meta.get("missing_codes") or {}
        for item, scale in scales.items():
            lo, hi = (float(scale[0]), float(scale[1]))
            codes = missing.get(item) or ()
            key = (
                f"{_num(lo)}–{_num(hi)}",
                ", ".join(_num(c) if isinstance(c, int | float) else str(c) for c in codes),
            )
            scale_groups.setdefault(key, []).append(str(item))
        inv = meta.get("invalid") or {}
        invalid += int(inv.get("count", 0) or 0)
    scales_out = []
    for (scale, missing), items in scale_groups.items():
        low, high = scale.split("–")
        scales_out.append(
            {
                "items": items,
                "scale": scale,
                "mapping": f"emotion = −2 + 4 · (rating − {low}) / ({high} − {low})",
                "missing": missing,
            }
        )
    coders = list(getattr(evidence, "coders", []) or [])
    return {
        "n_rows": len(evidence),
        "n_tagged": int(tagged.sum()),
        "empty_answers": int((placed & ~tagged).sum()),
        "sources": sources,
        "files": files,
        "readers": readers,
        "scales": scales_out,
        "invalid": invalid,
        "warnings": warnings,
        "coders": coders,
    }
