"""The report's Themes section: each theme with its size, emotion (n, 95% CI), touchpoints and
representative quotes shown with where they come from (participant, source, document).

Usage (what :func:`cjm_widgets.export.html_report` does with ``themes=``)::

    html = themes_html(journey, ev, cjm.themes(ev), table=_table, escape=_e)

``themes`` is a :func:`cjm.themes` DataFrame (its representative quotes are shown), a
:class:`cjm.Themes` board (its first quotes in board order, pinned ones first: the
researcher's choice) or True (group the tagged quotes now). Every user text is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["themes_html"]

_QUOTES = 3
_TEXT = 400


def _groups(journey: Journey, evidence: Evidence, themes: Any) -> tuple[list[dict[str, Any]], str]:
    """(theme, size, quote ids, stats) per theme and how they were made."""
    from cjm_widgets.analysis.theme_model import Themes
    from cjm_widgets.analysis.themes import theme_stats
    from cjm_widgets.analysis.themes import themes as group

    if themes is True:
        themes = group(evidence, journey=journey)
    if isinstance(themes, Themes):
        out = []
        for t in themes.themes:
            rows = evidence.rows_of(t["ids"]) if t["ids"] else np.zeros(0, np.int64)
            stats = theme_stats(evidence, rows, journey=journey)
            out.append(
                {"name": t["name"], "size": len(t["ids"]), "quotes": t["ids"][:_QUOTES], **stats}
            )
        return out, "sorted on the affinity board by the researcher, from candidate themes"
    if isinstance(themes, pd.DataFrame):
        out = [
            {
                "name": r["name"],
                "size": int(r["size"]),
                "quotes": list(r["quote_ids"]),
                **{
                    k: r[k]
                    for k in (
                        "touchpoints",
                        "emotion_mean",
                        "emotion_n",
                        "emotion_ci_low",
                        "emotion_ci_high",
                    )
                },
            }
            for _, r in themes.iterrows()
        ]
        return out, "candidate themes found by cjm.themes, not yet reviewed on a board"
    raise TypeError(
        f"themes= must be True, a cjm.themes() DataFrame or a cjm.Themes; got "
        f"{type(themes).__name__}."
    )


def themes_html(
    journey: Journey,
    evidence: Evidence,
    themes: Any,
    *,
    table: Callable[..., str],
    escape: Callable[[Any], str],
) -> str:
    """The ``<section id="themes">`` of the report (see the module doc)."""
    groups, how = _groups(journey, evidence, themes)
    frame = evidence.frame.set_index("evidence_id")
    out = [
        '<section id="themes" class="cjm-r-section"><h2>Themes</h2>',
        f'<p class="cjm-r-note">{len(groups)} themes, {escape(how)}. Emotion: the mean of the '
        "theme's quotes that carry an emotion tag (−2…+2), with n and a 95% Student-t "
        "interval; grouping: TF-IDF of words and in-word character 4-grams, reduced by SVD "
        "and grouped by seeded k-means (see cjm.themes).</p>",
    ]
    rows = []
    for g in groups:
        n = int(g["emotion_n"])
        if n and not math.isnan(g["emotion_mean"]):
            ci = (
                f" (95% CI {g['emotion_ci_low']:+.2f} to {g['emotion_ci_high']:+.2f})"
                if n > 1
                else ""
            )
            emotion = f"{g['emotion_mean']:+.2f}{ci}, n={n}"
        else:
            emotion = "no emotion tags"
        rows.append(
            [
                escape(g["name"]),
                str(g["size"]),
                escape(emotion),
                escape(", ".join(g["touchpoints"][:3]) or "—"),
            ]
        )
    out.append(table(["Theme", "Quotes", "Mean emotion", "Touchpoints"], rows))
    for g in groups:
        items = []
        for eid in g["quotes"]:
            if eid not in frame.index:
                continue
            row = frame.loc[eid]
            text = str(row["text"])
            shown = text if len(text) <= _TEXT else text[:_TEXT] + "…"
            where = " · ".join(
                str(row[c])
                for c in ("participant", "source", "document")
                if c in row and pd.notna(row[c]) and str(row[c])
            )
            items.append(f"<li><q>{escape(shown)}</q> <small>— {escape(where)}</small></li>")
        out.append(
            f"<h3>{escape(g['name'])} <small>({g['size']} quotes)</small></h3>"
            f'<ul class="cjm-r-quotes">{"".join(items)}</ul>'
        )
    out.append("</section>")
    return "".join(out)
