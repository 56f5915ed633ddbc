"""JourneyEditor in real JupyterLab, used as a person uses it: clicks, double-clicks and keys.

After each step the journey is read back from the kernel (the widget edits *that* object).
Names carry XSS payloads; the page fixture fails the test if one executes or if anything is
requested from a non-local host.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .lab import (
    DARK_THEME,
    LIGHT_THEME,
    open_notebook,
    run_all,
    run_python,
    screenshot_whole,
    set_theme,
    write_notebook,
)

pytestmark = pytest.mark.browser

STAGE_XSS = """Discover <img src=x onerror="window.__cjm_pwned('stage')">"""
TP_XSS = """Ad <img src=x onerror="window.__cjm_pwned('touchpoint')">"""
TITLE_XSS = """Grocery order <img src=x onerror="window.__cjm_pwned('title')">"""
PERSONA_XSS = """Busy parent <svg onload="window.__cjm_pwned('persona')">"""
OWNER_XSS = """Marketing "><img src=x onerror="window.__cjm_pwned('owner')">"""
ITEM_XSS = """Sees an ad <img src=x onerror="window.__cjm_pwned('lane')">"""

SETUP = f"""
import cjm_widgets as cjm
from cjm_widgets.widgets import JourneyEditor

j = cjm.Journey(title={TITLE_XSS!r}, scope="From the first ad to the first delivery, web shop")
j.add_persona({PERSONA_XSS!r}, description="Two kids, orders weekly on the phone")
j.add_stage({STAGE_XSS!r}, description="Sees the offer")
j.add_stage("Order", description="Fills the basket and pays")
j.add_stage("Delivery")
j.add_touchpoint(j.stages[0].id, {TP_XSS!r}, channel="social", phase="pre-purchase",
                 owner={OWNER_XSS!r})
j.add_touchpoint("Order", "Checkout", channel="web", phase="purchase", owner="E-commerce")
j.add_touchpoint("Order", "Order confirmation", channel="email", phase="post-purchase",
                 owner="CRM")
j.add_touchpoint("Delivery", "Courier", channel="in person", phase="post-purchase",
                 owner="Logistics")
j.set_lane(j.stages[0].id, "actions", [{ITEM_XSS!r}, "Compares prices"])
j.set_lane("Order", "actions", ["Picks a delivery slot"])
j.set_lane("Order", "pain_points", ["Delivery fee shown late"])
j.set_lane("Delivery", "opportunities", ["Live courier tracking"])
j.set_lane("Order", "thoughts_feelings", ["Will it arrive in time?"])
checkout_id = j.touchpoint("Checkout").id
j.add_reference_counter(lambda stages, tps: 3 if checkout_id in tps else 0)
"""

SHOW = "editor = JourneyEditor(j)\neditor"


def py(page, expr: str):
    """Evaluate ``expr`` in the kernel and return it (through JSON)."""
    out = run_python(page, f"import json as _json\nprint(_json.dumps({expr}))")
    return json.loads(out)


def stage_names(page):
    return py(page, "[s.name for s in j.stages]")


@pytest.fixture
def board(lab, page):
    write_notebook(lab.root_dir, "journey_editor.ipynb", [SETUP, SHOW])
    open_notebook(page, lab, "journey_editor.ipynb")
    run_all(page)
    editor = page.locator(".cjm-editor")
    editor.wait_for(timeout=60_000)
    page.locator(".cjm-editor .cjm-stage-head").nth(2).wait_for()
    return editor


def wait_dom(page, js: str, arg=None, timeout=10_000):
    page.wait_for_function(js, arg=arg, timeout=timeout, polling="raf")


def stage_name_node(editor, name: str):
    return editor.locator(".cjm-stage-name").filter(has_text=name).first


def card(editor, name: str):
    return (
        editor.locator(".cjm-tp")
        .filter(has=editor.page.locator(".cjm-tp-name", has_text=name))
        .first
    )


def active_fk(page):
    return page.evaluate("() => document.activeElement && document.activeElement.dataset.fk")


