"""Quotes in real JupyterLab: select words with the mouse, press Q, tag the quote with a key.

A review with an emoji and a line break before the words makes the browser's UTF-16 offsets
differ from Python's code points: the quote must still hold exactly the selected words.
"""

from __future__ import annotations

import json

import pytest

from .lab import open_notebook, run_all, run_python, screenshot, write_notebook

pytestmark = pytest.mark.browser

BODY = (
    "Check-in 😀 was quick and the lounge was calm.\r\n"
    "The bag never arrived and nobody called back for three days, which spoiled the trip."
)
WORDS = "The bag never arrived"

SETUP = f"""
import pandas as pd
import cjm_widgets as cjm

journey = cjm.Journey.from_template("current_state", stages="five_stage")
journey.add_touchpoint("Purchase", "Baggage claim")
journey.add_touchpoint("Purchase", "Ground Service")
df = pd.DataFrame({{"body": [{BODY!r}, "Fine flight."], "Ground Service": [1, 4]}})
ev = cjm.Evidence.from_frame(df, text="body", ratings=["Ground Service"], journey=journey)
"""

SHOW = "tagger = cjm.EvidenceTagger(journey, ev)\ntagger"


def py(page, expr: str):
    return json.loads(run_python(page, f"import json as _json\nprint(_json.dumps({expr}))"))


def test_select_words_press_q_and_tag_the_quote(lab, page):
    write_notebook(lab.root_dir, "quotes.ipynb", [SETUP, SHOW])
    open_notebook(page, lab, "quotes.ipynb")
    run_all(page)
    tagger = page.locator(".cjm-tagger")
    tagger.wait_for(timeout=60_000)
    parent = tagger.locator('tr[data-id="review:0"]')
    parent.wait_for()

    # the rating row reads as what it is, with its review one click away
    rating = tagger.locator('tr[data-id="review:0:Ground Service"]')
    assert rating.locator(".cjm-tagger-rating-text").inner_text() == "Ground Service ★1/5"
    rating.locator(".cjm-tagger-rating-review summary").click()
    assert "The bag never arrived" in rating.locator(".cjm-tagger-rating-review").inner_text()

    # expand the review, then drag the mouse over the words
    parent.locator(".cjm-tagger-more").click()
    parent = tagger.locator('tr[data-id="review:0"]')
    box = page.evaluate(
        """(words) => {
            const body = document.querySelector(
                '.cjm-tagger tr[data-id="review:0"] .cjm-tagger-text-body');
            const node = body.firstChild;
            const at = node.data.indexOf(words);
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + 1);
            const a = range.getBoundingClientRect();
            range.setStart(node, at + words.length - 1); range.setEnd(node, at + words.length);
            const b = range.getBoundingClientRect();
            return { x0: a.left + 1, y0: a.top + a.height / 2,
                     x1: b.right - 1, y1: b.top + b.height / 2 };
        }""",
        WORDS,
    )
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move((box["x0"] + box["x1"]) / 2, box["y1"], steps=4)
    page.mouse.move(box["x1"], box["y1"], steps=4)
    page.mouse.up()
    assert page.evaluate("() => document.getSelection().toString()").strip() == WORDS
    quote_button = tagger.locator(".cjm-tagger-quote")
    quote_button.wait_for(state="visible")

    start = len(BODY[: BODY.index(WORDS)])  # Python's offsets: code points
    qid = f"review:0#{start}-{start + len(WORDS)}"
    page.keyboard.press("q")
    quote_row = tagger.locator(f'tr[data-id="{qid}"]')
    quote_row.wait_for(timeout=30_000)
    page.wait_for_function(  # selected, ready for a face key
        '(id) => document.querySelector(`.cjm-tagger tr[data-id="${id}"]`)'
        "?.classList.contains('cjm-selected')",
        arg=qid,
    )
    # right under its parent, with the parent's line around it
    ids = tagger.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert ids[ids.index("review:0") + 1] == qid
    assert quote_row.locator(".cjm-quote-ctx mark.cjm-quote-span").inner_text() == WORDS
    assert "and nobody called back" in quote_row.locator(".cjm-quote-ctx").inner_text()
    # the parent shows the quoted words highlighted
    marks = tagger.locator('tr[data-id="review:0"] .cjm-tagger-text-body mark.cjm-quote-span')
    marks.first.wait_for()
    assert marks.first.inner_text() == WORDS

    # tag it with a face key: 1 = very negative
    page.keyboard.press("1")
    page.wait_for_function(
        '(id) => document.querySelector(`.cjm-tagger tr[data-id="${id}"] .cjm-tagger-emotion`)'
        "?.dataset.value === '-2'",
        arg=qid,
    )
    table = py(
        page,
        "ev.quotes_of('review:0')[['evidence_id', 'start', 'end', 'text', 'emotion']]"
        ".values.tolist()",
    )
    assert table == [[qid, start, start + len(WORDS), WORDS, -2.0]]
    assert py(page, "tagger.selected_ids") == [qid]
    shot = screenshot(tagger, "quotes_tagger")
    assert shot.exists()

    # a search hit inside the quoted words is marked inside the quote's span
    search = tagger.get_by_label("Search text")
    search.fill("arrived")
    search.press("Enter")
    nested = tagger.locator(
        'tr[data-id="review:0"] .cjm-tagger-text-body mark.cjm-quote-span mark.cjm-hit'
    )
    nested.first.wait_for(timeout=30_000)
    assert nested.first.inner_text() == "arrived"
    # and the quote row itself shows the hit too
    hit = tagger.locator(f'tr[data-id="{qid}"] .cjm-tagger-text-body mark.cjm-hit')
    hit.first.wait_for(timeout=30_000)
    assert hit.first.inner_text() == "arrived"
    screenshot(tagger, "quotes_tagger_search")
