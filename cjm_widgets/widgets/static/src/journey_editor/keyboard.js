// @ts-check
/*
 * The board's keys: in a text field Enter commits and Escape cancels; in the form Enter saves
 * and Escape closes; elsewhere Ctrl+Z / Ctrl+Shift+Z undo and redo, and logic.js boardKey
 * maps the rest (Alt+arrows move, Enter/F2 edit, Delete deletes). Keys inside the widget stay
 * out of the notebook's shortcuts.
 */
import { isRedoKey, isTextField, isUndoKey } from "../_common.js";
import { runAction } from "./actions.js";
import { askDelete, cancelConfirm } from "./dialogs.js";
import { cancelEdit, cancelForm, closeOverlays, commitEdit, saveForm } from "./edit.js";
import { boardKey } from "./logic.js";
import { moveStageBy, moveTouchpointAcross, moveTouchpointWithin } from "./moves.js";
import { act } from "./view.js";

/** @typedef {import("./types.js").Editor} Editor */

/**
 * The keydown listener of the board.
 * @param {Editor} ed
 * @returns {(event: KeyboardEvent) => void}
 */
export function keyDownHandler(ed) {
  return (event) => {
    if (!["Alt", "Control", "Meta", "Shift"].includes(event.key)) ed.ui.keyboard = true;
    const target = event.target;
    if (!(target instanceof HTMLElement)) return;
    const handled = handleKey(ed, event, target);
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    } else if (!(event.shiftKey && event.key === "Enter")) {
      // Keys inside the widget are the widget's: keep notebook shortcuts out.
      event.stopPropagation();
    }
  };
}

/**
 * @param {Editor} ed
 * @param {KeyboardEvent} event
 * @param {HTMLElement} target
 * @returns {boolean} true when the widget used the key
 */
function handleKey(ed, event, target) {
  // Text fields: Enter commits, Escape cancels; everything else is the field's own.
  if (target.dataset.edit) {
    const multiline = target instanceof HTMLTextAreaElement;
    if (event.key === "Enter" && !event.isComposing && (!multiline || !event.shiftKey)) {
      void commitEdit(ed);
      return true;
    }
    if (event.key === "Escape") {
      cancelEdit(ed);
      return true;
    }
    return false;
  }
  if (target.closest("[data-form]")) {
    if (event.key === "Escape") {
      cancelForm(ed);
      return true;
    }
    if (event.key === "Enter" && !event.isComposing && !(target instanceof HTMLButtonElement)
      && !(target instanceof HTMLSelectElement)) {
      void saveForm(ed);
      return true;
    }
    return false;
  }
  if (isTextField(target)) return false;
  if (isUndoKey(event) || isRedoKey(event)) {
    closeOverlays(ed);
    void act(ed, isRedoKey(event) ? "redo" : "undo", {});
    return true;
  }
  if (event.key === "Escape" && ed.ui.confirm) {
    cancelConfirm(ed);
    return true;
  }
  return boardKeyDone(ed, event, target);
}

/**
 * Run what the board's keyboard map says for this key on this element.
 * @param {Editor} ed
 * @param {KeyboardEvent} event
 * @param {HTMLElement} target
 * @returns {boolean} true when the key did something
 */
function boardKeyDone(ed, event, target) {
  const intent = boardKey(event, {
    stage: target.classList.contains("cjm-stage-name") ? target.dataset.stage || null : null,
    tp: target.classList.contains("cjm-tp") ? target.dataset.tp || null : null,
    item: target.classList.contains("cjm-item") && target.dataset.index !== undefined,
    editable: Boolean(target.dataset.action) && target.tagName !== "BUTTON",
  });
  if (!intent) return false;
  switch (intent.do) {
    case "move-stage":
      void moveStageBy(ed, intent.stage, intent.delta);
      break;
    case "move-across":
      void moveTouchpointAcross(ed, intent.tp, intent.delta);
      break;
    case "move-within":
      void moveTouchpointWithin(ed, intent.tp, intent.delta);
      break;
    case "edit-touchpoint":
    case "rename-touchpoint":
      void runAction(ed, intent.do, target);
      break;
    case "open":
      void runAction(ed, target.dataset.action || "", target);
      break;
    case "delete-touchpoint":
      void askDelete(ed, "touchpoint", intent.tp);
      break;
    case "delete-stage":
      void askDelete(ed, "stage", intent.stage);
      break;
    case "delete-item": {
      const del = target.querySelector("[data-action='delete-item']");
      if (del instanceof HTMLElement) void runAction(ed, "delete-item", del);
      break;
    }
    default:
      return false;
  }
  return true;
}
