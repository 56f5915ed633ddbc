"""The tagger fits its output area at 1400 px with the file browser open: the columns that
matter (text, touchpoint, emotion, labels) come first and are in view, and the rest scrolls
horizontally inside the widget, never past the output area."""

from __future__ import annotations

import pytest

from .lab import open_notebook, run_all, screenshot, write_notebook

pytestmark = pytest.mark.browser

SETUP = """
import cjm_widgets as cjm

demo = cjm.datasets.demo()
frame = demo.evidence().frame.copy()
# segments as wide as the real reviews' (routes, aircraft, seat types, traveller types)
frame["route"] = "London Heathrow to Johannesburg O. R. Tambo via Nairobi Jomo Kenyatta"
frame["aircraft"] = "Boeing 787-9 Dreamliner / Airbus A350-1000"
frame["seat_type"] = "Premium Economy (World Traveller Plus)"
frame["traveller"] = "Couple Leisure, travelling with a small child"
ev = cjm.Evidence(frame)  # the extra columns are segments
tagger = cjm.EvidenceTagger(ev, demo.journey)
tagger
"""

MEASURE_JS = """() => {
  const tagger = document.querySelector('.cjm-tagger');
  const area = tagger.closest('.jp-OutputArea-output') || tagger.closest('.jp-OutputArea');
  const wrap = tagger.querySelector('.cjm-tagger-table-wrap');
  const box = (n) => {
    const r = n.getBoundingClientRect();
    return {left: r.left, right: r.right};
  };
  const heads = [...tagger.querySelectorAll('thead th')].map(th => ({
    col: th.dataset.col || '', ...box(th),
  }));
  return {
    area: box(area), tagger: box(tagger), wrap: box(wrap), heads,
    scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth,
    sidebar: !!document.querySelector('#jp-left-stack .jp-FileBrowser:not(.lm-mod-hidden)'),
  };
}"""


def test_tagger_fits_its_output_area_with_the_file_browser_open(lab, page):
    page.set_viewport_size({"width": 1400, "height": 900})
    write_notebook(lab.root_dir, "tagger_fit.ipynb", [SETUP])
    open_notebook(page, lab, "tagger_fit.ipynb")
    page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
    page.locator(".jp-FileBrowser").first.wait_for(state="visible")
    run_all(page)
    page.locator(".cjm-tagger tbody tr").first.wait_for(timeout=60_000)
    m = page.evaluate(MEASURE_JS)
    assert m["sidebar"], "the file browser is not open"
    area, eps = m["area"], 1.0
    # the widget and its table viewport stay inside the output area
    for part in ("tagger", "wrap"):
        assert m[part]["left"] >= area["left"] - eps, (part, m)
        assert m[part]["right"] <= area["right"] + eps, (part, m)
    cols = [h["col"] for h in m["heads"]]
    assert cols[:4] == ["text", "touchpoint", "emotion", "labels"], cols
    # the columns that matter are fully in view without scrolling
    for head in m["heads"][:4]:
        assert area["left"] - eps <= head["left"] and head["right"] <= area["right"] + eps, head
    # the others are reached by scrolling inside the widget, not by widening the page
    assert m["scrollWidth"] > m["clientWidth"]  # the wide segments do not fit: they scroll
    if m["scrollWidth"] > m["clientWidth"]:
        page.locator(".cjm-tagger .cjm-tagger-table-wrap").evaluate(
            "(w) => { w.scrollLeft = w.scrollWidth; }"
        )
        after = page.evaluate(MEASURE_JS)
        last = after["heads"][-1]
        assert last["right"] <= after["wrap"]["right"] + eps, last
        assert after["wrap"] == m["wrap"]  # the widget did not move or grow
    # a cut segment value keeps the whole text as its tooltip
    cell = page.locator(".cjm-tagger tbody tr").first.locator("td.cjm-tagger-plain").last
    assert cell.get_attribute("title") == "Couple Leisure, travelling with a small child"
    screenshot(page.locator(".cjm-tagger"), "tagger_fit_1400")
