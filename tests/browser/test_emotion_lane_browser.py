"""The map a researcher presents, in real JupyterLab at 1440×900: the emotion lane under the
cards (aligned, live, clickable), seven stages without a word broken, curve and tagger seen
together, lanes filled from the evidence, and the dark theme.

``CJM_MAP_SCREENSHOT=docs/map.png`` also saves the board, lanes filled, there (for the README).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .lab import (
    open_notebook,
    run_all,
    run_python,
    screenshot_whole,
    set_dark_theme,
    write_notebook,
)

pytestmark = pytest.mark.browser

SETUP = """
import pandas as pd
import cjm_widgets as cjm

journey = cjm.Journey.from_template("current_state", stages="seven_stage",
                                    title="First flight with us")
journey.rename_stage("Usage", "Baggage reclaim")
layout = {
    "Awareness": ["Instagram ad"],
    "Consideration": ["Price comparison", "Departure/Arrival time convenient"],
    "Decision/Purchase": ["Ease of Online booking"],
    "Onboarding": ["Checkin service", "Online boarding"],
    "Baggage reclaim": ["Baggage handling", "Food and drink"],
    "Retention": ["Inflight entertainment"],
    "Advocacy": ["Referral code"],
}
for stage, names in layout.items():
    for name in names:
        journey.add_touchpoint(stage, name)
journey.add_opportunity("Show the baggage belt in the app", touchpoints=["Baggage handling"],
                        impact=4, effort=2)
tps = journey.touchpoints
texts, who = [], []
for i, tp in enumerate(tps):
    for k in range(6):
        texts.append(f"At {tp.name} it went the way it always goes for me, person {k}")
        who.append(f"P{k}")
ev = cjm.Evidence.from_frame(pd.DataFrame({"text": texts, "who": who}), participant="who",
                             source="interview")
ids = ev.frame["evidence_id"].tolist()
for i, tp in enumerate(tps):
    ev.tag(ids[6 * i: 6 * i + 6], journey=journey, touchpoint=tp, emotion=(i % 5) - 2)
