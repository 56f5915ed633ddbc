// @ts-check
/*
 * The picker from `_meta` (the live journey's stages and touchpoints, the labels, the segment
 * columns and their values): fills the filter and tag dropdowns, keeping what is chosen.
 */
import { el } from "../_common.js";
import { drawLabelButtons } from "./labels.js";

/**
 * Label buttons say whether they add or remove (every selected row has the label).
 * @param {any} model
 * @param {HTMLElement} labelsWrap
 */
export function paintLabels(model, labelsWrap) {
  const win = model.get("_window") || {};
  const on = new Set(win.labels_on || []);
  const counts = win.label_counts || {};
  for (const b of labelsWrap.querySelectorAll(".cjm-tagger-label")) {
    const name = /** @type {HTMLElement} */ (b).dataset.label || "";
    const has = on.has(name);
    const n = counts[name] ?? 0;
    const key = `${has}|${n}`;
    if (/** @type {HTMLElement} */ (b).dataset.drawn === key) continue;
    /** @type {HTMLElement} */ (b).dataset.drawn = key;
    b.setAttribute("aria-pressed", String(has));
    b.setAttribute("aria-label", has ? `Remove label ${name} from the selection` : `Add label ${name} to the selection`);
    b.replaceChildren(
      el("span", { class: "cjm-tagger-swatch", "aria-hidden": "true" }),
      `${has ? "−" : "+"} ${name}`,
      el("span", { class: "cjm-tagger-label-n", title: `${n.toLocaleString("en")} rows carry it` }, [` ${n.toLocaleString("en")}`]),
    );
  }
}

/**
 * A redraw function for `_meta` (it does nothing while `_meta` is unchanged).
 * @param {any} model
 * @param {import("./filters.js").Filters} f
 * @param {import("./tools.js").Tools} tools
 * @returns {() => void}
 */
export function metaDrawer(model, f, tools) {
  let metaKey = "";
  return () => {
    const meta = model.get("_meta") || {};
    const key = JSON.stringify(meta);
    if (key === metaKey) return;
    metaKey = key;
    const { stageSel, labelSel, segSels, segWrap } = f;
    const { tpSel, labelsWrap } = tools;
    const place = stageSel.value;
    const tp = tpSel.value;
    stageSel.replaceChildren(el("option", { value: "" }, ["Any stage / touchpoint"]));
    tpSel.replaceChildren(el("option", { value: "" }, ["Touchpoint…"]));
    for (const st of meta.stages || []) {
      stageSel.append(el("option", { value: `s:${st.id}` }, [st.name]));
      const group = el("optgroup", { label: st.name });
      for (const t of st.touchpoints) {
        stageSel.append(el("option", { value: `t:${t.id}` }, [`\u2003${t.name}`]));
        group.append(el("option", { value: t.id }, [t.name]));
      }
      tpSel.append(group);
    }
    stageSel.value = place;
    tpSel.value = tp;
    tools.paintFaces();
    const lab = labelSel.value;
    labelSel.replaceChildren(el("option", { value: "" }, ["Any label"]));
    for (const name of meta.labels || []) labelSel.append(el("option", { value: name }, [name]));
    drawLabelButtons(model, labelsWrap);
    paintLabels(model, labelsWrap);
    tools.labelTools.sync();
    f.showSuggested(Boolean(meta.suggest));
    labelSel.value = lab;
    const choices = meta.choices || {};
    const old = new Map([...segSels].map(([k, s]) => [k, s.value]));
    segSels.clear();
    segWrap.replaceChildren();
    for (const col of ["source", ...(meta.segments || [])]) {
      const sel = /** @type {HTMLSelectElement} */ (el("select", { class: "cjm-select cjm-tagger-seg", dataset: { col }, "aria-label": `Filter by ${col}` }));
      sel.append(el("option", { value: "" }, [`Any ${col}`]));
      for (const v of choices[col] || []) sel.append(el("option", { value: v }, [v]));
      sel.value = old.get(col) || "";
      segSels.set(col, sel);
      segWrap.append(sel);
    }
  };
}
