"""The researcher's loop in real JupyterLab: a Workspace over demo interviews, used as a person.

Add and rename a stage on the board, tag three quotes to a touchpoint with emotion −2 in the
tagger, watch that touchpoint's point on the curve move and its n change, click the point and
see the tagger filter to the evidence behind it; read the same state back from the kernel.
The page fixture fails on any request to a non-local URL and on any executed XSS payload.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .lab import (
    open_notebook,
    readme_image,
    run_all,
    run_python,
    screenshot,
    screenshot_whole,
    write_notebook,
)

pytestmark = pytest.mark.browser

QUOTE_XSS = """I gave up <img src=x onerror="window.__cjm_pwned('ws-quote')"> at the slot page"""

SETUP = f"""
import pandas as pd
import cjm_widgets as cjm

demo = cjm.datasets.demo()
journey = demo.journey
turns = demo.interviews[demo.interviews["role"] == "participant"].copy()
turns.loc[turns.index[0], "text"] = {QUOTE_XSS!r}
ev = cjm.Evidence.from_frame(
    turns[["participant", "text", "household"]], text="text", participant="participant",
    source="interview", document="interviews",
)
tp = journey.touchpoint("Delivery slot picker")
# two earlier, positive tags: the point starts at +1 with n = 2
ev.tag(ev.frame["evidence_id"].iloc[-2:].tolist(), journey=journey, touchpoint=tp, emotion=1)
"""

SHOW = 'ws = cjm.Workspace(journey, ev, autosave="loop.journey.json")\nws'


def py(page, expr: str):
    out = run_python(page, f"import json as _json\nprint(_json.dumps({expr}))")
    return json.loads(out)


POINT_JS = """name => {
  const marks = [...document.querySelectorAll('.cjm-curve .points_marks path')];
  const p = marks.find(m => (m.getAttribute('aria-label') || '').includes('touchpoint: ' + name));
  if (!p) return null;
  const label = p.getAttribute('aria-label');
  const n = /(?:^|; )n: ([0-9,]+)/.exec(label);
  return { transform: p.getAttribute('transform'), n: n ? n[1] : null, label };
}"""


def point(page, name: str) -> dict | None:
    return page.evaluate(POINT_JS, name)


def test_workspace_loop(lab, page):
    write_notebook(lab.root_dir, "workspace.ipynb", [SETUP, SHOW])
    open_notebook(page, lab, "workspace.ipynb")
    run_all(page)
    ws = page.locator(".cjm-ws")
    ws.wait_for(timeout=60_000)
    editor = ws.locator(".cjm-editor")
    tagger = ws.locator(".cjm-tagger")
    curve = ws.locator(".cjm-curve")
    tagger.locator("tbody tr").first.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-curve .points_marks path').length > 0",
        timeout=60_000,
    )
    tp_name, tp_id = "Delivery slot picker", py(page, "tp.id")
    before = point(page, tp_name)
    assert before is not None and before["n"] == "2"
    # the quote with a payload is text, in the tagger and nowhere as markup
    assert "onerror=" in tagger.locator("tbody tr").first.inner_text()
    assert ws.locator("img").count() == 0
    screenshot_whole(page, ws, "workspace_start")

    # 1. add a stage on the board and rename it
    n_stages = editor.locator(".cjm-stage-head").count()
    editor.get_by_role("button", name="Add a stage at the end").first.click()
    page.wait_for_function(
        "n => document.querySelectorAll('.cjm-editor .cjm-stage-head').length === n",
        arg=n_stages + 1,
    )
    # the kernel's reply to the add scrolls the board to the new stage: a double-click that
    # lands while the board moves is tried again
    name_field = editor.locator("input.cjm-stage-name-input")
    for attempt in range(3):
        new_stage = editor.locator(".cjm-stage-name", has_text="New stage").first
        new_stage.scroll_into_view_if_needed()
        new_stage.dblclick()
        try:
            name_field.wait_for(timeout=3_000)
            break
        except PlaywrightTimeout:
            assert attempt < 2, "double-clicking the new stage never opened its name field"
    page.keyboard.type("Pick-up")
    page.keyboard.press("Enter")
    editor.locator(".cjm-stage-name", has_text="Pick-up").wait_for()
    assert py(page, "[s.name for s in journey.stages][-1]") == "Pick-up"

    # 2. tag three quotes: filter untagged, select three rows (click + Shift+click),
    #    pick the touchpoint, press the −2 face
    tagger.get_by_label("Untagged only").check()
    page.wait_for_function(
        "n => document.querySelector('.cjm-tagger-count').textContent.startsWith(n + ' of')",
        arg=str(py(page, "int((~ev.tagged_mask).sum())")),
    )
    rows = tagger.locator("tbody tr")
    rows.nth(0).click()
    rows.nth(2).click(modifiers=["Shift"])
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-tagger tbody tr.cjm-selected').length === 3"
    )
    ids = [rows.nth(i).get_attribute("data-id") for i in range(3)]
    tagger.get_by_label("Touchpoint to tag").select_option(tp_id)
    tagger.locator(".cjm-tagger-apply-tp").click()
    tagger.locator('.cjm-tagger-emo[data-emotion="-2"]').click()

    # 3. the curve's point moves down and its n becomes 5: (2·1 + 3·−2) / 5 = −0.8
    page.wait_for_function(
        f"name => {{ const p = ({POINT_JS})(name); return p && p.n === '5'; }}", arg=tp_name
    )
    after = point(page, tp_name)
    y_before = float(re.findall(r"[-\d.]+", before["transform"])[1])
    y_after = float(re.findall(r"[-\d.]+", after["transform"])[1])
    assert y_after > y_before + 50  # down the screen: a much worse mean
    assert "mean: −0.80" in after["label"]  # Vega formats with a real minus sign
    assert (
        py(page, f"ev.frame.set_index('evidence_id').loc[{ids!r}, 'emotion'].tolist()")
        == [-2.0] * 3
    )

    # 4. click the point: the tagger filters to the five rows behind it
    tagger.locator(".cjm-tagger-clear").click()
    curve.locator(f'.points_marks path[aria-label*="touchpoint: {tp_name}"]').first.click()
    curve.locator(".cjm-curve-selected", has_text="n = 5").wait_for()
    page.wait_for_function(
        "() => document.querySelector('.cjm-tagger-count').textContent.startsWith('5 of')"
    )
    assert py(page, "ws.curve.selected['touchpoint_id']") == tp_id
    assert py(page, "ws.curve.selected['n']") == 5
    assert py(page, "ws.tagger.filters") == {"touchpoint": tp_id}
    assert py(page, "sorted(ws.tagger.evidence.frame.loc[ws.tagger._match, 'evidence_id'])") == (
        sorted(py(page, "ev.frame.loc[ev.frame['touchpoint_id'] == tp.id, 'evidence_id'].tolist()"))
    )
    screenshot(curve, "emotion_curve_selected")
    screenshot_whole(page, ws, "workspace")

    # 4b. the same by keyboard: the Point dropdown (clearing it clears the tagger's filter)
    picker = curve.get_by_label("Select a point (as a click on it would)")
    picker.select_option(label="None")
    page.wait_for_function(
        "n => document.querySelector('.cjm-tagger-count').textContent.startsWith(n + ' of')",
        arg=str(py(page, "len(ev)")),
    )
    assert py(page, "ws.curve.selected") is None
    picker.focus()
    picker.select_option(label=tp_name)
    page.wait_for_function(
        "() => document.querySelector('.cjm-tagger-count').textContent.startsWith('5 of')"
    )
    assert py(page, "ws.curve.selected['n']") == 5

    # 5. the autosaved files hold the tags and the new stage
    page.wait_for_timeout(1200)
    saved = py(
        page,
        "[len(_json.load(open('loop.tags.json'))['tags']), "
        "[s['name'] for s in _json.load(open('loop.journey.json'))['stages']][-1]]",
    )
    assert saved == [5, "Pick-up"]
    assert ws.locator("img, script, iframe").count() == 0


FULL = """
import cjm_widgets as cjm

