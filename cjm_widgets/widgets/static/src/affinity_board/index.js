// @ts-check
/*
 * The affinity board: one column per theme (see column.js), a toolbar (new theme, undo,
 * redo) and the result of the last action. State: `columns`, `_cards`, `selected`,
 * `can_undo`, `can_redo` (traits); actions are calls to the Python handlers.
 */
import { el, errorBanner, isRedoKey, isTextField, isUndoKey, kernelNote, rpc } from "../_common.js";
import { columnView } from "./column.js";

/** @param {{ model: import("../_common.js").CjmModel, el: HTMLElement }} ctx */
function render({ model, el: host }) {
  const banner = errorBanner(model);
  const calls = rpc(model);
  const status = el("span", { class: "cjm-ab-status", role: "status" });
  const undo = el("button", { type: "button", class: "cjm-ab-undo", title: "Undo (Ctrl+Z)" }, ["↶ Undo"]);
  const redo = el("button", { type: "button", class: "cjm-ab-redo", title: "Redo (Ctrl+Shift+Z)" }, ["↷ Redo"]);
  const add = el("button", { type: "button", class: "cjm-ab-add", title: "A new empty theme" }, ["+ Theme"]);
  const board = el("div", { class: "cjm-ab-board" });
  const root = el("div", { class: "cjm-root cjm-ab", tabindex: "0" }, [
    banner.node,
    el("div", { class: "cjm-ab-toolbar" }, [add, undo, redo, status]),
    board,
  ]);
  host.appendChild(root);
  const disposeNote = kernelNote(host, root);

  /** @param {string} method @param {Record<string, any>} [args] */
  const call = (method, args = {}) => {
    status.textContent = "";
    calls.call(method, args).then((reply) => {
      if (reply.ok && typeof reply.result === "string") status.textContent = reply.result;
    });
  };
  /** @type {Array<{ paint: () => void }>} */
  let views = [];
  /** @type {import("./column.js").Ctx} */
  const ctx = {
    call,
    cards: () => model.get("_cards") || {},
    columns: () => model.get("columns") || [],
    selected: () => model.get("selected") || "",
    select: (/** @type {string} */ id) => {
      model.set("selected", id);
      model.save_changes();
    },
  };
  /** @type {Map<string, { key: string, view: { node: HTMLElement, paint: () => void, list: HTMLElement } }>} */
  let built = new Map();
  // Only the columns whose data changed are rebuilt (a drop changes two of them); the others
  // keep their nodes, scroll position and painted cards.
  const draw = () => {
    const columns = ctx.columns();
    const names = JSON.stringify(columns.map((/** @type {any} */ c) => [c.id, c.name]));
    const selected = ctx.selected();
    /** @type {typeof built} */
    const next = new Map();
    const made = columns.map((/** @type {any} */ col) => {
      const key = `${JSON.stringify(col)}|${col.id === selected}|${names}`;
      const old = built.get(col.id);
      if (old && old.key === key) {
        next.set(col.id, old);
        return { view: old.view, fresh: false };
      }
      const view = columnView(col, ctx);
      next.set(col.id, { key, view });
      return { view, fresh: true, top: old ? old.view.list.scrollTop : 0 };
    });
    const nodes = made.map((m) => m.view.node);
    if (nodes.length !== board.children.length || nodes.some((n, i) => board.children[i] !== n)) {
      board.replaceChildren(...nodes);
    }
    for (const m of made) {
      if (!m.fresh) continue;
      m.view.list.scrollTop = m.top || 0;
      m.view.paint();
    }
    built = next;
    views = made.map((m) => m.view);
    /** @type {HTMLButtonElement} */ (undo).disabled = !model.get("can_undo");
    /** @type {HTMLButtonElement} */ (redo).disabled = !model.get("can_redo");
  };
  undo.addEventListener("click", () => call("undo"));
  redo.addEventListener("click", () => call("redo"));
  add.addEventListener("click", () => {
    const name = window.prompt("Name of the new theme");
    if (name && name.trim()) call("add_theme", { name });
  });
  /** @param {KeyboardEvent} event */
  const onKey = (event) => {
    if (isTextField(event.target)) return;
    if (isUndoKey(event)) call("undo");
    else if (isRedoKey(event)) call("redo");
    else return;
    event.preventDefault();
  };
  root.addEventListener("keydown", onKey);
  const repaint = () => views.forEach((v) => v.paint());
  window.addEventListener("resize", repaint);
  draw();
  const redrawAll = () => { // new card texts: every column again, at its scroll position
    for (const entry of built.values()) entry.key = "";
    draw();
  };
  const names = ["change:columns", "change:selected", "change:can_undo"];
  for (const name of names) model.on(name, draw);
  model.on("change:_cards", redrawAll);
  return () => {
    for (const name of names) model.off(name, draw);
    model.off("change:_cards", redrawAll);
    window.removeEventListener("resize", repaint);
    root.removeEventListener("keydown", onKey);
    calls.dispose();
    banner.dispose();
    disposeNote();
    root.remove();
  };
}

export default { render };
