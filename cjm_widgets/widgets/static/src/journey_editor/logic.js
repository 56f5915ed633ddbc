// @ts-check
/*
 * The journey editor's pure logic: no DOM, no model, so `node --test` runs it (tests/js).
 * Lookups in the state, labels, the delete message, where focus goes after a delete, the lane
 * items an edit leaves, the touchpoint form's changes, drop positions and the board's keys.
 */
import { plural } from "../_common.js";

/**
 * @typedef {import("./types.js").EditorState} EditorState
 * @typedef {import("./types.js").JourneyData} JourneyData
 * @typedef {import("./types.js").Stage} Stage
 * @typedef {import("./types.js").Touchpoint} Touchpoint
 * @typedef {import("./types.js").Lane} Lane
 * @typedef {import("./types.js").Choice} Choice
 * @typedef {import("./types.js").Confirm} Confirm
 * @typedef {import("./types.js").TpForm} TpForm
 */

/**
 * The state to draw: the trait's value, or an empty journey before the first sync.
 * @param {EditorState | null | undefined} value
 * @returns {EditorState}
 */
export function editorState(value) {
  return value || {
    journey: { title: "", scope: "", state: "current", language: "en", template: null,
      personas: [], lanes: [], stages: [] },
    can_undo: false, can_redo: false, channels: [], phases: [], state_label: "",
    template_label: "", words: {},
  };
}

/**
 * @param {JourneyData} journey
 * @param {string} id
 * @returns {Stage | null}
 */
export function findStage(journey, id) {
  return journey.stages.find((s) => s.id === id) || null;
}

/**
 * A touchpoint with its stage and its index in the stage.
 * @param {JourneyData} journey
 * @param {string} id
 * @returns {{ stage: Stage, tp: Touchpoint, index: number } | null}
 */
export function findTouchpoint(journey, id) {
  for (const stage of journey.stages) {
    const index = stage.touchpoints.findIndex((t) => t.id === id);
    if (index >= 0) return { stage, tp: stage.touchpoints[index], index };
  }
  return null;
}

/**
 * A field name in the journey's language ("owner", "channel", "phase"); "Owner" without one.
 * @param {Record<string, string> | null | undefined} words
 * @param {string} key
 */
export function wordFor(words, key) {
  return (words || {})[key] || key.charAt(0).toUpperCase() + key.slice(1);
}

/**
 * The label of a channel or phase value (the value itself when unknown; "" for no value).
 * @param {Choice[]} choices
 * @param {string | null} value
 */
export function choiceLabel(choices, value) {
  if (!value) return "";
  return (choices.find((c) => c.value === value) || { label: value }).label;
}

/**
 * A colour family for a lane's items, from its id and name.
 * @param {Lane} lane
 */
export function laneTone(lane) {
  const id = `${lane.id} ${lane.name}`.toLowerCase();
  if (lane.kind === "touchpoints") return "touchpoints";
  if (/pain|frustrat|problem/.test(id)) return "pain";
  if (/opportun|idea|change|improv/.test(id)) return "opportunity";
  if (/thought|feel|emotion|think/.test(id)) return "feeling";
  if (/action|doing|does|step/.test(id)) return "action";
  if (/backstage|support|process|system/.test(id)) return "backstage";
  return "neutral";
}

/**
 * The CSS class of a channel ("mobile app" → "cjm-ch-mobile-app").
 * @param {string} channel
 */
export function channelClass(channel) {
  return `cjm-ch-${channel.replace(/[^a-z]+/g, "-")}`;
}

/** @param {string} s */
export const quoted = (s) => `'${s}'`;

/**
 * Up to two initials of a name, upper case ("?" for none).
 * @param {string} name
 */
export function initials(name) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (parts.slice(0, 2).map((p) => Array.from(p)[0] || "").join("") || "?").toUpperCase();
}

/**
 * The lanes drawn as rows: the journey's, with a touchpoints row first when it has none.
 * @param {Lane[]} lanes
 * @returns {Lane[]}
 */
export function boardLanes(lanes) {
  return lanes.some((l) => l.kind === "touchpoints")
    ? lanes
    : [{ id: "__touchpoints", name: "Touchpoints", kind: "touchpoints" }, ...lanes];
}

/**
 * The question a delete confirmation asks.
 * @param {Confirm} c
 */
export function confirmMessage(c) {
  const what = c.kind === "stage" ? "stage" : "touchpoint";
  const tail = "(Undo brings it back.)";
  const withTps = c.kind === "stage" && c.touchpoints
    ? ` with its ${plural(c.touchpoints, "touchpoint")}` : "";
  if (c.rows > 0) {
    return `${plural(c.rows, "evidence row")} ${c.rows === 1 ? "is" : "are"} tagged to `
      + `${quoted(c.name)}. Delete anyway${withTps ? ` (${withTps.trim()})` : ""}? ${tail}`;
  }
  return `Delete ${what} ${quoted(c.name)}${withTps}? No evidence is tagged to it. ${tail}`;
}

/**
 * The focus key of the element that gets focus once this item is deleted: the previous
 * sibling, else the next, else the adder (null when the item is already gone).
 * @param {JourneyData} journey
 * @param {{ kind: "stage" | "touchpoint", id: string }} item
 * @returns {string | null}
 */
export function focusAfterDelete(journey, item) {
  if (item.kind === "touchpoint") {
    const found = findTouchpoint(journey, item.id);
    if (!found) return null;
    const tps = found.stage.touchpoints;
    const other = tps[found.index - 1] || tps[found.index + 1];
    return other ? `tp:${other.id}` : `tp-add:${found.stage.id}`;
  }
  const i = journey.stages.findIndex((s) => s.id === item.id);
  const other = journey.stages[i - 1] || journey.stages[i + 1];
  return other ? `stage:${other.id}` : "add-stage-empty";
}

