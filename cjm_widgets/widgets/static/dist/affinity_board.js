// Generated from cjm_widgets/widgets/static/src/affinity_board/index.js by scripts/build_js.mjs (npm run build): do not edit.

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

// cjm_widgets/widgets/static/src/affinity_board/logic.js
var CARD_H = 92;
var OVERSCAN = 4;
function visibleRange(scrollTop, viewHeight, count, cardH = CARD_H, overscan = OVERSCAN) {
  if (count <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / cardH);
  const shown = Math.ceil(Math.max(viewHeight, cardH) / cardH) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + shown + overscan);
  return { start: Math.min(start, end), end };
}
function dropIndex(offsetY, pinnedCount, count, cardH = CARD_H) {
  const slot = Math.round(Math.max(0, offsetY) / cardH);
  return Math.max(0, Math.min(slot, count) - pinnedCount);
}
function emotionText(value) {
  if (value === null || value === void 0 || Number.isNaN(value)) return "";
  const rounded = Math.round(value * 10) / 10;
  if (rounded === 0) return "0";
  return `${rounded > 0 ? "+" : "−"}${Math.abs(rounded)}`;
}
function emotionClass(value) {
  if (value === null || value === void 0 || Number.isNaN(value)) return "none";
  if (value <= -0.5) return "neg";
  if (value >= 0.5) return "pos";
  return "neutral";
}

// cjm_widgets/widgets/static/src/affinity_board/column.js
function cardNode(id, card, pinned, top, ctx) {
  const [text, who, source, tp, emotion] = card || ["", "", "", "", null];
  const pin = el(
    "button",
    {
      type: "button",
      class: "cjm-ab-pin",
      title: pinned ? "Unpin" : "Pin to the top (kept when grouping again)",
      "aria-pressed": pinned ? "true" : "false"
    },
    [pinned ? "Pinned" : "Pin"]
  );
  pin.addEventListener("click", (event) => {
    event.stopPropagation();
    ctx.call("pin", { id, pinned: !pinned });
  });
  const node = el(
    "div",
    {
      class: `cjm-ab-card${pinned ? " cjm-ab-pinned" : ""}`,
      draggable: "true",
      role: "listitem",
      dataset: { id },
      style: { top: `${top}px`, height: `${CARD_H - 6}px` }
    },
    [
      el("div", { class: "cjm-ab-text", title: text, text }),
      el("div", { class: "cjm-ab-meta" }, [
        el("span", { class: "cjm-ab-who", text: [who, source].filter(Boolean).join(" · ") }),
        tp ? el("span", { class: "cjm-ab-tp", text: tp }) : null,
        el("span", {
          class: `cjm-ab-emotion cjm-ab-${emotionClass(emotion)}`,
          text: emotionText(emotion)
        }),
        pin
      ])
    ]
  );
  node.addEventListener("dragstart", (event) => {
    event.dataTransfer?.setData("text/plain", id);
    if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
    node.classList.add("cjm-ab-dragging");
  });
  node.addEventListener("dragend", () => node.classList.remove("cjm-ab-dragging"));
  return node;
}
function actions(col, ctx, title) {
  const button = (text, tip, fn) => {
    const b = el("button", { type: "button", class: "cjm-ab-action", title: tip }, [text]);
    b.addEventListener("click", (event) => {
      event.stopPropagation();
      fn();
    });
    return b;
  };
  const merge = el("select", { class: "cjm-ab-merge", title: "Merge this theme into…" }, [
    el("option", { value: "", text: "Merge into…" }),
    ...ctx.columns().filter((c) => c.id !== col.id).map(
      (c) => el("option", { value: c.id, text: c.name })
    )
  ]);
  merge.addEventListener("click", (event) => event.stopPropagation());
  merge.addEventListener("change", () => {
    const into = (
      /** @type {HTMLSelectElement} */
      merge.value
    );
    if (into) ctx.call("merge", { theme: col.id, into });
  });
  return el("div", { class: "cjm-ab-actions" }, [
    button("Rename", "Rename this theme", () => startRename(col, ctx, title)),
    merge,
    button("Split", "Split in two (k-means on its quotes)", () => ctx.call("split", { theme: col.id })),
    button("→ Label", "Tag its quotes with the theme's name", () => ctx.call("to_label", { theme: col.id })),
    button("→ Pain point", "Add as a pain point of its main stage", () => ctx.call("to_pain_point", { theme: col.id })),
    button("→ Opportunity", "Add as an opportunity on its touchpoints", () => ctx.call("to_opportunity", { theme: col.id }))
  ]);
}
function startRename(col, ctx, title) {
  const input = (
    /** @type {HTMLInputElement} */
    el("input", { class: "cjm-ab-rename", value: col.name, "aria-label": "Theme name" })
  );
  const finish = (save) => {
    if (save && input.value.trim() && input.value !== col.name) {
      ctx.call("rename", { theme: col.id, name: input.value });
    }
    input.replaceWith(title);
  };
  input.addEventListener("keydown", (event) => {
    event.stopPropagation();
    if (event.key === "Enter") finish(true);
    else if (event.key === "Escape") finish(false);
  });
  input.addEventListener("click", (event) => event.stopPropagation());
  input.addEventListener("blur", () => input.isConnected && finish(true));
  title.replaceWith(input);
  input.focus();
  input.select();
}
function columnView(col, ctx) {
  const title = el("span", { class: "cjm-ab-name", text: col.name, title: "Double-click to rename" });
  title.addEventListener("dblclick", () => startRename(col, ctx, title));
  const emotion = col.emotion === null ? "no emotion tags" : `emotion ${emotionText(col.emotion)} (n=${col.emotion_n})`;
  const header = el("div", { class: "cjm-ab-head" }, [
    el("div", { class: "cjm-ab-title" }, [title, el("span", { class: "cjm-ab-size", text: plural(col.size, "quote") })]),
    el("div", { class: "cjm-ab-stats", text: [emotion, col.touchpoints.join(", ")].filter(Boolean).join(" · ") }),
    actions(col, ctx, title)
  ]);
  const spacer = el("div", { class: "cjm-ab-spacer" });
  spacer.style.height = `${col.ids.length * CARD_H}px`;
  const list = el("div", { class: "cjm-ab-list", role: "list", "aria-label": col.name }, [spacer]);
  const selected = ctx.selected() === col.id;
  const node = el(
    "section",
    { class: `cjm-ab-column${selected ? " cjm-ab-selected" : ""}`, dataset: { theme: col.id } },
    [header, list]
  );
  header.addEventListener("click", () => ctx.select(selected ? "" : col.id));
  const pinned = new Set(col.pinned);
  let drawn = "";
  const paint = () => {
    const { start, end } = visibleRange(list.scrollTop, list.clientHeight || 400, col.ids.length);
    if (drawn === `${start}:${end}`) return;
    drawn = `${start}:${end}`;
    const cards = ctx.cards();
    const nodes = [];
    for (let i = start; i < end; i += 1) {
      const id = col.ids[i];
      nodes.push(cardNode(id, cards[id], pinned.has(id), i * CARD_H, ctx));
    }
    spacer.replaceChildren(...nodes);
  };
  list.addEventListener("scroll", paint, { passive: true });
  list.addEventListener("dragover", (event) => {
    event.preventDefault();
    node.classList.add("cjm-ab-over");
  });
  list.addEventListener("dragleave", () => node.classList.remove("cjm-ab-over"));
  list.addEventListener("drop", (event) => {
    event.preventDefault();
    node.classList.remove("cjm-ab-over");
    const id = event.dataTransfer?.getData("text/plain");
    if (!id) return;
    const y = event.clientY - list.getBoundingClientRect().top + list.scrollTop;
    const index = dropIndex(y, col.pinned.length, col.ids.length);
    ctx.call("move", { id, theme: col.id, index });
  });
  return { node, paint, list };
}

