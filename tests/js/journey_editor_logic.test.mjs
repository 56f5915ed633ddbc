// @ts-check
// Unit tests of the journey editor's pure logic (node --test; run by tests/test_static_assets.py).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  boardKey,
  boardLanes,
  channelClass,
  choiceLabel,
  confirmMessage,
  editorState,
  findTouchpoint,
  focusAfterDelete,
  formChanges,
  initials,
  laneItemsAfterEdit,
  laneTone,
  stageDrop,
  touchpointDrop,
  wordFor,
} from "../../cjm_widgets/widgets/static/src/journey_editor/logic.js";

/** @typedef {import("../../cjm_widgets/widgets/static/src/journey_editor/types.js").JourneyData} JourneyData */

/** @param {string} id */
const tp = (id) => ({ id, name: id.toUpperCase(), channel: "web", phase: null, owner: "",
  description: "" });

/** @returns {JourneyData} three stages: a [t1 t2 t3], b [t4], c [] */
function journey() {
  const j = editorState(null).journey;
  j.stages = [
    { id: "a", name: "Aware", description: "", key: null, lanes: {},
      touchpoints: [tp("t1"), tp("t2"), tp("t3")] },
    { id: "b", name: "Buy", description: "", key: null, lanes: {}, touchpoints: [tp("t4")] },
    { id: "c", name: "Care", description: "", key: null, lanes: {}, touchpoints: [] },
  ];
  return j;
}

/**
 * @param {string} key
 * @param {{ alt?: boolean, ctrl?: boolean, meta?: boolean, shift?: boolean }} [mods]
 */
const press = (key, mods = {}) => ({ key, altKey: Boolean(mods.alt), ctrlKey: Boolean(mods.ctrl),
  metaKey: Boolean(mods.meta), shiftKey: Boolean(mods.shift) });
const on = { stage: null, tp: null, item: false, editable: false };

describe("labels and classes", () => {
  it("gives lanes a colour family from their id or name", () => {
    assert.equal(laneTone({ id: "pains", name: "Pain points", kind: "text" }), "pain");
    assert.equal(laneTone({ id: "x", name: "Ideas", kind: "text" }), "opportunity");
    assert.equal(laneTone({ id: "feel", name: "Feelings", kind: "text" }), "feeling");
    assert.equal(laneTone({ id: "tp", name: "Pain", kind: "touchpoints" }), "touchpoints");
    assert.equal(laneTone({ id: "x", name: "Notes", kind: "text" }), "neutral");
  });

  it("makes a CSS-safe channel class", () => {
    assert.equal(channelClass("mobile app"), "cjm-ch-mobile-app");
    assert.equal(channelClass("in store"), "cjm-ch-in-store");
    assert.match(channelClass('x"><img src=y>'), /^cjm-ch-[a-z-]*$/);
  });

  it("takes up to two initials, whole characters, upper case", () => {
    assert.equal(initials("busy parent"), "BP");
    assert.equal(initials("  Ana  María  López "), "AM");
    assert.equal(initials("😀smile"), "😀");
    assert.equal(initials("   "), "?");
  });

  it("labels a choice, falls back to the value, and is empty for no value", () => {
    const choices = [{ value: "web", label: "Website" }];
    assert.equal(choiceLabel(choices, "web"), "Website");
    assert.equal(choiceLabel(choices, "fax"), "fax");
    assert.equal(choiceLabel(choices, null), "");
  });

  it("uses the journey's words for field names, else the key capitalised", () => {
    assert.equal(wordFor({ owner: "Verantwortlich" }, "owner"), "Verantwortlich");
    assert.equal(wordFor({}, "channel"), "Channel");
    assert.equal(wordFor(null, "phase"), "Phase");
  });

  it("adds a touchpoints row only when the journey has none", () => {
    const own = [{ id: "tps", name: "Touchpoints", kind: "touchpoints" }];
    assert.equal(boardLanes(own), own);
    const lanes = boardLanes([{ id: "pains", name: "Pains", kind: "text" }]);
    assert.deepEqual(lanes.map((l) => l.id), ["__touchpoints", "pains"]);
  });
});