/**
 * A lane cell's items after an inline edit: a new item appended, an emptied item removed,
 * else the item at `index` replaced.
 * @param {string[]} items
 * @param {{ isNew: boolean, index: number, value: string }} edit
 * @returns {string[]}
 */
export function laneItemsAfterEdit(items, edit) {
  const next = [...items];
  if (edit.isNew) next.push(edit.value);
  else if (edit.value.trim() === "") next.splice(edit.index, 1);
  else next[edit.index] = edit.value;
  return next;
}

/**
 * What the touchpoint form changes (only the fields that differ; "" phase means none).
 * @param {TpForm} form
 * @param {Touchpoint} tp
 * @returns {Record<string, string | null>}
 */
export function formChanges(form, tp) {
  /** @type {Record<string, string | null>} */
  const changes = {};
  if (form.name !== tp.name) changes.name = form.name;
  if (form.channel !== tp.channel) changes.channel = form.channel;
  if ((form.phase || null) !== (tp.phase || null)) changes.phase = form.phase || null;
  if (form.owner !== tp.owner) changes.owner = form.owner;
  return changes;
}

/**
 * Where a dragged stage lands when dropped on stage `overId` (after it when `after`).
 * @param {Stage[]} stages
 * @param {string} dragId
 * @param {string} overId
 * @param {boolean} after
 * @returns {{ position: number, noop: boolean }}
 */
export function stageDrop(stages, dragId, overId, after) {
  const rest = stages.filter((s) => s.id !== dragId);
  const old = stages.findIndex((s) => s.id === dragId);
  const anchor = rest.findIndex((s) => s.id === overId);
  const position = overId === dragId ? old : anchor + (after ? 1 : 0);
  return { position, noop: position === old };
}

/**
 * Where a dragged touchpoint lands when dropped on card `overId` (after it when `after`), or
 * at the end of `stage` when `overId` is null (dropped on the stage's cell).
 * @param {JourneyData} journey
 * @param {string} dragId
 * @param {{ overId: string | null, stageId: string, after: boolean }} drop
 * @returns {{ stage: string, position: number, noop: boolean } | null}
 */
export function touchpointDrop(journey, dragId, drop) {
  const source = findTouchpoint(journey, dragId);
  if (!source) return null;
  if (drop.overId !== null) {
    const over = findTouchpoint(journey, drop.overId);
    if (!over) return null;
    const rest = over.stage.touchpoints.filter((t) => t.id !== dragId);
    const anchor = rest.findIndex((t) => t.id === over.tp.id);
    const same = over.stage.id === source.stage.id;
    const position = over.tp.id === dragId ? source.index : anchor + (drop.after ? 1 : 0);
    return { stage: over.stage.id, position, noop: same && position === source.index };
  }
  const stage = findStage(journey, drop.stageId);
  if (!stage) return null;
  const same = stage.id === source.stage.id;
  const position = same ? stage.touchpoints.length - 1 : stage.touchpoints.length;
  return { stage: stage.id, position, noop: same && position === source.index };
}

/**
 * The key parts the board's keyboard map reads (a KeyboardEvent has them).
 * @typedef {{ key: string, altKey: boolean, ctrlKey: boolean, metaKey: boolean,
 *             shiftKey: boolean }} KeyLike
 * What a key does on a focused board element (text fields and forms are handled before).
 * @typedef {{ do: "move-stage", stage: string, delta: number }
 *   | { do: "move-across", tp: string, delta: number }
 *   | { do: "move-within", tp: string, delta: number }
 *   | { do: "edit-touchpoint" | "rename-touchpoint", tp: string }
 *   | { do: "open" }
 *   | { do: "delete-touchpoint", tp: string }
 *   | { do: "delete-stage", stage: string }
 *   | { do: "delete-item" }} KeyIntent
 */

/**
 * The board's keyboard map: Alt+arrows move, Enter/F2 edit or rename, Delete/Backspace delete.
 * @param {KeyLike} key
 * @param {{ stage: string | null, tp: string | null, item: boolean, editable: boolean }} on
 *   the focused element: a stage name, a touchpoint card, a lane item, or other editable
 *   text (an element with an action that is not a button)
 * @returns {KeyIntent | null} null when the board does not use the key
 */
export function boardKey(key, on) {
  if (key.altKey && !key.ctrlKey && !key.metaKey && key.key.startsWith("Arrow")) {
    const horizontal = key.key === "ArrowLeft" || key.key === "ArrowRight";
    const back = key.key === "ArrowLeft" || key.key === "ArrowUp" ? -1 : 1;
    if (on.stage && horizontal) return { do: "move-stage", stage: on.stage, delta: back };
    if (on.tp) {
      return horizontal ? { do: "move-across", tp: on.tp, delta: back }
        : { do: "move-within", tp: on.tp, delta: back };
    }
    return null;
  }
  const plain = !key.altKey && !key.ctrlKey && !key.metaKey;
  if (plain && (key.key === "Enter" || key.key === "F2")) {
    if (on.tp) {
      return { do: key.key === "F2" ? "rename-touchpoint" : "edit-touchpoint", tp: on.tp };
    }
    return on.editable ? { do: "open" } : null;
  }
  if (plain && (key.key === "Delete" || key.key === "Backspace")) {
    if (on.tp) return { do: "delete-touchpoint", tp: on.tp };
    if (on.stage) return { do: "delete-stage", stage: on.stage };
    if (on.item) return { do: "delete-item" };
  }
  return null;
}
