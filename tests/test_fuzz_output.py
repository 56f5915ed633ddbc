"""Nothing kills the kernel: hostile text through every output, in a subprocess.

vl-convert (the SVG/PNG renderer) aborts the whole Python process (a Rust panic, exit code
134) on characters XML cannot hold, and Vega-Lite puts some text inside expressions, where a
line break or U+2028 is a parse error. Every C0 and C1 control character, DEL, lone
surrogates, U+2028/U+2029, byte order marks, U+FFFE/U+FFFF and a 10 kB name go through every
journey setter, every chart builder + to_svg/to_png, the HTML report (by a segment, by a
two-group segment), Markdown, Mermaid (written and read back) and Excel; then hypothesis draws
more.
The worker runs in a subprocess, so an abort fails this test instead of killing pytest.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import cjm_widgets as cjm
from cjm_widgets._text import safe_text
from cjm_widgets.errors import JourneyError, SchemaError

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CONTROLS = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]
OTHERS = ["\ud800", "\udfff", "\udce4", "\ud83d\ude00", "\u2028", "\u2029", "\ufeff",
          "\ufffe", "\uffff", "\u200f", "'", '"', "\\", "\u00e5\u00e4\u00f6"]  # fmt: skip
ALL = CONTROLS + OTHERS


def _corpus() -> list[list[str]]:
    """Groups of up to 16 hostile strings: each character inside a word, alone, and doubled."""
    words = [f"A{c}B" for c in ALL] + ALL + [c * 2 + "x" for c in ALL]
    groups = [words[i : i + 16] for i in range(0, len(words), 16)]
    groups.append(["N" * 10_000, "\ufeffBOM first", "line\r\nbreak\u2028sep"])
    return groups


def test_hostile_text_through_every_output_does_not_abort(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.json"
    corpus.write_text(json.dumps(_corpus()), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    examples = 8  # hypothesis groups after the fixed corpus: bounded run time
    proc = subprocess.run(
        [sys.executable, str(HERE / "fuzz_output_worker.py"), str(corpus), str(examples),
         str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    cases = [line for line in proc.stdout.splitlines() if line.startswith("CASE ")]
    last = cases[-1] if cases else "(none)"
    assert proc.returncode != 134, (
        f"the process aborted (exit 134) on {last}\n{proc.stderr[-3000:]}"
    )
    assert proc.returncode == 0, f"failed on {last}:\n{proc.stderr[-3000:]}"
    assert f"DONE {len(_corpus()) + examples}" in proc.stdout


# ------------------------------------------------------------------ the refusals, one by one
@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\ufffe"])
def test_setters_refuse_control_characters_naming_field_and_character(char: str) -> None:
    j = cjm.datasets.grocery_journey()
    before = j.to_dict()
    code = re.escape(f"U+{ord(char):04X}")
    with pytest.raises(JourneyError, match=rf"touchpoint name contains {code}\b"):
        j.add_touchpoint(j.stages[0], f"Pay{char}ment")
    with pytest.raises(JourneyError, match=rf"stage name contains {code}\b"):
        j.rename_stage(j.stages[0], f"A{char}")
    with pytest.raises(JourneyError, match=rf"lane name contains {code}\b"):
        j.add_lane(f"L{char}")
    with pytest.raises(JourneyError, match=rf"persona name contains {code}\b"):
        j.add_persona(f"P{char}")
    with pytest.raises(JourneyError, match=rf"opportunity name contains {code}\b"):
        j.add_opportunity(f"O{char}")
    with pytest.raises(JourneyError, match=rf"Goals item 2 contains {code}\b"):
        j.add_persona("Q", goals=["fine", f"bad{char}"])
    with pytest.raises(JourneyError, match=rf"The description contains {code}\b"):
        j.update_touchpoint(j.touchpoints[0], description=f"d{char}")
    assert j.to_dict() == before  # nothing half-applied


def test_setters_keep_tabs_and_line_breaks_in_text() -> None:
    j = cjm.datasets.grocery_journey()
    tp = j.update_touchpoint(j.touchpoints[0], description="one\ttwo\r\nthree\nfour")
    assert tp.description == "one\ttwo\r\nthree\nfour"
    assert j.add_stage("Two\nlines").name == "Two\nlines"


def test_journey_file_with_a_control_character_is_refused_with_its_path(tmp_path: Path) -> None:
    j = cjm.datasets.grocery_journey()
    data = j.to_dict()
    data["stages"][1]["touchpoints"][0]["name"] = "Bad\x1bname"
    path = tmp_path / "bad.journey.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SchemaError, match=r"U\+001B \(ESCAPE\)") as info:
        cjm.Journey.load(path)
    assert info.value.path == "$.stages[1].touchpoints[0].name"
    assert path.read_text(encoding="utf-8") == json.dumps(data)  # untouched


def test_mermaid_with_a_control_character_is_refused_with_its_line() -> None:
    text = "journey\n  title T\n  section Buy\n    Pa\x00y: 3\n"
    with pytest.raises(JourneyError, match=r"Line 4, column 7: U\+0000 \(NULL\)"):
        cjm.Journey.from_mermaid(text)


def test_mermaid_starting_with_a_bom_parses() -> None:
    j = cjm.Journey.from_mermaid("\ufeffjourney\n  title T\n  section Buy\n    Pay: 4: Me\n")
    assert [s.name for s in j.stages] == ["Buy"] and j.touchpoints[0].name == "Pay"
    assert j.title == "T" and [p.name for p in j.personas] == ["Me"]


# ------------------------------------------------------------------ the boundary function
def test_safe_text_removes_what_no_output_can_hold() -> None:
    assert safe_text("Pay\x00ment\x1b[31m") == "Payment[31m"
    assert safe_text("a\u2028b\x85c\r\nd", one_line=True) == "a b c d"
    assert safe_text("a\u2028b\x85c") == "a\nb\nc"
    assert safe_text("\ufeffBOM\ufffe\uffff") == "BOM"
    assert safe_text("x\ud83d\ude00y\ud800") == "x\U0001f600y"  # a pair joined, a lone half gone
    assert safe_text('Zoë\'s "quote" \\ ✓\ttab') == 'Zoë\'s "quote" \\ ✓\ttab'
    assert safe_text(None) == "" and safe_text(3.5) == "3.5"


def test_chart_order_and_labels_travel_as_data_not_expressions() -> None:
    """A series or touchpoint named with a line break or U+2028 once made Vega-Lite's
    expression parser fail; the names must not be inside any expression of the spec."""
    import pandas as pd

    from cjm_widgets.charts import compare_chart, emotion_curve_chart, spec, to_svg

    j = cjm.datasets.grocery_journey()
    j.rename_touchpoint(j.touchpoints[0], "Ad\u2028seen")
    from cjm_widgets.evidence import Evidence

    n = 20
    ev = Evidence(
        pd.DataFrame(
            {
                "evidence_id": [f"e{i}" for i in range(n)],
                "source": "interview",
                "document": "d",
                "participant": [f"P{i}" for i in range(n)],
                "position": range(n),
                "text": "t",
                "rating": float("nan"),
                "seg": ["Line\nbreak", "Sep\u2028arator"] * (n // 2),
            }
        )
    )
    ev.tag([f"e{i}" for i in range(n)], journey=j, touchpoint=j.touchpoints[0], emotion=-1)
    ev.tag([f"e{i}" for i in range(0, n, 3)], journey=j, touchpoint=j.touchpoints[0], emotion=1)
    curve = emotion_curve_chart((j, ev), by="seg")
    # the live chart keeps the series as they are (a click must name the real series) ...
    assert "Sep\u2028arator" in json.dumps(spec(curve), ensure_ascii=False)
    for chart in (
        curve,
        compare_chart((j, ev), by="seg", a="Line\nbreak", b="Sep\u2028arator"),
    ):
        exprs = _expressions(spec(chart))
        assert exprs  # the charts do use expressions, just not with names in them
        assert not any("seen" in e or "break" in e or "arator" in e for e in exprs), exprs
        svg = to_svg(chart)  # ... and the static image shows them on one line
        assert "\u2028" not in svg and "Ad seen" in svg
    assert "Sep arator" in to_svg(curve)


def _expressions(node: object) -> list[str]:
    keys = ("expr", "labelExpr", "calculate", "filter", "test")
    found: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k in keys and isinstance(v, str):
                found.append(v)
            found += _expressions(v)
    elif isinstance(node, list):
        for v in node:
            found += _expressions(v)
    return found


def test_report_by_document_and_participant() -> None:
    """html_report takes every column emotion_curve takes (one series per interview)."""
    demo = cjm.datasets.demo()
    j, ev = demo.journey, demo.evidence()
    for by in ("document", "participant"):
        curve = cjm.emotion_curve(j, ev, by=by)
        html = cjm.export.report_html(j, ev, by=by)
        first = str(curve.loc[curve["n"] > 0, "series"].iloc[0])
        assert f"series by {by}" in html and first in html
    with pytest.raises(cjm.EvidenceError, match=r"'document', 'participant', 'source'"):
        cjm.export.report_html(j, ev, by="no such column")
