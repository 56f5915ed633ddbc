// @ts-check
/*
 * cjm.EvidenceTagger: a windowed evidence table with filters, selection and tagging.
 *
 * The browser holds only the current window (`_window` trait: rows of the shown columns);
 * paging, sorting, filtering, search and selection are calls to Python handlers (see
 * evidence_tagger.py), whose new window comes back through the trait. The picker (stages and
 * touchpoints from the live journey, labels, filter choices) comes from `_meta`.
 * The filter bar always shows the filter Python applies (`_window.bar`): a filter set from
 * elsewhere (the Workspace's curve or board) is written back into the search box and the
 * dropdowns and shown as a removable chip. `_notice` is the status line after a tag action.
 * User text only ever goes in through textContent / text nodes / attribute values.
 */
import {
  el,
  errorBanner,
  isRedoKey,
  isTextField,
  isUndoKey,
  kernelNote,
  plural,
  rpc,
} from "./_common.js";

const FACES = [
  { value: -2, face: "😠", label: "Very negative" },
  { value: -1, face: "😟", label: "Negative" },
  { value: 0, face: "😐", label: "Neutral" },
  { value: 1, face: "😊", label: "Positive" },
  { value: 2, face: "😄", label: "Very positive" },
];

/** @param {number | null} value */
function faceOf(value) {
  if (value === null || value === undefined) return "";
  const i = Math.max(0, Math.min(4, Math.round(value) + 2));
  return FACES[i].face;
}

