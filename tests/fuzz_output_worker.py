"""Run in a subprocess by test_fuzz_output.py: sends hostile text through every output.

``python fuzz_output_worker.py CORPUS.json EXAMPLES OUTDIR`` reads a JSON list of groups of
strings (lone surrogates survive JSON), runs :func:`through_everything` on each group, then
``EXAMPLES`` more groups drawn by hypothesis. It prints ``CASE <json>`` before each group (so a
process abort names its input) and ``DONE <n>`` at the end. An exception other than the
documented refusals propagates (exit code 1); an abort of vl-convert shows as exit code 134.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import cjm_widgets as cjm
from cjm_widgets.charts import (
    channel_matrix_chart,
    compare_chart,
    coverage_chart,
    emotion_curve_chart,
    opportunity_matrix_chart,
    to_png,
    to_svg,
)
from cjm_widgets.errors import JourneyError
from cjm_widgets.evidence import Evidence

#: What may be refused, and how: the journey's setters refuse control characters, lone
#: surrogates and U+FFFE/U+FFFF naming "U+…", names over 500 characters, blank names and a
#: name that, spaces folded, another stage already has.
REFUSALS = ("U+", "characters long", "is empty", "already")


def _setters(text: str) -> list[str]:
    """Every journey setter with ``text``: accepted, or refused with a documented message."""
    outcomes = []
    j = cjm.datasets.grocery_journey()
    edits = [
        lambda: j.add_stage(text),
        lambda: j.rename_stage(j.stages[0], text),
        lambda: j.add_touchpoint(j.stages[0], text),
        lambda: j.rename_touchpoint(j.touchpoints[0], text),
        lambda: j.update_touchpoint(j.touchpoints[0], description=text, owner=text),
        lambda: j.add_lane(text),
        lambda: j.add_persona(text, description=text, goals=[text]),
        lambda: j.add_opportunity(text, impact=4, effort=2, notes=text),
        lambda: j.update(title=text, scope=text),
        lambda: j.set_lane(j.stages[0], "actions", [text]),
    ]
    for edit in edits:
        before = j.to_dict()
        try:
            edit()
            outcomes.append("ok")
        except JourneyError as err:
            message = str(err)
            if not any(r in message for r in REFUSALS):
                raise AssertionError(f"undocumented refusal: {message}") from err
            if j.to_dict() != before:
                raise AssertionError("a refused edit changed the journey") from err
            outcomes.append("refused")
    return outcomes


def _storable(text: str) -> str:
    """``text`` as a pandas string column can hold it (it cannot hold a lone surrogate, and
    says so itself on construction); everything else is kept."""
    return "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)


def _journey(group: list[str]) -> cjm.Journey:
    """The demo journey plus a stage, touchpoints and an opportunity named from ``group``
    where the journey accepts the names (the accepted ones are the hostile survivors)."""
    j = cjm.datasets.grocery_journey()
    stage = j.add_stage("Fuzz")
    made = []
    for i, text in enumerate(group):
        try:
            made.append(j.add_touchpoint(stage, f"{text[:400]} {i}", channel="web"))
        except JourneyError:
            continue
    try:
        j.add_opportunity(group[0][:400] or "x", touchpoints=[t.id for t in made], impact=5)
    except JourneyError:
        j.add_opportunity("Fallback", impact=5, effort=1)
    return j


def _evidence(group: list[str], j: cjm.Journey) -> Evidence:
    n = 8 * len(group)
    values = [_storable(t) for t in group]
    frame = pd.DataFrame(
        {
            "evidence_id": [f"e{i}" for i in range(n)],
            "source": "interview",
            "document": [values[i % len(values)] or "d" for i in range(n)],
            "participant": [f"P{i % 5}{values[i % len(values)]}" for i in range(n)],
            "position": np.arange(n),
            "text": [f"Quote {i}: {values[i % len(values)]}" for i in range(n)],
            "rating": np.nan,
            "seg": [values[i % len(values)] for i in range(n)],
            "pair": [f"v{values[0]}" if i % 2 else "other" for i in range(n)],
        }
    )
    ev = Evidence(frame)
    tps = [tp.id for tp in j.touchpoints]
    for i in range(n):
        ev.tag([f"e{i}"], journey=j, touchpoint=tps[i % len(tps)], emotion=(i % 5) - 2,
               labels=["pain point", f"L{values[i % len(values)]}"])  # fmt: skip
    return ev


def _curve_frame(group: list[str]) -> pd.DataFrame:
    """An emotion_curve frame whose names are the raw strings (object columns hold anything,
    lone surrogates too): what a caller may hand a chart builder directly."""
    rows = []
    for i, text in enumerate(group):
        for k, series in enumerate((text, f"{text}!")):
            rows.append(
                {
                    "stage_id": f"s{i}",
                    "stage": text,
                    "touchpoint_id": f"t{i}",
                    "touchpoint": text,
                    "order": i,
                    "series": series,
                    "n": 9,
                    "mean": -1.5 + k,
                    "sd": 0.5,
                    "ci_low": -1.9 + k,
                    "ci_high": -1.1 + k,
                    "n_participants": 4,
                    "supported": True,
                }
            )
    text = {"stage_id", "stage", "touchpoint_id", "touchpoint", "series"}
    return pd.DataFrame(
        {k: pd.Series([r[k] for r in rows], dtype=object if k in text else None) for k in rows[0]}
    )


def through_everything(group: list[str], out: Path) -> None:
    """Every setter, chart builder + to_svg, the report, Markdown, Mermaid and Excel."""
    for text in group:
        _setters(text)
    frame = _curve_frame(group)
    svg = to_svg(emotion_curve_chart(frame))
    assert svg.startswith("<svg")
    to_png(emotion_curve_chart(frame), scale=1)
    j = _journey(group)
    ev = _evidence(group, j)
    for chart in (
        emotion_curve_chart((j, ev), by="seg"),
        emotion_curve_chart((j, ev), by="document"),
        compare_chart((j, ev), by="pair", a="other", b=f"v{_storable(group[0])}"),
        coverage_chart((j, ev)),
        opportunity_matrix_chart((j, ev)),
        channel_matrix_chart((j, ev)),
        channel_matrix_chart(j),
    ):
        assert to_svg(chart).startswith("<svg")
    for by in ("seg", "pair"):  # many series; two groups (with the comparison)
        html = cjm.export.report_html(j, ev, by=by)
        assert "<svg" in html and "\x00" not in html
    md = cjm.export.to_markdown(j, ev)
    assert "\x00" not in md
    text = j.to_mermaid()
    assert cjm.Journey.from_mermaid(text).to_mermaid() == text
    for diagram in cjm.export.to_mermaid(j, ev, by="seg"):
        cjm.Journey.from_mermaid(diagram)
    cjm.export.to_excel(j, ev, out / "fuzz.xlsx")


def main() -> None:
    corpus = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    examples, out = int(sys.argv[2]), Path(sys.argv[3])
    warnings.simplefilter("ignore")  # reader/export warnings are not the subject here
    done = 0
    for group in corpus:
        print("CASE", json.dumps(group), flush=True)
        through_everything(group, out)
        done += 1
    if examples:
        from hypothesis import HealthCheck, given, settings
        from hypothesis import strategies as st

        hostile = st.characters(
            codec=None,
            categories=("Cc", "Cs", "Cf", "Zl", "Zp", "Zs", "Lu", "Ll", "Nd", "Po", "Cn"),
        )
        strings = st.text(alphabet=hostile, min_size=1, max_size=12)

        @settings(
            max_examples=examples,
            database=None,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.lists(strings, min_size=1, max_size=4))
        def drawn(group: list[str]) -> None:
            print("CASE", json.dumps(group), flush=True)
            through_everything(group, out)

        drawn()
        done += examples
    print("DONE", done, flush=True)


if __name__ == "__main__":
    main()
