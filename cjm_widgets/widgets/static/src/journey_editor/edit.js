// @ts-check
/*
 * Editing in place: the inline text editor (title, scope, names, descriptions, lane items)
 * and the touchpoint form. Values stay in the view's UI state while typing; a commit is one
 * call to Python, whose error keeps the input open with the message under it.
 */
import { formChanges, laneItemsAfterEdit } from "./logic.js";
import { stageById, tpById } from "./state.js";
import { focusKey, isVisibleIn, rerender } from "./view.js";

/**
 * @typedef {import("./types.js").Editor} Editor
 * @typedef {import("./types.js").EditSpec} EditSpec
 */

/**
 * Close every open input, form and confirmation (and the inline error).
 * @param {Editor} ed
 */
export function closeOverlays(ed) {
  const { ui } = ed;
  ui.edit = null;
  ui.form = null;
  ui.confirm = null;
  if (ui.notice) {
    ui.notice = null;
  }
  ed.banner.hide(null);
}

/**
 * Open an inline text editor and focus it with its text selected.
 * @param {Editor} ed
 * @param {EditSpec} spec
 */
export function openEdit(ed, spec) {
  closeOverlays(ed);
  ed.ui.edit = { ...spec, value: spec.original, error: null, busy: false,
    keepOpen: spec.keepOpen || false };
  rerender(ed);
  const input = ed.root.querySelector(`[data-fk="${CSS.escape(`input:${spec.key}`)}"]`);
  if (input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement) {
    input.focus({ preventScroll: true });
    input.select();
    if (!isVisibleIn(ed, input)) input.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
}

/**
 * Close the text editor without saving; its error leaves the banner too.
 * @param {Editor} ed
 * @param {boolean} [refocus]
 */
export function cancelEdit(ed, refocus = true) {
  const { ui, model } = ed;
  const edit = ui.edit;
  if (!edit) return;
  ui.edit = null;
  if (edit.error && model.get("error") === edit.error) {
    model.set("error", "");
    model.save_changes();
  }
  ed.banner.hide(null);
  rerender(ed);
  if (refocus) focusKey(ed, edit.after);
}

/**
 * Save the text editor's value (an unchanged or empty new value just closes it).
 * @param {Editor} ed
 */
export async function commitEdit(ed) {
  const { ui } = ed;
  const edit = ui.edit;
  if (!edit || edit.busy) return;
  const isNew = edit.key.startsWith("item-new:");
  if ((!isNew && edit.value === edit.original) || (isNew && edit.value.trim() === "")) {
    cancelEdit(ed);
    return;
  }
  /** @type {Record<string, any>} */
  let args = { ...edit.args, [edit.field]: edit.value };
  if (edit.method === "set_lane") {
    const stage = stageById(ed, edit.args.stage);
    if (!stage) {
      cancelEdit(ed);
      return;
    }
    const items = laneItemsAfterEdit((stage.lanes && stage.lanes[edit.args.lane]) || [],
      { isNew, index: edit.args.index, value: edit.value });
    args = { stage: edit.args.stage, lane: edit.args.lane, items };
  }
  edit.busy = true;
  const reply = await ed.api.call(edit.method, args);
  if (ui.disposed || ui.edit !== edit) return;
  edit.busy = false;
  if (reply.ok) {
    ed.banner.hide(null);
    if (isNew && edit.keepOpen) {
      edit.value = "";
      edit.original = "";
      edit.error = null;
      rerender(ed);
      focusKey(ed, `input:${edit.key}`);
      return;
    }
    ui.edit = null;
    rerender(ed);
    focusKey(ed, edit.after);
  } else {
    edit.error = String(reply.error);
    ed.banner.hide(edit.error);
    rerender(ed);
  }
}

/**
 * Open the form of touchpoint `id` with its name selected.
 * @param {Editor} ed
 * @param {string} id
 */
export function openForm(ed, id) {
  const found = tpById(ed, id);
  if (!found) return;
  closeOverlays(ed);
  ed.ui.form = {
    tp: id,
    name: found.tp.name,
    channel: found.tp.channel,
    phase: found.tp.phase || "",
    owner: found.tp.owner,
    error: null,
    busy: false,
  };
  rerender(ed);
  focusKey(ed, `form:${id}:name`);
  const input = ed.root.querySelector(`[data-fk="${CSS.escape(`form:${id}:name`)}"]`);
  if (input instanceof HTMLInputElement) input.select();
}

/**
 * Save what the form changed in one call (nothing changed: close it).
 * @param {Editor} ed
 */
export async function saveForm(ed) {
  const { ui } = ed;
  const form = ui.form;
  if (!form || form.busy) return;
  const found = tpById(ed, form.tp);
  if (!found) {
    ui.form = null;
    rerender(ed);
    return;
  }
  const changes = formChanges(form, found.tp);
  if (!Object.keys(changes).length) {
    cancelForm(ed);
    return;
  }
  form.busy = true;
  const reply = await ed.api.call("update_touchpoint", { touchpoint: form.tp, ...changes });
  if (ui.disposed || ui.form !== form) return;
  form.busy = false;
  if (reply.ok) {
    ui.form = null;
    ed.banner.hide(null);
    rerender(ed);
    focusKey(ed, `tp:${form.tp}`);
  } else {
    form.error = String(reply.error);
    ed.banner.hide(form.error);
    rerender(ed);
  }
}

/**
 * Close the form without saving; focus goes back to its card.
 * @param {Editor} ed
 */
export function cancelForm(ed) {
  const { ui, model } = ed;
  const form = ui.form;
  if (!form) return;
  ui.form = null;
  if (form.error && model.get("error") === form.error) {
    model.set("error", "");
    model.save_changes();
  }
  ed.banner.hide(null);
  rerender(ed);
  focusKey(ed, `tp:${form.tp}`);
}
