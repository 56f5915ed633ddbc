"""The affinity board in the Workspace, in a real JupyterLab: selecting a theme highlights all
its touchpoints on the curve and on the map (and clearing it clears them); the board's own
styling is the same inside the Workspace as on its own (the host's widget CSS does not reach
its buttons)."""

from __future__ import annotations

import json

import pytest

from .lab import open_notebook, run_all, run_python, screenshot, write_notebook

pytestmark = pytest.mark.browser

#: The halo marks of highlighted points on the curve (charts/emotion_curve.py, HALO).
HALO_PATHS = 'g.mark-symbol path[fill="#fbc02d"]'

# Three topics over four touchpoints: the fee quotes are tagged to Checkout and to Doorstep.
SETUP = """
import pandas as pd
import cjm_widgets as cjm

topics = {
    "fee": "delivery fee surcharge extra charge",
    "slot": "evening slot time window booking",
    "app": "app crashed login password update",
}
rows = [{"id": f"{t}{i}", "text": f"{words} quote {i}"} for t, words in topics.items()
        for i in range(30)]
ev = cjm.Evidence.from_frame(pd.DataFrame(rows), id="id")
journey = cjm.Journey("Grocery")
journey.add_stage("Order")
journey.add_stage("Delivery")
for stage, tp in [("Order", "Checkout"), ("Order", "Slot picker"), ("Order", "App"),
                  ("Delivery", "Doorstep")]:
    journey.add_touchpoint(stage, tp)
ids = lambda t, a, b: [f"review:{t}{i}" for i in range(a, b)]
ev.tag(ids("fee", 0, 20), journey=journey, touchpoint="Checkout", emotion=-1)
ev.tag(ids("fee", 20, 30), journey=journey, touchpoint="Doorstep", emotion=-2)
ev.tag(ids("slot", 0, 30), journey=journey, touchpoint="Slot picker", emotion=1)
ev.tag(ids("app", 0, 30), journey=journey, touchpoint="App", emotion=-1)
model = cjm.Themes(ev, journey, rows="all", n_themes=3)
fee = model.theme_of("review:fee0")
"""
ALONE = "alone = cjm.AffinityBoard(journey, ev, themes=model)\nalone"
MAP = "editor = cjm.JourneyEditor(journey, evidence=ev)\neditor"
WORKSPACE = "ws = cjm.Workspace(journey, ev, themes=model)\nws"

# what a reader sees of a button: box, type, colours, border
STYLE_JS = """
(node) => {
  const s = getComputedStyle(node);
  const keys = ['font-family', 'font-size', 'font-weight', 'line-height', 'color',
    'background-color', 'border-top-width', 'border-top-style', 'border-top-color',
    'border-radius', 'padding-top', 'padding-left', 'height', 'margin-top', 'margin-left',
    'box-shadow', 'text-transform', 'text-decoration-line', 'outline-style', 'cursor',
    'min-width', 'box-sizing', 'vertical-align', 'white-space', 'text-align'];
  return Object.fromEntries(keys.map(k => [k, s.getPropertyValue(k)]));
}
"""


# What a host's widget CSS may do to plain buttons inside its containers (a Workspace's panes
# are ipywidgets boxes): every property a reader would notice, at ipywidgets' specificity.
HOSTILE = """
.widget-box button, .jupyter-widgets button, .widget-box select {
  margin: 7px; width: 148px; height: 41px; min-height: 41px; text-transform: uppercase;
  letter-spacing: 3px; box-shadow: 0 0 0 2px red; font-size: 17px; font-weight: 900;
  line-height: 41px; padding: 9px; border: 3px solid red; background-color: red;
  color: white; border-radius: 0; font-family: serif;
}
"""


def py(page, expr: str):
    return json.loads(run_python(page, f"import json as _json\nprint(_json.dumps({expr}))"))


def _open(lab, page, name: str) -> None:
    write_notebook(lab.root_dir, name, [SETUP, ALONE, MAP, WORKSPACE])
    open_notebook(page, lab, name)
    run_all(page)
    page.locator(".cjm-ws .cjm-ab .cjm-ab-card").first.wait_for(timeout=60_000)
    page.locator(".cjm-ws .cjm-curve-chart svg").first.wait_for(timeout=60_000)


