"""Linked state in real JupyterLab (issue 13, items 5 and 7), by clicks and keys as a person.

1. A search, three selected quotes, then a click on a curve point: the tagger's filter bar
   shows a chip "From curve: Delivery slot picker · Family", its search box is emptied and its
   household dropdown reads "Family" (what Python applies); the count line says the three
   selected quotes are hidden; "Deselect hidden" drops them; the chip's × clears the filter
   and the curve's point.
2. A click on a touchpoint card on the board: chip "From map: <name>", the curve's point
   selected; quotes tagged with key 2 while a touchpoint is chosen in the dropdown get both;
   a face on a quote with no touchpoint chosen says, in the status line and in the row, that
   it needs a touchpoint before it counts on the curve.
"""

from __future__ import annotations

import json

import pytest

from .lab import open_notebook, run_all, run_python, screenshot, screenshot_whole, write_notebook

pytestmark = pytest.mark.browser

CURVE_NB = """
import cjm_widgets as cjm

demo = cjm.datasets.demo()
journey = demo.journey
ev = demo.evidence()
tp = journey.touchpoint("Delivery slot picker")
ws = cjm.Workspace(journey, ev, by="household")
ws
"""

MAP_NB = """
import cjm_widgets as cjm

demo = cjm.datasets.demo()
journey = demo.journey
turns = demo.interviews[demo.interviews["role"] == "participant"]
ev = cjm.Evidence.from_frame(
    turns[["participant", "text", "household"]], text="text", participant="participant",
    source="interview", document="interviews",
)
tp = journey.touchpoint("Price comparison")
ev.tag(ev.frame["evidence_id"].iloc[:2].tolist(), journey=journey, touchpoint=tp, emotion=1)
ws = cjm.Workspace(journey, ev)
ws
"""

COUNT = ".cjm-tagger-count"


def py(page, expr: str):
    out = run_python(page, f"import json as _json\nprint(_json.dumps({expr}))")
    return json.loads(out)


def wait_count_starts(page, text: str) -> None:
    page.wait_for_function(
        "t => (document.querySelector('.cjm-tagger-count')?.textContent || '').startsWith(t)",
        arg=text,
    )


def open_workspace(lab, page, name: str, source: str):
    write_notebook(lab.root_dir, name, [source])
    open_notebook(page, lab, name)
    run_all(page)
    ws = page.locator(".cjm-ws")
    ws.wait_for(timeout=60_000)
    ws.locator(".cjm-tagger tbody tr").first.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-curve .points_marks path').length > 0",
        timeout=60_000,
    )
    return ws


def test_curve_point_filter_shows_as_a_chip(lab, page):
    ws = open_workspace(lab, page, "linked_curve.ipynb", CURVE_NB)
    tagger, curve = ws.locator(".cjm-tagger"), ws.locator(".cjm-curve")
    total = py(page, "len(ev)")

    # a search of the person's own, and three quotes selected under it
    search = tagger.get_by_label("Search text")
    search.fill("slot")
    search.press("Enter")
    n_slot = py(page, "len(ev.search('slot'))")
    wait_count_starts(page, f"{n_slot:,} of")
    rows = tagger.locator("tbody tr")
    rows.nth(0).click()
    rows.nth(2).click(modifiers=["Shift"])
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-tagger tbody tr.cjm-selected').length === 3"
    )
    selected_ids = py(page, "ws.tagger.selected_ids")

    # click the curve's point of the Family line at the slot picker
    mark = curve.locator(
        '.points_marks path[aria-label*="touchpoint: Delivery slot picker"]'
        '[aria-label*="series: Family"]'
    )
    mark.first.click()
    chip = tagger.locator(".cjm-tagger-linkchip")
    chip.wait_for()
    assert chip.inner_text().startswith("From curve: Delivery slot picker · Family")
    n_point = py(page, "ws.tagger.matching_count")
    assert n_point == py(
        page,
        "int(((ev.frame['touchpoint_id'] == tp.id) & (ev.frame['household'] == 'Family')).sum())",
    )
    wait_count_starts(page, f"{n_point:,} of")
    # the bar shows the filter Python applies: no stale search, Family, the touchpoint
    assert py(page, "ws.tagger.filters") == {"touchpoint": py(page, "tp.id"), "household": "Family"}
    assert search.input_value() == ""
    assert tagger.get_by_label("Filter by household").input_value() == "Family"
    assert tagger.get_by_label("Filter by stage or touchpoint").input_value() == (
        "t:" + py(page, "tp.id")
    )
    # the three quotes stay selected and the count line says where they are
    hidden = py(
        page,
        "int(((ev.frame['touchpoint_id'] != tp.id) | (ev.frame['household'] != 'Family'))"
        f"[ev.frame['evidence_id'].isin({selected_ids!r})].sum())",
    )
    assert hidden > 0 and py(page, "ws.tagger.hidden_count") == hidden
    count = tagger.locator(COUNT).inner_text()
    assert f"3 selected, {hidden} hidden by the filter" in count, count
    screenshot(tagger, "linked_curve_chip")

    tagger.get_by_role("button", name="Deselect hidden").click()
    page.wait_for_function(
        "() => !document.querySelector('.cjm-tagger-count').textContent.includes('hidden')"
    )
    assert py(page, "ws.tagger.selected_ids") == [] and len(selected_ids) == 3
    assert "0 selected" in tagger.locator(COUNT).inner_text()

    # the chip's ×: the filter goes, and so does the curve's point
    tagger.get_by_role(
        "button", name="Remove filter From curve: Delivery slot picker · Family"
    ).click()
    chip.wait_for(state="detached")
    wait_count_starts(page, f"{total:,} of")
    assert py(page, "[ws.tagger.filters, ws.curve.selected]") == [{}, None]
    assert tagger.get_by_label("Filter by household").input_value() == ""
    assert "Delivery slot picker" not in curve.locator(".cjm-curve-selected").inner_text()


