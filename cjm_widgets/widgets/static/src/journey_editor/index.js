// @ts-check
/*
 * cjm.JourneyEditor: the journey map as an editable board.
 *
 * State comes from the private `_journey` trait (the journey's data plus can_undo/can_redo and
 * the channel/phase labels); every edit is a call to a Python handler (see journey_editor.py)
 * and the new state comes back through the trait, so all views of one journey agree and
 * nothing loops. The board is rebuilt from (state + this view's UI state) on each change,
 * keeping scroll position, focus (by `data-fk` key) and any open input.
 * User text only ever goes in through textContent / text nodes / attribute values.
 *
 * Modules: types.js (the state and the Editor every module gets), state.js (model sync),
 * logic.js (pure helpers, unit-tested), view.js (rebuild, focus, calls), header.js, board.js
 * (stage columns, lanes), cards.js (touchpoint cards and form), fields.js (inline input,
 * confirm dialog), edit.js, dialogs.js (delete), moves.js, actions.js, keyboard.js,
 * dragdrop.js, events.js.
 */
import { el, errorBanner, kernelNote, rpc } from "../_common.js";
import { dragListeners } from "./dragdrop.js";
import { pointerListeners } from "./events.js";
import { applyHighlight } from "./highlight.js";
import { keyDownHandler } from "./keyboard.js";
import { stageById, tpById } from "./state.js";
import { rerender } from "./view.js";

/** @typedef {import("./types.js").Editor} Editor */

/**
 * @param {{ model: import("../_common.js").CjmModel, el: HTMLElement }} ctx
 * @returns {() => void}
 */
function render({ model, el: host }) {
  const root = el("div", {
    class: "cjm-root cjm-editor",
    tabindex: "-1",
    role: "region",
    "aria-label": "Journey map editor",
    // JupyterLab: no notebook shortcuts ("a", "d d", Shift+Enter …) while focus is in here.
    "data-lm-suppress-shortcuts": "true",
  });
  /** @type {Editor} */
  const ed = {
    model,
    root,
    api: rpc(model),
    banner: errorBanner(model),
    ui: { edit: null, form: null, confirm: null, notice: null, drag: null, hint: null,
      rendering: false, disposed: false, keyboard: false },
    scroller: null,
    scrollLeft: 0,
  };
  host.append(root);
  const offline = kernelNote(host, root);

  const onState = () => {
    const { ui } = ed;
    // Drop UI state that points at things that no longer exist.
    if (ui.form && !tpById(ed, ui.form.tp)) ui.form = null;
    if (ui.confirm && !(ui.confirm.kind === "stage" ? stageById(ed, ui.confirm.id)
      : tpById(ed, ui.confirm.id))) ui.confirm = null;
    rerender(ed);
  };
  const onHighlight = () => applyHighlight(root, model.get("highlight") || []);
  const onSelected = () => {
    const id = model.get("selected") || "";
    for (const node of root.querySelectorAll("[data-select]")) {
      if (node instanceof HTMLElement) {
        node.classList.toggle("cjm-is-selected", node.dataset.select === id);
      }
    }
  };

  /** @type {Array<[string, EventListener]>} */
  const listeners = [
    ...pointerListeners(ed),
    ["keydown", /** @type {EventListener} */ (keyDownHandler(ed))],
    ...dragListeners(ed).map(([type, fn]) =>
      /** @type {[string, EventListener]} */ ([type, fn])),
  ];
  for (const [type, fn] of listeners) root.addEventListener(type, fn);
  model.on("change:_journey", onState);
  model.on("change:_lane", onState);
  model.on("change:selected", onSelected);
  model.on("change:highlight", onHighlight);
  rerender(ed);

  return () => {
    ed.ui.disposed = true;
    for (const [type, fn] of listeners) root.removeEventListener(type, fn);
    model.off("change:_journey", onState);
    model.off("change:_lane", onState);
    model.off("change:selected", onSelected);
    model.off("change:highlight", onHighlight);
    ed.banner.dispose();
    offline();
    ed.api.dispose();
    root.remove();
  };
}

export default { render };
