// @ts-check
/*
 * The researcher's labels in the toolbar: a button per label in use (its colour, its count;
 * pressed = every selected row has it, pressing removes it), a "New label…" field (Enter
 * makes it and puts it on the selection) and a small menu to rename, merge or recolour a
 * label. Each edit is one undo step of the evidence (ev.rename_label, merge_labels,
 * set_label_colour), called through Python.
 */
import { el } from "../_common.js";

/**
 * The label info of `_meta`: name, colour, builtin.
 * @param {any} model
 * @returns {Array<{ name: string, colour: string, builtin: boolean }>}
 */
export const labelInfo = (model) => (model.get("_meta") || {}).label_info || [];

/**
 * Draw the label buttons (colour swatch, name, count) for the labels in `_meta`.
 * @param {any} model
 * @param {HTMLElement} labelsWrap
 */
export function drawLabelButtons(model, labelsWrap) {
  labelsWrap.replaceChildren();
  for (const info of labelInfo(model)) {
    labelsWrap.append(el("button", {
      type: "button", class: "cjm-btn cjm-tagger-label", dataset: { label: info.name },
      style: { "--cjm-label-colour": info.colour },
    }, [info.name]));
  }
}

/**
 * Build the new-label field and the labels menu into `tools`; wire them to Python.
 * @param {import("./types.js").Tagger} t
 * @param {HTMLElement} tools
 * @param {() => string} coder
 */
export function createLabelTools(t, tools, coder) {
  const { call, model, root } = t;
  const input = /** @type {HTMLInputElement} */ (el("input", {
    type: "text", class: "cjm-input cjm-tagger-newlabel", placeholder: "New label…",
    "aria-label": "New label: type a name and press Enter to make it and add it to the selection",
    title: "Type a name and press Enter: makes the label and adds it to the selected rows",
  }));
  const menuBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-labelmenu-btn", "aria-expanded": "false", title: "Rename, merge or recolour labels" }, ["Labels ▾"]);
  const which = /** @type {HTMLSelectElement} */ (el("select", { class: "cjm-select cjm-tagger-lm-label", "aria-label": "Label to edit" }));
  const newName = /** @type {HTMLInputElement} */ (el("input", { type: "text", class: "cjm-input cjm-tagger-lm-name", placeholder: "New name", "aria-label": "New name" }));
  const renameBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-lm-rename" }, ["Rename"]);
  const into = /** @type {HTMLSelectElement} */ (el("select", { class: "cjm-select cjm-tagger-lm-into", "aria-label": "Merge into" }));
  const mergeBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-lm-merge" }, ["Merge"]);
  const colour = /** @type {HTMLInputElement} */ (el("input", { type: "color", class: "cjm-tagger-lm-colour", "aria-label": "Label colour" }));
  const menu = el("div", { class: "cjm-tagger-labelmenu", role: "group", "aria-label": "Edit labels", hidden: true }, [
    el("label", {}, ["Label ", which]),
    el("span", { class: "cjm-tagger-lm-row" }, [newName, renameBtn]),
    el("span", { class: "cjm-tagger-lm-row" }, ["into ", into, mergeBtn]),
    el("label", { class: "cjm-tagger-lm-row" }, ["Colour ", colour]),
  ]);
  tools.append(input, menuBtn, menu);

  const fillMenu = () => {
    const infos = labelInfo(model);
    const keep = which.value;
    which.replaceChildren(...infos.map((i) => el("option", { value: i.name }, [i.name])));
    if (infos.some((i) => i.name === keep)) which.value = keep;
    const chosen = infos.find((i) => i.name === which.value);
    into.replaceChildren(...infos.filter((i) => i.name !== which.value).map((i) => el("option", { value: i.name }, [i.name])));
    if (chosen) colour.value = chosen.colour;
    /** @type {any} */ (renameBtn).disabled = !chosen || chosen.builtin;
    renameBtn.title = chosen && chosen.builtin ? "A built-in label cannot be renamed (the analyses read it)" : "Rename the label";
  };
  const onMenu = () => {
    const open = menu.hidden;
    menu.hidden = !open;
    menuBtn.setAttribute("aria-expanded", String(open));
    if (open) fillMenu();
  };
  /** @param {KeyboardEvent} e */
  const onInputKey = (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    const name = input.value.trim();
    if (!name) return;
    call("new_label", { name, coder: coder() }).then((reply) => { if (reply && reply.ok !== false) input.value = ""; });
  };
  const onRename = () => {
    if (newName.value.trim()) call("rename_label", { old: which.value, new: newName.value.trim() }).then(() => { newName.value = ""; });
  };
  const onMerge = () => { if (which.value && into.value) call("merge_labels", { labels: [which.value], into: into.value }); };
  const onColour = () => { if (which.value) call("set_label_colour", { label: which.value, colour: colour.value }); };
  /** @param {KeyboardEvent} e */
  const onMenuKey = (e) => {
    if (e.key === "Escape") { menu.hidden = true; menuBtn.setAttribute("aria-expanded", "false"); root.focus({ preventScroll: true }); }
  };
  /** @type {Array<[HTMLElement, string, EventListener]>} */
  const listeners = [
    [input, "keydown", /** @type {EventListener} */ (onInputKey)],
    [menuBtn, "click", onMenu],
    [which, "change", fillMenu],
    [renameBtn, "click", onRename],
    [mergeBtn, "click", onMerge],
    [colour, "change", onColour],
    [menu, "keydown", /** @type {EventListener} */ (onMenuKey)],
  ];
  for (const [node, type, fn] of listeners) node.addEventListener(type, fn);
  return {
    input,
    /** `_meta` changed: the menu's lists follow (when open). */
    sync() { if (!menu.hidden) fillMenu(); },
    dispose() { for (const [node, type, fn] of listeners) node.removeEventListener(type, fn); },
  };
}

/** @typedef {ReturnType<typeof createLabelTools>} LabelTools */
