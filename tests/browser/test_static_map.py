"""The static journey map (``Journey._repr_html_``) in a real JupyterLab.

What a person sees: a table with the stages as columns, the touchpoint card in its stage,
user text shown literally (never run), no request leaving the machine, and colours that follow
JupyterLab's light and dark themes.
"""

from __future__ import annotations

import pytest

from .lab import (
    DARK_THEME,
    LIGHT_THEME,
    cell_output,
    open_notebook,
    run_all,
    screenshot,
    set_theme,
    write_notebook,
)

pytestmark = pytest.mark.browser

FIVE_STAGES = ["Awareness", "Consideration", "Purchase", "Retention", "Advocacy"]
TITLE = "<img src=x onerror=\"window.__cjm_pwned('title')\">"
TOUCHPOINT = "Checkout <script>window.__cjm_pwned('tp')</script>"

NOTEBOOK = f"""\
import cjm_widgets as cjm
j = cjm.Journey.from_template("current_state", stages="five_stage", title={TITLE!r})
j.add_touchpoint("Purchase", {TOUCHPOINT!r}, channel="web")
j"""

# Colours of an element as a person sees them: its text colour and the background behind it
# (semi-transparent backgrounds of the element and its ancestors composited over white).
_COLOURS_JS = """
(el) => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const layers = [];
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
    layers.push(parse(getComputedStyle(n).backgroundColor));
  }
  let bg = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) {
    bg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
  }
  const [r, g, b, a] = parse(getComputedStyle(el).color);
  const fg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  const round = (c) => c.map(Math.round);
  return {fg: round(fg), bg: round(bg), contrast: (hi + 0.05) / (lo + 0.05)};
}
"""


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_static_map_renders_safely_in_light_and_dark(lab, page, page_monitor):
    write_notebook(lab.root_dir, "static_map.ipynb", [NOTEBOOK])
    open_notebook(page, lab, "static_map.ipynb")
    run_all(page)

    output = cell_output(page, 0).locator(".jp-OutputArea-output").first
    table = output.locator("table").first
    table.wait_for(state="visible")

    # The five stages are the column headers, in order, left to right.
    headers = []
    for stage in FIVE_STAGES:
        th = table.locator("th").filter(has_text=stage)
        assert th.count() >= 1, f"no column header for stage {stage!r}"
        headers.append(th.first)
    xs = [h.bounding_box()["x"] for h in headers]
    assert xs == sorted(xs), f"stage headers are not left to right: {xs}"
    assert len({round(h.bounding_box()["y"]) for h in headers}) == 1, "headers not in one row"

    # User text is shown literally: the markup is visible as text, never parsed.
    text = _norm(output.inner_text())
    assert TOUCHPOINT in text
    assert TITLE in text
    assert output.locator("img[src='x']").count() == 0
    assert output.locator("script").count() == 0

    # The touchpoint card sits in the Purchase column.
    card = output.get_by_text(TOUCHPOINT, exact=False).first
    card.wait_for(state="visible")
    box, col = card.bounding_box(), headers[FIVE_STAGES.index("Purchase")].bounding_box()
    centre = box["x"] + box["width"] / 2
    assert col["x"] <= centre <= col["x"] + col["width"], (box, col)

    # Light and dark: the colours come from JupyterLab's CSS variables, and stay readable.
    purchase = headers[FIVE_STAGES.index("Purchase")]
    light = {"card": card.evaluate(_COLOURS_JS), "header": purchase.evaluate(_COLOURS_JS)}
    screenshot(output, "static_map-light")

    set_theme(page, DARK_THEME)
    dark = {"card": card.evaluate(_COLOURS_JS), "header": purchase.evaluate(_COLOURS_JS)}
    screenshot(output, "static_map-dark")

    for part in ("card", "header"):
        assert light[part]["fg"] != dark[part]["fg"], f"{part} text colour ignores the theme"
        assert light[part]["bg"] != dark[part]["bg"], f"{part} background ignores the theme"
        for theme, colours in ((LIGHT_THEME, light), (DARK_THEME, dark)):
            assert colours[part]["contrast"] >= 4.5, f"{part} unreadable in {theme}: {colours}"

    assert page_monitor.page_errors == []
    # (Executed payloads, dialogs and non-local requests fail the test in the page fixture.)
