"""The tagger's tools of issue 16 in real JupyterLab, used by clicks and keys as a person.

Search a phrase and see its hit marked in a collapsed row's snippet and the count after each
filter option; make a label from the New label field and see it on the selected rows; with
``suggest=True`` select rows, press Enter and read back from the kernel that they are tagged
with their provenance; press X on another row and see the rejection recorded.
"""

from __future__ import annotations

import json

import pytest

from .lab import open_notebook, run_all, run_python, screenshot, set_dark_theme, write_notebook

pytestmark = pytest.mark.browser

LONG = "The flight itself was fine and the crew were kind. " * 12 + (
    "At the carousel in Lisbon we learned about the lost luggage, and nobody called us back."
)

SETUP = f"""
import pandas as pd
import cjm_widgets as cjm
from cjm_widgets.widgets.evidence_tagger import EvidenceTagger

demo = cjm.datasets.demo()
journey = demo.journey
reviews = cjm.Evidence.from_frame(
    pd.DataFrame({{
        "text": [{LONG!r}, "Lost luggage at the belt, again", "They lost the luggage tag",
                 "<b>bold</b> lost luggage <script>window.__cjm_pwned('hit')</script>"],
        "who": ["R1", "R2", "R3", "R4"],
        "rid": ["long", "belt", "tag", "xss"],
    }}),
    text="text", participant="who", id="rid", source="review",
)
ev = cjm.Evidence.concat([reviews, demo.evidence()])
"""


def py(page, expr: str):
    out = run_python(page, f"import json as _json\nprint(_json.dumps({expr}))")
    return json.loads(out)


