// Generated from cjm_widgets/widgets/static/src/evidence_tagger/index.js by scripts/build_js.mjs (npm run build): do not edit.

// cjm_widgets/widgets/static/src/_common.js
function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === void 0) continue;
    if (key === "class") node.className = String(value);
    else if (key === "text") node.textContent = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "style") {
      for (const [prop, v] of Object.entries(value)) node.style.setProperty(prop, String(v));
    } else if (key === "value" && "value" in node) {
      node.value = String(value);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === void 0 || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}
var viewCounter = 0;
function rpc(model) {
  viewCounter += 1;
  const prefix = `v${viewCounter}-${Math.random().toString(36).slice(2, 8)}-`;
  let next = 0;
  const pending = /* @__PURE__ */ new Map();
  const onMessage = (msg) => {
    if (!msg || msg.type !== "reply" || typeof msg.id !== "string") return;
    const resolve = pending.get(msg.id);
    if (!resolve) return;
    pending.delete(msg.id);
    resolve({ ok: Boolean(msg.ok), error: msg.error ?? null, result: msg.result ?? null });
  };
  model.on("msg:custom", onMessage);
  return {
    call(method, args = {}) {
      next += 1;
      const id = prefix + next;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        model.send({ type: "call", id, method, args });
      });
    },
    dispose() {
      model.off("msg:custom", onMessage);
      for (const resolve of pending.values()) {
        resolve({ ok: false, error: "The view was closed.", result: null });
      }
      pending.clear();
    }
  };
}
function errorBanner(model) {
  const text = el("span", { class: "cjm-error-text" });
  const dismiss = el("button", {
    type: "button",
    class: "cjm-error-dismiss",
    "aria-label": "Dismiss error",
    title: "Dismiss"
  }, ["×"]);
  const node = el("div", { class: "cjm-error", role: "alert", hidden: true }, [
    el("span", { class: "cjm-error-mark", "aria-hidden": "true" }, ["!"]),
    text,
    dismiss
  ]);
  let hidden = null;
  const update = () => {
    const message = String(model.get("error") || "");
    const show = message !== "" && message !== hidden;
    if (show) text.textContent = message;
    node.hidden = !show;
  };
  const onDismiss = () => {
    model.set("error", "");
    model.save_changes();
  };
  dismiss.addEventListener("click", onDismiss);
  model.on("change:error", update);
  update();
  return {
    node,
    hide(message) {
      hidden = message;
      update();
    },
    update,
    dispose() {
      dismiss.removeEventListener("click", onDismiss);
      model.off("change:error", update);
    }
  };
}
function isUndoKey(event) {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "z";
}
function isRedoKey(event) {
  const key = event.key.toLowerCase();
  return (event.ctrlKey || event.metaKey) && !event.altKey && event.shiftKey && key === "z" || event.ctrlKey && !event.metaKey && !event.altKey && !event.shiftKey && key === "y";
}
function isTextField(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["button", "checkbox", "radio", "submit", "reset", "range", "color"].includes(
      target.type
    );
  }
  return false;
}
function plural(n, one, many) {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many ?? `${one}s`}`;
}
var DISCONNECTED = "jupyter-widgets-disconnected";
function kernelNote(host, root) {
  const note = el("div", { class: "cjm-root cjm-offline-note", role: "status", hidden: "" }, [
    "No kernel: a snapshot of the last saved state (read-only). Run the cell to edit."
  ]);
  host.prepend(note);
  const update = () => {
    const offline = host.classList.contains(DISCONNECTED);
    note.hidden = !offline;
    root.inert = offline;
    root.classList.toggle("cjm-offline", offline);
  };
  update();
  const watch = new MutationObserver(update);
  watch.observe(host, { attributes: true, attributeFilter: ["class"] });
  return () => {
    watch.disconnect();
    note.remove();
  };
}

// cjm_widgets/widgets/static/src/evidence_tagger/logic.js
var FACES = [
  { value: -2, face: "😠", label: "Very negative" },
  { value: -1, face: "😟", label: "Negative" },
  { value: 0, face: "😐", label: "Neutral" },
  { value: 1, face: "😊", label: "Positive" },
  { value: 2, face: "😄", label: "Very positive" }
];
function faceOf(value) {
  if (value === null || value === void 0) return "";
  const i = Math.max(0, Math.min(4, Math.round(value) + 2));
  return FACES[i].face;
}
var signed = (value) => value > 0 ? `+${value}` : String(value);
function filterArgs(bar) {
  const args = {};
  if (bar.untagged) args.untagged = true;
  if (bar.search.trim()) args.search = bar.search.trim();
  if (bar.words && args.search) args.match = "words";
  if (bar.suggested) args.suggested = Number(bar.suggested);
  if (bar.place.startsWith("s:")) args.stage = bar.place.slice(2);
  if (bar.place.startsWith("t:")) args.touchpoint = bar.place.slice(2);
  if (bar.label) args.label = bar.label;
  for (const [col, value] of bar.segments) if (value) args[col] = value;
  return args;
}
function selectMode(click) {
  return click.shiftKey ? "range" : click.ctrlKey || click.metaKey ? "toggle" : "one";
}
function faceForKey(key) {
  const n = Number(key);
  return Number.isInteger(n) && n >= 1 && n <= 5 ? FACES[n - 1].value : null;
}
function pagerButtons(win) {
  const start = (
    /** @type {number} */
    win.start
  );
  const size = win.page_size || 50;
  const last = Math.max(0, Math.floor(((win.matching || 1) - 1) / size) * size);
  return {
    buttons: [
      { text: "«", start: 0, off: start === 0, label: "First page" },
      { text: "‹", start: Math.max(0, start - size), off: start === 0, label: "Previous page" },
      {
        text: "›",
        start: start + size,
        off: start + size >= (win.matching || 0),
        label: "Next page"
      },
      { text: "»", start: last, off: start >= last, label: "Last page" }
    ],
    page: Math.floor((start || 0) / size) + 1,
    pages: Math.floor(last / size) + 1
  };
}

// cjm_widgets/widgets/static/src/evidence_tagger/filters.js
var setSelect = (sel, value, text) => {
  if (value && ![...sel.options].some((o) => o.value === value)) {
    sel.append(el("option", { value }, [text || value]));
  }
  sel.value = value;
};
var drawChip = (chipWrap, text) => {
  const now = chipWrap.firstElementChild;
  if (!text) {
    chipWrap.replaceChildren();
    return;
  }
  if (now && now.getAttribute("data-text") === text) return;
  chipWrap.replaceChildren(el("span", { class: "cjm-tagger-linkchip", "data-text": text }, [
    el("span", { class: "cjm-tagger-linkchip-text" }, [text]),
    el("button", {
      type: "button",
      class: "cjm-tagger-linkchip-x",
      "aria-label": `Remove filter ${text}`,
      title: "Remove this filter"
    }, ["×"])
  ]));
};
function createFilters(t, filters) {
  const { call, root } = t;
  const untagged = (
    /** @type {HTMLInputElement} */
    el("input", { type: "checkbox", class: "cjm-tagger-untagged", "aria-label": "Untagged only" })
  );
  const search = (
    /** @type {HTMLInputElement} */
    el("input", { type: "search", class: "cjm-input cjm-tagger-search", placeholder: 'Search text… ("a phrase")', "aria-label": "Search text: words, or a phrase in double quotes", title: 'Words anywhere, or a phrase in double quotes: "lost luggage"' })
  );
  const words = (
    /** @type {HTMLInputElement} */
    el("input", { type: "checkbox", class: "cjm-tagger-words", "aria-label": "Whole words only" })
  );
  const suggSel = (
    /** @type {HTMLSelectElement} */
    el("select", { class: "cjm-select cjm-tagger-f-sugg", "aria-label": "Rows with a suggestion of at least this probability", hidden: true }, [
      el("option", { value: "" }, ["Any suggestion"]),
      ...[0.5, 0.7, 0.8, 0.9].map((p) => el("option", { value: String(p) }, [`Suggested ≥ ${Math.round(p * 100)}%`]))
    ])
  );
  const stageSel = (
    /** @type {HTMLSelectElement} */
    el("select", { class: "cjm-select cjm-tagger-f-place", "aria-label": "Filter by stage or touchpoint" })
  );
  const labelSel = (
    /** @type {HTMLSelectElement} */
    el("select", { class: "cjm-select cjm-tagger-f-label", "aria-label": "Filter by label" })
  );
  const segWrap = el("span", { class: "cjm-tagger-segs" });
  const segSels = /* @__PURE__ */ new Map();
  const untaggedText = el("span", {}, ["Untagged only"]);
  const clearBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-clear" }, ["Clear filters"]);
  const chipWrap = el("span", { class: "cjm-tagger-linkchips" });
  filters.append(
    chipWrap,
    el("label", { class: "cjm-tagger-check" }, [untagged, untaggedText]),
    search,
    el("label", { class: "cjm-tagger-check", title: "Match whole words only" }, [words, "Whole words"]),
    stageSel,
    labelSel,
    suggSel,
    segWrap,
    clearBtn
  );
  const applyFilter = () => {
    call("filter", filterArgs({
      untagged: untagged.checked,
      search: search.value,
      place: stageSel.value,
      label: labelSel.value,
      words: words.checked,
      suggested: suggSel.value,
      segments: [...segSels].map(([col, sel]) => (
        /** @type {[string, string]} */
        [col, sel.value]
      ))
    }));
  };
  let searchTimer;
  const onSearch = () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => {
      searchTimer = void 0;
      applyFilter();
    }, 250);
  };
  const onSearchKey = (e) => {
    if (e.key === "Enter") {
      window.clearTimeout(searchTimer);
      searchTimer = void 0;
      applyFilter();
    }
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
  const onChip = (e) => {
    if (!/** @type {HTMLElement} */
    e.target.closest(".cjm-tagger-linkchip-x")) return;
    root.focus({ preventScroll: true });
    call("unlink", {});
  };
  const listeners = [
    [untagged, "change", applyFilter],
    [search, "input", onSearch],
    [
      search,
      "keydown",
      /** @type {EventListener} */
      onSearchKey
    ],
    [stageSel, "change", applyFilter],
    [labelSel, "change", applyFilter],
    [words, "change", () => {
      if (search.value.trim()) applyFilter();
    }],
    [suggSel, "change", applyFilter],
    [segWrap, "change", applyFilter],
    [clearBtn, "click", onClear],
    [chipWrap, "click", onChip]
  ];
  for (const [node, type, fn] of listeners) node.addEventListener(type, fn);
  const syncBar = (bar) => {
    untagged.checked = Boolean(bar.untagged);
    const typing = document.activeElement === search && searchTimer !== void 0;
    if (!typing && search.value.trim() !== (bar.search || "")) search.value = bar.search || "";
    setSelect(stageSel, bar.place || "");
    setSelect(labelSel, bar.label || "");
    words.checked = bar.match === "words";
    const p = bar.suggested === null || bar.suggested === void 0 ? "" : String(bar.suggested);
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
    showSuggested(on) {
      suggSel.hidden = !on;
    },
    dispose() {
      window.clearTimeout(searchTimer);
      for (const [node, type, fn] of listeners) node.removeEventListener(type, fn);
    }
  };
}

// cjm_widgets/widgets/static/src/evidence_tagger/labels.js
var labelInfo = (model) => (model.get("_meta") || {}).label_info || [];
function drawLabelButtons(model, labelsWrap) {
  labelsWrap.replaceChildren();
  for (const info of labelInfo(model)) {
    labelsWrap.append(el("button", {
      type: "button",
      class: "cjm-btn cjm-tagger-label",
      dataset: { label: info.name },
      style: { "--cjm-label-colour": info.colour }
    }, [info.name]));
  }
}
function createLabelTools(t, tools, coder) {
  const { call, model, root } = t;
  const input = (
    /** @type {HTMLInputElement} */
    el("input", {
      type: "text",
      class: "cjm-input cjm-tagger-newlabel",
      placeholder: "New label…",
      "aria-label": "New label: type a name and press Enter to make it and add it to the selection",
      title: "Type a name and press Enter: makes the label and adds it to the selected rows"
    })
  );
  const menuBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-labelmenu-btn", "aria-expanded": "false", title: "Rename, merge or recolour labels" }, ["Labels ▾"]);
  const which = (
    /** @type {HTMLSelectElement} */
    el("select", { class: "cjm-select cjm-tagger-lm-label", "aria-label": "Label to edit" })
  );
  const newName = (
    /** @type {HTMLInputElement} */
    el("input", { type: "text", class: "cjm-input cjm-tagger-lm-name", placeholder: "New name", "aria-label": "New name" })
  );
  const renameBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-lm-rename" }, ["Rename"]);
  const into = (
    /** @type {HTMLSelectElement} */
    el("select", { class: "cjm-select cjm-tagger-lm-into", "aria-label": "Merge into" })
  );
  const mergeBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-lm-merge" }, ["Merge"]);
  const colour = (
    /** @type {HTMLInputElement} */
    el("input", { type: "color", class: "cjm-tagger-lm-colour", "aria-label": "Label colour" })
  );
  const menu = el("div", { class: "cjm-tagger-labelmenu", role: "group", "aria-label": "Edit labels", hidden: true }, [
    el("label", {}, ["Label ", which]),
    el("span", { class: "cjm-tagger-lm-row" }, [newName, renameBtn]),
    el("span", { class: "cjm-tagger-lm-row" }, ["into ", into, mergeBtn]),
    el("label", { class: "cjm-tagger-lm-row" }, ["Colour ", colour])
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
    renameBtn.disabled = !chosen || chosen.builtin;
    renameBtn.title = chosen && chosen.builtin ? "A built-in label cannot be renamed (the analyses read it)" : "Rename the label";
  };
  const onMenu = () => {
    const open = menu.hidden;
    menu.hidden = !open;
    menuBtn.setAttribute("aria-expanded", String(open));
    if (open) fillMenu();
  };
  const onInputKey = (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    const name = input.value.trim();
    if (!name) return;
    call("new_label", { name, coder: coder() }).then((reply) => {
      if (reply && reply.ok !== false) input.value = "";
    });
  };
  const onRename = () => {
    if (newName.value.trim()) call("rename_label", { old: which.value, new: newName.value.trim() }).then(() => {
      newName.value = "";
    });
  };
  const onMerge = () => {
    if (which.value && into.value) call("merge_labels", { labels: [which.value], into: into.value });
  };
  const onColour = () => {
    if (which.value) call("set_label_colour", { label: which.value, colour: colour.value });
  };
  const onMenuKey = (e) => {
    if (e.key === "Escape") {
      menu.hidden = true;
      menuBtn.setAttribute("aria-expanded", "false");
      root.focus({ preventScroll: true });
    }
  };
  const listeners = [
    [
      input,
      "keydown",
      /** @type {EventListener} */
      onInputKey
    ],
    [menuBtn, "click", onMenu],
    [which, "change", fillMenu],
    [renameBtn, "click", onRename],
    [mergeBtn, "click", onMerge],
    [colour, "change", onColour],
    [
      menu,
      "keydown",
      /** @type {EventListener} */
      onMenuKey
    ]
  ];
  for (const [node, type, fn] of listeners) node.addEventListener(type, fn);
  return {
    input,
    /** `_meta` changed: the menu's lists follow (when open). */
    sync() {
      if (!menu.hidden) fillMenu();
    },
    dispose() {
      for (const [node, type, fn] of listeners) node.removeEventListener(type, fn);
    }
  };
}

// cjm_widgets/widgets/static/src/evidence_tagger/meta.js
function paintLabels(model, labelsWrap) {
  const win = model.get("_window") || {};
  const on = new Set(win.labels_on || []);
  const counts = win.label_counts || {};
  for (const b of labelsWrap.querySelectorAll(".cjm-tagger-label")) {
    const name = (
      /** @type {HTMLElement} */
      b.dataset.label || ""
    );
    const has = on.has(name);
    const n = counts[name] ?? 0;
    const key = `${has}|${n}`;
    if (
      /** @type {HTMLElement} */
      b.dataset.drawn === key
    ) continue;
    b.dataset.drawn = key;
    b.setAttribute("aria-pressed", String(has));
    b.setAttribute("aria-label", has ? `Remove label ${name} from the selection` : `Add label ${name} to the selection`);
    b.replaceChildren(
      el("span", { class: "cjm-tagger-swatch", "aria-hidden": "true" }),
      `${has ? "−" : "+"} ${name}`,
      el("span", { class: "cjm-tagger-label-n", title: `${n.toLocaleString("en")} rows carry it` }, [` ${n.toLocaleString("en")}`])
    );
  }
}
function metaDrawer(model, f, tools) {
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
        stageSel.append(el("option", { value: `t:${t.id}` }, [` ${t.name}`]));
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
    for (const col of ["source", ...meta.segments || []]) {
      const sel = (
        /** @type {HTMLSelectElement} */
        el("select", { class: "cjm-select cjm-tagger-seg", dataset: { col }, "aria-label": `Filter by ${col}` })
      );
      sel.append(el("option", { value: "" }, [`Any ${col}`]));
      for (const v of choices[col] || []) sel.append(el("option", { value: v }, [v]));
      sel.value = old.get(col) || "";
      segSels.set(col, sel);
      segWrap.append(sel);
    }
  };
}

// cjm_widgets/widgets/static/src/evidence_tagger/hits.js
function pieces(text, spans) {
  const out = [];
  let at = 0;
  for (const [a0, b0] of spans || []) {
    const a = Math.max(at, Math.min(a0, text.length));
    const b = Math.max(a, Math.min(b0, text.length));
    if (a > at) out.push({ text: text.slice(at, a), hit: false });
    if (b > a) out.push({ text: text.slice(a, b), hit: true });
    at = b;
  }
  if (at < text.length || !out.length) out.push({ text: text.slice(at), hit: false });
  return out;
}
var withCount = (name, n) => n === void 0 ? name : `${name} (${n.toLocaleString("en")})`;
var marked = (text, spans) => pieces(text, spans).map((p) => p.hit ? el("mark", { class: "cjm-hit" }, [p.text]) : p.text);
function textBody(text, hit, open) {
  const snip = hit && hit.snippet;
  if (!open && snip) {
    return el("span", { class: "cjm-tagger-text-body cjm-tagger-snippet", title: "Around the first match" }, [
      snip.before ? "… " : "",
      ...marked(String(snip.text), snip.spans),
      snip.after ? " …" : ""
    ]);
  }
  return el("span", { class: "cjm-tagger-text-body" }, marked(text, hit ? hit.spans : void 0));
}
function paintFacets(f, facets) {
  const n = facets && facets.untagged ? facets.untagged[""] : void 0;
  const untaggedText = withCount("Untagged only", n);
  if (f.untaggedText.textContent !== untaggedText) f.untaggedText.textContent = untaggedText;
  const sels = [[f.stageSel, "place"], [f.labelSel, "label"], ...[...f.segSels].map(([col, sel]) => (
    /** @type {[HTMLSelectElement, string]} */
    [sel, col]
  ))];
  for (const [sel, key] of sels) {
    const counts = facets ? facets[key] || {} : null;
    for (const o of sel.options) {
      if (!o.value) continue;
      if (o.dataset.name === void 0) o.dataset.name = o.textContent || "";
      const text = withCount(o.dataset.name, counts ? counts[o.value] ?? 0 : void 0);
      if (o.textContent !== text) o.textContent = text;
    }
  }
}

// cjm_widgets/widgets/static/src/evidence_tagger/quote_logic.js
function cpToU16(text, cp) {
  let u = 0;
  for (let i = 0; i < cp && u < text.length; i++) {
    const c = text.charCodeAt(u);
    u += c >= 55296 && c <= 56319 && u + 1 < text.length ? 2 : 1;
  }
  return u;
}
function u16ToCp(text, u, side = "start") {
  let cp = 0;
  let i = 0;
  const stop = Math.max(0, Math.min(u, text.length));
  while (i < stop) {
    const c = text.charCodeAt(i);
    const pair = c >= 55296 && c <= 56319 && i + 1 < text.length;
    if (pair && i + 1 === stop) return side === "end" ? cp + 1 : cp;
    i += pair ? 2 : 1;
    cp += 1;
  }
  return cp;
}
function selectionQuote(text, a, b) {
  let lo = Math.max(0, Math.min(a, b));
  let hi = Math.min(text.length, Math.max(a, b));
  while (lo < hi && /\s/.test(text[lo])) lo++;
  while (hi > lo && /\s/.test(text[hi - 1])) hi--;
  if (lo >= hi) return null;
  const start = u16ToCp(text, lo, "start");
  const end = u16ToCp(text, hi, "end");
  const u0 = cpToU16(text, start);
  const u1 = cpToU16(text, end);
  return { start, end, text: text.slice(u0, u1) };
}
function spanPieces(text, spans) {
  const cuts = /* @__PURE__ */ new Set([0, text.length]);
  const inU16 = spans.map(([s, e, id]) => ({ s: cpToU16(text, s), e: cpToU16(text, e), id }));
  for (const { s, e } of inU16) {
    cuts.add(s);
    cuts.add(e);
  }
  const at = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((x, y) => x - y);
  const pieces2 = [];
  for (let i = 0; i + 1 < at.length; i++) {
    const [a, b] = [at[i], at[i + 1]];
    if (a === b) continue;
    const ids = inU16.filter((q) => q.s <= a && q.e >= b).map((q) => q.id);
    const last = pieces2[pieces2.length - 1];
    if (last && last.ids.join("\n") === ids.join("\n")) last.text += text.slice(a, b);
    else pieces2.push({ text: text.slice(a, b), ids });
  }
  return pieces2;
}

// cjm_widgets/widgets/static/src/evidence_tagger/quote.js
function textBody2(text, info, hit, open = false) {
  const spans = info && info.spans ? info.spans : [];
  if (!open && hit && hit.snippet || !spans.length) return textBody(text, hit, open);
  const hits = hit && hit.spans ? hit.spans : [];
  const body = el("span", { class: "cjm-tagger-text-body" });
  let at = 0;
  for (const piece of spanPieces(text, spans)) {
    const a = at;
    const b = at + piece.text.length;
    at = b;
    const inside = hits.filter(([s, e]) => e > a && s < b).map(([s, e]) => [Math.max(s, a) - a, Math.min(e, b) - a]);
    const nodes = marked(piece.text, inside);
    if (piece.ids.length) body.append(el("mark", { class: "cjm-quote-span", title: `Quote ${piece.ids.join(", ")}` }, nodes));
    else body.append(...nodes);
  }
  return body;
}
function quoteExtras(info, text) {
  if (!info) return null;
  if (info.rating !== void 0) {
    return el("span", { class: "cjm-tagger-rating" }, [
      el("span", { class: "cjm-tagger-rating-text" }, [info.rating]),
      info.parent_text ? el("details", { class: "cjm-tagger-rating-review" }, [
        el("summary", {}, [`review ${info.parent || ""}`]),
        el("span", { class: "cjm-quote-dim" }, [info.parent_text])
      ]) : null
    ]);
  }
  if (info.start === void 0 || !info.parent) return null;
  return el("span", { class: "cjm-quote-ctx", title: `From ${info.parent}, characters ${info.start}–${info.end}` }, [
    el("span", { class: "cjm-quote-from" }, [`from ${info.parent}: `]),
    el("span", { class: "cjm-quote-dim" }, [info.before || ""]),
    el("mark", { class: "cjm-quote-span" }, [text]),
    el("span", { class: "cjm-quote-dim" }, [info.after || ""])
  ]);
}
function startOf(body, node) {
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let n = 0;
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (t === node || node.contains(t)) return n;
    n += (t.textContent || "").length;
  }
  return n;
}
function offsetIn(body, node, offset) {
  if (node.nodeType === Node.TEXT_NODE) return startOf(body, node) + offset;
  const child = node.childNodes[offset];
  if (child) return startOf(body, child);
  return startOf(body, node) + (node.textContent || "").length;
}
function selectedQuote(tableWrap) {
  const sel = document.getSelection();
  if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
  const range = sel.getRangeAt(0);
  const start = range.startContainer;
  const bodyOf = (n) => (n instanceof Element ? n : n.parentElement)?.closest(".cjm-tagger-text-body");
  const body = bodyOf(start);
  if (!(body instanceof HTMLElement) || !tableWrap.contains(body) || bodyOf(range.endContainer) !== body) return null;
  const tr = body.closest("tr[data-row]");
  if (!(tr instanceof HTMLElement)) return null;
  const text = body.textContent || "";
  const a = offsetIn(body, start, range.startOffset);
  const b = offsetIn(body, range.endContainer, range.endOffset);
  const quote = selectionQuote(text, a, b);
  return quote ? { row: Number(tr.dataset.row), ...quote } : null;
}
function createQuoting(t, tableWrap, toolsNode) {
  const { call, root } = t;
  const btn = el("button", {
    type: "button",
    class: "cjm-btn cjm-tagger-quote",
    hidden: true,
    title: "Make the selected words a quote of their row (key Q)"
  }, ["Quote (Q)"]);
  toolsNode.append(btn);
  const onSelection = () => {
    btn.hidden = !selectedQuote(tableWrap);
  };
  const quote = () => {
    const q = selectedQuote(tableWrap);
    if (!q) return false;
    document.getSelection()?.removeAllRanges();
    btn.hidden = true;
    call("quote", q);
    root.focus({ preventScroll: true });
    return true;
  };
  const onKey = (e) => {
    if (e.key !== "q" && e.key !== "Q") return;
    if (e.ctrlKey || e.metaKey || e.altKey || isTextField(e.target)) return;
    if (quote()) {
      e.preventDefault();
      e.stopPropagation();
    }
  };
  const onDown = (e) => e.preventDefault();
  document.addEventListener("selectionchange", onSelection);
  root.addEventListener("keydown", onKey);
  btn.addEventListener("mousedown", onDown);
  btn.addEventListener("click", quote);
  return {
    dispose() {
      document.removeEventListener("selectionchange", onSelection);
      root.removeEventListener("keydown", onKey);
      btn.removeEventListener("mousedown", onDown);
      btn.removeEventListener("click", quote);
      btn.remove();
    }
  };
}

// cjm_widgets/widgets/static/src/evidence_tagger/suggest.js
var percent = (p) => p === null || p === void 0 ? "" : `${Math.round(p * 100)}%`;
function suggestKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === "Enter") return e.shiftKey ? null : "accept";
  if (e.key === "x" || e.key === "X") return "reject";
  return null;
}
function modelLine(s) {
  if (!s || !s.on) return "";
  const n = s.n_tags ?? 0;
  return `Suggestions learned from ${n.toLocaleString("en")} tag${n === 1 ? "" : "s"} (model ${s.version})${s.training ? " · re-training…" : ""} · Enter accepts, X rejects`;
}
function suggestedCell(v) {
  if (!v) return el("td", { class: "cjm-tagger-sugg" });
  const [tp, p, emotion, ep, why] = v;
  return el("td", { class: "cjm-tagger-sugg", title: `Why: ${why}` }, [
    el("span", { class: "cjm-tagger-sugg-tp" }, [String(tp)]),
    el("span", { class: "cjm-tagger-sugg-p" }, [` ${percent(p)}`]),
    emotion === null ? "" : el("span", { class: "cjm-tagger-sugg-emo" }, [
      " · ",
      el("span", { "aria-hidden": "true" }, [faceOf(emotion)]),
      ` ${signed(emotion)} ${percent(ep)}`
    ])
  ]);
}
function followModel(t, line) {
  const { model, call, ui } = t;
  let version = (model.get("_suggest_state") || {}).version;
  const draw = () => {
    const s = model.get("_suggest_state") || {};
    line.textContent = modelLine(s);
    line.hidden = !s.on;
    if (s.on && s.version !== version) {
      version = s.version;
      const win = model.get("_window") || {};
      call("page", { start: win.start || 0, sort: ui.sort, desc: ui.desc });
    }
  };
  model.on("change:_suggest_state", draw);
  draw();
  return () => model.off("change:_suggest_state", draw);
}

// cjm_widgets/widgets/static/src/evidence_tagger/table.js
var needsTouchpoint = () => el("td", { class: "cjm-tagger-needs-tp" }, [
  el("span", {
    class: "cjm-tagger-needs-tp-note",
    title: "This row has an emotion but no touchpoint: it counts on the emotion curve once it has a touchpoint."
  }, ["needs a touchpoint"])
]);
function rowNode(ui, r, shown, info) {
  const rowId = r[0];
  const cells = shown.map((c, j) => {
    const v = r[j + 3];
    if (c === "text") {
      const hit = ui.hits[String(rowId)];
      const long = String(v).length > 110 || Boolean(hit && hit.snippet);
      const open = ui.expanded.has(rowId);
      return el("td", { class: `cjm-tagger-text${open ? " cjm-open" : ""}` }, [
        textBody2(String(v), info, hit, open),
        quoteExtras(info, String(v)),
        long ? el("button", { type: "button", class: "cjm-tagger-more", "aria-label": open ? "Show less" : "Show more" }, [open ? "less" : "more"]) : null
      ]);
    }
    if (c === "emotion") {
      return el(
        "td",
        { class: "cjm-tagger-emotion", dataset: { value: v === null ? "" : String(v) } },
        v === null ? [] : [el("span", { "aria-hidden": "true" }, [faceOf(v)]), ` ${signed(v)}`]
      );
    }
    if (c === "touchpoint" && !v && r[shown.indexOf("emotion") + 3] != null) return needsTouchpoint();
    if (c === "labels") {
      return el("td", { class: "cjm-tagger-labelcell" }, (v || []).map((l) => el("span", { class: "cjm-tagger-chip", style: ui.colours[l] ? { "--cjm-label-colour": ui.colours[l] } : void 0 }, [l])));
    }
    if (c === "suggested") return suggestedCell(v);
    return el("td", { class: "cjm-tagger-plain", title: String(v ?? "") }, [String(v ?? "")]);
  });
  return el("tr", {
    dataset: { row: String(rowId), id: r[1] },
    class: r[2] ? "cjm-selected" : "",
    "aria-selected": r[2] ? "true" : "false"
  }, cells);
}
function drawCount(count, win, rows, hiddenBtn) {
  const first = rows.length ? win.start + 1 : 0;
  const hidden = win.hidden || 0;
  count.replaceChildren(
    el("strong", {}, [`${(win.matching ?? 0).toLocaleString("en")} of ${plural(win.total ?? 0, "row")}`]),
    rows.length ? ` · showing ${first.toLocaleString("en")}–${(win.start + rows.length).toLocaleString("en")}` : "",
    ` · ${(win.selected ?? 0).toLocaleString("en")} selected`,
    ...hidden ? [el("span", { class: "cjm-tagger-hidden" }, [`, ${hidden.toLocaleString("en")} hidden by the filter`]), " ", hiddenBtn] : []
  );
}
function drawPager(pager, win) {
  const { buttons, page, pages } = pagerButtons(win);
  const mk = (b) => el("button", { type: "button", class: "cjm-btn", dataset: { start: String(b.start) }, disabled: b.off, "aria-label": b.label }, [b.text]);
  pager.replaceChildren(
    mk(buttons[0]),
    mk(buttons[1]),
    el("span", { class: "cjm-tagger-page" }, [`Page ${page.toLocaleString("en")} of ${pages.toLocaleString("en")}`]),
    mk(buttons[2]),
    mk(buttons[3])
  );
}
var headRow = (shown, sort) => el("tr", {}, shown.map((c) => {
  const sorted = sort && sort[0] === c;
  return el("th", {
    scope: "col",
    dataset: { col: c },
    class: `cjm-tagger-col-${c === "text" ? "text" : "x"}`,
    "aria-sort": sorted ? sort[1] ? "descending" : "ascending" : "none",
    title: `Sort by ${c}`
  }, [c, sorted ? sort[1] ? " ▾" : " ▴" : ""]);
}));
function createTable(t, parts, f, tools) {
  const { model, ui, call, root } = t;
  const { count, tableWrap, pager } = parts;
  const tableHead = el("thead");
  const tableBody = el("tbody");
  const table = {
    node: el("table", { class: "cjm-tagger-table", role: "grid", "aria-multiselectable": "true" }, [tableHead, tableBody]),
    head: tableHead,
    body: tableBody,
    key: "",
    rows: /* @__PURE__ */ new Map()
  };
  const draw = () => {
    const win = model.get("_window") || {};
    const cols = (
      /** @type {string[]} */
      win.columns || []
    );
    const rows = (
      /** @type {any[][]} */
      win.rows || []
    );
    const shown = cols.slice(3);
    ui.hits = win.hits || {};
    ui.colours = Object.fromEntries(((model.get("_meta") || {}).label_info || []).map((i) => [i.name, i.colour]));
    const extra = JSON.stringify(ui.colours);
    drawCount(count, win, rows, tools.hiddenBtn);
    paintFacets(f, win.facets);
    f.syncBar(win.bar || {});
    tools.undoBtn.disabled = !win.can_undo;
    tools.redoBtn.disabled = !win.can_redo;
    paintLabels(model, tools.labelsWrap);
    const headKey = JSON.stringify([shown, win.sort]);
    if (headKey !== table.key) {
      table.head.replaceChildren(headRow(shown, win.sort));
      table.key = headKey;
      table.rows = /* @__PURE__ */ new Map();
    }
    const kept = /* @__PURE__ */ new Map();
    const trs = rows.map((r) => {
      const info = (win.quotes || {})[String(r[0])];
      const key = JSON.stringify(r) + JSON.stringify(info || null) + (ui.expanded.has(r[0]) ? "+" : "") + JSON.stringify(ui.hits[String(r[0])] || null) + extra;
      const tr = table.rows.get(key) || rowNode(ui, r, shown, info);
      kept.set(key, tr);
      return tr;
    });
    table.rows = kept;
    const now = Array.from(table.body.children);
    if (now.length === trs.length && trs.every((tr, i) => tr === now[i] || !now.includes(tr))) {
      trs.forEach((tr, i) => {
        if (tr !== now[i]) now[i].replaceWith(tr);
      });
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
    drawPager(pager, win);
  };
  const onTableClick = (e) => {
    const target = (
      /** @type {HTMLElement} */
      e.target
    );
    const th = target.closest("th[data-col]");
    if (th instanceof HTMLElement) {
      const col = th.dataset.col || "";
      if (ui.sort === col) ui.desc = !ui.desc;
      else {
        ui.sort = col;
        ui.desc = false;
      }
      call("page", { start: 0, sort: ui.sort, desc: ui.desc });
      return;
    }
    const more = target.closest(".cjm-tagger-more");
    const tr = target.closest("tr[data-row]");
    if (!(tr instanceof HTMLElement)) return;
    const row = Number(tr.dataset.row);
    if (more) {
      if (ui.expanded.has(row)) ui.expanded.delete(row);
      else ui.expanded.add(row);
      draw();
      return;
    }
    if (target.closest(".cjm-tagger-rating-review")) return;
    if (selectedQuote(tableWrap)) {
      root.focus({ preventScroll: true });
      return;
    }
    const mode = selectMode(e);
    if (e.shiftKey) e.preventDefault();
    call("select", { row, mode });
    root.focus({ preventScroll: true });
  };
  const onMouseDown = (e) => {
    if (e.shiftKey) e.preventDefault();
  };
  const onPager = (e) => {
    const btn = (
      /** @type {HTMLElement | null} */
      /** @type {HTMLElement} */
      e.target.closest("button[data-start]")
    );
    if (btn && !/** @type {HTMLButtonElement} */
    btn.disabled) {
      call("page", { start: Number(btn.dataset.start), sort: ui.sort, desc: ui.desc });
    }
  };
  const listeners = [
    [
      tableWrap,
      "click",
      /** @type {EventListener} */
      onTableClick
    ],
    [
      tableWrap,
      "mousedown",
      /** @type {EventListener} */
      onMouseDown
    ],
    [pager, "click", onPager]
  ];
  for (const [node, type, fn] of listeners) node.addEventListener(type, fn);
  return {
    draw,
    dispose() {
      for (const [node, type, fn] of listeners) node.removeEventListener(type, fn);
    }
  };
}

// cjm_widgets/widgets/static/src/evidence_tagger/tools.js
function createTools(t, tools) {
  const { call, model, root } = t;
  const tpSel = (
    /** @type {HTMLSelectElement} */
    el("select", { class: "cjm-select cjm-tagger-tp", "aria-label": "Touchpoint to tag" })
  );
  const tpBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-apply-tp" }, ["Tag touchpoint"]);
  const emo = el("span", { class: "cjm-tagger-emotions", role: "group", "aria-label": "Emotion" });
  for (const [i, f] of FACES.entries()) {
    emo.append(el("button", {
      type: "button",
      class: "cjm-btn cjm-tagger-emo",
      dataset: { emotion: String(f.value) },
      "aria-label": `${f.label} (${signed(f.value)}), key ${i + 1}`,
      title: `${f.label} (${signed(f.value)}) — key ${i + 1}`
    }, [
      el("span", { class: "cjm-tagger-face", "aria-hidden": "true" }, [f.face]),
      el("span", { class: "cjm-tagger-emo-n" }, [signed(f.value)])
    ]));
  }
  const labelsWrap = el("span", { class: "cjm-tagger-labels", role: "group", "aria-label": "Labels of the selection" });
  const coderIn = (
    /** @type {HTMLInputElement} */
    el("input", { type: "text", class: "cjm-input cjm-tagger-coder", placeholder: "Coder", "aria-label": "Coder name" })
  );
  const untagBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-untag" }, ["Untag"]);
  const undoBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-undo", title: "Undo the last tag (Ctrl+Z)" }, ["Undo"]);
  const redoBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-redo", title: "Redo (Ctrl+Shift+Z)" }, ["Redo"]);
  const hiddenBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-deselect-hidden" }, ["Deselect hidden"]);
  const allBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-all" }, ["Select all matching"]);
  const noneBtn = el("button", { type: "button", class: "cjm-btn cjm-tagger-none" }, ["Clear selection"]);
  tools.append(tpSel, tpBtn, emo, labelsWrap);
  const labelTools = createLabelTools(t, tools, () => coderIn.value);
  tools.append(coderIn, untagBtn, undoBtn, redoBtn, allBtn, noneBtn);
  const tag = (args) => call("tag", { ...args, coder: coderIn.value });
  const tagFace = (emotion) => tag(tpSel.value ? { emotion, touchpoint: tpSel.value } : { emotion });
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
  const onTp = () => {
    if (tpSel.value) tag({ touchpoint: tpSel.value });
  };
  const onEmo = (e) => {
    const btn = (
      /** @type {HTMLElement | null} */
      /** @type {HTMLElement} */
      e.target.closest(".cjm-tagger-emo")
    );
    if (btn) tagFace(Number(btn.dataset.emotion));
  };
  const onLabel = (e) => {
    const btn = (
      /** @type {HTMLElement | null} */
      /** @type {HTMLElement} */
      e.target.closest(".cjm-tagger-label")
    );
    if (btn) call("toggle_label", { label: btn.dataset.label, coder: coderIn.value });
  };
  const onKey = (e) => {
    if (isTextField(e.target) || e.target instanceof HTMLSelectElement) return;
    if (isRedoKey(e) || isUndoKey(e)) {
      e.preventDefault();
      e.stopPropagation();
      call(isRedoKey(e) ? "redo" : "undo", {});
      return;
    }
    const sk = (model.get("_meta") || {}).suggest && !(e.target instanceof HTMLButtonElement) ? suggestKey(e) : null;
    if (sk) {
      e.preventDefault();
      e.stopPropagation();
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
    [
      root,
      "keydown",
      /** @type {EventListener} */
      onKey
    ]
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
    }
  };
}

// cjm_widgets/widgets/static/src/evidence_tagger/index.js
function render({ model, el: host }) {
  const calls = rpc(model);
  const banner = errorBanner(model);
  const root = el("div", { class: "cjm-root cjm-tagger", tabindex: "0", "aria-label": "Evidence tagger" });
  const filters = el("div", { class: "cjm-tagger-filters", role: "group", "aria-label": "Filters" });
  const tools = el("div", { class: "cjm-tagger-tools", role: "group", "aria-label": "Tag the selection" });
  const count = el("div", { class: "cjm-tagger-count", "aria-live": "polite" });
  const status = el("div", { class: "cjm-tagger-status", role: "status", "aria-live": "polite" });
  const modelLine2 = el("div", { class: "cjm-tagger-model", "aria-live": "polite", hidden: true });
  const tableWrap = el("div", { class: "cjm-tagger-table-wrap" });
  const pager = el("div", { class: "cjm-tagger-pager" });
  root.append(banner.node, filters, tools, modelLine2, status, count, tableWrap, pager);
  host.append(root);
  const offline = kernelNote(host, root);
  const t = {
    model,
    root,
    call: (method, args = {}) => calls.call(method, args),
    ui: { sort: null, desc: false, expanded: /* @__PURE__ */ new Set(), busy: false, hits: {}, colours: {} }
  };
  const f = createFilters(t, filters);
  const tl = createTools(t, tools);
  const table = createTable(t, { count, tableWrap, pager }, f, tl);
  const quoting = createQuoting(t, tableWrap, tools);
  const drawMeta = metaDrawer(model, f, tl);
  const draw = table.draw;
  const drawNotice = () => {
    const notice = model.get("_notice") || {};
    status.textContent = notice.text || "";
    status.classList.toggle("cjm-warn", notice.kind === "warn");
    status.hidden = !notice.text;
  };
  const onCoderTrait = () => tl.syncCoder();
  model.on("change:_window", draw);
  model.on("change:_meta", drawMeta);
  model.on("change:coder", onCoderTrait);
  model.on("change:_notice", drawNotice);
  const unfollow = followModel(t, modelLine2);
  drawMeta();
  draw();
  onCoderTrait();
  drawNotice();
  return () => {
    model.off("change:_window", draw);
    model.off("change:_meta", drawMeta);
    model.off("change:coder", onCoderTrait);
    model.off("change:_notice", drawNotice);
    unfollow();
    f.dispose();
    tl.dispose();
    table.dispose();
    quoting.dispose();
    banner.dispose();
    offline();
    calls.dispose();
    root.remove();
  };
}
var index_default = { render };
export {
  index_default as default
};
