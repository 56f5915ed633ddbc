// @ts-check
/* Moves from the keyboard: a stage left/right, a touchpoint across stages or within one. */
import { state, tpById } from "./state.js";
import { act, focusKey } from "./view.js";

/** @typedef {import("./types.js").Editor} Editor */

/**
 * @param {Editor} ed
 * @param {string} id
 * @param {number} delta -1 left, +1 right
 */
export async function moveStageBy(ed, id, delta) {
  const stages = state(ed).journey.stages;
  const i = stages.findIndex((s) => s.id === id);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= stages.length) return;
  await act(ed, "move_stage", { stage: id, position: j }, `stage:${id}`);
  focusKey(ed, `stage:${id}`);
}

/**
 * @param {Editor} ed
 * @param {string} id
 * @param {number} delta -1 previous stage, +1 next stage
 */
export async function moveTouchpointAcross(ed, id, delta) {
  const found = tpById(ed, id);
  if (!found) return;
  const stages = state(ed).journey.stages;
  const i = stages.findIndex((s) => s.id === found.stage.id);
  const target = stages[i + delta];
  if (!target) return;
  const position = Math.min(found.index, target.touchpoints.length);
  await act(ed, "move_touchpoint", { touchpoint: id, stage: target.id, position }, `tp:${id}`);
  focusKey(ed, `tp:${id}`);
}

/**
 * @param {Editor} ed
 * @param {string} id
 * @param {number} delta -1 up, +1 down
 */
export async function moveTouchpointWithin(ed, id, delta) {
  const found = tpById(ed, id);
  if (!found) return;
  const j = found.index + delta;
  if (j < 0 || j >= found.stage.touchpoints.length) return;
  await act(ed, "move_touchpoint", { touchpoint: id, stage: found.stage.id, position: j },
    `tp:${id}`);
  focusKey(ed, `tp:${id}`);
}