"""

SHOW = "ws = cjm.Workspace(journey, ev)\nws"
MAP = """
from IPython.display import HTML
from cjm_widgets.model.render import journey_html
HTML(journey_html(journey, lane=cjm.emotion_lane(journey, ev)))  # the static map, as nbconvert
"""


def py(page, expr: str):
    return json.loads(run_python(page, f"import json as _json\nprint(_json.dumps({expr}))"))


#: Per lane point: its dot's centre and its card's box (both in page pixels).
ALIGN_JS = """() => [...document.querySelectorAll('.cjm-editor .cjm-elane-point')].map(g => {
  const tp = g.dataset.laneTp;
  const dot = g.querySelector('.cjm-elane-dot');
  const card = document.querySelector(`.cjm-editor .cjm-tp[data-tp="${tp}"]`);
  const d = dot ? dot.getBoundingClientRect() : null;
  const c = card.getBoundingClientRect();
  const cell = g.closest('.cjm-elane-cell').getBoundingClientRect();
  const tpCell = card.closest('.cjm-tp-cell').getBoundingClientRect();
  return { tp, mean: g.dataset.mean, x: d && d.x + d.width / 2, y: d && d.y + d.height / 2,
           left: c.left, right: c.right, cellLeft: cell.left, tpCellLeft: tpCell.left,
           siblings: card.parentElement.children.length };
})"""

#: Words split inside (their characters on more than one line) and elements wider than their
#: box, among the names of stages, cards and lanes under ``root``.
BROKEN_JS = """([root, selectors]) => {
  const broken = [], wide = [];
  for (const node of document.querySelectorAll(selectors.map(s => root + ' ' + s).join(','))) {
    if (node.scrollWidth > node.clientWidth + 1) wide.push(node.textContent);
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      for (const m of t.data.matchAll(/[^\\s/]+\\/?/g)) {
        const range = document.createRange();
        range.setStart(t, m.index);
        range.setEnd(t, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
          .map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return { broken, wide };
}"""

BOARD_NAMES = [".cjm-stage-name", ".cjm-tp-name", ".cjm-lane-name"]
MAP_NAMES = [".cjm-sname", ".cjm-tp", "th.cjm-lane"]


def open_workspace(page, lab, name: str) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    write_notebook(lab.root_dir, name, [SETUP, SHOW, MAP])
    open_notebook(page, lab, name)
    run_all(page)
    page.locator(".cjm-ws .cjm-elane-point").first.wait_for(timeout=60_000)


def test_emotion_lane_aligned_live_and_clickable(lab, page):
    open_workspace(page, lab, "lane.ipynb")
    points = page.evaluate(ALIGN_JS)
    assert len(points) == py(page, "len(journey.touchpoints)") == 10
    for p in points:
        assert abs(p["cellLeft"] - p["tpCellLeft"]) < 1, p  # in its stage's column
        assert p["left"] + 4 <= p["x"] <= p["right"] - 4, p  # under its card
        if p["siblings"] == 1:
            assert abs(p["x"] - (p["left"] + p["right"]) / 2) < 3, p

    # a tag moves the lane's point: Instagram ad (−2 on 6 rows) gets 6 more rows at +2 → 0
    tp_id = py(page, "journey.touchpoint('Instagram ad').id")
    before = next(p for p in points if p["tp"] == tp_id)
    assert float(before["mean"]) == -2.0
    run_python(
        page,
        "extra = ev.frame['evidence_id'][ev.frame['touchpoint_id'] == "
        "journey.touchpoint('Referral code').id].tolist()\n"
        "ev.tag(extra, journey=journey, touchpoint='Instagram ad', emotion=2)",
    )
    page.wait_for_function(
        "tp => { const g = document.querySelector(`.cjm-editor .cjm-elane-point"
        "[data-lane-tp='${tp}']`); return g && Number(g.dataset.mean) === 0; }",
        arg=tp_id,
    )
    after = next(p for p in page.evaluate(ALIGN_JS) if p["tp"] == tp_id)
    assert after["y"] < before["y"] - 20  # up the lane: from −2 to 0
    # the moved-away touchpoint has no evidence now: its mark says so, no dot
    ref = py(page, "journey.touchpoint('Referral code').id")
    label = page.locator(f'.cjm-editor .cjm-elane-point[data-lane-tp="{ref}"]').get_attribute(
        "aria-label"
    )
    assert label.endswith("no evidence yet (n = 0)")

    # clicking a lane point does what clicking the curve does
    target = py(page, "journey.touchpoint('Baggage handling').id")
    page.locator(f'.cjm-editor .cjm-elane-point[data-lane-tp="{target}"] .cjm-elane-dot').click()
    page.wait_for_function(
        "() => (document.querySelector('.cjm-tagger-count') || {}).textContent?.startsWith('6 of')"
    )
    assert py(page, "ws.curve.selected['touchpoint_id']") == target
    assert py(page, "ws.tagger.linked['origin']") == "curve"


def test_seven_stages_fit_and_curve_beside_tagger_at_1440(lab, page):
    open_workspace(page, lab, "layout.ipynb")
    board = page.evaluate(BROKEN_JS, [".cjm-ws .cjm-editor", BOARD_NAMES])
    assert board == {"broken": [], "wide": []}
    static_map = page.locator(".cjm-map").last
    static_map.wait_for()
    assert static_map.locator(".cjm-l-emotion .cjm-elane-point").count() == 10
    assert page.evaluate(BROKEN_JS, [".jp-OutputArea .cjm-map", MAP_NAMES]) == {
        "broken": [],
        "wide": [],
    }
    # no card wider than its stage column on the board
    over = page.evaluate(
        """() => [...document.querySelectorAll('.cjm-editor .cjm-tp')].filter(c =>
             c.getBoundingClientRect().width > c.closest('.cjm-tp-cell')
               .getBoundingClientRect().width + 0.5).map(c => c.textContent)"""
    )
    assert over == []
    # the curve and the tagger side by side: scrolled to the curve, both are on screen
    curve = page.locator(".cjm-ws .cjm-curve .cjm-curve-chart svg").first
    curve.wait_for(timeout=60_000)
    page.locator(".cjm-ws .cjm-ws-curve").scroll_into_view_if_needed()
    boxes = page.evaluate(
        """() => ['.cjm-ws .cjm-curve-chart svg', '.cjm-ws .cjm-tagger tbody tr']
             .map(s => document.querySelector(s).getBoundingClientRect())
             .map(r => ({ top: r.top, bottom: r.bottom, left: r.left }))"""
    )
    chart, row = boxes
    # the curve fills its pane (the Workspace's column): no horizontal scroll, little unused
    # width, and it follows the pane when the window is resized
    fit_js = """() => { const pane = document.querySelector('.cjm-ws .cjm-ws-curve');
             const svg = pane.querySelector('.cjm-curve-chart svg').getBoundingClientRect();
             return { pane: pane.clientWidth, svg: svg.width, scroll: pane.scrollWidth }; }"""

    def fits() -> bool:
        fit = page.evaluate(fit_js)
        return fit["scroll"] <= fit["pane"] + 1 and fit["svg"] >= fit["pane"] - 40

    assert fits(), page.evaluate(fit_js)
    wide = page.evaluate(fit_js)["svg"]
    page.set_viewport_size({"width": 1200, "height": 900})  # narrower: the panes stack
    page.wait_for_function(f"() => ({fit_js})().svg > {wide} + 100")
    assert fits(), page.evaluate(fit_js)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.wait_for_function(f"() => Math.abs(({fit_js})().svg - {wide}) < 4")
    assert fits(), page.evaluate(fit_js)
    page.locator(".cjm-ws .cjm-ws-curve").scroll_into_view_if_needed()
    boxes = page.evaluate(
        """() => ['.cjm-ws .cjm-curve-chart svg', '.cjm-ws .cjm-tagger tbody tr']
             .map(s => document.querySelector(s).getBoundingClientRect())
             .map(r => ({ top: r.top, bottom: r.bottom, left: r.left }))"""
    )
    chart, row = boxes
    # a tooltip of the lowest point stays on screen
    marks = page.locator(".cjm-ws .cjm-curve .points_marks path")
    ys = [marks.nth(i).bounding_box()["y"] for i in range(marks.count())]
    marks.nth(ys.index(max(ys))).hover()
    tip = page.locator("#vg-tooltip-element.visible")
    tip.wait_for()
    box = tip.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 900, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1440, box
    assert 0 <= chart["top"] < 900 and 0 <= row["top"] < 900, boxes
    assert abs(chart["top"] - row["top"]) < 200 and row["left"] > chart["left"] + 300, boxes


def test_fill_lanes_button_and_dark_theme(lab, page):
    open_workspace(page, lab, "fill.ipynb")
    editor = page.locator(".cjm-ws .cjm-editor")
    editor.locator('button[data-action="fill-lanes"]').click()
    editor.locator(".cjm-gen-badge").first.wait_for()
    if os.environ.get("CJM_MAP_SCREENSHOT"):
        target = Path(os.environ["CJM_MAP_SCREENSHOT"])
        board = page.locator(".cjm-ws .cjm-editor")  # wide enough to show all seven stages
        shot = screenshot_whole(page, board, "map_for_docs", width=2500)
        target.write_bytes(shot.read_bytes())
    made = py(page, "cjm.fill_lanes(journey, ev)")  # again: the same items, nothing new
    assert made["what_to_change"] == 1
    pains = editor.locator('.cjm-item.cjm-generated[data-lane="pain_points"]')
    assert pains.count() == 3
    assert py(page, "journey.can_undo")
    quote = editor.locator('.cjm-item.cjm-generated[data-lane="thoughts_feelings"]').first
    assert "\u201c" in quote.inner_text() and "(P0, interview)" in quote.inner_text()
    # the "evidence" link shows that touchpoint's rows in the tagger
    quote.locator(".cjm-gen-link").click()
    page.wait_for_function(
        "() => (document.querySelector('.cjm-tagger-count') || {}).textContent?.startsWith('6 of')"
    )
    assert py(page, "ws.tagger.linked['origin']") == "map"
    # one undo takes the whole fill back
    py(page, "journey.undo() and None")
    page.wait_for_function("() => !document.querySelector('.cjm-ws .cjm-gen-badge')")

    set_dark_theme(page)
    page.locator(".cjm-ws .cjm-curve-chart svg").first.wait_for()
    page.wait_for_timeout(500)  # the theme switch re-draws the chart
    colours = page.evaluate(
        """() => {
          const lum = c => { const m = c.match(/[\\d.]+/g).map(Number);
            return (0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]) / 255; };
          const bg = n => getComputedStyle(n).backgroundColor;
          const board = document.querySelector('.cjm-ws .cjm-editor');
          const vega = document.querySelector('.cjm-ws .cjm-curve-chart svg rect.background')
            || document.querySelector('.cjm-ws .cjm-curve-chart svg');
          const fill = vega.getAttribute('fill') || vega.style.fill || bg(vega);
          const probe = document.createElement('div');
          probe.style.color = fill; document.body.append(probe);
          const vegaBg = getComputedStyle(probe).color; probe.remove();
          return { board: lum(bg(board)), pane: lum(bg(document.querySelector(
            '.cjm-ws .cjm-curve-chart'))), vega: lum(vegaBg), fill };
        }"""
    )
    assert colours["board"] < 0.3 and colours["pane"] < 0.3 and colours["vega"] < 0.3, colours
