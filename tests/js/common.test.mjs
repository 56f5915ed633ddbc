// @ts-check
// Unit tests of the shared front-end helpers that need no DOM (node --test).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { isRedoKey, isUndoKey, plural, rpc } from "../../cjm_widgets/widgets/static/src/_common.js";

/**
 * @param {string} key
 * @param {{ alt?: boolean, ctrl?: boolean, meta?: boolean, shift?: boolean }} [mods]
 * @returns {KeyboardEvent}
 */
const press = (key, mods = {}) => /** @type {KeyboardEvent} */ (/** @type {unknown} */ ({
  key, altKey: Boolean(mods.alt), ctrlKey: Boolean(mods.ctrl), metaKey: Boolean(mods.meta),
  shiftKey: Boolean(mods.shift) }));

/** A fake anywidget model: records what is sent and lets a test deliver messages. */
function fakeModel() {
  /** @type {Map<string, Set<(...args: any[]) => void>>} */
  const handlers = new Map();
  /** @type {any[]} */
  const sent = [];
  const model = {
    get: () => null,
    set: () => {},
    save_changes: () => {},
    /** @param {any} content */
    send: (content) => { sent.push(content); },
    /** @param {string} event @param {(...args: any[]) => void} cb */
    on: (event, cb) => {
      if (!handlers.has(event)) handlers.set(event, new Set());
      handlers.get(event)?.add(cb);
    },
    /** @param {string} event @param {(...args: any[]) => void} [cb] */
    off: (event, cb) => {
      if (cb) handlers.get(event)?.delete(cb);
      else handlers.delete(event);
    },
  };
  /** @param {any} msg */
  const deliver = (msg) => { for (const cb of handlers.get("msg:custom") || []) cb(msg); };
  return { model, sent, deliver, handlers };
}

describe("plural", () => {
  it("counts with English thousands separators", () => {
    assert.equal(plural(1, "row"), "1 row");
    assert.equal(plural(0, "row"), "0 rows");
    assert.equal(plural(12345, "row"), "12,345 rows");
    assert.equal(plural(2, "person", "people"), "2 people");
  });
});

describe("undo and redo keys", () => {
  it("reads Ctrl/Cmd+Z as undo and Ctrl/Cmd+Shift+Z or Ctrl+Y as redo", () => {
    assert.ok(isUndoKey(press("z", { ctrl: true })));
    assert.ok(isUndoKey(press("Z", { meta: true })));
    assert.ok(!isUndoKey(press("z", { ctrl: true, shift: true })));
    assert.ok(!isUndoKey(press("z", { ctrl: true, alt: true })));
    assert.ok(!isUndoKey(press("z")));
    assert.ok(isRedoKey(press("Z", { ctrl: true, shift: true })));
    assert.ok(isRedoKey(press("z", { meta: true, shift: true })));
    assert.ok(isRedoKey(press("y", { ctrl: true })));
    assert.ok(!isRedoKey(press("y", { meta: true })));
    assert.ok(!isRedoKey(press("z", { ctrl: true })));
  });
});

describe("rpc", () => {
  it("sends a call and resolves with its own reply only", async () => {
    const { model, sent, deliver } = fakeModel();
    const api = rpc(model);
    const pending = api.call("rename", { name: "<b>x</b>" });
    assert.equal(sent.length, 1);
    const msg = sent[0];
    assert.equal(msg.type, "call");
    assert.equal(msg.method, "rename");
    assert.deepEqual(msg.args, { name: "<b>x</b>" });
    deliver({ type: "reply", id: `${msg.id}-other`, ok: false, error: "not mine" });
    deliver({ type: "reply", id: msg.id, ok: true, result: 7 });
    assert.deepEqual(await pending, { ok: true, error: null, result: 7 });
  });

  it("gives two views of one model different call ids", () => {
    const { model, sent } = fakeModel();
    void rpc(model).call("a");
    void rpc(model).call("a");
    assert.notEqual(sent[0].id, sent[1].id);
  });

  it("answers pending calls when disposed and stops listening", async () => {
    const { model, deliver, handlers } = fakeModel();
    const api = rpc(model);
    const pending = api.call("slow");
    api.dispose();
    assert.deepEqual(await pending, { ok: false, error: "The view was closed.", result: null });
    assert.equal(handlers.get("msg:custom")?.size, 0);
    deliver({ type: "reply", id: "whatever", ok: true });
  });
});

/**
 * A minimal stand-in for `document` that records what el() does: enough to check that text
 * goes in as text nodes and attributes as strings (the real DOM is tested in the browser).
 */
function fakeDocument() {
  /** @param {string} tag */
  const element = (tag) => {
    /** @type {Record<string, string>} */
    const attributes = {};
    /** @type {Record<string, string>} */
    const style = {};
    /** @type {any[]} */
    const children = [];
    return {
      tagName: tag.toUpperCase(), attributes, children, dataset: {}, className: "",
      textContent: "",
      style: { setProperty: (/** @type {string} */ k, /** @type {string} */ v) => { style[k] = v; },
        values: style },
      setAttribute: (/** @type {string} */ k, /** @type {string} */ v) => { attributes[k] = v; },
      append: (/** @type {any[]} */ ...nodes) => { children.push(...nodes); },
    };
  };
  return {
    createElement: element,
    createTextNode: (/** @type {string} */ data) => ({ nodeType: 3, data }),
  };
}

describe("el", () => {
  it("puts strings in as text nodes and attributes as strings, never as markup", async () => {
    const g = /** @type {any} */ (globalThis);
    const before = g.document;
    g.document = fakeDocument();
    try {
      const { el } = await import("../../cjm_widgets/widgets/static/src/_common.js");
      const evil = '<img src=x onerror="alert(1)">';
      const node = /** @type {any} */ (el("div", {
        class: "cjm-x", title: evil, hidden: true, disabled: false, "aria-label": null,
        dataset: { id: evil }, style: { "--n": 3 },
      }, [evil, null, false, "two"]));
      assert.equal(node.className, "cjm-x");
      assert.deepEqual(node.attributes, { title: evil, hidden: "" });
      assert.equal(node.dataset.id, evil);
      assert.deepEqual(node.style.values, { "--n": "3" });
      assert.deepEqual(node.children, [{ nodeType: 3, data: evil }, { nodeType: 3, data: "two" }]);
    } finally {
      g.document = before;
    }
  });
});
