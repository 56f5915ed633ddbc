// Generated from cjm_widgets/widgets/static/src/journey_editor/index.js by scripts/build_js.mjs (npm run build): do not edit.

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
var SVG_NS = "http://www.w3.org/2000/svg";
function icon(paths, cls = "cjm-icon") {
  const svg2 = (
    /** @type {SVGSVGElement} */
    document.createElementNS(SVG_NS, "svg")
  );
  svg2.setAttribute("viewBox", "0 0 24 24");
  svg2.setAttribute("aria-hidden", "true");
  svg2.setAttribute("focusable", "false");
  svg2.setAttribute("class", cls);
  for (const d of paths) {
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", d);
    svg2.append(path);
  }
  return svg2;
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

// cjm_widgets/widgets/static/src/journey_editor/logic.js
function editorState(value) {
  return value || {
    journey: {
      title: "",
      scope: "",
      state: "current",
      language: "en",
      template: null,
      personas: [],
      lanes: [],
      stages: []
    },
    can_undo: false,
    can_redo: false,
    channels: [],
    phases: [],
    state_label: "",
    template_label: "",
    words: {}
  };
}
function findStage(journey, id) {
  return journey.stages.find((s) => s.id === id) || null;
}
function findTouchpoint(journey, id) {
  for (const stage of journey.stages) {
    const index = stage.touchpoints.findIndex((t) => t.id === id);
    if (index >= 0) return { stage, tp: stage.touchpoints[index], index };
  }
  return null;
}
function wordFor(words, key) {
  return (words || {})[key] || key.charAt(0).toUpperCase() + key.slice(1);
}
function choiceLabel(choices, value) {
  if (!value) return "";
  return (choices.find((c) => c.value === value) || { label: value }).label;
}
function laneTone(lane) {
  const id = `${lane.id} ${lane.name}`.toLowerCase();
  if (lane.kind === "touchpoints") return "touchpoints";
  if (/pain|frustrat|problem/.test(id)) return "pain";
  if (/opportun|idea|change|improv/.test(id)) return "opportunity";
  if (/thought|feel|emotion|think/.test(id)) return "feeling";
  if (/action|doing|does|step/.test(id)) return "action";
  if (/backstage|support|process|system/.test(id)) return "backstage";
  return "neutral";
}
function channelClass(channel) {
  return `cjm-ch-${channel.replace(/[^a-z]+/g, "-")}`;
}
var quoted = (s) => `'${s}'`;
function initials(name) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (parts.slice(0, 2).map((p) => Array.from(p)[0] || "").join("") || "?").toUpperCase();
}
function boardLanes(lanes) {
  return lanes.some((l) => l.kind === "touchpoints") ? lanes : [{ id: "__touchpoints", name: "Touchpoints", kind: "touchpoints" }, ...lanes];
}
function confirmMessage(c) {
  const what = c.kind === "stage" ? "stage" : "touchpoint";
  const tail = "(Undo brings it back.)";
  const withTps = c.kind === "stage" && c.touchpoints ? ` with its ${plural(c.touchpoints, "touchpoint")}` : "";
  if (c.rows > 0) {
    return `${plural(c.rows, "evidence row")} ${c.rows === 1 ? "is" : "are"} tagged to ${quoted(c.name)}. Delete anyway${withTps ? ` (${withTps.trim()})` : ""}? ${tail}`;
  }
  return `Delete ${what} ${quoted(c.name)}${withTps}? No evidence is tagged to it. ${tail}`;
}
function focusAfterDelete(journey, item) {
  if (item.kind === "touchpoint") {
    const found = findTouchpoint(journey, item.id);
    if (!found) return null;
    const tps = found.stage.touchpoints;
    const other2 = tps[found.index - 1] || tps[found.index + 1];
    return other2 ? `tp:${other2.id}` : `tp-add:${found.stage.id}`;
  }
  const i = journey.stages.findIndex((s) => s.id === item.id);
  const other = journey.stages[i - 1] || journey.stages[i + 1];
  return other ? `stage:${other.id}` : "add-stage-empty";
}
function laneItemsAfterEdit(items, edit) {
  const next = [...items];
  if (edit.isNew) next.push(edit.value);
  else if (edit.value.trim() === "") next.splice(edit.index, 1);
  else next[edit.index] = edit.value;
  return next;
}
function formChanges(form, tp) {
  const changes = {};
  if (form.name !== tp.name) changes.name = form.name;
  if (form.channel !== tp.channel) changes.channel = form.channel;
  if ((form.phase || null) !== (tp.phase || null)) changes.phase = form.phase || null;
  if (form.owner !== tp.owner) changes.owner = form.owner;
  return changes;
}
function stageDrop(stages, dragId, overId, after) {
  const rest = stages.filter((s) => s.id !== dragId);
  const old = stages.findIndex((s) => s.id === dragId);
  const anchor = rest.findIndex((s) => s.id === overId);
  const position = overId === dragId ? old : anchor + (after ? 1 : 0);
  return { position, noop: position === old };
}
function touchpointDrop(journey, dragId, drop) {
  const source = findTouchpoint(journey, dragId);
  if (!source) return null;
  if (drop.overId !== null) {
    const over = findTouchpoint(journey, drop.overId);
    if (!over) return null;
    const rest = over.stage.touchpoints.filter((t) => t.id !== dragId);
    const anchor = rest.findIndex((t) => t.id === over.tp.id);
    const same2 = over.stage.id === source.stage.id;
    const position2 = over.tp.id === dragId ? source.index : anchor + (drop.after ? 1 : 0);
    return { stage: over.stage.id, position: position2, noop: same2 && position2 === source.index };
  }
  const stage = findStage(journey, drop.stageId);
  if (!stage) return null;
  const same = stage.id === source.stage.id;
  const position = same ? stage.touchpoints.length - 1 : stage.touchpoints.length;
  return { stage: stage.id, position, noop: same && position === source.index };
}
function boardKey(key, on) {
  if (key.altKey && !key.ctrlKey && !key.metaKey && key.key.startsWith("Arrow")) {
    const horizontal = key.key === "ArrowLeft" || key.key === "ArrowRight";
    const back = key.key === "ArrowLeft" || key.key === "ArrowUp" ? -1 : 1;
    if (on.stage && horizontal) return { do: "move-stage", stage: on.stage, delta: back };
    if (on.tp) {
      return horizontal ? { do: "move-across", tp: on.tp, delta: back } : { do: "move-within", tp: on.tp, delta: back };
    }
    return null;
  }
  const plain = !key.altKey && !key.ctrlKey && !key.metaKey;
  if (plain && (key.key === "Enter" || key.key === "F2")) {
    if (on.tp) {
      return { do: key.key === "F2" ? "rename-touchpoint" : "edit-touchpoint", tp: on.tp };
    }
    return on.editable ? { do: "open" } : null;
  }
  if (plain && (key.key === "Delete" || key.key === "Backspace")) {
    if (on.tp) return { do: "delete-touchpoint", tp: on.tp };
    if (on.stage) return { do: "delete-stage", stage: on.stage };
    if (on.item) return { do: "delete-item" };
  }
  return null;
}

// cjm_widgets/widgets/static/src/journey_editor/state.js
var state = (ed) => editorState(ed.model.get("_journey"));
var stageById = (ed, id) => findStage(state(ed).journey, id);
var tpById = (ed, id) => findTouchpoint(state(ed).journey, id);
var word = (ed, key) => wordFor(state(ed).words, key);
var channelLabel = (ed, value) => choiceLabel(state(ed).channels, value) || value;
var phaseLabel = (ed, value) => choiceLabel(state(ed).phases, value);
function setSelected(ed, id) {
  if (ed.model.get("selected") === id) return;
  ed.model.set("selected", id);
  ed.model.save_changes();
}

// cjm_widgets/widgets/static/src/journey_editor/fields.js
function textEditor(edit, cls) {
  const input = el(edit.multiline ? "textarea" : "input", {
    class: `cjm-input ${cls}`,
    type: edit.multiline ? false : "text",
    rows: edit.multiline ? "2" : false,
    value: edit.value,
    "data-fk": `input:${edit.key}`,
    "data-edit": edit.key,
    "aria-label": edit.label,
    "aria-invalid": edit.error ? "true" : false,
    spellcheck: "true"
  });
  if (edit.multiline) input.value = edit.value;
  if (!edit.error) return input;
  return el("div", { class: "cjm-edit-wrap" }, [
    input,
    el("div", { class: "cjm-inline-error", role: "alert" }, [edit.error])
  ]);
}
function buildConfirm(c) {
  const what = c.kind === "stage" ? "stage" : "touchpoint";
  return el("div", {
    class: `cjm-confirm${c.rows > 0 ? " cjm-confirm-warn" : ""}`,
    role: "alertdialog",
    "aria-label": `Confirm deleting ${what} ${c.name}`
  }, [
    el("p", { class: "cjm-confirm-text" }, [confirmMessage(c)]),
    el("div", { class: "cjm-confirm-actions" }, [
      el("button", {
        type: "button",
        class: "cjm-btn cjm-btn-danger",
        "data-action": "confirm-yes",
        "data-fk": "confirm-yes",
        "aria-label": `Delete ${what} ${quoted(c.name)}`,
        disabled: c.busy
      }, ["Delete"]),
      el("button", {
        type: "button",
        class: "cjm-btn",
        "data-action": "confirm-no",
        "data-fk": "confirm-no",
        "aria-label": "Keep it"
      }, ["Cancel"])
    ])
  ]);
}

