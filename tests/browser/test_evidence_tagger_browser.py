"""EvidenceTagger in real JupyterLab over the demo data, used by clicks and keys as a person.

Filter untagged, search a word, select three rows (click + Shift+click), pick a touchpoint,
press emotion −2 and see the rows' emotion cells change; read the store back from the kernel.
A quote carrying an XSS payload must show as text (the page fixture fails if it executes).
"""

from __future__ import annotations

import json

import pytest

from .lab import (
    open_notebook,
    run_all,
    run_python,
    screenshot,
    set_dark_theme,
    write_notebook,
)

pytestmark = pytest.mark.browser

QUOTE_XSS = """The delivery <img src=x onerror="window.__cjm_pwned('quote')"> was late"""

SETUP = f"""
import pandas as pd
import cjm_widgets as cjm
from cjm_widgets.widgets.evidence_tagger import EvidenceTagger

demo = cjm.datasets.demo()
journey = demo.journey
extra = cjm.Evidence.from_frame(
    pd.DataFrame({{"text": [{QUOTE_XSS!r}], "who": ["PX"], "rid": ["xss-1"]}}),
    text="text", participant="who", id="rid", source="review",
)
ev = cjm.Evidence.concat([extra, demo.evidence()])
tp = journey.stages[2].touchpoints[0]
"""

SHOW = "tagger = EvidenceTagger(journey, ev, page_size=25)\ntagger"


def py(page, expr: str):
    out = run_python(page, f"import json as _json\nprint(_json.dumps({expr}))")
    return json.loads(out)


def test_tag_three_quotes_by_clicks_and_keys(lab, page):
    write_notebook(lab.root_dir, "evidence_tagger.ipynb", [SETUP, SHOW])
    open_notebook(page, lab, "evidence_tagger.ipynb")
    run_all(page)
    tagger = page.locator(".cjm-tagger")
    tagger.wait_for(timeout=60_000)
    rows = tagger.locator("tbody tr")
    rows.first.wait_for()
    count = tagger.locator(".cjm-tagger-count")
    total = py(page, "len(ev)")
    assert f"of {total:,} rows" in count.inner_text()

    # the XSS quote is the first row, shown as text
    first_text = rows.first.locator(".cjm-tagger-text-body")
    assert "onerror=" in first_text.inner_text()
    assert tagger.locator("img").count() == 0

    # filter untagged, then search a word
    tagger.get_by_label("Untagged only").check()
    tagger.get_by_label("Search text").fill("delivery")
    tagger.get_by_label("Search text").press("Enter")
    expected = py(page, "int((~ev.tagged_mask)[ev.search_rows('delivery')].sum())")
    page.wait_for_function(
        "n => document.querySelector('.cjm-tagger-count').textContent.startsWith(n + ' of')",
        arg=f"{expected:,}",
    )
    assert py(page, "tagger.matching_count") == expected

    # select three rows: click + Shift+click
    rows.nth(1).click()
    rows.nth(3).click(modifiers=["Shift"])
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-tagger tbody tr.cjm-selected').length === 3"
    )
    ids = [rows.nth(i).get_attribute("data-id") for i in (1, 2, 3)]
    assert py(page, "tagger.selected_ids") == ids

    # pick a touchpoint and tag, then press emotion -2
    tp_id = py(page, "tp.id")
    tagger.get_by_label("Touchpoint to tag").select_option(tp_id)
    tagger.locator(".cjm-tagger-apply-tp").click()
    tagger.locator('.cjm-tagger-emo[data-emotion="-2"]').click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('.cjm-tagger tbody tr.cjm-selected')]
                 .filter(r => r.querySelector('.cjm-tagger-emotion').dataset.value === '-2')
                 .length === 3"""
    )
    cells = tagger.locator("tbody tr.cjm-selected .cjm-tagger-emotion")
    assert all("-2" in cells.nth(i).inner_text() for i in range(3))

    store = py(
        page,
        "ev.frame.set_index('evidence_id').loc["
        f"{ids!r}, ['touchpoint_id', 'emotion']].astype(str).values.tolist()",
    )
    assert store == [[tp_id, "-2.0"]] * 3

    # keyboard: key 5 on the focused table sets +2
    rows.nth(1).click()
    page.wait_for_function("() => document.querySelectorAll('.cjm-tagger tbody tr.cjm-selected')"
                           ".length === 1")  # fmt: skip
    # rows the tag does not touch keep their DOM nodes (no redraw, no layout jump)
    kept = rows.nth(6).get_attribute("data-row")
    page.evaluate(f"() => {{ document.querySelector('.cjm-tagger tr[data-row=\"{kept}\"]')"
                  ".__cjmMark = true; }")  # fmt: skip
    page.keyboard.press("5")
    page.wait_for_function(
        "() => document.querySelector('.cjm-tagger tbody tr.cjm-selected .cjm-tagger-emotion')"
        ".dataset.value === '2'"
    )
    assert page.evaluate(
        f"() => document.querySelector('.cjm-tagger tr[data-row=\"{kept}\"]').__cjmMark === true"
    )
    assert py(page, f"float(ev.frame.set_index('evidence_id').loc[{ids[0]!r}, 'emotion'])") == 2.0

    # a label button adds the label to the selection, then (pressed) removes it again
    pain = tagger.locator('.cjm-tagger-label[data-label="pain point"]')
    pain.click()
    page.wait_for_function(
        """() => document.querySelector('.cjm-tagger-label[data-label="pain point"]')
                 .getAttribute('aria-pressed') === 'true'"""
    )
    assert pain.inner_text().startswith("−")
    assert py(page, f"ev.has_label('pain point')[ev.rows_of([{ids[0]!r}])].tolist()") == [True]
    pain.click()
    page.wait_for_function(
        """() => document.querySelector('.cjm-tagger-label[data-label="pain point"]')
                 .getAttribute('aria-pressed') === 'false'"""
    )
    assert py(page, "int(ev.has_label('pain point').sum())") == 0
    # Ctrl+Z on the table undoes (the label comes back), Redo removes it again
    rows.nth(1).click()
    page.keyboard.press("Control+z")
    page.wait_for_function(
        """() => document.querySelector('.cjm-tagger-label[data-label="pain point"]')
                 .getAttribute('aria-pressed') === 'true'"""
    )
    tagger.locator(".cjm-tagger-redo").click()
    page.wait_for_function(
        """() => document.querySelector('.cjm-tagger-label[data-label="pain point"]')
                 .getAttribute('aria-pressed') === 'false'"""
    )
    assert py(page, "int(ev.has_label('pain point').sum())") == 0

    # clear filters so the XSS quote is visible for the screenshots
    tagger.locator(".cjm-tagger-clear").click()
    page.wait_for_function(
        "n => document.querySelector('.cjm-tagger-count').textContent.startsWith(n + ' of')",
        arg=f"{total:,}",
    )
    screenshot(tagger, "evidence_tagger_light")
    set_dark_theme(page)
    screenshot(tagger, "evidence_tagger_dark")
    assert tagger.locator("img").count() == 0