def shot(page, editor, name: str):
    """Screenshot the whole widget: a viewport tall (and wide) enough, board scrolled home."""
    editor.evaluate(
        "el => { const s = el.querySelector('.cjm-board-scroll'); if (s) s.scrollLeft = 0; }"
    )
    return screenshot_whole(page, editor, name)


def timed(page, trigger, done_js: str) -> float:
    """Milliseconds from the input event (click/key, capture phase) to the DOM state
    ``done_js`` (a JS arrow function) — measured in the page by a MutationObserver."""
    page.evaluate(
        """(src) => {
          const done = (0, eval)(src);
          window.__cjm_t0 = null;
          window.__cjm_lat = null;
          const stamp = () => {
            if (window.__cjm_t0 === null) window.__cjm_t0 = performance.now();
          };
          document.addEventListener('click', stamp, {capture: true, once: true});
          document.addEventListener('keydown', stamp, {capture: true, once: true});
          const obs = new MutationObserver(() => {
            if (window.__cjm_t0 !== null && done()) {
              window.__cjm_lat = performance.now() - window.__cjm_t0;
              obs.disconnect();
            }
          });
          obs.observe(document.body,
                      {subtree: true, childList: true, characterData: true, attributes: true});
        }""",
        done_js,
    )
    trigger()
    page.wait_for_function("() => window.__cjm_lat !== null", timeout=10_000)
    return page.evaluate("() => window.__cjm_lat")


SPY_COMMANDS = """() => {
  window.__cjm_cmds = [];
  if (!window.__cjm_spy) {
    window.__cjm_spy = (_, args) => window.__cjm_cmds.push(args.id);
    window.jupyterapp.commands.commandExecuted.connect(window.__cjm_spy);
  }
}"""