// cjm_widgets/widgets/static/src/journey_editor/icons.js
var ICONS = {
  undo: ["M9 14 4 9l5-5", "M4 9h10.5a5.5 5.5 0 0 1 0 11H11"],
  redo: ["M15 14l5-5-5-5", "M20 9H9.5a5.5 5.5 0 0 0 0 11H13"],
  plus: ["M12 5v14", "M5 12h14"],
  fill: ["M4 6h16", "M4 12h16", "M4 18h8", "M15 18l2.5 2.5L22 16"],
  trash: [
    "M4 7h16",
    "M10 11v6",
    "M14 11v6",
    "M5.5 7l1 12.5a1.5 1.5 0 0 0 1.5 1.5h8a1.5 1.5 0 0 0 1.5-1.5l1-12.5",
    "M9 7V4h6v3"
  ],
  edit: ["M4 20h4L19 9l-4-4L4 16z", "M13.5 6.5l4 4"],
  close: ["M6 6l12 12", "M18 6 6 18"],
  persona: ["M12 11a4 4 0 1 0 0-8a4 4 0 1 0 0 8z", "M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"]
};
var CHANNEL_ICONS = {
  web: [
    "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z",
    "M3 12h18",
    "M12 3c2.4 2.5 3.6 5.5 3.6 9s-1.2 6.5-3.6 9c-2.4-2.5-3.6-5.5-3.6-9S9.6 5.5 12 3z"
  ],
  "mobile app": [
    "M8 2.5h8a1.5 1.5 0 0 1 1.5 1.5v16a1.5 1.5 0 0 1-1.5 1.5H8A1.5 1.5 0 0 1 6.5 20V4A1.5 1.5 0 0 1 8 2.5z",
    "M11 18h2"
  ],
  social: [
    "M9 11a3.5 3.5 0 1 0 0-7a3.5 3.5 0 1 0 0 7z",
    "M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6",
    "M16 4.3a3.5 3.5 0 0 1 0 6.4",
    "M18 14.3c2.1.7 3.5 2.8 3.5 5.7"
  ],
  email: ["M3.5 5.5h17v13h-17z", "M3.5 6.5 12 13l8.5-6.5"],
  phone: [
    "M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z"
  ],
  chat: ["M4 5h16v11H9l-5 4z", "M8.5 10.5h.01", "M12 10.5h.01", "M15.5 10.5h.01"],
  "in store": ["M4 10v10h16V10", "M3 4h18l-1.5 6h-15z", "M9.5 20v-5h5v5"],
  "in person": ["M12 11a4 4 0 1 0 0-8a4 4 0 1 0 0 8z", "M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"],
  print: ["M6 2.5h8l4 4v15H6z", "M14 2.5v4h4", "M9 12h6", "M9 16h6"],
  other: ["M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8z"]
};

// cjm_widgets/widgets/static/src/journey_editor/words.js
function slashPieces(text) {
  return text.split(/(?<=[\p{L}\p{N}]\/)(?=[\p{L}\p{N}])/u);
}
function breakable(text) {
  const out = [];
  slashPieces(text).forEach((piece, i) => {
    if (i) out.push(el("wbr"));
    out.push(piece);
  });
  return out;
}

// cjm_widgets/widgets/static/src/journey_editor/cards.js
function buildTouchpointCell(ed, stage) {
  const cell = el("div", {
    class: "cjm-cell cjm-tp-cell",
    role: "gridcell",
    "data-stage": stage.id,
    "data-tp-cell": stage.id,
    "aria-label": `Touchpoints of ${stage.name}`
  });
  const list = el("div", { class: "cjm-tp-list", role: "list" });
  for (const tp of stage.touchpoints) list.append(buildCard(ed, stage, tp));
  cell.append(list);
  cell.append(el("button", {
    type: "button",
    class: "cjm-btn cjm-ghost cjm-add-tp",
    "data-action": "add-touchpoint",
    "data-stage": stage.id,
    "data-fk": `tp-add:${stage.id}`,
    "aria-label": `Add a touchpoint to ${quoted(stage.name)}`
  }, [icon(ICONS.plus), "Add touchpoint"]));
  const notice = noticeFor(ed, `tp-add:${stage.id}`);
  if (notice) cell.append(notice);
  return cell;
}
function buildCard(ed, stage, tp) {
  const { ui } = ed;
  const fk = `tp:${tp.id}`;
  const form = ui.form && ui.form.tp === tp.id ? ui.form : null;
  const editingName = ui.edit && ui.edit.key === `tp-name:${tp.id}`;
  const selected = ed.model.get("selected") === tp.id;
  const channel = channelLabel(ed, tp.channel);
  const phase = phaseLabel(ed, tp.phase);
  const card = el("div", {
    class: `cjm-tp ${channelClass(tp.channel)}${selected ? " cjm-is-selected" : ""}${form ? " cjm-tp-editing" : ""}`,
    role: "listitem",
    tabindex: form || editingName ? false : "0",
    draggable: form || editingName ? false : "true",
    "data-fk": fk,
    "data-tp": tp.id,
    "data-stage": stage.id,
    "data-drag-kind": "touchpoint",
    "data-drag-id": tp.id,
    "data-select": tp.id,
    "aria-label": `Touchpoint ${tp.name}, ${channel}${phase ? `, ${phase}` : ""}${tp.owner ? `, owner ${tp.owner}` : ""}; in ${stage.name}. Enter to edit, Alt+arrows to move, Delete to delete.`
  });
  const marker = el("span", {
    class: "cjm-ch-marker",
    title: channel,
    "aria-hidden": "true"
  }, [icon(CHANNEL_ICONS[tp.channel] || CHANNEL_ICONS.other)]);
  const nameNode = editingName && ui.edit ? textEditor(ui.edit, "cjm-tp-name-input") : el("span", {
    class: "cjm-tp-name",
    "data-action": "rename-touchpoint",
    "data-tp": tp.id,
    title: "Double-click to rename"
  }, breakable(tp.name));
  card.append(el("div", { class: "cjm-tp-top" }, [
    marker,
    nameNode,
    el("span", { class: "cjm-tp-actions" }, [
      el("button", {
        type: "button",
        class: "cjm-icon-btn",
        "data-action": "edit-touchpoint",
        "data-tp": tp.id,
        "data-fk": `tp-edit:${tp.id}`,
        "aria-label": `Edit channel, phase and owner of ${quoted(tp.name)}`,
        "aria-expanded": form ? "true" : "false",
        title: "Edit"
      }, [icon(ICONS.edit)]),
      el("button", {
        type: "button",
        class: "cjm-icon-btn cjm-danger",
        "data-action": "delete-touchpoint",
        "data-tp": tp.id,
        "data-fk": `tp-del:${tp.id}`,
        "aria-label": `Delete touchpoint ${quoted(tp.name)}`,
        title: "Delete touchpoint"
      }, [icon(ICONS.trash)])
    ])
  ]));
  if (form) {
    card.append(buildForm(ed, form, tp));
  } else {
    card.append(el("div", { class: "cjm-tp-meta" }, [
      el("span", { class: "cjm-chip cjm-chip-channel" }, [channel]),
      phase ? el("span", { class: `cjm-chip cjm-chip-phase cjm-phase-${tp.phase}` }, [phase]) : null,
      tp.owner ? el("span", { class: "cjm-tp-owner", title: word(ed, "owner") }, [
        el("span", { class: "cjm-owner-label" }, [`${word(ed, "owner")} `]),
        tp.owner
      ]) : null
    ]));
    if (tp.description) {
      card.append(el("div", { class: "cjm-tp-desc" }, [tp.description]));
    }
  }
  const notice = noticeFor(ed, fk);
  if (notice) card.append(notice);
  if (ui.confirm && ui.confirm.kind === "touchpoint" && ui.confirm.id === tp.id) {
    card.append(buildConfirm(ui.confirm));
  }
  return card;
}
function buildForm(ed, form, tp) {
  const s = state(ed);
  const id = tp.id;
  const nameInput = el("input", {
    type: "text",
    class: "cjm-input",
    value: form.name,
    "data-fk": `form:${id}:name`,
    "data-form-field": "name",
    "aria-label": "Touchpoint name",
    "aria-invalid": form.error ? "true" : false
  });
  const channelSelect = el("select", {
    class: "cjm-select",
    "data-fk": `form:${id}:channel`,
    "data-form-field": "channel",
    "aria-label": word(ed, "channel")
  }, s.channels.map((c) => el(
    "option",
    { value: c.value, selected: c.value === form.channel },
    [c.label]
  )));
  channelSelect.value = form.channel;
  const phaseSelect = el("select", {
    class: "cjm-select",
    "data-fk": `form:${id}:phase`,
    "data-form-field": "phase",
    "aria-label": word(ed, "phase")
  }, [
    el("option", { value: "" }, ["No phase"]),
    ...s.phases.map((c) => el("option", { value: c.value }, [c.label]))
  ]);
  phaseSelect.value = form.phase;
  const ownerInput = el("input", {
    type: "text",
    class: "cjm-input",
    value: form.owner,
    placeholder: "Team or department",
    "data-fk": `form:${id}:owner`,
    "data-form-field": "owner",
    "aria-label": word(ed, "owner")
  });
  return el("div", {
    class: "cjm-form",
    role: "group",
    "aria-label": `Edit ${tp.name}`,
    "data-form": id
  }, [
    el("label", { class: "cjm-field" }, [el("span", {}, ["Name"]), nameInput]),
    el("div", { class: "cjm-field-row" }, [
      el("label", { class: "cjm-field" }, [el("span", {}, [word(ed, "channel")]), channelSelect]),
      el("label", { class: "cjm-field" }, [el("span", {}, [word(ed, "phase")]), phaseSelect])
    ]),
    el("label", { class: "cjm-field" }, [el("span", {}, [word(ed, "owner")]), ownerInput]),
    form.error ? el("div", { class: "cjm-inline-error", role: "alert" }, [form.error]) : null,
    el("div", { class: "cjm-form-actions" }, [
      el("button", {
        type: "button",
        class: "cjm-btn cjm-btn-primary",
        "data-action": "form-save",
        "data-tp": id,
        "data-fk": `form:${id}:save`,
        "aria-label": "Save touchpoint",
        disabled: form.busy
      }, ["Save"]),
      el("button", {
        type: "button",
        class: "cjm-btn",
        "data-action": "form-cancel",
        "data-tp": id,
        "data-fk": `form:${id}:cancel`,
        "aria-label": "Cancel editing"
      }, ["Cancel"])
    ])
  ]);
}