def test_card_click_and_face_key_with_touchpoint(lab, page):
    ws = open_workspace(lab, page, "linked_map.ipynb", MAP_NB)
    editor, tagger, curve = (ws.locator(c) for c in (".cjm-editor", ".cjm-tagger", ".cjm-curve"))
    tp_id = py(page, "tp.id")

    # a click on the "Price comparison" card filters the tagger and selects the point
    editor.locator(f'.cjm-tp[data-tp="{tp_id}"] .cjm-tp-name').click()
    chip = tagger.locator(".cjm-tagger-linkchip")
    chip.wait_for()
    assert chip.inner_text().startswith("From map: Price comparison")
    wait_count_starts(page, "2 of")
    curve.locator(".cjm-curve-selected", has_text="Price comparison").wait_for()
    assert py(page, "ws.curve.selected['touchpoint_id']") == tp_id
    assert tagger.get_by_label("Filter by stage or touchpoint").input_value() == f"t:{tp_id}"
    screenshot_whole(page, ws, "linked_map_card")

    # remove the chip, show untagged quotes, select two, choose the touchpoint, press key 2
    tagger.get_by_role("button", name="Remove filter From map: Price comparison").click()
    chip.wait_for(state="detached")
    tagger.get_by_label("Untagged only").check()
    untagged = py(page, "int((~ev.tagged_mask).sum())")
    wait_count_starts(page, f"{untagged:,} of")
    tagger.get_by_label("Touchpoint to tag").select_option(tp_id)
    face = tagger.locator('.cjm-tagger-emo[data-emotion="-1"]')
    assert face.get_attribute("title") == "Negative (-1) and touchpoint “Price comparison” — key 2"
    rows = tagger.locator("tbody tr")
    rows.nth(0).click()  # a click in the table also gives it the keyboard
    rows.nth(1).click(modifiers=["Shift"])
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-tagger tbody tr.cjm-selected').length === 2"
    )
    ids = [rows.nth(i).get_attribute("data-id") for i in range(2)]
    page.keyboard.press("2")  # key 2: the 😟 face, −1
    status = tagger.locator(".cjm-tagger-status")
    status.filter(has_text="Tagged 2 rows").wait_for()
    assert status.inner_text() == (
        "Tagged 2 rows: Price comparison · emotion −1 (negative). The curve counts them now."
    )
    frame = py(
        page,
        f"ev.frame.set_index('evidence_id').loc[{ids!r}, ['touchpoint_id', 'emotion']]"
        ".values.tolist()",
    )
    assert frame == [[tp_id, -1.0], [tp_id, -1.0]]
    # the curve's point now has n = 4
    page.wait_for_function(
        """() => [...document.querySelectorAll('.cjm-curve .points_marks path')].some(
             m => /touchpoint: Price comparison/.test(m.getAttribute('aria-label') || '')
               && /(^|; )n: 4(;|$)/.test(m.getAttribute('aria-label') || ''))"""
    )

    # no touchpoint chosen: a face on one quote says it needs a touchpoint, in the row too
    tagger.get_by_label("Touchpoint to tag").select_option("")
    assert face.get_attribute("title") == "Negative (-1) — key 2"
    row = rows.nth(3)
    row_id = row.get_attribute("data-id")
    row.click()
    page.wait_for_function(
        "() => document.querySelectorAll('.cjm-tagger tbody tr.cjm-selected').length === 1"
    )
    tagger.locator('.cjm-tagger-emo[data-emotion="2"]').click()
    status.filter(has_text="needs a touchpoint").wait_for()
    assert status.inner_text().startswith("Tagged 1 row: emotion +2 (very positive).")
    assert "It needs a touchpoint before it counts on the curve" in status.inner_text()
    cell = tagger.locator(f'tbody tr[data-id="{row_id}"] .cjm-tagger-needs-tp-note')
    cell.wait_for()
    assert cell.inner_text() == "needs a touchpoint"
    assert py(page, f"bool(ev.frame.set_index('evidence_id')['touchpoint_id'].isna()[{row_id!r}])")
    screenshot(tagger, "linked_needs_touchpoint")