def test_search_phrase_hits_counts_and_a_new_label(lab, page):
    show = "tagger = EvidenceTagger(journey, ev, page_size=25, coder='anna')\ntagger"
    write_notebook(lab.root_dir, "tagger_tools.ipynb", [SETUP, show])
    open_notebook(page, lab, "tagger_tools.ipynb")
    run_all(page)
    tagger = page.locator(".cjm-tagger")
    tagger.wait_for(timeout=60_000)
    tagger.locator("tbody tr").first.wait_for()

    # a phrase in double quotes: "They lost the luggage tag" is not a hit
    search = tagger.get_by_label("Search text")
    search.fill('"lost luggage"')
    search.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.cjm-tagger-count').textContent.startsWith('3 of')"
    )
    assert py(page, "tagger.matching_count") == 3
    long_row = tagger.locator('tbody tr[data-id="review:long"]')
    # collapsed, yet the hit deep in the review is in view: a snippet around it, marked
    assert long_row.locator("td.cjm-open").count() == 0
    snippet = long_row.locator(".cjm-tagger-snippet")
    assert snippet.inner_text().startswith("… ")
    assert "Lisbon" in snippet.inner_text()
    assert snippet.locator("mark.cjm-hit").inner_text() == "lost luggage"
    # the other rows mark their hits in place; user text stays text
    belt = tagger.locator('tbody tr[data-id="review:belt"] mark.cjm-hit')
    assert belt.inner_text() == "Lost luggage"
    xss = tagger.locator('tbody tr[data-id="review:xss"] .cjm-tagger-text-body')
    assert "<script>" in xss.inner_text() and xss.locator("b, script").count() == 0
    # opening the long row shows the whole text with the hit marked
    long_row.locator(".cjm-tagger-more").click()
    page.wait_for_function(
        """() => document.querySelector('.cjm-tagger tr[data-id="review:long"] td.cjm-open')"""
    )
    opened = tagger.locator('tbody tr[data-id="review:long"] .cjm-tagger-text-body')
    assert opened.inner_text().startswith("The flight itself")
    assert opened.locator("mark.cjm-hit").inner_text() == "lost luggage"
    long_row = tagger.locator('tbody tr[data-id="review:long"]')
    long_row.locator(".cjm-tagger-more").click()
    # the hit count per filter option: source "review (3)", "interview (0)"
    source = tagger.locator('select.cjm-tagger-seg[data-col="source"]')
    options = source.locator("option").all_inner_texts()
    assert "review (3)" in options and "interview (0)" in options
    screenshot(tagger, "tagger_tools_search_light")

    # a new label from the field goes on the selected rows, with its colour and count
    tagger.locator('tbody tr[data-id="review:long"]').click()
    tagger.locator('tbody tr[data-id="review:belt"]').click(modifiers=["Control"])
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-tagger tbody tr.cjm-selected').length === 2"
    )
    field = tagger.get_by_placeholder("New label…")
    field.fill("lost bags")
    field.press("Enter")
    page.wait_for_function(
        """() => [...document.querySelectorAll(
                   '.cjm-tagger tbody tr.cjm-selected .cjm-tagger-chip')]
                 .filter(c => c.textContent === 'lost bags').length === 2"""
    )
    # the field empties when the kernel's reply arrives (it may follow the rows' update)
    page.wait_for_function(
        "() => document.querySelector('.cjm-tagger .cjm-tagger-newlabel').value === ''"
    )
    button = tagger.locator('.cjm-tagger-label[data-label="lost bags"]')
    assert button.get_attribute("aria-pressed") == "true"
    assert button.locator(".cjm-tagger-label-n").inner_text().strip() == "2"
    assert py(page, "ev.frame.set_index('evidence_id').loc['review:belt', 'labels']") == [
        "lost bags"
    ]
    colour = py(page, "ev.label_colour('lost bags')")
    chip_colour = tagger.locator("tbody tr.cjm-selected .cjm-tagger-chip").first.evaluate(
        "el => el.style.getPropertyValue('--cjm-label-colour')"
    )
    assert chip_colour == colour
    # rename it from the Labels menu: the rows show the new name
    tagger.locator(".cjm-tagger-labelmenu-btn").click()
    tagger.locator("select.cjm-tagger-lm-label").select_option("lost bags")
    tagger.locator(".cjm-tagger-lm-name").fill("baggage lost")
    tagger.locator(".cjm-tagger-lm-rename").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('.cjm-tagger tbody .cjm-tagger-chip')]
                 .filter(c => c.textContent === 'baggage lost').length === 2"""
    )
    assert py(page, "list(ev.history['action'])[-1]") == "rename label"
    screenshot(tagger, "tagger_tools_labels_light")
    set_dark_theme(page)
    screenshot(tagger, "tagger_tools_labels_dark")


def test_suggestions_enter_accepts_x_rejects(lab, page):
    show = (
        "tagger = EvidenceTagger(journey, ev, page_size=25, suggest=True, coder='anna')\n"
        "tagger.filter(untagged=True, suggested=0.01)\ntagger"
    )
    write_notebook(lab.root_dir, "tagger_suggest.ipynb", [SETUP, show])
    open_notebook(page, lab, "tagger_suggest.ipynb")
    run_all(page)
    tagger = page.locator(".cjm-tagger")
    tagger.wait_for(timeout=60_000)
    rows = tagger.locator("tbody tr")
    rows.first.locator(".cjm-tagger-sugg-tp").wait_for()
    assert "Suggestions learned from" in tagger.locator(".cjm-tagger-model").inner_text()
    # the why is the cell's tooltip
    assert rows.first.locator("td.cjm-tagger-sugg").get_attribute("title").startswith("Why: ")
    suggested = [rows.nth(i).locator(".cjm-tagger-sugg-tp").inner_text() for i in range(3)]
    ids = [rows.nth(i).get_attribute("data-id") for i in range(3)]

    rows.nth(0).click()
    rows.nth(2).click(modifiers=["Shift"])
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-tagger tbody tr.cjm-selected').length === 3"
    )
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.cjm-tagger-status').textContent"
        ".startsWith('Accepted 3 suggestions (by anna)')"
    )
    tagged = py(
        page,
        "[journey.touchpoint(t).name for t in "
        f"ev.frame.set_index('evidence_id').loc[{ids!r}, 'touchpoint_id']]",
    )
    assert tagged == suggested
    provenance = py(page, "ev.history.iloc[-1]['provenance']")
    assert provenance["accepted_by"] == "anna"
    assert provenance["suggested_by"] == "model:suggest"
    assert provenance["n_rows"] == 3
    # the table shows the tags (the rows stay in view while selected)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.cjm-tagger tbody tr.cjm-selected')]
                 .every(r => r.querySelector('td.cjm-tagger-sugg').textContent === '')"""
    )
    screenshot(tagger, "tagger_tools_accepted_light")

    # X on another row rejects its suggestion: no tag, a "reject" step by anna
    other = rows.nth(5)
    other_id = other.get_attribute("data-id")
    other.click()
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-tagger tbody tr.cjm-selected').length === 1"
    )
    page.keyboard.press("x")
    page.wait_for_function(
        "() => document.querySelector('.cjm-tagger-status').textContent"
        ".startsWith('Rejected 1 suggestion (by anna)')"
    )
    last = py(page, "ev.history.iloc[-1][['action', 'provenance']].tolist()")
    assert last[0] == "reject" and last[1]["rejected_by"] == "anna"
    assert py(page, "ev.history_ids(int(ev.history.iloc[-1]['op']))") == [other_id]
    where = f"ev.frame.set_index('evidence_id').loc[{other_id!r}, 'touchpoint_id']"
    assert py(page, f"bool(pd.isna({where}))") is True
    # the model re-trained in the background; the column follows the new version
    page.wait_for_function(
        "() => /model [2-9]/.test(document.querySelector('.cjm-tagger-model').textContent)"
    )
    screenshot(tagger, "tagger_tools_suggest_light")
