// @ts-check
/*
 * The filter bar: linked-filter chip, untagged only, search, stage/touchpoint, label and
 * segment dropdowns, Clear. It always shows the filter Python applies (`syncBar`).
 */
import { el } from "../_common.js";
import { filterArgs } from "./logic.js";

/**
 * Put a value in a select, adding it as an option when the list lacks it.
 * @param {HTMLSelectElement} sel
 * @param {string} value
 * @param {string} [text] the added option's text (default: the value)
 */
export const setSelect = (sel, value, text) => {
  if (value && ![...sel.options].some((o) => o.value === value)) {
    sel.append(el("option", { value }, [text || value]));
  }
  sel.value = value;
};

/**
 * The linked filter's chip: its text and a × that removes it.
 * @param {HTMLElement} chipWrap
 * @param {string | null} text
 */
const drawChip = (chipWrap, text) => {
  const now = chipWrap.firstElementChild;
  if (!text) { chipWrap.replaceChildren(); return; }
  if (now && now.getAttribute("data-text") === text) return;
  chipWrap.replaceChildren(el("span", { class: "cjm-tagger-linkchip", "data-text": text }, [
    el("span", { class: "cjm-tagger-linkchip-text" }, [text]),
    el("button", {
      type: "button", class: "cjm-tagger-linkchip-x",
      "aria-label": `Remove filter ${text}`, title: "Remove this filter",
    }, ["×"]),
  ]));
};

/**
 * Build the filter bar into `filters` and wire it to Python's `filter` / `unlink` calls.
 * @param {import("./types.js").Tagger} t
 * @param {HTMLElement} filters
 */
export function createFilters(t, filters) {
  const { call, root } = t;
  const untagged = /** @type {HTMLInputElement} */ (el("input", { type: "checkbox", class: "cjm-tagger-untagged", "aria-label": "Untagged only" }));
  const search = /** @type {HTMLInputElement} */ (el("input", { type: "search", class: "cjm-input cjm-tagger-search", placeholder: "Search text… (\"a phrase\")", "aria-label": "Search text: words, or a phrase in double quotes", title: "Words anywhere, or a phrase in double quotes: \"lost luggage\"" }));
  const words = /** @type {HTMLInputElement} */ (el("input", { type: "checkbox", class: "cjm-tagger-words", "aria-label": "Whole words only" }));
  const suggSel = /** @type {HTMLSelectElement} */ (el("select", { class: "cjm-select cjm-tagger-f-sugg", "aria-label": "Rows with a suggestion of at least this probability", hidden: true }, [
    el("option", { value: "" }, ["Any suggestion"]),
    ...[0.5, 0.7, 0.8, 0.9].map((p) => el("option", { value: String(p) }, [`Suggested ≥ ${Math.round(p * 100)}%`])),
  ]));
  const stageSel = /** @type {HTMLSelectElement} */ (el("select", { class: "cjm-select cjm-tagger-f-place", "aria-label": "Filter by stage or touchpoint" }));
  const labelSel = /** @type {HTMLSelectElement} */ (el("select", { class: "cjm-select cjm-tagger-f-label", "aria-label": "Filter by label" }));
  const segWrap = el("span", { class: "cjm-tagger-segs" });
  /** @type {Map<string, HTMLSelectElement>} */
  const segSels = new Map();
  const untaggedText = el("span", {}, ["Untagged only"]);
  const clearBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-clear" }, ["Clear filters"]);
  const chipWrap = el("span", { class: "cjm-tagger-linkchips" });
  filters.append(
    chipWrap,
    el("label", { class: "cjm-tagger-check" }, [untagged, untaggedText]),
    search, el("label", { class: "cjm-tagger-check", title: "Match whole words only" }, [words, "Whole words"]),
    stageSel, labelSel, suggSel, segWrap, clearBtn,
  );

  const applyFilter = () => {
    call("filter", filterArgs({
      untagged: untagged.checked,
      search: search.value,
      place: stageSel.value,
      label: labelSel.value,
      words: words.checked,
      suggested: suggSel.value,
      segments: [...segSels].map(([col, sel]) => /** @type {[string, string]} */ ([col, sel.value])),
    }));
  };
  /** @type {number | undefined} */
  let searchTimer;
  const onSearch = () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => { searchTimer = undefined; applyFilter(); }, 250);
  };
  /** @param {KeyboardEvent} e */
  const onSearchKey = (e) => {
    if (e.key === "Enter") { window.clearTimeout(searchTimer); searchTimer = undefined; applyFilter(); }
  };
  const onClear = () => {
    untagged.checked = false;
    search.value = "";
    stageSel.value = "";
    labelSel.value = "";
    words.checked = false;
    suggSel.value = "";
    for (const sel of segSels.values()) sel.value = "";
    call("filter", {});
  };
  /** @param {Event} e */
  const onChip = (e) => {
    if (!(/** @type {HTMLElement} */ (e.target).closest(".cjm-tagger-linkchip-x"))) return;
    root.focus({ preventScroll: true }); // the × is about to go: keep the keyboard in the tagger
    call("unlink", {});
  };
  /** @type {Array<[HTMLElement, string, EventListener]>} */
  const listeners = [
    [untagged, "change", applyFilter],
    [search, "input", onSearch],
    [search, "keydown", /** @type {EventListener} */ (onSearchKey)],
    [stageSel, "change", applyFilter],
    [labelSel, "change", applyFilter],
    [words, "change", () => { if (search.value.trim()) applyFilter(); }],
    [suggSel, "change", applyFilter],
    [segWrap, "change", applyFilter],
    [clearBtn, "click", onClear],
    [chipWrap, "click", onChip],
  ];
  for (const [node, type, fn] of listeners) node.addEventListener(type, fn);

  /** The filter bar shows the filter Python applies, and its chip. @param {Record<string, any>} bar */
  const syncBar = (bar) => {
    untagged.checked = Boolean(bar.untagged);
    // never overwrite what the person is typing (their search is on its way)
    const typing = document.activeElement === search && searchTimer !== undefined;
    if (!typing && search.value.trim() !== (bar.search || "")) search.value = bar.search || "";
    setSelect(stageSel, bar.place || "");
    setSelect(labelSel, bar.label || "");
    words.checked = bar.match === "words";
    const p = bar.suggested === null || bar.suggested === undefined ? "" : String(bar.suggested);
    setSelect(suggSel, p, `Suggested ≥ ${Math.round(Number(p) * 100)}%`);
    const segs = bar.segments || {};
    for (const [col, sel] of segSels) setSelect(sel, segs[col] || "");
    drawChip(chipWrap, bar.linked || null);
  };

  return {
    untaggedText,
    stageSel,
    labelSel,
    segWrap,
    segSels,
    syncBar,
    /** The Suggested filter shows only when the tagger has suggestions. @param {boolean} on */
    showSuggested(on) { suggSel.hidden = !on; },
    dispose() {
      window.clearTimeout(searchTimer);
      for (const [node, type, fn] of listeners) node.removeEventListener(type, fn);
    },
  };
}

/** @typedef {ReturnType<typeof createFilters>} Filters */