describe("deleting", () => {
  it("says how many rows are tagged, with thousands separators and plurals", () => {
    const base = { kind: /** @type {const} */ ("touchpoint"), id: "t1", name: "Fee",
      touchpoints: 0, busy: false };
    assert.equal(confirmMessage({ ...base, rows: 0 }),
      "Delete touchpoint 'Fee'? No evidence is tagged to it. (Undo brings it back.)");
    assert.equal(confirmMessage({ ...base, rows: 1 }),
      "1 evidence row is tagged to 'Fee'. Delete anyway? (Undo brings it back.)");
    assert.equal(confirmMessage({ ...base, rows: 1234 }),
      "1,234 evidence rows are tagged to 'Fee'. Delete anyway? (Undo brings it back.)");
  });

  it("names the touchpoints a stage takes with it", () => {
    const c = { kind: /** @type {const} */ ("stage"), id: "a", name: "Aware", rows: 2,
      touchpoints: 3, busy: false };
    assert.equal(confirmMessage(c), "2 evidence rows are tagged to 'Aware'. Delete anyway "
      + "(with its 3 touchpoints)? (Undo brings it back.)");
    assert.equal(confirmMessage({ ...c, rows: 0, touchpoints: 1 }),
      "Delete stage 'Aware' with its 1 touchpoint? No evidence is tagged to it. "
      + "(Undo brings it back.)");
  });

  it("moves focus to the previous item, else the next, else the adder", () => {
    const j = journey();
    assert.equal(focusAfterDelete(j, { kind: "touchpoint", id: "t2" }), "tp:t1");
    assert.equal(focusAfterDelete(j, { kind: "touchpoint", id: "t1" }), "tp:t2");
    assert.equal(focusAfterDelete(j, { kind: "touchpoint", id: "t4" }), "tp-add:b");
    assert.equal(focusAfterDelete(j, { kind: "touchpoint", id: "gone" }), null);
    assert.equal(focusAfterDelete(j, { kind: "stage", id: "b" }), "stage:a");
    assert.equal(focusAfterDelete(j, { kind: "stage", id: "a" }), "stage:b");
    j.stages = [j.stages[0]];
    assert.equal(focusAfterDelete(j, { kind: "stage", id: "a" }), "add-stage-empty");
  });
});

describe("editing", () => {
  it("appends, replaces and removes lane items without touching the state", () => {
    const items = ["one", "two"];
    assert.deepEqual(laneItemsAfterEdit(items, { isNew: true, index: 0, value: "three" }),
      ["one", "two", "three"]);
    assert.deepEqual(laneItemsAfterEdit(items, { isNew: false, index: 1, value: "2" }),
      ["one", "2"]);
    assert.deepEqual(laneItemsAfterEdit(items, { isNew: false, index: 0, value: "  " }),
      ["two"]);
    assert.deepEqual(items, ["one", "two"]);
  });

  it("sends only the form fields that changed; an empty phase is none", () => {
    const t = { ...tp("t1"), phase: "pre-purchase", owner: "Ops" };
    const form = { tp: "t1", name: "T1", channel: "web", phase: "pre-purchase", owner: "Ops",
      error: null, busy: false };
    assert.deepEqual(formChanges(form, t), {});
    assert.deepEqual(formChanges({ ...form, phase: "", owner: "CX" }, t),
      { phase: null, owner: "CX" });
    assert.deepEqual(formChanges({ ...form, phase: "" }, { ...t, phase: null }), {});
  });
});

