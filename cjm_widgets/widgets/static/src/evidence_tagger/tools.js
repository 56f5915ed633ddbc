// @ts-check
/*
 * The tag tools: touchpoint dropdown and button, the five faces (also keys 1–5), label
 * toggles, coder, untag, undo/redo, select all matching / clear, and the tagger's keys.
 */
import { el, isRedoKey, isTextField, isUndoKey } from "../_common.js";
import { createLabelTools } from "./labels.js";
import { FACES, faceForKey, signed } from "./logic.js";
import { suggestKey } from "./suggest.js";

/**
 * Build the tag tools into `tools` and wire them (and the tagger's keys) to Python.
 * @param {import("./types.js").Tagger} t
 * @param {HTMLElement} tools
 */
export function createTools(t, tools) {
  const { call, model, root } = t;
  const tpSel = /** @type {HTMLSelectElement} */ (el("select", { class: "cjm-select cjm-tagger-tp", "aria-label": "Touchpoint to tag" }));
  const tpBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-apply-tp" }, ["Tag touchpoint"]);
  const emo = el("span", { class: "cjm-tagger-emotions", role: "group", "aria-label": "Emotion" });
  for (const [i, f] of FACES.entries()) {
    emo.append(el("button", {
      type: "button", class: "cjm-btn cjm-tagger-emo", dataset: { emotion: String(f.value) },
      "aria-label": `${f.label} (${signed(f.value)}), key ${i + 1}`,
      title: `${f.label} (${signed(f.value)}) — key ${i + 1}`,
    }, [el("span", { class: "cjm-tagger-face", "aria-hidden": "true" }, [f.face]),
      el("span", { class: "cjm-tagger-emo-n" }, [signed(f.value)])]));
  }
  const labelsWrap = el("span", { class: "cjm-tagger-labels", role: "group", "aria-label": "Labels of the selection" });
  const coderIn = /** @type {HTMLInputElement} */ (el("input", { type: "text", class: "cjm-input cjm-tagger-coder", placeholder: "Coder", "aria-label": "Coder name" }));
  const untagBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-untag" }, ["Untag"]);
  const undoBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-undo", title: "Undo the last tag (Ctrl+Z)" }, ["Undo"]);
  const redoBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-redo", title: "Redo (Ctrl+Shift+Z)" }, ["Redo"]);
  const hiddenBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-deselect-hidden" }, ["Deselect hidden"]);
  const allBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-all" }, ["Select all matching"]);
  const noneBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-none" }, ["Clear selection"]);
  tools.append(tpSel, tpBtn, emo, labelsWrap);
  const labelTools = createLabelTools(t, tools, () => coderIn.value);
  tools.append(coderIn, untagBtn, undoBtn, redoBtn, allBtn, noneBtn);

  /** @param {Record<string, any>} args */
  const tag = (args) => call("tag", { ...args, coder: coderIn.value });
  /** A face (button or key 1–5) tags the emotion and the touchpoint chosen in the dropdown. @param {number} emotion */
  const tagFace = (emotion) => tag(tpSel.value ? { emotion, touchpoint: tpSel.value } : { emotion });
  /** The faces say when they also tag the touchpoint chosen in the dropdown. */
  function paintFaces() {
    const chosen = tpSel.selectedOptions[0];
    const also = tpSel.value && chosen ? ` and touchpoint “${chosen.textContent}”` : "";
    for (const [i, f] of FACES.entries()) {
      const b = emo.querySelector(`[data-emotion="${f.value}"]`);
      if (!b) continue;
      const what = `${f.label} (${signed(f.value)})${also}`;
      b.setAttribute("title", `${what} — key ${i + 1}`);
      b.setAttribute("aria-label", `${what}, key ${i + 1}`);
    }
  }
  const onTp = () => { if (tpSel.value) tag({ touchpoint: tpSel.value }); };
  /** @param {Event} e */
  const onEmo = (e) => {
    const btn = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest(".cjm-tagger-emo"));
    if (btn) tagFace(Number(btn.dataset.emotion));
  };
  /** @param {Event} e */
  const onLabel = (e) => {
    const btn = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest(".cjm-tagger-label"));
    if (btn) call("toggle_label", { label: btn.dataset.label, coder: coderIn.value });
  };
  /** @param {KeyboardEvent} e */
  const onKey = (e) => {
    if (isTextField(e.target) || e.target instanceof HTMLSelectElement) return;
    if (isRedoKey(e) || isUndoKey(e)) {
      e.preventDefault();
      e.stopPropagation(); // JupyterLab's own undo must not act on the notebook
      call(isRedoKey(e) ? "redo" : "undo", {});
      return;
    }
    // Enter on a focused button presses that button, not "accept"
    const sk = (model.get("_meta") || {}).suggest && !(e.target instanceof HTMLButtonElement) ? suggestKey(e) : null;
    if (sk) {
      e.preventDefault();
      e.stopPropagation(); // Enter must not open a cell editor in the notebook
      call(sk === "accept" ? "accept_suggestions" : "reject_suggestions", { coder: coderIn.value });
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const emotion = faceForKey(e.key);
    if (emotion !== null) {
      e.preventDefault();
      tagFace(emotion);
    }
  };
  /** @type {Array<[HTMLElement, string, EventListener]>} */
  const listeners = [
    [hiddenBtn, "click", () => call("deselect_hidden", {})],
    [tpBtn, "click", onTp],
    [tpSel, "change", paintFaces],
    [emo, "click", onEmo],
    [labelsWrap, "click", onLabel],
    [coderIn, "change", () => call("set_coder", { coder: coderIn.value })],
    [untagBtn, "click", () => call("untag", {})],
    [undoBtn, "click", () => call("undo", {})],
    [redoBtn, "click", () => call("redo", {})],
    [allBtn, "click", () => call("select", { matching: true })],
    [noneBtn, "click", () => call("select", { mode: "none" })],
    [root, "keydown", /** @type {EventListener} */ (onKey)],
  ];
  for (const [node, type, fn] of listeners) node.addEventListener(type, fn);

  return {
    tpSel,
    labelsWrap,
    labelTools,
    undoBtn,
    redoBtn,
    hiddenBtn,
    paintFaces,
    /** The coder field follows the trait, except while the person types in it. */
    syncCoder() {
      if (document.activeElement !== coderIn) coderIn.value = model.get("coder") || "";
    },
    dispose() {
      for (const [node, type, fn] of listeners) node.removeEventListener(type, fn);
      labelTools.dispose();
    },
  };
}

/** @typedef {ReturnType<typeof createTools>} Tools */