// cjm_widgets/widgets/static/src/affinity_board/index.js
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
    board
  ]);
  host.appendChild(root);
  const disposeNote = kernelNote(host, root);
  const call = (method, args = {}) => {
    status.textContent = "";
    calls.call(method, args).then((reply) => {
      if (reply.ok && typeof reply.result === "string") status.textContent = reply.result;
    });
  };
  let views = [];
  const ctx = {
    call,
    cards: () => model.get("_cards") || {},
    columns: () => model.get("columns") || [],
    selected: () => model.get("selected") || "",
    select: (id) => {
      model.set("selected", id);
      model.save_changes();
    }
  };
  let built = /* @__PURE__ */ new Map();
  const draw = () => {
    const columns = ctx.columns();
    const names2 = JSON.stringify(columns.map((c) => [c.id, c.name]));
    const selected = ctx.selected();
    const next = /* @__PURE__ */ new Map();
    const made = columns.map((col) => {
      const key = `${JSON.stringify(col)}|${col.id === selected}|${names2}`;
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
    undo.disabled = !model.get("can_undo");
    redo.disabled = !model.get("can_redo");
  };
  undo.addEventListener("click", () => call("undo"));
  redo.addEventListener("click", () => call("redo"));
  add.addEventListener("click", () => {
    const name = window.prompt("Name of the new theme");
    if (name && name.trim()) call("add_theme", { name });
  });
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
  const redrawAll = () => {
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
var index_default = { render };
export {
  index_default as default
};
