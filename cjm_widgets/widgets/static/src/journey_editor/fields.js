// @ts-check
/* Inline inputs and dialogs drawn on the board: the text editor and the delete confirmation. */
import { el } from "../_common.js";
import { confirmMessage, quoted } from "./logic.js";

/**
 * An input bound to a TextEdit (value kept in the edit, so rebuilds keep typing).
 * @param {import("./types.js").TextEdit} edit
 * @param {string} cls
 */
export function textEditor(edit, cls) {
  const input = el(edit.multiline ? "textarea" : "input", {
    class: `cjm-input ${cls}`,
    type: edit.multiline ? false : "text",
    rows: edit.multiline ? "2" : false,
    value: edit.value,
    "data-fk": `input:${edit.key}`,
    "data-edit": edit.key,
    "aria-label": edit.label,
    "aria-invalid": edit.error ? "true" : false,
    spellcheck: "true",
  });
  if (edit.multiline) /** @type {HTMLTextAreaElement} */ (input).value = edit.value;
  if (!edit.error) return input;
  return el("div", { class: "cjm-edit-wrap" }, [
    input,
    el("div", { class: "cjm-inline-error", role: "alert" }, [edit.error]),
  ]);
}

/**
 * The confirmation of a delete, with how much evidence is tagged to the item.
 * @param {import("./types.js").Confirm} c
 */
export function buildConfirm(c) {
  const what = c.kind === "stage" ? "stage" : "touchpoint";
  return el("div", {
    class: `cjm-confirm${c.rows > 0 ? " cjm-confirm-warn" : ""}`,
    role: "alertdialog",
    "aria-label": `Confirm deleting ${what} ${c.name}`,
  }, [
    el("p", { class: "cjm-confirm-text" }, [confirmMessage(c)]),
    el("div", { class: "cjm-confirm-actions" }, [
      el("button", {
        type: "button",
        class: "cjm-btn cjm-btn-danger",
        "data-action": "confirm-yes",
        "data-fk": "confirm-yes",
        "aria-label": `Delete ${what} ${quoted(c.name)}`,
        disabled: c.busy,
      }, ["Delete"]),
      el("button", {
        type: "button",
        class: "cjm-btn",
        "data-action": "confirm-no",
        "data-fk": "confirm-no",
        "aria-label": "Keep it",
      }, ["Cancel"]),
    ]),
  ]);
}