def test_a_selected_theme_highlights_all_its_touchpoints_on_curve_and_map(lab, page):
    _open(lab, page, "theme_link.ipynb")
    ws = page.locator(".cjm-ws")
    tps = py(
        page, "ws.board.columns[[c['id'] for c in ws.board.columns].index(fee)]['touchpoint_ids']"
    )
    names = py(page, f"[journey.touchpoint(t).name for t in {tps!r}]")
    assert set(names) == {"Checkout", "Doorstep"}
    halo = ws.locator(f".cjm-curve-chart {HALO_PATHS}")
    assert halo.count() == 0

    fee = py(page, "fee")
    ws.locator(f'.cjm-ab-column[data-theme="{fee}"] .cjm-ab-stats').click()
    page.wait_for_function(
        f"() => document.querySelectorAll('.cjm-ws {HALO_PATHS}').length === 2",
        timeout=30_000,
    )
    # the halos sit on the two touchpoints' points (same x as the points drawn there)
    marked = ws.locator(".cjm-editor .cjm-tp.cjm-is-highlighted")
    assert sorted(marked.nth(i).get_attribute("data-tp") for i in range(marked.count())) == sorted(
        tps
    )
    lane = ws.locator(".cjm-editor .cjm-elane-point.cjm-is-highlighted")
    assert sorted(lane.nth(i).get_attribute("data-lane-tp") for i in range(lane.count())) == sorted(
        tps
    )
    assert py(page, "sorted(ws.curve.highlight)") == sorted(tps)
    assert ws.locator(".cjm-curve").first.get_attribute("data-highlight").split() == tps
    chip = py(page, "ws.tagger.linked['label']")
    assert chip.startswith("From theme")
    screenshot(ws.locator(".cjm-ws-charts"), "theme_highlight_curve")
    screenshot(ws.locator(".cjm-editor"), "theme_highlight_map")

    # clicking the selected theme's header again clears the selection: highlights go
    ws.locator(".cjm-ab-column.cjm-ab-selected .cjm-ab-stats").click()
    page.wait_for_function(
        f"() => document.querySelectorAll('.cjm-ws {HALO_PATHS}')"
        ".length === 0 && !document.querySelector('.cjm-ws .cjm-is-highlighted')",
        timeout=30_000,
    )
    assert py(page, "(ws.curve.highlight, ws.editor.highlight, ws.tagger.linked)") == [
        [],
        [],
        None,
    ]


def _same_look(outside, inside, selectors: tuple[str, ...]) -> None:
    for selector in selectors:
        a = outside.locator(selector).first.evaluate(STYLE_JS)
        b = inside.locator(selector).first.evaluate(STYLE_JS)
        differ = {k: (a[k], b[k]) for k in a if a[k] != b[k]}
        assert not differ, f"{selector} differs inside the Workspace: {differ}"
    assert outside.evaluate(STYLE_JS) == inside.evaluate(STYLE_JS)


def test_the_boards_look_the_same_inside_the_workspace_as_on_their_own(lab, page):
    _open(lab, page, "theme_style.ipynb")
    alone = page.locator(".cjm-ab").first
    assert alone.locator("xpath=ancestor::*[contains(@class,'cjm-ws')]").count() == 0
    inside = page.locator(".cjm-ws .cjm-ab")
    _same_look(alone, inside, (".cjm-ab-add", ".cjm-ab-undo", ".cjm-ab-action", ".cjm-ab-pin"))
    # the map's board too (issue 17: it "picks up ipywidgets' button styling")
    editor = page.locator(".cjm-editor").first
    assert editor.locator("xpath=ancestor::*[contains(@class,'cjm-ws')]").count() == 0
    buttons = editor.locator("button")
    classes = sorted(
        {
            c
            for i in range(buttons.count())
            for c in (buttons.nth(i).get_attribute("class") or "").split()[:1]
        }
    )
    assert len(classes) >= 3, classes
    in_ws = page.locator(".cjm-ws .cjm-editor")
    _same_look(editor, in_ws, tuple(f"button.{c}" for c in classes))

    # a host stylesheet aimed at buttons in widget boxes changes none of the boards' buttons
    def looks() -> dict[str, object]:
        out = {}
        for root, sel in [
            (inside, ".cjm-ab-toolbar button"),
            (inside, ".cjm-ab-action"),
            (inside, ".cjm-ab-pin"),
            (inside, "select"),
        ]:
            out[sel] = root.locator(sel).first.evaluate(STYLE_JS)
        for c in classes:
            out[c] = in_ws.locator(f"button.{c}").first.evaluate(STYLE_JS)
        return out

    before = looks()
    page.add_style_tag(content=HOSTILE)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    after = looks()
    changed = {
        sel: {
            k: (before[sel][k], after[sel][k])
            for k in before[sel]
            if before[sel][k] != after[sel][k]
        }
        for sel in before
    }
    assert not any(changed.values()), json.dumps({k: v for k, v in changed.items() if v})
    # the stylesheet does reach plain buttons in the Workspace's boxes (the check can fail)
    toggle = page.locator(".cjm-ws .cjm-ws-header").evaluate(
        "(h) => { const b = document.createElement('button'); h.append(b);"
        " const t = getComputedStyle(b).textTransform; b.remove(); return t; }"
    )
    assert toggle == "uppercase"
    screenshot(inside, "affinity_board_in_workspace")