def test_journey_editor_by_mouse_and_keyboard(lab, page, page_monitor, board):
    editor = board
    timings: dict[str, float] = {}
    # Text with markup is shown as text, everywhere.
    assert stage_name_node(editor, "Discover").inner_text() == STAGE_XSS
    assert editor.locator(".cjm-title").inner_text() == TITLE_XSS
    assert editor.locator(".cjm-persona-name").inner_text() == PERSONA_XSS
    assert card(editor, "Ad").locator(".cjm-tp-name").inner_text() == TP_XSS
    assert OWNER_XSS in card(editor, "Ad").locator(".cjm-tp-owner").inner_text()
    assert editor.locator(".cjm-item-text").filter(has_text="Sees an ad").inner_text() == ITEM_XSS
    assert editor.locator("img, script, iframe").count() == 0
    assert editor.locator("svg:not(.cjm-icon)").count() == 0
    # Every control is labelled for assistive technology.
    unlabelled = editor.evaluate(
        """el => [...el.querySelectorAll('button, input, select, textarea, [tabindex="0"]')]
                 .filter(n => !(n.getAttribute('aria-label') || '').trim())
                 .map(n => n.outerHTML.slice(0, 80))"""
    )
    assert unlabelled == []
    assert editor.locator(".cjm-error[role=alert]").count() == 1
    shot(page, editor, "journey-editor-light")

    # 1. Add a stage with the toolbar button.
    timings["add stage → column drawn"] = timed(
        page,
        lambda: editor.get_by_role("button", name="Add a stage at the end").first.click(),
        "() => document.querySelectorAll('.cjm-editor .cjm-stage-head').length === 4",
    )
    assert stage_names(page) == [STAGE_XSS, "Order", "Delivery", "New stage"]

    # 2. Rename it: double-click, type, Enter. (The kernel's reply to the add scrolls the
    #    board to the new stage; a double-click landing while the board moves is tried again.)
    name_input = editor.locator("input.cjm-stage-name-input")
    for attempt in range(3):
        stage_name_node(editor, "New stage").dblclick()
        try:
            name_input.wait_for(timeout=3_000)
            break
        except PlaywrightTimeout:
            assert attempt < 2, "double-clicking the new stage never opened its name field"
    assert name_input.evaluate("el => el === document.activeElement")
    page.keyboard.type("Pick-up")
    timings["rename Enter → name drawn"] = timed(
        page,
        lambda: page.keyboard.press("Enter"),
        """() => [...document.querySelectorAll('.cjm-editor .cjm-stage-name')]
                   .some(n => n.textContent === 'Pick-up')""",
    )
    assert name_input.count() == 0
    assert active_fk(page) == "stage:" + py(page, "j.stage('Pick-up').id")
    assert stage_names(page)[-1] == "Pick-up"

    # 3. An invalid rename (a duplicate) shows the model's error inline and changes nothing.
    stage_name_node(editor, "Pick-up").dblclick()
    name_input.wait_for()
    page.keyboard.type("order")
    page.keyboard.press("Enter")
    inline = editor.locator(".cjm-stage-head .cjm-inline-error")
    inline.wait_for()
    assert "already a stage named 'Order'" in inline.inner_text()
    assert name_input.input_value() == "order"  # still open, so it can be corrected
    assert name_input.get_attribute("aria-invalid") == "true"
    assert editor.locator(".cjm-error").is_hidden()  # shown inline, not twice
    shot(page, editor, "journey-editor-inline-error")
    assert stage_names(page) == [STAGE_XSS, "Order", "Delivery", "Pick-up"]
    assert "already a stage named" in py(page, "editor.error")
    name_input.press("Escape")
    stage_name_node(editor, "Pick-up").wait_for()
    assert inline.count() == 0
    assert py(page, "editor.error") == ""

    # 4. Add a touchpoint to "Order"; focus lands on the new card.
    editor.get_by_role("button", name="Add a touchpoint to 'Order'").click()
    new_card = card(editor, "New touchpoint")
    new_card.wait_for()
    tp_id = py(page, "j.touchpoint('New touchpoint').id")
    assert py(page, "[t.name for t in j.stage('Order').touchpoints]") == [
        "Checkout",
        "Order confirmation",
        "New touchpoint",
    ]

    # 5. Move it to the next stage with Alt+ArrowRight (focus stays on the card).
    delivery_id = py(page, "j.stage('Delivery').id")
    new_card.click()  # run_python moved focus to the notebook; a person clicks the card
    assert active_fk(page) == f"tp:{tp_id}"
    timings["Alt+ArrowRight → card moved"] = timed(
        page,
        lambda: page.keyboard.press("Alt+ArrowRight"),
        f"""() => {{ const c = document.querySelector('.cjm-tp[data-tp="{tp_id}"]');
                    return !!c && c.dataset.stage === '{delivery_id}'; }}""",
    )
    assert active_fk(page) == f"tp:{tp_id}"
    # The focus ring shows (keyboard focus).
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert py(page, f"j.stage_of({tp_id!r}).name") == "Delivery"
    assert py(page, "[t.name for t in j.stage('Delivery').touchpoints]") == [
        "Courier",
        "New touchpoint",
    ]
    # Alt+ArrowUp reorders within the stage.
    new_card.click()
    page.keyboard.press("Alt+ArrowUp")
    wait_dom(
        page,
        """(id) => document.querySelector('[data-tp-cell] .cjm-tp[data-tp="' + id + '"]')
                  && document.querySelector(`.cjm-tp[data-tp="${id}"]`).previousElementSibling
                     === null""",
        tp_id,
    )
    assert py(page, "[t.name for t in j.stage('Delivery').touchpoints]") == [
        "New touchpoint",
        "Courier",
    ]

    # 6. Change its channel in the inline form (Enter opens it; a <select>; Save).
    new_card.click()
    page.keyboard.press("Enter")
    form = new_card.locator(".cjm-form")
    form.wait_for()
    form.get_by_label("Channel").select_option("email")
    form.get_by_label("Owner").fill("CRM")
    shot(page, editor, "journey-editor-form")
    form.get_by_role("button", name="Save touchpoint").click()
    form.wait_for(state="detached")
    assert new_card.locator(".cjm-chip-channel").inner_text() == "Email"
    assert py(page, f"(j.touchpoint({tp_id!r}).channel, j.touchpoint({tp_id!r}).owner)") == [
        "email",
        "CRM",
    ]

    # 7. Delete with the inline confirmation that counts the evidence.
    checkout = card(editor, "Checkout")
    checkout.hover()
    checkout.get_by_role("button", name="Delete touchpoint 'Checkout'").click()
    confirm = checkout.locator(".cjm-confirm")
    confirm.wait_for()
    assert (
        "3 evidence rows are tagged to 'Checkout'. Delete anyway? (Undo brings it back.)"
        in confirm.inner_text()
    )
    shot(page, editor, "journey-editor-confirm")
    confirm.get_by_role("button", name="Keep it").click()
    confirm.wait_for(state="detached")
    assert "Checkout" in py(page, "[t.name for t in j.touchpoints]")

    new_card.hover()
    new_card.get_by_role("button", name="Delete touchpoint 'New touchpoint'").click()
    confirm = new_card.locator(".cjm-confirm")
    confirm.wait_for()
    assert "No evidence is tagged to it. (Undo brings it back.)" in confirm.inner_text()
    confirm.get_by_role("button", name="Delete touchpoint 'New touchpoint'").click()
    new_card.wait_for(state="detached")
    assert "New touchpoint" not in py(page, "[t.name for t in j.touchpoints]")
    assert page_monitor.dialogs == []  # no window.confirm

    # 8. Ctrl+Z with focus in the widget brings it back; JupyterLab's own undo does not fire.
    card(editor, "Courier").click()
    n_cells = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets.length")
    page.evaluate(SPY_COMMANDS)
    timings["Ctrl+Z → card back"] = timed(
        page,
        lambda: page.keyboard.press("Control+z"),
        f"""() => !!document.querySelector('.cjm-tp[data-tp="{tp_id}"]')""",
    )
    page.keyboard.press("z")  # Lab's command-mode "undo cell operation" key: ours now
    page.keyboard.press("d")
    page.keyboard.press("d")  # "d d" would delete the cell in command mode
    assert page.evaluate("() => window.__cjm_cmds") == []
    assert (
        page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets.length")
        == n_cells
    )
    assert py(page, f"j.touchpoint({tp_id!r}).name") == "New touchpoint"
    assert py(page, f"j.stage_of({tp_id!r}).name") == "Delivery"
    card(editor, "Courier").click()
    page.keyboard.press("Control+Shift+z")
    new_card.wait_for(state="detached")
    assert "New touchpoint" not in py(page, "[t.name for t in j.touchpoints]")
    # The Undo button does the same.
    undo = editor.get_by_role("button", name="Undo the last change (Ctrl+Z)")
    undo.click()
    new_card.wait_for()
    assert "New touchpoint" in py(page, "[t.name for t in j.touchpoints]")

    # 9. A change made in Python shows at once, keeping focus and scroll where they were.
    run_python(page, "j.add_stage('Support', description='After delivery')")
    stage_name_node(editor, "Support").wait_for()
    run_python(
        page,
        "import threading\n"
        "threading.Timer(1.5, lambda: j.rename_stage('Support', 'Aftercare')).start()",
    )
    courier = card(editor, "Courier")
    courier.click()
    editor.evaluate("el => { el.querySelector('.cjm-board-scroll').scrollLeft = 60; }")
    stage_name_node(editor, "Aftercare").wait_for()
    assert active_fk(page) == "tp:" + courier.get_attribute("data-tp")
    assert editor.evaluate("el => el.querySelector('.cjm-board-scroll').scrollLeft") == 60

    # Stages move by keyboard too: Alt+ArrowLeft on the focused stage name.
    stage_name_node(editor, "Pick-up").click()
    page.keyboard.press("Alt+ArrowLeft")
    wait_dom(
        page,
        """() => [...document.querySelectorAll('.cjm-stage-name')].map(n => n.textContent)
                  .indexOf('Pick-up') === 2""",
    )
    assert stage_names(page) == [STAGE_XSS, "Order", "Pick-up", "Delivery", "Aftercare"]

    # 10. Lane items: add one with the cell's Add button, Enter.
    add_item = editor.get_by_role("button", name="Add an item to Pain points in 'Delivery'")
    add_item.click()
    page.keyboard.type("Courier late, no call")
    page.keyboard.press("Enter")
    editor.locator(".cjm-item-text", has_text="Courier late, no call").wait_for()
    page.keyboard.press("Escape")
    assert py(page, f"j.cell({delivery_id!r}, 'pain_points')") == ["Courier late, no call"]

    # 11. Drag and drop: a card onto the lower half of another stage's card (→ after it),
    # and a stage header onto the left half of another (→ before it).
    checkout_box = card(editor, "Checkout").bounding_box()
    card(editor, "Courier").drag_to(
        card(editor, "Checkout"),
        target_position={"x": checkout_box["width"] / 2, "y": checkout_box["height"] - 6},
    )
    wait_dom(
        page,
        """() => { const c = [...document.querySelectorAll('.cjm-tp')]
                     .find(n => n.querySelector('.cjm-tp-name').textContent === 'Courier');
                   const prev = c && c.previousElementSibling;
                   return !!prev && prev.querySelector('.cjm-tp-name').textContent === 'Checkout';
                 }""",
    )
    assert py(page, "[t.name for t in j.stage('Order').touchpoints]") == [
        "Checkout",
        "Courier",
        "Order confirmation",
    ]
    target = editor.locator(".cjm-stage-head").filter(has_text="Pick-up").first
    box = target.bounding_box()
    editor.locator(".cjm-stage-head").filter(has_text="Aftercare").first.drag_to(
        target, target_position={"x": box["width"] * 0.3, "y": 20}
    )
    wait_dom(
        page,
        """() => [...document.querySelectorAll('.cjm-stage-name')].map(n => n.textContent)
                  .indexOf('Aftercare') === 2""",
    )
    assert stage_names(page) == [STAGE_XSS, "Order", "Aftercare", "Pick-up", "Delivery"]

    # Looks: light and dark.
    shot(page, editor, "journey-editor-light-after")
    set_theme(page, DARK_THEME)
    shot(page, editor, "journey-editor-dark")
    set_theme(page, LIGHT_THEME)

    assert page_monitor.page_errors == []
    print("timings (in-page, input event → DOM):", {k: f"{v:.0f} ms" for k, v in timings.items()})
    assert all(v < 2000 for v in timings.values()), timings


