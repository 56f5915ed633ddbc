// @ts-check
/*
 * Deleting a stage or touchpoint: ask Python how much evidence is tagged to it, confirm on the
 * board (fields.js draws the dialog), delete, and move focus to a neighbour.
 */
import { closeOverlays } from "./edit.js";
import { focusAfterDelete } from "./logic.js";
import { stageById, state, tpById } from "./state.js";
import { act, focusKey, rerender } from "./view.js";

/** @typedef {import("./types.js").Editor} Editor */

/** @param {"stage" | "touchpoint"} kind @param {string} id */
const itemKey = (kind, id) => (kind === "stage" ? `stage:${id}` : `tp:${id}`);

/**
 * Open the delete confirmation of a stage or touchpoint.
 * @param {Editor} ed
 * @param {"stage" | "touchpoint"} kind
 * @param {string} id
 */
export async function askDelete(ed, kind, id) {
  const stage = kind === "stage" ? stageById(ed, id) : null;
  const found = kind === "touchpoint" ? tpById(ed, id) : null;
  const name = stage ? stage.name : found ? found.tp.name : null;
  if (name === null) return;
  const reply = await act(ed, "count_references",
    kind === "stage" ? { stages: [id] } : { touchpoints: [id] }, itemKey(kind, id));
  if (!reply.ok || ed.ui.disposed) return;
  closeOverlays(ed);
  ed.ui.confirm = {
    kind,
    id,
    name,
    rows: Number(reply.result) || 0,
    touchpoints: stage ? stage.touchpoints.length : 0,
    busy: false,
  };
  rerender(ed);
  focusKey(ed, "confirm-yes");
}

/**
 * Delete the confirmed item; an error shows inline at it.
 * @param {Editor} ed
 */
export async function confirmDelete(ed) {
  const { ui } = ed;
  const c = ui.confirm;
  if (!c || c.busy) return;
  const after = focusAfterDelete(state(ed).journey, c);
  c.busy = true;
  rerender(ed);
  const reply = await ed.api.call(c.kind === "stage" ? "remove_stage" : "remove_touchpoint",
    c.kind === "stage" ? { stage: c.id } : { touchpoint: c.id });
  if (ui.disposed) return;
  if (ui.confirm === c) ui.confirm = null;
  if (!reply.ok) {
    ui.notice = { fk: itemKey(c.kind, c.id), message: String(reply.error) };
    ed.banner.hide(ui.notice.message);
  }
  rerender(ed);
  focusKey(ed, reply.ok ? after : itemKey(c.kind, c.id));
}

/**
 * Keep the item: close the confirmation, focus back on the item.
 * @param {Editor} ed
 */
export function cancelConfirm(ed) {
  const c = ed.ui.confirm;
  if (!c) return;
  ed.ui.confirm = null;
  rerender(ed);
  focusKey(ed, itemKey(c.kind, c.id));
}