/** @param {{ model: any, el: HTMLElement }} ctx */
function render({ model, el: host }) {
  const calls = rpc(model);
  const banner = errorBanner(model);
  /** @type {Record<string, any>} */
  const ui = { sort: null, desc: false, expanded: new Set(), busy: false };

  const root = el("div", { class: "cjm-root cjm-tagger", tabindex: "0", "aria-label": "Evidence tagger" });
  const filters = el("div", { class: "cjm-tagger-filters", role: "group", "aria-label": "Filters" });
  const tools = el("div", { class: "cjm-tagger-tools", role: "group", "aria-label": "Tag the selection" });
  const count = el("div", { class: "cjm-tagger-count", "aria-live": "polite" });
  const status = el("div", { class: "cjm-tagger-status", role: "status", "aria-live": "polite" });
  const tableWrap = el("div", { class: "cjm-tagger-table-wrap" });
  const pager = el("div", { class: "cjm-tagger-pager" });
  root.append(banner.node, filters, tools, status, count, tableWrap, pager);
  host.append(root);
  const offline = kernelNote(host, root);

  /** @param {string} method @param {Record<string, any>} [args] */
  const call = async (method, args = {}) => {
    const reply = await calls.call(method, args);
    return reply;
  };

  // ---------------------------------------------------------------- filters
  const untagged = /** @type {HTMLInputElement} */ (el("input", { type: "checkbox", class: "cjm-tagger-untagged", "aria-label": "Untagged only" }));
  const search = /** @type {HTMLInputElement} */ (el("input", { type: "search", class: "cjm-input cjm-tagger-search", placeholder: "Search text…", "aria-label": "Search text" }));
  const stageSel = /** @type {HTMLSelectElement} */ (el("select", { class: "cjm-select cjm-tagger-f-place", "aria-label": "Filter by stage or touchpoint" }));
  const labelSel = /** @type {HTMLSelectElement} */ (el("select", { class: "cjm-select cjm-tagger-f-label", "aria-label": "Filter by label" }));
  const segWrap = el("span", { class: "cjm-tagger-segs" });
  /** @type {Map<string, HTMLSelectElement>} */
  const segSels = new Map();
  const clearBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-clear" }, ["Clear filters"]);
  const chipWrap = el("span", { class: "cjm-tagger-linkchips" });
  filters.append(
    chipWrap,
    el("label", { class: "cjm-tagger-check" }, [untagged, "Untagged only"]),
    search, stageSel, labelSel, segWrap, clearBtn,
  );

  const applyFilter = () => {
    /** @type {Record<string, any>} */
    const args = {};
    if (untagged.checked) args.untagged = true;
    if (search.value.trim()) args.search = search.value.trim();
    const place = stageSel.value;
    if (place.startsWith("s:")) args.stage = place.slice(2);
    if (place.startsWith("t:")) args.touchpoint = place.slice(2);
    if (labelSel.value) args.label = labelSel.value;
    for (const [col, sel] of segSels) if (sel.value) args[col] = sel.value;
    call("filter", args);
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
    for (const sel of segSels.values()) sel.value = "";
    call("filter", {});
  };
  untagged.addEventListener("change", applyFilter);
  search.addEventListener("input", onSearch);
  search.addEventListener("keydown", onSearchKey);
  stageSel.addEventListener("change", applyFilter);
  labelSel.addEventListener("change", applyFilter);
  segWrap.addEventListener("change", applyFilter);
  clearBtn.addEventListener("click", onClear);
  /** @param {Event} e */
  const onChip = (e) => {
    if (!(/** @type {HTMLElement} */ (e.target).closest(".cjm-tagger-linkchip-x"))) return;
    root.focus({ preventScroll: true }); // the × is about to go: keep the keyboard in the tagger
    call("unlink", {});
  };
  chipWrap.addEventListener("click", onChip);

  // ---------------------------------------------------------------- tag tools
  const tpSel = /** @type {HTMLSelectElement} */ (el("select", { class: "cjm-select cjm-tagger-tp", "aria-label": "Touchpoint to tag" }));
  const tpBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-apply-tp" }, ["Tag touchpoint"]);
  const emo = el("span", { class: "cjm-tagger-emotions", role: "group", "aria-label": "Emotion" });
  for (const [i, f] of FACES.entries()) {
    emo.append(el("button", {
      type: "button", class: "cjm-btn cjm-tagger-emo", dataset: { emotion: String(f.value) },
      "aria-label": `${f.label} (${f.value > 0 ? "+" : ""}${f.value}), key ${i + 1}`,
      title: `${f.label} (${f.value > 0 ? "+" : ""}${f.value}) — key ${i + 1}`,
    }, [el("span", { class: "cjm-tagger-face", "aria-hidden": "true" }, [f.face]),
      el("span", { class: "cjm-tagger-emo-n" }, [f.value > 0 ? `+${f.value}` : String(f.value)])]));
  }
  const labelsWrap = el("span", { class: "cjm-tagger-labels", role: "group", "aria-label": "Labels of the selection" });
  const coderIn = /** @type {HTMLInputElement} */ (el("input", { type: "text", class: "cjm-input cjm-tagger-coder", placeholder: "Coder", "aria-label": "Coder name" }));
  const untagBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-untag" }, ["Untag"]);
  const undoBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-undo", title: "Undo the last tag (Ctrl+Z)" }, ["Undo"]);
  const redoBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-redo", title: "Redo (Ctrl+Shift+Z)" }, ["Redo"]);
  const hiddenBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-deselect-hidden" }, ["Deselect hidden"]);
  const onDeselectHidden = () => call("deselect_hidden", {});
  hiddenBtn.addEventListener("click", onDeselectHidden);
  const allBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-all" }, ["Select all matching"]);
  const noneBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-none" }, ["Clear selection"]);
  tools.append(tpSel, tpBtn, emo, labelsWrap, coderIn, untagBtn, undoBtn, redoBtn, allBtn, noneBtn);

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
      const what = `${f.label} (${f.value > 0 ? "+" : ""}${f.value})${also}`;
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
  const onCoder = () => call("set_coder", { coder: coderIn.value });
  const onUntag = () => call("untag", {});
  const onUndo = () => call("undo", {});
  const onRedo = () => call("redo", {});
  const onAll = () => call("select", { matching: true });
  const onNone = () => call("select", { mode: "none" });
  tpBtn.addEventListener("click", onTp);
  tpSel.addEventListener("change", paintFaces);
  emo.addEventListener("click", onEmo);
  labelsWrap.addEventListener("click", onLabel);
  coderIn.addEventListener("change", onCoder);
  untagBtn.addEventListener("click", onUntag);
  undoBtn.addEventListener("click", onUndo);
  redoBtn.addEventListener("click", onRedo);
  allBtn.addEventListener("click", onAll);
  noneBtn.addEventListener("click", onNone);

  // ---------------------------------------------------------------- table
  /** @param {MouseEvent} e */
  const onTableClick = (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    const th = target.closest("th[data-col]");
    if (th instanceof HTMLElement) {
      const col = th.dataset.col || "";
      if (ui.sort === col) ui.desc = !ui.desc; else { ui.sort = col; ui.desc = false; }
      call("page", { start: 0, sort: ui.sort, desc: ui.desc });
      return;
    }
    const more = target.closest(".cjm-tagger-more");
    const tr = target.closest("tr[data-row]");
    if (!(tr instanceof HTMLElement)) return;
    const row = Number(tr.dataset.row);
    if (more) {
      if (ui.expanded.has(row)) ui.expanded.delete(row); else ui.expanded.add(row);
      draw();
      return;
    }
    const mode = e.shiftKey ? "range" : (e.ctrlKey || e.metaKey) ? "toggle" : "one";
    if (e.shiftKey) e.preventDefault();
    call("select", { row, mode });
    root.focus({ preventScroll: true });
  };
  /** @param {MouseEvent} e */
  const onMouseDown = (e) => { if (e.shiftKey) e.preventDefault(); };
  tableWrap.addEventListener("click", onTableClick);
  tableWrap.addEventListener("mousedown", onMouseDown);

  /** @param {KeyboardEvent} e */
  const onKey = (e) => {
    if (isTextField(e.target) || e.target instanceof HTMLSelectElement) return;
    if (isRedoKey(e) || isUndoKey(e)) {
      e.preventDefault();
      e.stopPropagation(); // JupyterLab's own undo must not act on the notebook
      call(isRedoKey(e) ? "redo" : "undo", {});
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const n = Number(e.key);
    if (Number.isInteger(n) && n >= 1 && n <= 5) {
      e.preventDefault();
      tagFace(FACES[n - 1].value);
    }
  };
  root.addEventListener("keydown", onKey);

  /** @param {number} start */
  const goto = (start) => call("page", { start, sort: ui.sort, desc: ui.desc });
  /** @param {Event} e */
  const onPager = (e) => {
    const btn = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest("button[data-start]"));
    if (btn && !(/** @type {HTMLButtonElement} */ (btn).disabled)) goto(Number(btn.dataset.start));
  };
  pager.addEventListener("click", onPager);

  // ---------------------------------------------------------------- drawing
  /** The count line's warning when selected rows are hidden by the filter. @param {number} hidden */
  const hiddenNote = (hidden) => hidden
    ? [el("span", { class: "cjm-tagger-hidden" }, [`, ${hidden.toLocaleString("en")} hidden by the filter`]), " ", hiddenBtn]
    : [];

  /** Put a value in a select, adding it as an option when the list lacks it. @param {HTMLSelectElement} sel @param {string} value */
  const setSelect = (sel, value) => {
    if (value && ![...sel.options].some((o) => o.value === value)) {
      sel.append(el("option", { value }, [value]));
    }
    sel.value = value;
  };

  /** The filter bar shows the filter Python applies, and its chip. @param {Record<string, any>} bar */
  const syncBar = (bar) => {
    untagged.checked = Boolean(bar.untagged);
    // never overwrite what the person is typing (their search is on its way)
    const typing = document.activeElement === search && searchTimer !== undefined;
    if (!typing && search.value.trim() !== (bar.search || "")) search.value = bar.search || "";
    setSelect(stageSel, bar.place || "");
    setSelect(labelSel, bar.label || "");
    const segs = bar.segments || {};
    for (const [col, sel] of segSels) setSelect(sel, segs[col] || "");
    drawChip(bar.linked || null);
  };

  /** The linked filter's chip: its text and a × that removes it. @param {string | null} text */
  const drawChip = (text) => {
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

  const drawNotice = () => {
    const notice = model.get("_notice") || {};
    status.textContent = notice.text || "";
    status.classList.toggle("cjm-warn", notice.kind === "warn");
    status.hidden = !notice.text;
  };

  let metaKey = "";
  const drawMeta = () => {
    const meta = model.get("_meta") || {};
    const key = JSON.stringify(meta);
    if (key === metaKey) return;
    metaKey = key;
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
    paintFaces();
    const lab = labelSel.value;
    labelSel.replaceChildren(el("option", { value: "" }, ["Any label"]));
    labelsWrap.replaceChildren();
    for (const name of meta.labels || []) {
      labelSel.append(el("option", { value: name }, [name]));
      labelsWrap.append(el("button", { type: "button", class: "cjm-btn cjm-tagger-label", dataset: { label: name } }, [name]));
    }
    paintLabels();
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

  /** Label buttons say whether they add or remove (every selected row has the label). */
  const paintLabels = () => {
    const on = new Set((model.get("_window") || {}).labels_on || []);
    for (const b of labelsWrap.querySelectorAll(".cjm-tagger-label")) {
      const name = /** @type {HTMLElement} */ (b).dataset.label || "";
      const has = on.has(name);
      b.setAttribute("aria-pressed", String(has));
      b.setAttribute("aria-label", has ? `Remove label ${name} from the selection` : `Add label ${name} to the selection`);
      b.textContent = `${has ? "−" : "+"} ${name}`;
    }
  };

  /** The touchpoint cell of a row with an emotion but no touchpoint: the curve leaves it out. */
  const needsTouchpoint = () => el("td", { class: "cjm-tagger-needs-tp" }, [
    el("span", {
      class: "cjm-tagger-needs-tp-note",
      title: "This row has an emotion but no touchpoint: it counts on the emotion curve once it has a touchpoint.",
    }, ["needs a touchpoint"]),
  ]);

  /** One table row: [row, id, selected, ...values of `shown`]. @param {any[]} r @param {string[]} shown */
  const rowNode = (r, shown) => {
    const rowId = r[0];
    const cells = shown.map((c, j) => {
      const v = r[j + 3];
      if (c === "text") {
        const long = String(v).length > 110;
        const open = ui.expanded.has(rowId);
        return el("td", { class: `cjm-tagger-text${open ? " cjm-open" : ""}` }, [
          el("span", { class: "cjm-tagger-text-body" }, [String(v)]),
          long ? el("button", { type: "button", class: "cjm-tagger-more", "aria-label": open ? "Show less" : "Show more" }, [open ? "less" : "more"]) : null,
        ]);
      }
      if (c === "emotion") {
        return el("td", { class: "cjm-tagger-emotion", dataset: { value: v === null ? "" : String(v) } },
          v === null ? [] : [el("span", { "aria-hidden": "true" }, [faceOf(v)]), ` ${v > 0 ? "+" : ""}${v}`]);
      }
      if (c === "touchpoint" && !v && r[shown.indexOf("emotion") + 3] != null) return needsTouchpoint();
      if (c === "labels") {
        return el("td", { class: "cjm-tagger-labelcell" }, (v || []).map((/** @type {string} */ l) => el("span", { class: "cjm-tagger-chip" }, [l])));
      }
      return el("td", { class: "cjm-tagger-plain", title: String(v ?? "") }, [String(v ?? "")]);
    });
    return el("tr", {
      dataset: { row: String(rowId), id: r[1] },
      class: r[2] ? "cjm-selected" : "",
      "aria-selected": r[2] ? "true" : "false",
    }, cells);
  };
  const tableHead = el("thead");
  const tableBody = el("tbody");
  /** The table, kept across draws. @type {{node: HTMLElement, head: HTMLElement, body: HTMLElement, key: string, rows: Map<string, HTMLElement>}} */
  const table = {
    node: el("table", { class: "cjm-tagger-table", role: "grid", "aria-multiselectable": "true" }, [tableHead, tableBody]),
    head: tableHead,
    body: tableBody,
    key: "",
    rows: new Map(),
  };

  const draw = () => {
    const win = model.get("_window") || {};
    const cols = /** @type {string[]} */ (win.columns || []);
    const rows = /** @type {any[][]} */ (win.rows || []);
    const shown = cols.slice(3);
    const first = rows.length ? win.start + 1 : 0;
    count.replaceChildren(
      el("strong", {}, [`${(win.matching ?? 0).toLocaleString("en")} of ${plural(win.total ?? 0, "row")}`]),
      rows.length ? ` · showing ${first.toLocaleString("en")}–${(win.start + rows.length).toLocaleString("en")}` : "",
      ` · ${(win.selected ?? 0).toLocaleString("en")} selected`,
      ...hiddenNote(win.hidden || 0),
    );
    syncBar(win.bar || {});
    /** @type {any} */ (undoBtn).disabled = !win.can_undo;
    /** @type {any} */ (redoBtn).disabled = !win.can_redo;
    paintLabels();
    const headKey = JSON.stringify([shown, win.sort]);
    if (headKey !== table.key) {
      const head = el("tr", {}, shown.map((c) => {
        const sorted = win.sort && win.sort[0] === c;
        return el("th", {
          scope: "col", dataset: { col: c }, class: `cjm-tagger-col-${c === "text" ? "text" : "x"}`,
          "aria-sort": sorted ? (win.sort[1] ? "descending" : "ascending") : "none",
          title: `Sort by ${c}`,
        }, [c, sorted ? (win.sort[1] ? " ▾" : " ▴") : ""]);
      }));
      table.head.replaceChildren(head);
      table.key = headKey;
      table.rows = new Map();
    }
    // Rows whose data did not change keep their DOM nodes: a tag redraws only its rows.
    /** @type {Map<string, HTMLElement>} */
    const kept = new Map();
    const trs = rows.map((r) => {
      const key = JSON.stringify(r) + (ui.expanded.has(r[0]) ? "+" : "");
      const tr = table.rows.get(key) || rowNode(r, shown);
      kept.set(key, tr);
      return tr;
    });
    table.rows = kept;
    const now = Array.from(table.body.children);
    if (now.length === trs.length && trs.every((tr, i) => tr === now[i] || !now.includes(tr))) {
      trs.forEach((tr, i) => { if (tr !== now[i]) now[i].replaceWith(tr); });
    } else {
      table.body.replaceChildren(...trs);
    }
    if (!rows.length) {
      if (!tableWrap.querySelector(".cjm-tagger-empty")) {
        tableWrap.replaceChildren(el("div", { class: "cjm-tagger-empty" }, ["No rows match the filters."]));
      }
    } else if (table.node.parentNode !== tableWrap) {
      const scroll = tableWrap.scrollTop;
      tableWrap.replaceChildren(table.node);
      tableWrap.scrollTop = scroll;
    }
    const size = win.page_size || 50;
    const last = Math.max(0, Math.floor(((win.matching || 1) - 1) / size) * size);
    const mk = (/** @type {string} */ text, /** @type {number} */ start, /** @type {boolean} */ off, /** @type {string} */ label) =>
      el("button", { type: "button", class: "cjm-btn", dataset: { start: String(start) }, disabled: off, "aria-label": label }, [text]);
    const page = Math.floor((win.start || 0) / size) + 1;
    const pages = Math.floor(last / size) + 1;
    pager.replaceChildren(
      mk("«", 0, win.start === 0, "First page"),
      mk("‹", Math.max(0, win.start - size), win.start === 0, "Previous page"),
      el("span", { class: "cjm-tagger-page" }, [`Page ${page.toLocaleString("en")} of ${pages.toLocaleString("en")}`]),
      mk("›", win.start + size, win.start + size >= (win.matching || 0), "Next page"),
      mk("»", last, win.start >= last, "Last page"),
    );
  };

  const onCoderTrait = () => { if (document.activeElement !== coderIn) coderIn.value = model.get("coder") || ""; };
  model.on("change:_window", draw);
  model.on("change:_meta", drawMeta);
  model.on("change:coder", onCoderTrait);
  model.on("change:_notice", drawNotice);
  drawMeta();
  draw();
  onCoderTrait();
  drawNotice();

  return () => {
    window.clearTimeout(searchTimer);
    model.off("change:_window", draw);
    model.off("change:_meta", drawMeta);
    model.off("change:coder", onCoderTrait);
    model.off("change:_notice", drawNotice);
    chipWrap.removeEventListener("click", onChip);
    hiddenBtn.removeEventListener("click", onDeselectHidden);
    untagged.removeEventListener("change", applyFilter);
    search.removeEventListener("input", onSearch);
    search.removeEventListener("keydown", onSearchKey);
    stageSel.removeEventListener("change", applyFilter);
    labelSel.removeEventListener("change", applyFilter);
    segWrap.removeEventListener("change", applyFilter);
    clearBtn.removeEventListener("click", onClear);
    tpBtn.removeEventListener("click", onTp);
    tpSel.removeEventListener("change", paintFaces);
    emo.removeEventListener("click", onEmo);
    labelsWrap.removeEventListener("click", onLabel);
    coderIn.removeEventListener("change", onCoder);
    untagBtn.removeEventListener("click", onUntag);
    undoBtn.removeEventListener("click", onUndo);
    redoBtn.removeEventListener("click", onRedo);
    allBtn.removeEventListener("click", onAll);
    noneBtn.removeEventListener("click", onNone);
    tableWrap.removeEventListener("click", onTableClick);
    tableWrap.removeEventListener("mousedown", onMouseDown);
    root.removeEventListener("keydown", onKey);
    pager.removeEventListener("click", onPager);
    banner.dispose();
    offline();
    calls.dispose();
    root.remove();
  };
}

export default { render };
