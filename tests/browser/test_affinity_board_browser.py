"""The affinity board in a real JupyterLab: drag a quote card from one theme to another and
rename a theme; the kernel's Themes model follows, and the page shows only cards in view."""

from __future__ import annotations

import json

import pytest

from .lab import open_notebook, run_all, run_python, screenshot_whole, write_notebook

pytestmark = pytest.mark.browser

SETUP = """
import pandas as pd
import cjm_widgets as cjm

topics = {
    "fee": "delivery fee surcharge extra charge",
    "slot": "evening slot time window booking",
    "app": "app crashed login password update",
}
rows = [f"{words} <b>{t}</b> quote {i}" for t, words in topics.items() for i in range(60)]
ev = cjm.Evidence.from_frame(pd.DataFrame({"text": rows}))
journey = cjm.Journey("Grocery")
board = cjm.AffinityBoard(journey, ev, rows="all", n_themes=3)
"""

SHOW = "board"


def py(page, expr: str):
    return json.loads(run_python(page, f"import json as _json\nprint(_json.dumps({expr}))"))


def test_drag_a_card_between_themes_and_rename_a_theme(lab, page):
    write_notebook(lab.root_dir, "affinity.ipynb", [SETUP, SHOW])
    open_notebook(page, lab, "affinity.ipynb")
    run_all(page)
    ab = page.locator(".cjm-ab")
    ab.locator(".cjm-ab-card").first.wait_for(timeout=60_000)
    columns = ab.locator(".cjm-ab-column")
    assert columns.count() == 3
    # windowed: 60 quotes per theme, far fewer cards in the page
    first_cards = columns.nth(0).locator(".cjm-ab-card")
    assert 0 < first_cards.count() < 30
    # quote text is text, never markup
    assert columns.nth(0).locator(".cjm-ab-text b").count() == 0
    assert "<b>" in first_cards.first.locator(".cjm-ab-text").inner_text()

    source, target = columns.nth(0), columns.nth(1)
    source_id, target_id = source.get_attribute("data-theme"), target.get_attribute("data-theme")
    card = source.locator(".cjm-ab-card").first
    card_id = card.get_attribute("data-id")
    card.drag_to(target.locator(".cjm-ab-list"), target_position={"x": 40, "y": 5})
    target.locator(f'.cjm-ab-card[data-id="{card_id}"]').wait_for(timeout=30_000)
    assert py(page, f"board.model.theme_of({card_id!r})") == target_id
    assert py(page, f"board.model.theme({target_id!r})['ids'][0]") == card_id
    assert py(page, f"len(board.model.theme({source_id!r})['ids'])") == 59
    sizes = [t.inner_text() for t in ab.locator(".cjm-ab-size").all()]
    assert "61 quotes" in sizes and "59 quotes" in sizes

    # rename the target theme from its header
    target.locator(".cjm-ab-action", has_text="Rename").click()
    field = target.locator("input.cjm-ab-rename")
    field.fill("Delivery <fees>")
    field.press("Enter")
    page.locator(".cjm-ab-column .cjm-ab-name", has_text="Delivery <fees>").wait_for(timeout=30_000)
    assert py(page, f"board.model.theme({target_id!r})['name']") == "Delivery <fees>"
    screenshot_whole(page, ab, "affinity_board")

    # undo from the toolbar puts the name back
    ab.locator(".cjm-ab-undo").click()
    page.wait_for_function(
        "() => ![...document.querySelectorAll('.cjm-ab-name')]"
        ".some(n => n.textContent === 'Delivery <fees>')",
        timeout=30_000,
    )
    assert py(page, f"board.model.theme({target_id!r})['name']") != "Delivery <fees>"