// cjm_widgets/widgets/static/src/journey_editor/lane_logic.js
var LANE_TOP = 0.08;
var LANE_BOTTOM = 0.8;
function laneY(value) {
  const v = Math.max(-2, Math.min(2, value));
  return LANE_TOP + (2 - v) / 4 * (LANE_BOTTOM - LANE_TOP);
}
function laneData(raw) {
  const ok = raw && Array.isArray(raw.points) && Array.isArray(raw.series);
  return {
    series: ok ? raw.series.map(String) : [],
    points: ok ? raw.points : [],
    min_n: ok && Number.isFinite(raw.min_n) ? raw.min_n : 5,
    note: ok && typeof raw.note === "string" ? raw.note : ""
  };
}
function laneCells(stages, lane) {
  const count = Math.max(lane.series.length, 1);
  const byKey = /* @__PURE__ */ new Map();
  for (const p of lane.points) byKey.set(`${p.touchpoint_id}\0${p.series}`, p);
  const cells = stages.map((s) => ({ stageId: s.id, marks: [], segments: [] }));
  lane.series.forEach((series, si) => {
    let last = null;
    stages.forEach((stage, i) => {
      const k = stage.touchpoints.length;
      const spread = k ? 0.5 / k : 0;
      stage.touchpoints.forEach((tp, j) => {
        const p = byKey.get(`${tp.id}\0${series}`);
        const offset = count > 1 ? (si - (count - 1) / 2) / count * spread : 0;
        const x = (j + 0.5) / k + offset;
        if (!p) {
          last = null;
          return;
        }
        const y = p.mean === null || p.mean === void 0 ? null : laneY(p.mean);
        const ciTop = p.ci_high === null || p.ci_high === void 0 ? null : laneY(p.ci_high);
        const ciBottom = p.ci_low === null || p.ci_low === void 0 ? null : laneY(p.ci_low);
        cells[i].marks.push({ ...p, x, y, ciTop, ciBottom, seriesIndex: si });
        if (y === null) {
          last = null;
          return;
        }
        if (last) addSegment(cells, si, last, { X: i + x, y });
        last = { X: i + x, y };
      });
    });
  });
  return cells;
}
function addSegment(cells, seriesIndex, a, b) {
  const first = Math.floor(a.X);
  const lastCell = Math.min(Math.floor(b.X), cells.length - 1);
  const yAt = (X) => a.y + (b.y - a.y) * (X - a.X) / (b.X - a.X || 1);
  for (let c = first; c <= lastCell; c += 1) {
    const x1 = Math.max(a.X, c);
    const x2 = Math.min(b.X, c + 1);
    if (x2 <= x1) continue;
    cells[c].segments.push({ seriesIndex, x1: x1 - c, y1: yAt(x1), x2: x2 - c, y2: yAt(x2) });
  }
}
function laneLabel(p, minN, named) {
  const who = named ? `${p.touchpoint} · ${p.series}` : p.touchpoint;
  const people = p.n_participants ? ` from ${p.n_participants} participants` : "";
  if (!p.n || p.mean === null) return `${who}: no evidence yet (n = 0)`;
  const mean = formatEmotion(p.mean);
  const ci = p.ci_low !== null && p.ci_high !== null ? ` (95% CI ${formatEmotion(p.ci_low)} to ${formatEmotion(p.ci_high)})` : "";
  const few = p.supported ? "" : `; too few to estimate (n < ${minN}), shown hollow`;
  const pain = p.pain ? "; pain point" : "";
  return `${who}: mean emotion ${mean}${ci}, n = ${p.n}${people}${few}${pain}`;
}
function formatEmotion(v) {
  const text = Math.abs(v).toFixed(2);
  if (Number(text) === 0) return "0.00";
  return `${v < 0 ? "−" : "+"}${text}`;
}

// cjm_widgets/widgets/static/src/journey_editor/lane.js
var SVG_NS2 = "http://www.w3.org/2000/svg";
var pct = (f) => `${(f * 100).toFixed(3)}%`;
function svg(tag, attrs) {
  const node = (
    /** @type {SVGElement} */
    document.createElementNS(SVG_NS2, tag)
  );
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}
function buildEmotionLane(ed) {
  const lane = laneData(ed.model.get("_lane"));
  if (!lane.series.length) return null;
  const stages = state(ed).journey.stages;
  const cells = laneCells(stages, lane);
  const named = lane.series.length > 1;
  const legend = named ? el("ul", { class: "cjm-elane-legend" }, lane.series.map((s, i) => el("li", { class: `cjm-elane-s${i % 8}` }, [el("span", {
    class: "cjm-elane-key",
    "aria-hidden": "true"
  }), s]))) : null;
  const row = el("div", {
    class: "cjm-row cjm-lane cjm-tone-feeling cjm-elane",
    role: "row",
    "data-lane": "__emotion"
  }, [
    el("div", { class: "cjm-lane-label cjm-elane-label", role: "rowheader" }, [
      el("span", { class: "cjm-lane-dot", "aria-hidden": "true" }),
      el("span", { class: "cjm-lane-name" }, [
        "Emotion",
        el("small", { class: "cjm-elane-hint" }, [`mean, 95% CI, n; hollow: n < ${lane.min_n}`]),
        legend,
        lane.note ? el("small", { class: "cjm-elane-hint" }, [lane.note]) : null
      ])
    ])
  ]);
  cells.forEach((cell, i) => row.append(buildCell(ed, cell, stages[i].name, lane, named)));
  row.append(el("div", { class: "cjm-add-col", "aria-hidden": "true" }));
  return row;
}
function buildCell(ed, cell, stageName, lane, named) {
  const plot = svg("svg", {
    class: "cjm-elane-svg",
    width: "100%",
    height: "100%",
    role: "group",
    "aria-label": `Emotion in ${stageName}`
  });
  for (const v of [2, 0, -2]) {
    const y = pct(laneY(v));
    plot.append(svg("line", {
      class: v === 0 ? "cjm-elane-zero" : "cjm-elane-grid",
      x1: "0%",
      x2: "100%",
      y1: y,
      y2: y
    }));
  }
  for (const s of cell.segments) {
    plot.append(svg("line", {
      class: `cjm-elane-line cjm-elane-s${s.seriesIndex % 8}`,
      x1: pct(s.x1),
      y1: pct(s.y1),
      x2: pct(s.x2),
      y2: pct(s.y2)
    }));
  }
  for (const m of cell.marks) plot.append(buildMark(ed, m, lane, named));
  return el("div", {
    class: "cjm-cell cjm-elane-cell",
    role: "gridcell",
    "data-stage": cell.stageId
  }, [plot]);
}
function buildMark(ed, m, lane, named) {
  const label = laneLabel(m, lane.min_n, named);
  const cls = [
    `cjm-elane-point cjm-elane-s${m.seriesIndex % 8}`,
    m.supported ? "" : "cjm-elane-hollow",
    m.pain ? "cjm-elane-pain" : "",
    m.y === null ? "cjm-elane-none" : ""
  ].filter(Boolean).join(" ");
  const g = svg("g", {
    class: cls,
    tabindex: 0,
    role: "button",
    "aria-label": label,
    "data-lane-tp": m.touchpoint_id,
    "data-lane-series": m.series,
    "data-mean": m.mean === null ? "" : String(m.mean)
  });
  const title = svg("title", {});
  title.append(document.createTextNode(label));
  g.append(title);
  const x = pct(m.x);
  if (m.ciTop !== null && m.ciBottom !== null) {
    g.append(svg("line", {
      class: "cjm-elane-ci",
      x1: x,
      x2: x,
      y1: pct(m.ciTop),
      y2: pct(m.ciBottom)
    }));
  }
  if (m.y !== null) {
    g.append(svg("circle", { class: "cjm-elane-halo", cx: x, cy: pct(m.y), r: 13 }));
    if (m.pain) g.append(svg("circle", { class: "cjm-elane-ring", cx: x, cy: pct(m.y), r: 9 }));
    g.append(svg("circle", { class: "cjm-elane-dot", cx: x, cy: pct(m.y), r: 5.5 }));
  }
  if (!named) {
    const n = svg("text", { class: "cjm-elane-n", x, y: "99%", "text-anchor": "middle" });
    n.append(document.createTextNode(`n ${m.n}`));
    g.append(n);
  }
  const pick = (event) => {
    event.stopPropagation();
    setSelected(ed, m.touchpoint_id);
    void ed.api.call("lane_click", { touchpoint: m.touchpoint_id, series: m.series });
  };
  g.addEventListener("click", pick);
  g.addEventListener("keydown", (event) => {
    const key = (
      /** @type {KeyboardEvent} */
      event.key
    );
    if (key === "Enter" || key === " ") {
      event.preventDefault();
      pick(event);
    }
  });
  return g;
}

