"""The live emotion curve in real JupyterLab with names Vega once choked on.

Series values with a line break, U+2028 and a BELL, and a touchpoint name on two lines: the
chart draws (no "Expression parse error"), the axis shows the name on one line, and clicking
the point of the U+2028 series selects that very series in Python (the names travel as data,
so a click names the real series).
"""

from __future__ import annotations

import json

import pytest

from .lab import open_notebook, run_all, run_python, screenshot, write_notebook

pytestmark = pytest.mark.browser

SETUP = """
import pandas as pd
import cjm_widgets as cjm

journey = cjm.datasets.grocery_journey()
tp = journey.rename_touchpoint(journey.touchpoints[0], "Two\\nlines")
n = 18
ev = cjm.Evidence(pd.DataFrame({
    "evidence_id": [f"e{i}" for i in range(n)], "source": "interview", "document": "d",
    "participant": [f"P{i}" for i in range(n)], "position": range(n), "text": "quote",
    "rating": float("nan"),
    "seg": ["Line\\nbreak", "Sep\\u2028arator", "Bell\\x07ring"] * (n // 3),
}))
ev.tag(ev.frame["evidence_id"].tolist(), journey=journey, touchpoint=tp, emotion=-1)
"""

SHOW = 'curve = cjm.EmotionCurve(journey, ev, by="seg")\ncurve'


def py(page, expr: str):
    return json.loads(run_python(page, f"import json as _json\nprint(_json.dumps({expr}))"))


def test_curve_draws_hostile_names_and_a_click_names_the_real_series(lab, page):
    write_notebook(lab.root_dir, "curve_text.ipynb", [SETUP, SHOW])
    open_notebook(page, lab, "curve_text.ipynb")
    run_all(page)
    curve = page.locator(".cjm-curve")
    curve.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-curve .points_marks path').length >= 3",
        timeout=60_000,
    )
    assert py(page, "curve.error") == ""
    assert "could not be drawn" not in (curve.text_content() or "")
    labels = curve.locator(".role-axis-label text").all_text_contents()
    assert "Two lines" in labels, labels

    # the point of the U+2028 series: click it, Python names that series exactly
    index = page.evaluate(
        """() => [...document.querySelectorAll('.cjm-curve .points_marks path')]
            .findIndex(p => (p.getAttribute('aria-label') || '').includes('arator'))"""
    )
    assert index >= 0
    curve.locator(".points_marks path").nth(index).click()
    curve.locator(".cjm-curve-selected", has_text="n = 6").wait_for()
    assert py(page, "curve.selected['series']") == "Sep\u2028arator"
    assert py(page, "curve.selected['touchpoint_id']") == py(page, "tp.id")
    screenshot(curve, "emotion_curve_hostile_names")
