// @ts-check
/*
 * The board's actions, named by the `data-action` of the element that triggers them (buttons,
 * editable text, keys): undo/redo, adds, opening editors, deletes, lane items.
 */
import { askDelete, cancelConfirm, confirmDelete } from "./dialogs.js";
import { cancelForm, closeOverlays, openEdit, openForm, saveForm } from "./edit.js";
import { quoted } from "./logic.js";
import { stageById, state, tpById } from "./state.js";
import { act, focusKey } from "./view.js";

/** @typedef {import("./types.js").Editor} Editor */

/** Actions that open an inline text editor (double-click or Enter on editable text). */
export const EDIT_ACTIONS = ["edit-title", "edit-scope", "rename-stage", "edit-stage-desc",
  "rename-touchpoint", "edit-item"];

/**
 * Run the action `action` of element `node` (its data-stage / data-tp / data-lane say on what).
 * @param {Editor} ed
 * @param {string} action
 * @param {HTMLElement} node
 */
export async function runAction(ed, action, node) {
  const stageId = node.dataset.stage || "";
  const tpId = node.dataset.tp || "";
  switch (action) {
    case "undo":
    case "redo": {
      closeOverlays(ed);
      await act(ed, action, {});
      return;
    }
    case "add-stage":
    case "insert-stage": {
      closeOverlays(ed);
      const args = action === "insert-stage" ? { after: stageId } : {};
      const where = action === "insert-stage" ? `stage-ins:${stageId}` : null;
      const reply = await act(ed, "add_stage", args, where);
      if (reply.ok) focusKey(ed, `stage:${reply.result}`);
      return;
    }
    case "add-touchpoint": {
      closeOverlays(ed);
      const reply = await act(ed, "add_touchpoint", { stage: stageId }, `tp-add:${stageId}`);
      if (reply.ok) focusKey(ed, `tp:${reply.result}`);
      return;
    }
    case "edit-touchpoint":
      if (ed.ui.form && ed.ui.form.tp === tpId) cancelForm(ed);
      else openForm(ed, tpId);
      return;
    case "delete-stage":
      await askDelete(ed, "stage", stageId);
      return;
    case "delete-touchpoint":
      await askDelete(ed, "touchpoint", tpId);
      return;
    case "confirm-yes":
      await confirmDelete(ed);
      return;
    case "confirm-no":
      cancelConfirm(ed);
      return;
    case "form-save":
      await saveForm(ed);
      return;
    case "form-cancel":
      cancelForm(ed);
      return;
    case "add-item":
      openItemEditor(ed, action, node);
      return;
    case "delete-item":
      await deleteItem(ed, node);
      return;
    case "fill-lanes":
      closeOverlays(ed);
      await act(ed, "fill_lanes", {}, "fill-lanes");
      return;
    case "show-evidence":
      await act(ed, "show_evidence", { stage: stageId, lane: node.dataset.lane || "",
        index: Number(node.dataset.index || 0) }, node.dataset.fk || null);
      return;
    default:
      if (EDIT_ACTIONS.includes(action)) openEditor(ed, action, node);
  }
}

/**
 * Open the text editor of the title, the scope, a stage's name or description, a
 * touchpoint's name or a lane item.
 * @param {Editor} ed
 * @param {string} action
 * @param {HTMLElement} node
 */
function openEditor(ed, action, node) {
  const stageId = node.dataset.stage || "";
  const tpId = node.dataset.tp || "";
  const j = state(ed).journey;
  switch (action) {
    case "edit-title":
      openEdit(ed, { key: "title", method: "update", args: {}, field: "title",
        original: j.title, label: "Journey title", multiline: false, after: "title" });
      return;
    case "edit-scope":
      openEdit(ed, { key: "scope", method: "update", args: {}, field: "scope",
        original: j.scope, label: "Scope of the journey", multiline: true, after: "scope" });
      return;
    case "rename-stage": {
      const stage = stageById(ed, stageId);
      if (!stage) return;
      openEdit(ed, { key: `stage-name:${stage.id}`, method: "rename_stage",
        args: { stage: stage.id }, field: "name", original: stage.name,
        label: `New name for stage ${quoted(stage.name)}`, multiline: false,
        after: `stage:${stage.id}` });
      return;
    }
    case "edit-stage-desc": {
      const stage = stageById(ed, stageId);
      if (!stage) return;
      openEdit(ed, { key: `stage-desc:${stage.id}`, method: "update_stage",
        args: { stage: stage.id }, field: "description", original: stage.description,
        label: `Description of stage ${quoted(stage.name)}`, multiline: true,
        after: `stage-desc:${stage.id}` });
      return;
    }
    case "rename-touchpoint": {
      const found = tpById(ed, tpId);
      if (!found) return;
      openEdit(ed, { key: `tp-name:${tpId}`, method: "update_touchpoint",
        args: { touchpoint: tpId }, field: "name", original: found.tp.name,
        label: `New name for touchpoint ${quoted(found.tp.name)}`, multiline: false,
        after: `tp:${tpId}` });
      return;
    }
    case "edit-item":
      openItemEditor(ed, action, node);
      return;
    default:
  }
}

/**
 * Open the editor of a new lane item ("add-item", stays open for the next) or of one item.
 * @param {Editor} ed
 * @param {string} action
 * @param {HTMLElement} node
 */
function openItemEditor(ed, action, node) {
  const stageId = node.dataset.stage || "";
  const lane = node.dataset.lane || "";
  const stage = stageById(ed, stageId);
  const laneObj = state(ed).journey.lanes.find((l) => l.id === lane);
  if (!stage || !laneObj) return;
  const base = `${stageId}:${lane}`;
  if (action === "add-item") {
    openEdit(ed, { key: `item-new:${base}`, method: "set_lane",
      args: { stage: stageId, lane }, field: "items", original: "",
      label: `New item for ${laneObj.name} in ${quoted(stage.name)}`, multiline: false,
      after: `item-add:${base}`, keepOpen: true });
  } else {
    const index = Number(node.dataset.index);
    const items = stage.lanes[lane] || [];
    openEdit(ed, { key: `item:${base}:${index}`, method: "set_lane",
      args: { stage: stageId, lane, index }, field: "items", original: items[index] || "",
      label: `Edit ${laneObj.name} item (empty removes it)`, multiline: false,
      after: `item:${base}:${index}` });
  }
}

/**
 * Remove a lane item (the button's data-stage/lane/index); focus goes to its neighbour.
 * @param {Editor} ed
 * @param {HTMLElement} node
 */
async function deleteItem(ed, node) {
  const stageId = node.dataset.stage || "";
  const lane = node.dataset.lane || "";
  const stage = stageById(ed, stageId);
  if (!stage) return;
  const index = Number(node.dataset.index);
  const items = [...(stage.lanes[lane] || [])];
  items.splice(index, 1);
  closeOverlays(ed);
  const base = `${stageId}:${lane}`;
  const reply = await act(ed, "set_lane", { stage: stageId, lane, items }, `item-add:${base}`);
  if (reply.ok) {
    focusKey(ed, items.length ? `item:${base}:${Math.min(index, items.length - 1)}`
      : `item-add:${base}`);
  }
}