// cjm_widgets/widgets/static/src/journey_editor/board.js
function buildBoard(ed) {
  const j = state(ed).journey;
  const stages = j.stages;
  const lanes = boardLanes(j.lanes);
  const board = el("div", {
    class: "cjm-board",
    role: "grid",
    "aria-label": `Journey map: ${plural(stages.length, "stage")}, ${plural(lanes.length, "lane")}`,
    style: { "--cjm-stage-count": String(stages.length) }
  });
  if (!stages.length) {
    board.classList.add("cjm-board-empty");
    board.append(el("div", { class: "cjm-empty" }, [
      el("p", {}, ["This journey has no stages yet."]),
      el("button", {
        type: "button",
        class: "cjm-btn cjm-btn-primary",
        "data-action": "add-stage",
        "data-fk": "add-stage-empty",
        "aria-label": "Add the first stage"
      }, [icon(ICONS.plus), "Add the first stage"])
    ]));
    return el("div", { class: "cjm-board-scroll" }, [board]);
  }
  const headRow = el("div", { class: "cjm-row cjm-row-head", role: "row" }, [
    el("div", { class: "cjm-corner cjm-lane-label", role: "columnheader" }, [
      el("span", { class: "cjm-corner-text" }, ["Stages"])
    ])
  ]);
  stages.forEach((stage, i) => headRow.append(buildStageHead(ed, stage, i, stages.length)));
  headRow.append(el("div", { class: "cjm-add-col", role: "columnheader" }, [
    el("button", {
      type: "button",
      class: "cjm-btn cjm-add-stage-col",
      "data-action": "add-stage",
      "data-fk": "add-stage-col",
      "aria-label": "Add a stage at the end",
      title: "Add a stage at the end"
    }, [icon(ICONS.plus), el("span", {}, ["Add stage"])])
  ]));
  board.append(headRow);
  for (const lane of lanes) {
    const tone = laneTone(lane);
    const row = el("div", {
      class: `cjm-row cjm-lane cjm-tone-${tone}`,
      role: "row",
      "data-lane": lane.id
    }, [
      el("div", { class: "cjm-lane-label", role: "rowheader" }, [
        el("span", { class: "cjm-lane-dot", "aria-hidden": "true" }),
        el("span", { class: "cjm-lane-name" }, [lane.name])
      ])
    ]);
    for (const stage of stages) {
      row.append(lane.kind === "touchpoints" ? buildTouchpointCell(ed, stage) : buildLaneCell(ed, stage, lane));
    }
    row.append(el("div", { class: "cjm-add-col", "aria-hidden": "true" }));
    board.append(row);
    const emotion = lane.kind === "touchpoints" ? buildEmotionLane(ed) : null;
    if (emotion) board.append(emotion);
  }
  return el("div", { class: "cjm-board-scroll" }, [board]);
}
function buildStageHead(ed, stage, index, count) {
  const { ui } = ed;
  const fk = `stage:${stage.id}`;
  const selected = ed.model.get("selected") === stage.id;
  const editingName = ui.edit && ui.edit.key === `stage-name:${stage.id}`;
  const editingDesc = ui.edit && ui.edit.key === `stage-desc:${stage.id}`;
  const name = editingName && ui.edit ? textEditor(ui.edit, "cjm-stage-name-input") : el("div", {
    class: "cjm-stage-name cjm-editable",
    tabindex: "0",
    role: "button",
    "data-fk": fk,
    "data-action": "rename-stage",
    "data-stage": stage.id,
    "aria-label": `Stage ${index + 1} of ${count}: ${stage.name}. Enter or double-click to rename, Alt+Left or Alt+Right to move, Delete to delete.`,
    title: "Double-click or press Enter to rename; drag or Alt+←/→ to move"
  }, breakable(stage.name));
  const desc = editingDesc && ui.edit ? textEditor(ui.edit, "cjm-stage-desc-input") : el("div", {
    class: `cjm-stage-desc cjm-editable${stage.description ? "" : " cjm-placeholder"}`,
    tabindex: "0",
    "data-fk": `stage-desc:${stage.id}`,
    "data-action": "edit-stage-desc",
    "data-stage": stage.id,
    "aria-label": stage.description ? `Description of ${stage.name}: ${stage.description}. Enter to edit.` : `Add a description to ${stage.name}`
  }, [stage.description || "Add a description"]);
  return el("div", {
    class: `cjm-stage-head cjm-stage-hue-${index % 8}${selected ? " cjm-is-selected" : ""}`,
    role: "columnheader",
    draggable: editingName || editingDesc ? false : "true",
    "data-drag-kind": "stage",
    "data-drag-id": stage.id,
    "data-stage": stage.id,
    "data-stage-head": stage.id,
    "data-select": stage.id
  }, [
    el("div", { class: "cjm-stage-top" }, [
      el("span", { class: "cjm-stage-num", "aria-hidden": "true" }, [String(index + 1)]),
      name,
      el("button", {
        type: "button",
        class: "cjm-icon-btn cjm-danger",
        "data-action": "delete-stage",
        "data-stage": stage.id,
        "data-fk": `stage-del:${stage.id}`,
        "aria-label": `Delete stage ${quoted(stage.name)}`,
        title: "Delete stage"
      }, [icon(ICONS.trash)])
    ]),
    desc,
    noticeFor(ed, fk),
    ui.confirm && ui.confirm.kind === "stage" && ui.confirm.id === stage.id ? buildConfirm(ui.confirm) : null,
    el("button", {
      type: "button",
      class: "cjm-insert-stage",
      "data-action": "insert-stage",
      "data-stage": stage.id,
      "data-fk": `stage-ins:${stage.id}`,
      "aria-label": `Insert a stage after ${quoted(stage.name)}`,
      title: "Insert a stage here"
    }, [icon(ICONS.plus)])
  ]);
}
function generatedMark(stage, lane, index, gen) {
  return el("span", { class: "cjm-gen-mark" }, [
    el("span", { class: "cjm-gen-badge", title: `Generated from the evidence (${gen.how}); it stays marked until you edit it` }, ["generated"]),
    el("button", {
      type: "button",
      class: "cjm-gen-link",
      "data-action": "show-evidence",
      "data-stage": stage.id,
      "data-lane": lane.id,
      "data-index": String(index),
      "data-fk": `item-ev:${stage.id}:${lane.id}:${index}`,
      title: "Show the evidence behind this item"
    }, [gen.n ? `evidence (${gen.n})` : "evidence"])
  ]);
}
function buildLaneCell(ed, stage, lane) {
  const { ui } = ed;
  const items = stage.lanes && stage.lanes[lane.id] || [];
  const base = `${stage.id}:${lane.id}`;
  const made = ((state(ed).generated || {})[stage.id] || {})[lane.id] || {};
  const list = el("ul", { class: "cjm-items", "aria-label": `${lane.name} in ${stage.name}` });
  items.forEach((text, i) => {
    const key = `item:${base}:${i}`;
    if (ui.edit && ui.edit.key === key) {
      list.append(el("li", { class: "cjm-item cjm-item-editing" }, [textEditor(
        ui.edit,
        "cjm-item-input"
      )]));
      return;
    }
    const gen = Object.prototype.hasOwnProperty.call(made, text) ? made[text] : null;
    list.append(el("li", {
      class: gen ? "cjm-item cjm-generated" : "cjm-item",
      tabindex: "0",
      "data-fk": key,
      "data-action": "edit-item",
      "data-stage": stage.id,
      "data-lane": lane.id,
      "data-index": String(i),
      "aria-label": `${lane.name}: ${text}. Enter to edit, Delete to remove.`
    }, [
      el("span", { class: "cjm-item-text" }, [
        text,
        gen ? generatedMark(stage, lane, i, gen) : null
      ]),
      el("button", {
        type: "button",
        class: "cjm-icon-btn cjm-item-del",
        "data-action": "delete-item",
        "data-stage": stage.id,
        "data-lane": lane.id,
        "data-index": String(i),
        "data-fk": `item-del:${base}:${i}`,
        "aria-label": `Remove ${quoted(text)} from ${lane.name}`,
        title: "Remove"
      }, [icon(ICONS.close)])
    ]));
  });
  const addKey = `item-new:${base}`;
  const cell = el("div", {
    class: "cjm-cell cjm-lane-cell",
    role: "gridcell",
    "data-stage": stage.id
  }, [list]);
  if (ui.edit && ui.edit.key === addKey) {
    cell.append(el("div", { class: "cjm-item cjm-item-editing" }, [textEditor(
      ui.edit,
      "cjm-item-input"
    )]));
  } else {
    cell.append(el("button", {
      type: "button",
      class: "cjm-btn cjm-ghost cjm-add-item",
      "data-action": "add-item",
      "data-stage": stage.id,
      "data-lane": lane.id,
      "data-fk": `item-add:${base}`,
      "aria-label": `Add an item to ${lane.name} in ${quoted(stage.name)}`
    }, [icon(ICONS.plus), "Add"]));
  }
  return cell;
}