demo = cjm.datasets.demo()
journey = demo.journey
ev = demo.evidence()
ev.tag(ev.search("evening slot"), journey=journey, touchpoint="Delivery slot picker", emotion=-2,
       labels=["pain point"])
ws = cjm.Workspace(journey, ev, by="household")
ws.curve.select("Delivery slot picker", series="Family")
ws
"""


def test_workspace_screenshot_for_the_readme(lab, page):
    """The README's picture of the Workspace: the full demo (survey + interviews), two series,
    a selected point and the tagger filtered to it. Saved to docs/workspace.png when
    CJM_UPDATE_SCREENSHOTS=1 (else under test-artifacts/, see lab.readme_image)."""
    write_notebook(lab.root_dir, "workspace_full.ipynb", [FULL])
    open_notebook(page, lab, "workspace_full.ipynb")
    run_all(page)
    ws = page.locator(".cjm-ws")
    ws.wait_for(timeout=60_000)
    ws.locator(".cjm-curve-selected", has_text="Delivery slot picker").wait_for(timeout=60_000)
    ws.locator(".cjm-tagger tbody tr").first.wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-curve .points_marks path').length === 18"
    )
    n = py(page, "ws.curve.selected['n']")
    assert f"n = {n}" in ws.locator(".cjm-curve-selected").inner_text()
    assert (
        ws.locator(".cjm-tagger-count")
        .inner_text()
        .startswith(f"{py(page, 'ws.tagger.matching_count'):,} of")
    )
    path = screenshot_whole(page, ws, "workspace_full")
    shutil.copyfile(path, readme_image("workspace.png"))  # docs/ with CJM_UPDATE_SCREENSHOTS=1
