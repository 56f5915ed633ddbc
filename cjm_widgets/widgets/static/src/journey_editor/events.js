// @ts-check
/*
 * Pointer, input and focus listeners of the board: clicks run button actions and select,
 * double-clicks open editors, typing is kept in the UI state, leaving a field commits it.
 */
import { EDIT_ACTIONS, runAction } from "./actions.js";
import { commitEdit } from "./edit.js";
import { setSelected } from "./state.js";
import { rerender } from "./view.js";

/** @typedef {import("./types.js").Editor} Editor */

/** @param {Event} event */
const targetNode = (event) => (event.target instanceof Element ? event.target : null);

/**
 * A click on a touchpoint card (not on its buttons or fields, not while it is being edited)
 * tells Python, which links it (the Workspace filters its tagger to the touchpoint).
 * @param {Editor} ed
 * @param {Element} target
 */
function cardClicked(ed, target) {
  const card = target.closest(".cjm-tp[data-tp]");
  if (!(card instanceof HTMLElement) || !ed.root.contains(card)) return;
  if (card.classList.contains("cjm-tp-editing")) return;
  if (target.closest("button, input, textarea, select")) return;
  void ed.api.call("touchpoint_click", { touchpoint: card.dataset.tp });
}

/**
 * @param {Editor} ed
 * @param {MouseEvent} event
 */
function onClick(ed, event) {
  const target = targetNode(event);
  if (!target) return;
  const selectable = target.closest("[data-select]");
  if (selectable instanceof HTMLElement && selectable.dataset.select) {
    setSelected(ed, selectable.dataset.select);
  }
  cardClicked(ed, target);
  const node = target.closest("[data-action]");
  if (!(node instanceof HTMLElement) || !ed.root.contains(node)) return;
  const action = node.dataset.action || "";
  // Editable text opens on double-click (or Enter); single clicks only act on buttons.
  if (node.tagName !== "BUTTON") {
    if (action === "edit-stage-desc" && node.classList.contains("cjm-placeholder")) {
      void runAction(ed, action, node);
    }
    return;
  }
  event.preventDefault();
  void runAction(ed, action, node);
}

/**
 * @param {Editor} ed
 * @param {MouseEvent} event
 */
function onDblClick(ed, event) {
  const target = targetNode(event);
  if (!target || target.closest("button, input, select, textarea")) return;
  const node = target.closest("[data-action]");
  if (!(node instanceof HTMLElement) || node.tagName === "BUTTON") return;
  const action = node.dataset.action || "";
  if (EDIT_ACTIONS.includes(action)) {
    event.preventDefault();
    void runAction(ed, action, node);
  } else if (node.classList.contains("cjm-tp")) {
    void runAction(ed, "rename-touchpoint", node);
  }
}

/**
 * Typing: the value goes into the open edit or form (so a rebuild keeps it).
 * @param {Editor} ed
 * @param {Event} event
 */
function onInput(ed, event) {
  const { ui } = ed;
  const target = targetNode(event);
  if (!(target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement
    || target instanceof HTMLSelectElement)) return;
  const editKey = target.dataset.edit;
  if (editKey && ui.edit && ui.edit.key === editKey) {
    ui.edit.value = target.value;
    return;
  }
  const field = target.dataset.formField;
  if (field && ui.form) {
    /** @type {any} */ (ui.form)[field] = target.value;
  }
}

/**
 * Leaving a text field commits a change (an error keeps it open); an untouched field closes.
 * @param {Editor} ed
 * @param {FocusEvent} event
 */
function onFocusOut(ed, event) {
  const { ui } = ed;
  if (ui.rendering) return;
  const target = targetNode(event);
  if (!(target instanceof HTMLElement) || !target.dataset.edit) return;
  const edit = ui.edit;
  if (!edit || edit.key !== target.dataset.edit || edit.busy) return;
  const next = event.relatedTarget;
  if (next instanceof Node && target.parentElement && target.parentElement.contains(next)) {
    return;
  }
  if (edit.value === edit.original || (edit.key.startsWith("item-new:")
    && edit.value.trim() === "")) {
    ui.edit = null;
    queueMicrotask(() => rerender(ed));
  } else {
    void commitEdit(ed);
  }
}

/**
 * Focus on a card or a stage name selects it.
 * @param {Editor} ed
 * @param {FocusEvent} event
 */
function onFocusIn(ed, event) {
  if (ed.ui.rendering) return;
  const target = targetNode(event);
  if (!(target instanceof HTMLElement)) return;
  if (target.classList.contains("cjm-tp") && target.dataset.tp) setSelected(ed, target.dataset.tp);
  else if (target.classList.contains("cjm-stage-name") && target.dataset.stage) {
    setSelected(ed, target.dataset.stage);
  }
}

/**
 * The pointer, input and focus listeners of the board.
 * @param {Editor} ed
 * @returns {Array<[string, EventListener]>}
 */
export function pointerListeners(ed) {
  return [
    ["pointerdown", () => { ed.ui.keyboard = false; }],
    ["click", (event) => onClick(ed, /** @type {MouseEvent} */ (event))],
    ["dblclick", (event) => onDblClick(ed, /** @type {MouseEvent} */ (event))],
    ["input", (event) => onInput(ed, event)],
    ["change", (event) => onInput(ed, event)],
    ["focusout", (event) => onFocusOut(ed, /** @type {FocusEvent} */ (event))],
    ["focusin", (event) => onFocusIn(ed, /** @type {FocusEvent} */ (event))],
  ];
}