// cjm_widgets/widgets/static/src/journey_editor/header.js
function buildHeader(ed) {
  const { ui } = ed;
  const s = state(ed);
  const j = s.journey;
  const title = ui.edit && ui.edit.key === "title" ? textEditor(ui.edit, "cjm-title-input") : el("h3", {
    class: "cjm-title cjm-editable",
    tabindex: "0",
    "data-fk": "title",
    "data-action": "edit-title",
    "aria-label": `Journey title: ${j.title || "untitled"}. Press Enter or double-click to edit.`,
    title: "Double-click or press Enter to edit the title"
  }, [j.title || "Untitled journey"]);
  const badges = el("div", { class: "cjm-badges" }, [
    el("span", { class: `cjm-badge cjm-badge-${j.state}` }, [s.state_label || j.state]),
    s.template_label ? el("span", { class: "cjm-badge cjm-badge-template" }, [s.template_label]) : null
  ]);
  const scope = ui.edit && ui.edit.key === "scope" ? textEditor(ui.edit, "cjm-scope-input") : el("p", {
    class: `cjm-scope cjm-editable${j.scope ? "" : " cjm-placeholder"}`,
    tabindex: "0",
    "data-fk": "scope",
    "data-action": "edit-scope",
    "aria-label": j.scope ? `Scope: ${j.scope}. Press Enter or double-click to edit.` : "No scope yet. Press Enter or double-click to add one."
  }, [j.scope || "Add the scope: what part of the experience this map covers, and why"]);
  const toolbar = el("div", {
    class: "cjm-toolbar",
    role: "toolbar",
    "aria-label": "Journey actions"
  }, [
    toolButton("undo", "Undo", "Undo the last change (Ctrl+Z)", ICONS.undo, !s.can_undo),
    toolButton("redo", "Redo", "Redo (Ctrl+Shift+Z)", ICONS.redo, !s.can_redo),
    el("span", { class: "cjm-toolbar-sep", "aria-hidden": "true" }),
    toolButton(
      "add-stage-end",
      "Add stage",
      "Add a stage at the end",
      ICONS.plus,
      false,
      "add-stage"
    ),
    s.can_fill ? toolButton(
      "fill-lanes",
      "Fill lanes",
      "Fill Thoughts and feelings, Pain points and What we want to change from the evidence (one undo step)",
      ICONS.fill,
      false,
      "fill-lanes"
    ) : null
  ]);
  return el("div", { class: "cjm-head" }, [
    el("div", { class: "cjm-head-main" }, [
      el("div", { class: "cjm-title-row" }, [title, badges]),
      ui.edit && ui.edit.key === "title" ? null : noticeFor(ed, "title"),
      noticeFor(ed, "fill-lanes"),
      scope,
      j.personas.length ? buildPersonas(j.personas) : null
    ]),
    toolbar
  ]);
}
function buildPersonas(personas) {
  return el(
    "div",
    { class: "cjm-personas", "aria-label": "Personas", role: "list" },
    personas.map((p) => el("div", {
      class: "cjm-persona",
      role: "listitem",
      title: [
        p.description,
        p.goals.length ? `Goals: ${p.goals.join("; ")}` : "",
        p.needs.length ? `Needs: ${p.needs.join("; ")}` : ""
      ].filter(Boolean).join("\n")
    }, [
      el(
        "span",
        { class: "cjm-persona-avatar", "aria-hidden": "true" },
        [initials(p.name)]
      ),
      el("span", { class: "cjm-persona-text" }, [
        el("span", { class: "cjm-persona-name" }, [p.name]),
        p.description ? el("span", { class: "cjm-persona-desc" }, [p.description]) : null
      ])
    ]))
  );
}
function toolButton(fk, label, tip, paths, disabled, action) {
  return el("button", {
    type: "button",
    class: "cjm-btn cjm-tool",
    "data-fk": fk,
    "data-action": action || fk,
    "aria-label": tip,
    title: tip,
    disabled
  }, [icon(paths), el("span", { class: "cjm-btn-label" }, [label])]);
}
function buildFooter() {
  return el("div", { class: "cjm-foot", "aria-hidden": "true" }, [
    hintItem("Double-click", "or", "Enter", "rename"),
    hintItem("Alt+←/→", "", "", "move across stages"),
    hintItem("Alt+↑/↓", "", "", "reorder touchpoints"),
    hintItem("Del", "", "", "delete"),
    hintItem("Ctrl+Z", "/", "Ctrl+Shift+Z", "undo / redo"),
    el("span", { class: "cjm-foot-drag" }, ["Drag stages and cards to reorder"])
  ]);
}
function hintItem(a, sep, b, what) {
  return el("span", { class: "cjm-hint" }, [
    el("kbd", {}, [a]),
    sep ? ` ${sep} ` : null,
    b ? el("kbd", {}, [b]) : null,
    ` ${what}`
  ]);
}

// cjm_widgets/widgets/static/src/journey_editor/highlight.js
function applyHighlight(root, ids) {
  const wanted = new Set(ids);
  root.dataset.highlight = [...wanted].join(" ");
  for (const node of root.querySelectorAll(".cjm-tp[data-tp], [data-lane-tp]")) {
    const tp = node.getAttribute("data-tp") ?? node.getAttribute("data-lane-tp") ?? "";
    node.classList.toggle("cjm-is-highlighted", wanted.has(tp));
  }
}

