// @ts-check
/*
 * The picker from `_meta` (the live journey's stages and touchpoints, the labels, the segment
 * columns and their values): fills the filter and tag dropdowns, keeping what is chosen.
 */
import { el } from "../_common.js";

/**
 * Label buttons say whether they add or remove (every selected row has the label).
 * @param {any} model
 * @param {HTMLElement} labelsWrap
 */
export function paintLabels(model, labelsWrap) {
  const on = new Set((model.get("_window") || {}).labels_on || []);
  for (const b of labelsWrap.querySelectorAll(".cjm-tagger-label")) {
    const name = /** @type {HTMLElement} */ (b).dataset.label || "";
    const has = on.has(name);
    b.setAttribute("aria-pressed", String(has));
    b.setAttribute("aria-label", has ? `Remove label ${name} from the selection` : `Add label ${name} to the selection`);
    b.textContent = `${has ? "−" : "+"} ${name}`;
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
    labelsWrap.replaceChildren();
    for (const name of meta.labels || []) {
      labelSel.append(el("option", { value: name }, [name]));
      labelsWrap.append(el("button", { type: "button", class: "cjm-btn cjm-tagger-label", dataset: { label: name } }, [name]));
    }
    paintLabels(model, labelsWrap);
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