describe("drag and drop positions", () => {
  const stages = journey().stages;

  it("drops a stage before or after another, counting without itself", () => {
    assert.deepEqual(stageDrop(stages, "a", "c", true), { position: 2, noop: false });
    assert.deepEqual(stageDrop(stages, "a", "c", false), { position: 1, noop: false });
    assert.deepEqual(stageDrop(stages, "c", "a", false), { position: 0, noop: false });
    assert.deepEqual(stageDrop(stages, "a", "b", false), { position: 0, noop: true });
    assert.deepEqual(stageDrop(stages, "b", "b", true), { position: 1, noop: true });
  });

  it("drops a touchpoint on a card, or at the end of a stage's cell", () => {
    const j = journey();
    assert.deepEqual(touchpointDrop(j, "t1", { overId: "t3", stageId: "", after: true }),
      { stage: "a", position: 2, noop: false });
    assert.deepEqual(touchpointDrop(j, "t3", { overId: "t1", stageId: "", after: false }),
      { stage: "a", position: 0, noop: false });
    assert.deepEqual(touchpointDrop(j, "t2", { overId: "t1", stageId: "", after: true }),
      { stage: "a", position: 1, noop: true });
    assert.deepEqual(touchpointDrop(j, "t1", { overId: "t4", stageId: "", after: false }),
      { stage: "b", position: 0, noop: false });
    assert.deepEqual(touchpointDrop(j, "t1", { overId: null, stageId: "c", after: true }),
      { stage: "c", position: 0, noop: false });
    assert.deepEqual(touchpointDrop(j, "t3", { overId: null, stageId: "a", after: true }),
      { stage: "a", position: 2, noop: true });
    assert.equal(touchpointDrop(j, "gone", { overId: "t1", stageId: "", after: true }), null);
  });

  it("finds a touchpoint with its stage and index", () => {
    const found = findTouchpoint(journey(), "t3");
    assert.equal(found && found.stage.id, "a");
    assert.equal(found && found.index, 2);
    assert.equal(findTouchpoint(journey(), "nope"), null);
  });
});

describe("the board's keyboard map", () => {
  it("moves stages with Alt+Left/Right only", () => {
    const stage = { ...on, stage: "b", editable: true };
    assert.deepEqual(boardKey(press("ArrowLeft", { alt: true }), stage),
      { do: "move-stage", stage: "b", delta: -1 });
    assert.deepEqual(boardKey(press("ArrowRight", { alt: true }), stage),
      { do: "move-stage", stage: "b", delta: 1 });
    assert.equal(boardKey(press("ArrowUp", { alt: true }), stage), null);
    assert.equal(boardKey(press("ArrowLeft", { alt: true, ctrl: true }), stage), null);
  });

  it("moves touchpoints across stages and within one", () => {
    const card = { ...on, tp: "t2" };
    assert.deepEqual(boardKey(press("ArrowRight", { alt: true }), card),
      { do: "move-across", tp: "t2", delta: 1 });
    assert.deepEqual(boardKey(press("ArrowUp", { alt: true }), card),
      { do: "move-within", tp: "t2", delta: -1 });
    assert.deepEqual(boardKey(press("ArrowDown", { alt: true }), card),
      { do: "move-within", tp: "t2", delta: 1 });
  });

  it("opens the form on Enter, renames on F2, opens editable text, deletes on Delete", () => {
    const card = { ...on, tp: "t2" };
    assert.deepEqual(boardKey(press("Enter"), card), { do: "edit-touchpoint", tp: "t2" });
    assert.deepEqual(boardKey(press("F2"), card), { do: "rename-touchpoint", tp: "t2" });
    assert.deepEqual(boardKey(press("Enter"), { ...on, editable: true }), { do: "open" });
    assert.equal(boardKey(press("Enter"), on), null);
    assert.equal(boardKey(press("Enter", { ctrl: true }), card), null);
    assert.deepEqual(boardKey(press("Delete"), card), { do: "delete-touchpoint", tp: "t2" });
    assert.deepEqual(boardKey(press("Backspace"), { ...on, stage: "a" }),
      { do: "delete-stage", stage: "a" });
    assert.deepEqual(boardKey(press("Delete"), { ...on, item: true }), { do: "delete-item" });
    assert.equal(boardKey(press("Delete"), on), null);
    assert.equal(boardKey(press("x"), card), null);
  });
});
