// @ts-check
/*
 * The journey editor's model sync: the state Python sends (`_journey`), lookups in it, and
 * the `selected` trait this view sets. Every edit goes to Python (see edit.js, actions.js);
 * the new state comes back through the trait.
 */
import { choiceLabel, editorState, findStage, findTouchpoint, wordFor } from "./logic.js";

/**
 * @typedef {import("./types.js").Editor} Editor
 * @typedef {import("./types.js").EditorState} EditorState
 */

/**
 * @param {Editor} ed
 * @returns {EditorState}
 */
export const state = (ed) => editorState(ed.model.get("_journey"));

/** @param {Editor} ed @param {string} id */
export const stageById = (ed, id) => findStage(state(ed).journey, id);

/** @param {Editor} ed @param {string} id */
export const tpById = (ed, id) => findTouchpoint(state(ed).journey, id);

/** Field names in the journey's language ("owner", "channel", "phase"). */
export const word = (/** @type {Editor} */ ed, /** @type {string} */ key) =>
  wordFor(state(ed).words, key);

/** @param {Editor} ed @param {string} value */
export const channelLabel = (ed, value) => choiceLabel(state(ed).channels, value) || value;

/** @param {Editor} ed @param {string | null} value */
export const phaseLabel = (ed, value) => choiceLabel(state(ed).phases, value);

/**
 * Select a stage or touchpoint (the `selected` trait; Python links it).
 * @param {Editor} ed
 * @param {string} id
 */
export function setSelected(ed, id) {
  if (ed.model.get("selected") === id) return;
  ed.model.set("selected", id);
  ed.model.save_changes();
}
