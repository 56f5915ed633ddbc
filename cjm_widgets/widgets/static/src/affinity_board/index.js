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
  const draw = () => {
    const scrolls = new Map(
      [...board.querySelectorAll(".cjm-ab-column")].map((c) => [
        /** @type {HTMLElement} */ (c).dataset.theme,
        c.querySelector(".cjm-ab-list")?.scrollTop || 0,
      ]),
    );
    const made = ctx.columns().map((/** @type {any} */ col) => columnView(col, ctx));
    board.replaceChildren(...made.map((v) => v.node));
    for (const v of made) {
      v.list.scrollTop = scrolls.get(v.node.dataset.theme) || 0;
      v.paint();
    }
    views = made;
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
  const names = ["change:columns", "change:_cards", "change:selected", "change:can_undo"];
  for (const name of names) model.on(name, draw);
  return () => {
    for (const name of names) model.off(name, draw);
    window.removeEventListener("resize", repaint);
    root.removeEventListener("keydown", onKey);
    calls.dispose();
    banner.dispose();
    disposeNote();
    root.remove();
  };
}

export default { render };