def test_two_editors_stay_consistent_and_close_cleans_up(lab, page, page_monitor):
    """Two views of one journey: an edit in one shows in the other; close() removes both."""
    write_notebook(
        lab.root_dir,
        "two_editors.ipynb",
        [
            "import cjm_widgets as cjm\nfrom cjm_widgets.widgets import JourneyEditor\n"
            "j = cjm.Journey(title='Two views')\nj.add_stage('Discover')\nj.add_stage('Buy')",
            "a = JourneyEditor(j)\na",
            "b = JourneyEditor(j)\nb",
        ],
    )
    open_notebook(page, lab, "two_editors.ipynb")
    run_all(page)
    first, second = page.locator(".cjm-editor").nth(0), page.locator(".cjm-editor").nth(1)
    second.wait_for()
    first.get_by_role("button", name="Insert a stage after 'Discover'").click()
    second.locator(".cjm-stage-name", has_text="New stage").wait_for()
    names = [n.inner_text() for n in second.locator(".cjm-stage-name").all()]
    assert names == ["Discover", "New stage", "Buy"]
    # An error shows inline in the view that made it; the other editor is not bothered.
    second.locator(".cjm-stage-name", has_text="New stage").dblclick()
    page.keyboard.type("buy")
    page.keyboard.press("Enter")
    second.locator(".cjm-inline-error").wait_for()
    assert second.locator(".cjm-error").is_hidden()  # not twice
    assert "already a stage named 'Buy'" in second.locator(".cjm-inline-error").inner_text()
    assert (
        first.locator(".cjm-error").is_hidden() and first.locator(".cjm-inline-error").count() == 0
    )
    page.keyboard.press("Escape")
    second.locator(".cjm-inline-error").wait_for(state="detached")
    assert py(page, "[s.name for s in j.stages]") == ["Discover", "New stage", "Buy"]
    # Errors from Python land in the banner (as text), and the person can dismiss them.
    run_python(
        page,
        "b.report_error(cjm.JourneyError('Could not save <img src=x "
        "onerror=\"window.__cjm_pwned(\\'banner\\')\">'))",
    )
    banner = second.locator(".cjm-error")
    banner.wait_for()
    assert "Could not save <img src=x" in banner.inner_text()
    banner.get_by_role("button", name="Dismiss error").click()
    banner.wait_for(state="hidden")
    assert py(page, "b.error") == ""
    # The first view keeps working while the second has its own state.
    first.get_by_role("button", name="Undo the last change (Ctrl+Z)").click()
    second.locator(".cjm-stage-name", has_text="New stage").wait_for(state="detached")
    assert py(page, "[s.name for s in j.stages]") == ["Discover", "Buy"]
    run_python(page, "a.close(); b.close()")
    page.wait_for_function("() => document.querySelectorAll('.cjm-editor').length === 0")
    assert py(page, "len(j._observers)") == 0
    assert page_monitor.page_errors == []


