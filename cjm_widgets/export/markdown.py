"""The journey map plus a findings summary from the evidence, as Markdown for a wiki.

Usage: ``Path("findings.md").write_text(cjm.export.to_markdown(journey, ev))``
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cjm_widgets.export._findings import CI_FORMULA, collect
from cjm_widgets.model.markdown import journey_markdown, md_text

if TYPE_CHECKING:
    from cjm_widgets.events import Events
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["to_markdown"]


def _num(value: Any, fmt: str = "+.2f") -> str:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if x != x else format(x, fmt)


def _place(stage: Any, touchpoint: Any) -> str:
    tp = "" if touchpoint is None or touchpoint != touchpoint else str(touchpoint)
    return f"**{md_text(tp or stage)}** ({md_text(stage)})"


def to_markdown(
    journey: Journey,
    evidence: Evidence | None = None,
    *,
    min_n: int = 5,
    pains: int = 5,
    quotes: int = 2,
    events: Events | None = None,
) -> str:
    """The map (as :meth:`Journey.to_markdown`) and, with ``evidence``, the findings: the
    lowest points of the emotion curve, the top ``pains`` pain points with up to ``quotes``
    quotes each, and the quick wins. All user text is escaped (tables cannot break, no HTML).

    With ``events`` (a mapped :class:`cjm.Events`), a Behaviour section follows: the funnel
    and the most common paths.

    Usage: ``print(cjm.export.to_markdown(journey, ev))``
    """
    text = journey_markdown(journey)
    if events is not None:
        from cjm_widgets.export.behaviour import behaviour_markdown

        text = text.rstrip() + "\n\n" + behaviour_markdown(journey, events)
    if evidence is None:
        return text
    f = collect(journey, evidence, min_n=min_n, with_coverage=False)
    out = [text.rstrip(), "", "## Findings", ""]
    low = f.lowest(3)
    out += ["### Lowest points of the emotion curve", ""]
    if len(low):
        out.append("| Touchpoint | Stage | Mean (−2..+2) | 95% CI | n |")
        out.append("| --- | --- | --- | --- | --- |")
        for r in low.itertuples(index=False):
            tp = r.touchpoint if isinstance(r.touchpoint, str) else r.stage
            weak = " (few rows)" if not r.supported else ""
            ci = f"{_num(r.ci_low)} to {_num(r.ci_high)}" if r.supported else "too few rows"
            out.append(
                f"| {md_text(tp)} | {md_text(r.stage)} | {_num(r.mean)}{weak} | "
                f"{ci} | {int(r.n):,} |"
            )
    else:
        out.append("No evidence is tagged yet.")
    out += ["", "### Top pain points", ""]
    if len(f.pains):
        for r in f.pains.head(pains).itertuples(index=False):
            out.append(
                f"{r.rank}. {_place(r.stage, r.touchpoint)}: score {_num(r.score, '.2f')} "
                f"(95% interval {_num(r.score_low, '.2f')} to {_num(r.score_high, '.2f')}), "
                f"{_num(100 * r.frequency, '.0f')}% of {int(r.n):,} rows report a pain"
            )
            for quote in list(r.quotes)[:quotes]:
                out.append(f"   > {md_text(quote)}")
    else:
        out.append("No evidence reports a pain.")
    out += ["", "### Quick wins", ""]
    wins = f.quick_wins()
    if len(wins):
        for r in wins.itertuples(index=False):
            where = f" — {md_text(', '.join(r.touchpoints))}" if len(r.touchpoints) else ""
            out.append(
                f"- {md_text(r.text)} (impact {r.impact}, effort {r.effort}, "
                f"{int(r.evidence_n):,} pain rows){where}"
            )
    else:
        out.append("No quick wins (impact ≥ 4 and effort ≤ 2) yet.")
    out += [
        "",
        f"_Emotion −2..+2 from {len(evidence):,} evidence rows; 95% CI = {CI_FORMULA}; "
        f"points with fewer than {min_n} rows are marked “few rows”._",
    ]
    return "\n".join(out) + "\n"