// cjm_widgets/widgets/static/src/journey_editor/view.js
async function act(ed, method, args, fk = null) {
  const { ui, banner } = ed;
  const reply = await ed.api.call(method, args);
  if (ui.disposed) return reply;
  if (!reply.ok && fk) {
    ui.notice = { fk, message: String(reply.error) };
    banner.hide(ui.notice.message);
    rerender(ed);
  } else if (ui.notice) {
    ui.notice = null;
    banner.hide(null);
    rerender(ed);
  }
  return reply;
}
function focusKey(ed, fk, selection = null, reveal = true) {
  const { ui, root } = ed;
  if (ui.disposed) return;
  const target = fk ? root.querySelector(`[data-fk="${CSS.escape(fk)}"]`) : null;
  const node = target instanceof HTMLElement ? target : root;
  node.focus(
    /** @type {FocusOptions} */
    { preventScroll: true, focusVisible: ui.keyboard }
  );
  if (selection && (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement)) {
    try {
      node.setSelectionRange(
        selection[0],
        selection[1],
        /** @type {any} */
        selection[2] || "none"
      );
    } catch (_) {
    }
  }
  if (reveal && target instanceof HTMLElement && !isVisibleIn(ed, target)) {
    target.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
}
function isVisibleIn(ed, node) {
  const scroller = ed.scroller;
  if (!scroller || !scroller.contains(node)) return true;
  const a = node.getBoundingClientRect();
  const b = scroller.getBoundingClientRect();
  return a.left >= b.left && a.right <= b.right;
}
function rerender(ed) {
  const { ui, root } = ed;
  if (ui.disposed) return;
  const active = document.activeElement;
  const inside = active instanceof HTMLElement && root.contains(active);
  const fk = inside ? active.getAttribute("data-fk") : null;
  let selection = null;
  if (inside && (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement)) {
    try {
      selection = [active.selectionStart, active.selectionEnd, active.selectionDirection];
    } catch (_) {
      selection = null;
    }
  }
  if (ed.scroller) ed.scrollLeft = ed.scroller.scrollLeft;
  ui.rendering = true;
  try {
    ui.hint = null;
    root.lang = state(ed).journey.language || "en";
    const header = buildHeader(ed);
    const board = buildBoard(ed);
    ed.scroller = board;
    root.replaceChildren(ed.banner.node, header, board, buildFooter());
    applyHighlight(root, ed.model.get("highlight") || []);
    ed.scroller.scrollLeft = ed.scrollLeft;
    if (inside) focusKey(ed, fk, selection, false);
  } finally {
    ui.rendering = false;
  }
}
function noticeFor(ed, fk) {
  const notice = ed.ui.notice;
  if (!notice || notice.fk !== fk) return null;
  return el("div", { class: "cjm-inline-error", role: "alert" }, [notice.message]);
}

// cjm_widgets/widgets/static/src/journey_editor/dragdrop.js
var targetNode = (event) => event.target instanceof Element ? event.target : null;
function clearHint(ed) {
  if (ed.ui.hint) {
    ed.ui.hint.classList.remove("cjm-drop-before", "cjm-drop-after", "cjm-drop-inside");
    ed.ui.hint = null;
  }
}
function showHint(ed, node, cls) {
  if (ed.ui.hint === node && node.classList.contains(cls)) return;
  clearHint(ed);
  node.classList.add(cls);
  ed.ui.hint = node;
}
function dropTarget(ed, event) {
  const drag = ed.ui.drag;
  const target = targetNode(event);
  if (!drag || !target) return null;
  const journey = state(ed).journey;
  if (drag.kind === "stage") {
    const cell2 = target.closest("[data-stage]");
    if (!(cell2 instanceof HTMLElement) || !cell2.dataset.stage) return null;
    const overId = cell2.dataset.stage;
    const head = ed.root.querySelector(`[data-stage-head="${CSS.escape(overId)}"]`);
    if (!(head instanceof HTMLElement)) return null;
    const rect = head.getBoundingClientRect();
    const after = event.clientX > rect.left + rect.width / 2;
    const { position, noop } = stageDrop(journey.stages, drag.id, overId, after);
    return {
      method: "move_stage",
      args: { stage: drag.id, position },
      hint: head,
      cls: after ? "cjm-drop-after" : "cjm-drop-before",
      noop
    };
  }
  if (!tpById(ed, drag.id)) return null;
  const card = target.closest(".cjm-tp[data-tp]");
  const cell = target.closest("[data-tp-cell]");
  let hint;
  let cls;
  let drop;
  if (card instanceof HTMLElement && card.dataset.tp) {
    const rect = card.getBoundingClientRect();
    const after = event.clientY > rect.top + rect.height / 2;
    drop = touchpointDrop(journey, drag.id, { overId: card.dataset.tp, stageId: "", after });
    [hint, cls] = [card, after ? "cjm-drop-after" : "cjm-drop-before"];
  } else if (cell instanceof HTMLElement && cell.dataset.tpCell) {
    drop = touchpointDrop(
      journey,
      drag.id,
      { overId: null, stageId: cell.dataset.tpCell, after: true }
    );
    [hint, cls] = [cell, "cjm-drop-inside"];
  } else {
    return null;
  }
  if (!drop) return null;
  return {
    method: "move_touchpoint",
    args: { touchpoint: drag.id, stage: drop.stage, position: drop.position },
    hint,
    cls,
    noop: drop.noop
  };
}
function endDrag(ed) {
  ed.ui.drag = null;
  clearHint(ed);
  ed.root.classList.remove("cjm-dragging-stage", "cjm-dragging-touchpoint");
  for (const node of ed.root.querySelectorAll(".cjm-dragging")) {
    node.classList.remove("cjm-dragging");
  }
}
function dragListeners(ed) {
  const { ui, root } = ed;
  const onDragStart = (event) => {
    const target = targetNode(event);
    const node = target && target.closest("[data-drag-kind]");
    if (!(node instanceof HTMLElement) || !event.dataTransfer) return;
    endDrag(ed);
    if (target && target.closest("input, textarea, select, button")) {
      event.preventDefault();
      return;
    }
    const kind = node.dataset.dragKind === "stage" ? "stage" : "touchpoint";
    const id = node.dataset.dragId || "";
    ui.drag = { kind, id };
    const label = kind === "stage" ? (stageById(ed, id) || { name: id }).name : (tpById(ed, id) || { tp: { name: id } }).tp.name;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", label);
    event.dataTransfer.setData("application/x-cjm-journey-item", JSON.stringify(ui.drag));
    node.classList.add("cjm-dragging");
    root.classList.add(`cjm-dragging-${kind}`);
    event.stopPropagation();
  };
  const onDragOver = (event) => {
    if (!ui.drag) return;
    const drop = dropTarget(ed, event);
    if (!drop) {
      clearHint(ed);
      return;
    }
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "move";
    if (drop.noop) clearHint(ed);
    else showHint(ed, drop.hint, drop.cls);
  };
  const onDrop = (event) => {
    if (!ui.drag) return;
    const drop = dropTarget(ed, event);
    event.preventDefault();
    event.stopPropagation();
    const drag = ui.drag;
    endDrag(ed);
    if (!drop || drop.noop) return;
    const fk = drag.kind === "stage" ? `stage:${drag.id}` : `tp:${drag.id}`;
    void act(ed, drop.method, drop.args, fk).then((reply) => {
      if (reply.ok) focusKey(ed, fk);
    });
  };
  const onDragLeave = (event) => {
    if (event.relatedTarget === null || !(event.relatedTarget instanceof Node) || !root.contains(event.relatedTarget)) {
      clearHint(ed);
    }
  };
  return [
    ["dragstart", onDragStart],
    ["dragover", onDragOver],
    ["dragleave", onDragLeave],
    ["drop", onDrop],
    ["dragend", () => endDrag(ed)]
  ];
}

// cjm_widgets/widgets/static/src/journey_editor/edit.js
function closeOverlays(ed) {
  const { ui } = ed;
  ui.edit = null;
  ui.form = null;
  ui.confirm = null;
  if (ui.notice) {
    ui.notice = null;
  }
  ed.banner.hide(null);
}
function openEdit(ed, spec) {
  closeOverlays(ed);
  ed.ui.edit = {
    ...spec,
    value: spec.original,
    error: null,
    busy: false,
    keepOpen: spec.keepOpen || false
  };
  rerender(ed);
  const input = ed.root.querySelector(`[data-fk="${CSS.escape(`input:${spec.key}`)}"]`);
  if (input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement) {
    input.focus({ preventScroll: true });
    input.select();
    if (!isVisibleIn(ed, input)) input.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
}
function cancelEdit(ed, refocus = true) {
  const { ui, model } = ed;
  const edit = ui.edit;
  if (!edit) return;
  ui.edit = null;
  if (edit.error && model.get("error") === edit.error) {
    model.set("error", "");
    model.save_changes();
  }
  ed.banner.hide(null);
  rerender(ed);
  if (refocus) focusKey(ed, edit.after);
}
async function commitEdit(ed) {
  const { ui } = ed;
  const edit = ui.edit;
  if (!edit || edit.busy) return;
  const isNew = edit.key.startsWith("item-new:");
  if (!isNew && edit.value === edit.original || isNew && edit.value.trim() === "") {
    cancelEdit(ed);
    return;
  }
  let args = { ...edit.args, [edit.field]: edit.value };
  if (edit.method === "set_lane") {
    const stage = stageById(ed, edit.args.stage);
    if (!stage) {
      cancelEdit(ed);
      return;
    }
    const items = laneItemsAfterEdit(
      stage.lanes && stage.lanes[edit.args.lane] || [],
      { isNew, index: edit.args.index, value: edit.value }
    );
    args = { stage: edit.args.stage, lane: edit.args.lane, items };
  }
  edit.busy = true;
  const reply = await ed.api.call(edit.method, args);
  if (ui.disposed || ui.edit !== edit) return;
  edit.busy = false;
  if (reply.ok) {
    ed.banner.hide(null);
    if (isNew && edit.keepOpen) {
      edit.value = "";
      edit.original = "";
      edit.error = null;
      rerender(ed);
      focusKey(ed, `input:${edit.key}`);
      return;
    }
    ui.edit = null;
    rerender(ed);
    focusKey(ed, edit.after);
  } else {
    edit.error = String(reply.error);
    ed.banner.hide(edit.error);
    rerender(ed);
  }
}
function openForm(ed, id) {
  const found = tpById(ed, id);
  if (!found) return;
  closeOverlays(ed);
  ed.ui.form = {
    tp: id,
    name: found.tp.name,
    channel: found.tp.channel,
    phase: found.tp.phase || "",
    owner: found.tp.owner,
    error: null,
    busy: false
  };
  rerender(ed);
  focusKey(ed, `form:${id}:name`);
  const input = ed.root.querySelector(`[data-fk="${CSS.escape(`form:${id}:name`)}"]`);
  if (input instanceof HTMLInputElement) input.select();
}
async function saveForm(ed) {
  const { ui } = ed;
  const form = ui.form;
  if (!form || form.busy) return;
  const found = tpById(ed, form.tp);
  if (!found) {
    ui.form = null;
    rerender(ed);
    return;
  }
  const changes = formChanges(form, found.tp);
  if (!Object.keys(changes).length) {
    cancelForm(ed);
    return;
  }
  form.busy = true;
  const reply = await ed.api.call("update_touchpoint", { touchpoint: form.tp, ...changes });
  if (ui.disposed || ui.form !== form) return;
  form.busy = false;
  if (reply.ok) {
    ui.form = null;
    ed.banner.hide(null);
    rerender(ed);
    focusKey(ed, `tp:${form.tp}`);
  } else {
    form.error = String(reply.error);
    ed.banner.hide(form.error);
    rerender(ed);
  }
}
function cancelForm(ed) {
  const { ui, model } = ed;
  const form = ui.form;
  if (!form) return;
  ui.form = null;
  if (form.error && model.get("error") === form.error) {
    model.set("error", "");
    model.save_changes();
  }
  ed.banner.hide(null);
  rerender(ed);
  focusKey(ed, `tp:${form.tp}`);
}

// cjm_widgets/widgets/static/src/journey_editor/dialogs.js
var itemKey = (kind, id) => kind === "stage" ? `stage:${id}` : `tp:${id}`;
async function askDelete(ed, kind, id) {
  const stage = kind === "stage" ? stageById(ed, id) : null;
  const found = kind === "touchpoint" ? tpById(ed, id) : null;
  const name = stage ? stage.name : found ? found.tp.name : null;
  if (name === null) return;
  const reply = await act(
    ed,
    "count_references",
    kind === "stage" ? { stages: [id] } : { touchpoints: [id] },
    itemKey(kind, id)
  );
  if (!reply.ok || ed.ui.disposed) return;
  closeOverlays(ed);
  ed.ui.confirm = {
    kind,
    id,
    name,
    rows: Number(reply.result) || 0,
    touchpoints: stage ? stage.touchpoints.length : 0,
    busy: false
  };
  rerender(ed);
  focusKey(ed, "confirm-yes");
}
async function confirmDelete(ed) {
  const { ui } = ed;
  const c = ui.confirm;
  if (!c || c.busy) return;
  const after = focusAfterDelete(state(ed).journey, c);
  c.busy = true;
  rerender(ed);
  const reply = await ed.api.call(
    c.kind === "stage" ? "remove_stage" : "remove_touchpoint",
    c.kind === "stage" ? { stage: c.id } : { touchpoint: c.id }
  );
  if (ui.disposed) return;
  if (ui.confirm === c) ui.confirm = null;
  if (!reply.ok) {
    ui.notice = { fk: itemKey(c.kind, c.id), message: String(reply.error) };
    ed.banner.hide(ui.notice.message);
  }
  rerender(ed);
  focusKey(ed, reply.ok ? after : itemKey(c.kind, c.id));
}
function cancelConfirm(ed) {
  const c = ed.ui.confirm;
  if (!c) return;
  ed.ui.confirm = null;
  rerender(ed);
  focusKey(ed, itemKey(c.kind, c.id));
}

// cjm_widgets/widgets/static/src/journey_editor/actions.js
var EDIT_ACTIONS = [
  "edit-title",
  "edit-scope",
  "rename-stage",
  "edit-stage-desc",
  "rename-touchpoint",
  "edit-item"
];
async function runAction(ed, action, node) {
  const stageId = node.dataset.stage || "";
  const tpId = node.dataset.tp || "";
  switch (action) {
    case "undo":
    case "redo": {
      closeOverlays(ed);
      await act(ed, action, {});
      return;
    }
    case "add-stage":
    case "insert-stage": {
      closeOverlays(ed);
      const args = action === "insert-stage" ? { after: stageId } : {};
      const where = action === "insert-stage" ? `stage-ins:${stageId}` : null;
      const reply = await act(ed, "add_stage", args, where);
      if (reply.ok) focusKey(ed, `stage:${reply.result}`);
      return;
    }
    case "add-touchpoint": {
      closeOverlays(ed);
      const reply = await act(ed, "add_touchpoint", { stage: stageId }, `tp-add:${stageId}`);
      if (reply.ok) focusKey(ed, `tp:${reply.result}`);
      return;
    }
    case "edit-touchpoint":
      if (ed.ui.form && ed.ui.form.tp === tpId) cancelForm(ed);
      else openForm(ed, tpId);
      return;
    case "delete-stage":
      await askDelete(ed, "stage", stageId);
      return;
    case "delete-touchpoint":
      await askDelete(ed, "touchpoint", tpId);
      return;
    case "confirm-yes":
      await confirmDelete(ed);
      return;
    case "confirm-no":
      cancelConfirm(ed);
      return;
    case "form-save":
      await saveForm(ed);
      return;
    case "form-cancel":
      cancelForm(ed);
      return;
    case "add-item":
      openItemEditor(ed, action, node);
      return;
    case "delete-item":
      await deleteItem(ed, node);
      return;
    case "fill-lanes":
      closeOverlays(ed);
      await act(ed, "fill_lanes", {}, "fill-lanes");
      return;
    case "show-evidence":
      await act(ed, "show_evidence", {
        stage: stageId,
        lane: node.dataset.lane || "",
        index: Number(node.dataset.index || 0)
      }, node.dataset.fk || null);
      return;
    default:
      if (EDIT_ACTIONS.includes(action)) openEditor(ed, action, node);
  }
}
function openEditor(ed, action, node) {
  const stageId = node.dataset.stage || "";
  const tpId = node.dataset.tp || "";
  const j = state(ed).journey;
  switch (action) {
    case "edit-title":
      openEdit(ed, {
        key: "title",
        method: "update",
        args: {},
        field: "title",
        original: j.title,
        label: "Journey title",
        multiline: false,
        after: "title"
      });
      return;
    case "edit-scope":
      openEdit(ed, {
        key: "scope",
        method: "update",
        args: {},
        field: "scope",
        original: j.scope,
        label: "Scope of the journey",
        multiline: true,
        after: "scope"
      });
      return;
    case "rename-stage": {
      const stage = stageById(ed, stageId);
      if (!stage) return;
      openEdit(ed, {
        key: `stage-name:${stage.id}`,
        method: "rename_stage",
        args: { stage: stage.id },
        field: "name",
        original: stage.name,
        label: `New name for stage ${quoted(stage.name)}`,
        multiline: false,
        after: `stage:${stage.id}`
      });
      return;
    }
    case "edit-stage-desc": {
      const stage = stageById(ed, stageId);
      if (!stage) return;
      openEdit(ed, {
        key: `stage-desc:${stage.id}`,
        method: "update_stage",
        args: { stage: stage.id },
        field: "description",
        original: stage.description,
        label: `Description of stage ${quoted(stage.name)}`,
        multiline: true,
        after: `stage-desc:${stage.id}`
      });
      return;
    }
    case "rename-touchpoint": {
      const found = tpById(ed, tpId);
      if (!found) return;
      openEdit(ed, {
        key: `tp-name:${tpId}`,
        method: "update_touchpoint",
        args: { touchpoint: tpId },
        field: "name",
        original: found.tp.name,
        label: `New name for touchpoint ${quoted(found.tp.name)}`,
        multiline: false,
        after: `tp:${tpId}`
      });
      return;
    }
    case "edit-item":
      openItemEditor(ed, action, node);
      return;
    default:
  }
}
function openItemEditor(ed, action, node) {
  const stageId = node.dataset.stage || "";
  const lane = node.dataset.lane || "";
  const stage = stageById(ed, stageId);
  const laneObj = state(ed).journey.lanes.find((l) => l.id === lane);
  if (!stage || !laneObj) return;
  const base = `${stageId}:${lane}`;
  if (action === "add-item") {
    openEdit(ed, {
      key: `item-new:${base}`,
      method: "set_lane",
      args: { stage: stageId, lane },
      field: "items",
      original: "",
      label: `New item for ${laneObj.name} in ${quoted(stage.name)}`,
      multiline: false,
      after: `item-add:${base}`,
      keepOpen: true
    });
  } else {
    const index = Number(node.dataset.index);
    const items = stage.lanes[lane] || [];
    openEdit(ed, {
      key: `item:${base}:${index}`,
      method: "set_lane",
      args: { stage: stageId, lane, index },
      field: "items",
      original: items[index] || "",
      label: `Edit ${laneObj.name} item (empty removes it)`,
      multiline: false,
      after: `item:${base}:${index}`
    });
  }
}
async function deleteItem(ed, node) {
  const stageId = node.dataset.stage || "";
  const lane = node.dataset.lane || "";
  const stage = stageById(ed, stageId);
  if (!stage) return;
  const index = Number(node.dataset.index);
  const items = [...stage.lanes[lane] || []];
  items.splice(index, 1);
  closeOverlays(ed);
  const base = `${stageId}:${lane}`;
  const reply = await act(ed, "set_lane", { stage: stageId, lane, items }, `item-add:${base}`);
  if (reply.ok) {
    focusKey(ed, items.length ? `item:${base}:${Math.min(index, items.length - 1)}` : `item-add:${base}`);
  }
}

// cjm_widgets/widgets/static/src/journey_editor/events.js
var targetNode2 = (event) => event.target instanceof Element ? event.target : null;
function cardClicked(ed, target) {
  const card = target.closest(".cjm-tp[data-tp]");
  if (!(card instanceof HTMLElement) || !ed.root.contains(card)) return;
  if (card.classList.contains("cjm-tp-editing")) return;
  if (target.closest("button, input, textarea, select")) return;
  void ed.api.call("touchpoint_click", { touchpoint: card.dataset.tp });
}
function onClick(ed, event) {
  const target = targetNode2(event);
  if (!target) return;
  const selectable = target.closest("[data-select]");
  if (selectable instanceof HTMLElement && selectable.dataset.select) {
    setSelected(ed, selectable.dataset.select);
  }
  cardClicked(ed, target);
  const node = target.closest("[data-action]");
  if (!(node instanceof HTMLElement) || !ed.root.contains(node)) return;
  const action = node.dataset.action || "";
  if (node.tagName !== "BUTTON") {
    if (action === "edit-stage-desc" && node.classList.contains("cjm-placeholder")) {
      void runAction(ed, action, node);
    }
    return;
  }
  event.preventDefault();
  void runAction(ed, action, node);
}
function onDblClick(ed, event) {
  const target = targetNode2(event);
  if (!target || target.closest("button, input, select, textarea")) return;
  const node = target.closest("[data-action]");
  if (!(node instanceof HTMLElement) || node.tagName === "BUTTON") return;
  const action = node.dataset.action || "";
  if (EDIT_ACTIONS.includes(action)) {
    event.preventDefault();
    void runAction(ed, action, node);
  } else if (node.classList.contains("cjm-tp")) {
    void runAction(ed, "rename-touchpoint", node);
  }
}
function onInput(ed, event) {
  const { ui } = ed;
  const target = targetNode2(event);
  if (!(target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement)) return;
  const editKey = target.dataset.edit;
  if (editKey && ui.edit && ui.edit.key === editKey) {
    ui.edit.value = target.value;
    return;
  }
  const field = target.dataset.formField;
  if (field && ui.form) {
    ui.form[field] = target.value;
  }
}
function onFocusOut(ed, event) {
  const { ui } = ed;
  if (ui.rendering) return;
  const target = targetNode2(event);
  if (!(target instanceof HTMLElement) || !target.dataset.edit) return;
  const edit = ui.edit;
  if (!edit || edit.key !== target.dataset.edit || edit.busy) return;
  const next = event.relatedTarget;
  if (next instanceof Node && target.parentElement && target.parentElement.contains(next)) {
    return;
  }
  if (edit.value === edit.original || edit.key.startsWith("item-new:") && edit.value.trim() === "") {
    ui.edit = null;
    queueMicrotask(() => rerender(ed));
  } else {
    void commitEdit(ed);
  }
}
function onFocusIn(ed, event) {
  if (ed.ui.rendering) return;
  const target = targetNode2(event);
  if (!(target instanceof HTMLElement)) return;
  if (target.classList.contains("cjm-tp") && target.dataset.tp) setSelected(ed, target.dataset.tp);
  else if (target.classList.contains("cjm-stage-name") && target.dataset.stage) {
    setSelected(ed, target.dataset.stage);
  }
}
function pointerListeners(ed) {
  return [
    ["pointerdown", () => {
      ed.ui.keyboard = false;
    }],
    ["click", (event) => onClick(
      ed,
      /** @type {MouseEvent} */
      event
    )],
    ["dblclick", (event) => onDblClick(
      ed,
      /** @type {MouseEvent} */
      event
    )],
    ["input", (event) => onInput(ed, event)],
    ["change", (event) => onInput(ed, event)],
    ["focusout", (event) => onFocusOut(
      ed,
      /** @type {FocusEvent} */
      event
    )],
    ["focusin", (event) => onFocusIn(
      ed,
      /** @type {FocusEvent} */
      event
    )]
  ];
}

// cjm_widgets/widgets/static/src/journey_editor/moves.js
async function moveStageBy(ed, id, delta) {
  const stages = state(ed).journey.stages;
  const i = stages.findIndex((s) => s.id === id);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= stages.length) return;
  await act(ed, "move_stage", { stage: id, position: j }, `stage:${id}`);
  focusKey(ed, `stage:${id}`);
}
async function moveTouchpointAcross(ed, id, delta) {
  const found = tpById(ed, id);
  if (!found) return;
  const stages = state(ed).journey.stages;
  const i = stages.findIndex((s) => s.id === found.stage.id);
  const target = stages[i + delta];
  if (!target) return;
  const position = Math.min(found.index, target.touchpoints.length);
  await act(ed, "move_touchpoint", { touchpoint: id, stage: target.id, position }, `tp:${id}`);
  focusKey(ed, `tp:${id}`);
}
async function moveTouchpointWithin(ed, id, delta) {
  const found = tpById(ed, id);
  if (!found) return;
  const j = found.index + delta;
  if (j < 0 || j >= found.stage.touchpoints.length) return;
  await act(
    ed,
    "move_touchpoint",
    { touchpoint: id, stage: found.stage.id, position: j },
    `tp:${id}`
  );
  focusKey(ed, `tp:${id}`);
}

// cjm_widgets/widgets/static/src/journey_editor/keyboard.js
function keyDownHandler(ed) {
  return (event) => {
    if (!["Alt", "Control", "Meta", "Shift"].includes(event.key)) ed.ui.keyboard = true;
    const target = event.target;
    if (!(target instanceof HTMLElement)) return;
    const handled = handleKey(ed, event, target);
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    } else if (!(event.shiftKey && event.key === "Enter")) {
      event.stopPropagation();
    }
  };
}
function handleKey(ed, event, target) {
  if (target.dataset.edit) {
    const multiline = target instanceof HTMLTextAreaElement;
    if (event.key === "Enter" && !event.isComposing && (!multiline || !event.shiftKey)) {
      void commitEdit(ed);
      return true;
    }
    if (event.key === "Escape") {
      cancelEdit(ed);
      return true;
    }
    return false;
  }
  if (target.closest("[data-form]")) {
    if (event.key === "Escape") {
      cancelForm(ed);
      return true;
    }
    if (event.key === "Enter" && !event.isComposing && !(target instanceof HTMLButtonElement) && !(target instanceof HTMLSelectElement)) {
      void saveForm(ed);
      return true;
    }
    return false;
  }
  if (isTextField(target)) return false;
  if (isUndoKey(event) || isRedoKey(event)) {
    closeOverlays(ed);
    void act(ed, isRedoKey(event) ? "redo" : "undo", {});
    return true;
  }
  if (event.key === "Escape" && ed.ui.confirm) {
    cancelConfirm(ed);
    return true;
  }
  return boardKeyDone(ed, event, target);
}
function boardKeyDone(ed, event, target) {
  const intent = boardKey(event, {
    stage: target.classList.contains("cjm-stage-name") ? target.dataset.stage || null : null,
    tp: target.classList.contains("cjm-tp") ? target.dataset.tp || null : null,
    item: target.classList.contains("cjm-item") && target.dataset.index !== void 0,
    editable: Boolean(target.dataset.action) && target.tagName !== "BUTTON"
  });
  if (!intent) return false;
  switch (intent.do) {
    case "move-stage":
      void moveStageBy(ed, intent.stage, intent.delta);
      break;
    case "move-across":
      void moveTouchpointAcross(ed, intent.tp, intent.delta);
      break;
    case "move-within":
      void moveTouchpointWithin(ed, intent.tp, intent.delta);
      break;
    case "edit-touchpoint":
    case "rename-touchpoint":
      void runAction(ed, intent.do, target);
      break;
    case "open":
      void runAction(ed, target.dataset.action || "", target);
      break;
    case "delete-touchpoint":
      void askDelete(ed, "touchpoint", intent.tp);
      break;
    case "delete-stage":
      void askDelete(ed, "stage", intent.stage);
      break;
    case "delete-item": {
      const del = target.querySelector("[data-action='delete-item']");
      if (del instanceof HTMLElement) void runAction(ed, "delete-item", del);
      break;
    }
    default:
      return false;
  }
  return true;
}