FINNISH_SETUP = """
import cjm_widgets as cjm
from cjm_widgets.model.templates import labels
from cjm_widgets.widgets import JourneyEditor

j = cjm.Journey.from_template(
    "current_state", stages="seven_stage", language="fi",
    title="Ensimmäinen ruokatilaus", scope="Mainoksesta ensimmäiseen toimitukseen",
    persona={"name": "Kiireinen vanhempi", "description": "Tilaa viikoittain"},
)
s = j.stages
j.add_touchpoint(s[0].id, "Instagram-mainos", channel="social", phase="pre-purchase")
j.add_touchpoint(s[1].id, "Hintavertailu", channel="web", phase="pre-purchase")
j.add_touchpoint(s[2].id, "Kassa", channel="web", phase="purchase", owner="Verkkokauppa")
j.add_touchpoint(s[2].id, "Tilausvahvistus", channel="email", phase="post-purchase")
j.add_touchpoint(s[3].id, "Sovelluksen esittely", channel="mobile app")
j.add_touchpoint(s[4].id, "Asiakaspalvelu", channel="chat", owner="Asiakaspalvelu")
j.add_touchpoint(s[4].id, "Kuljettaja", channel="in person", phase="post-purchase")
j.set_lane(s[2].id, j.lanes[0].id, ["Valitsee toimitusajan"])
JourneyEditor(j)
"""


def test_template_journey_in_finnish_looks_right(lab, page, page_monitor):
    """A seven-stage Finnish template with a few touchpoints: labels, channels, both themes."""
    write_notebook(
        lab.root_dir,
        "template_editor.ipynb",
        [
            FINNISH_SETUP,
        ],
    )
    open_notebook(page, lab, "template_editor.ipynb")
    run_all(page)
    editor = page.locator(".cjm-editor")
    editor.locator(".cjm-stage-head").nth(6).wait_for()
    assert editor.locator(".cjm-badge-current").inner_text() == py(
        page, "labels('fi')['ui']['current_state']"
    )
    chip = editor.locator(".cjm-tp", has_text="Tilausvahvistus").locator(".cjm-chip-channel")
    assert chip.inner_text() == py(page, "labels('fi')['channels']['email']")
    shot(page, editor, "journey-editor-fi-light")
    set_theme(page, DARK_THEME)
    shot(page, editor, "journey-editor-fi-dark")
    set_theme(page, LIGHT_THEME)
    assert page_monitor.page_errors == []