// cjm_widgets/widgets/static/src/journey_editor/index.js
function render({ model, el: host }) {
  const root = el("div", {
    class: "cjm-root cjm-editor",
    tabindex: "-1",
    role: "region",
    "aria-label": "Journey map editor",
    // JupyterLab: no notebook shortcuts ("a", "d d", Shift+Enter …) while focus is in here.
    "data-lm-suppress-shortcuts": "true"
  });
  const ed = {
    model,
    root,
    api: rpc(model),
    banner: errorBanner(model),
    ui: {
      edit: null,
      form: null,
      confirm: null,
      notice: null,
      drag: null,
      hint: null,
      rendering: false,
      disposed: false,
      keyboard: false
    },
    scroller: null,
    scrollLeft: 0
  };
  host.append(root);
  const offline = kernelNote(host, root);
  const onState = () => {
    const { ui } = ed;
    if (ui.form && !tpById(ed, ui.form.tp)) ui.form = null;
    if (ui.confirm && !(ui.confirm.kind === "stage" ? stageById(ed, ui.confirm.id) : tpById(ed, ui.confirm.id))) ui.confirm = null;
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
  const listeners = [
    ...pointerListeners(ed),
    [
      "keydown",
      /** @type {EventListener} */
      keyDownHandler(ed)
    ],
    ...dragListeners(ed).map(([type, fn]) => (
      /** @type {[string, EventListener]} */
      [type, fn]
    ))
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
var index_default = { render };
export {
  index_default as default
};
