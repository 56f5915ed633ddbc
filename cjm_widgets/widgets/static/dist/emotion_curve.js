// Generated from cjm_widgets/widgets/static/src/emotion_curve.js by scripts/build_js.mjs (npm run build): do not edit.

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

// cjm_widgets/widgets/static/src/_vega_theme.js
function isDark() {
  const light = typeof document !== "undefined" ? document.body.dataset.jpThemeLight : void 0;
  if (light === "false") return true;
  if (light === "true") return false;
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
}
function cssVar(node, name, fallback) {
  const value = getComputedStyle(node).getPropertyValue(name).trim();
  return value || fallback;
}
function darkConfig(node) {
  const bg = cssVar(node, "--jp-layout-color1", "#1e1e1e");
  const fg = cssVar(node, "--jp-ui-font-color1", "rgba(255, 255, 255, 0.87)");
  const fg2 = cssVar(node, "--jp-ui-font-color2", "rgba(255, 255, 255, 0.54)");
  const line = cssVar(node, "--jp-border-color2", "#424242");
  return {
    background: bg,
    view: { stroke: line },
    axis: { labelColor: fg2, titleColor: fg, gridColor: line, domainColor: fg2, tickColor: fg2 },
    legend: { labelColor: fg2, titleColor: fg },
    header: { labelColor: fg2, titleColor: fg },
    title: { color: fg, subtitleColor: fg2 },
    text: { color: fg }
  };
}
function themed(spec, node) {
  if (!isDark()) return spec;
  const own = spec.config || {};
  const dark = darkConfig(node);
  const config = { ...own };
  for (const [key, value] of Object.entries(dark)) {
    config[key] = value && typeof value === "object" ? { ...own[key] || {}, ...value } : value;
  }
  spec.config = config;
  return spec;
}
function embedOptions() {
  return {
    actions: false,
    renderer: (
      /** @type {"svg"} */
      "svg"
    ),
    tooltip: {
      theme: isDark() ? "dark" : "light",
      anchor: "mark",
      position: ["top", "bottom", "right", "left", "top-right", "top-left"]
    }
  };
}
function watchTheme(callback) {
  let dark = isDark();
  const observer = new MutationObserver(() => {
    if (isDark() !== dark) {
      dark = isDark();
      callback();
    }
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light"] });
  return () => observer.disconnect();
}
function fitted(spec, node) {
  const room = node.clientWidth - 80;
  if (typeof spec.width === "number" && room > 0) spec.width = Math.max(300, room);
  return spec;
}

// cjm_widgets/widgets/static/src/emotion_curve.js
var CACHE = "__cjmVegaRuntime";
function importRuntime(key, text) {
  const g = (
    /** @type {any} */
    globalThis
  );
  const cache = g[CACHE] ??= /* @__PURE__ */ new Map();
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = text().then(async (code) => {
      const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
      try {
        return (
          /** @type {VegaModule} */
          await import(
            /* webpackIgnore: true */
            url
          )
        );
      } finally {
        URL.revokeObjectURL(url);
      }
    });
    loaded.catch(() => cache.delete(key));
    cache.set(key, loaded);
  }
  return loaded;
}
async function vegaFor(model) {
  const ref = model.get("_runtime");
  const id = typeof ref === "string" ? ref.replace(/^(IPY_MODEL_|anywidget:)/, "") : "";
  const manager = model.widget_manager;
  if (id && manager && typeof manager.get_model === "function") {
    const runtime = await manager.get_model(id);
    return importRuntime(runtime.get("key"), async () => runtime.get("bundle"));
  }
  const calls = rpc(model);
  try {
    const reply = await calls.call("vega_runtime");
    if (!reply.ok) throw new Error(reply.error || "no Vega runtime");
    return importRuntime(reply.result.key, async () => reply.result.bundle);
  } finally {
    calls.dispose();
  }
}
var CURVE = "curve";
var UNIT = "points";
var HIGHLIGHT = "cjm_highlight";
async function showHighlight(model, view, root) {
  const ids = [...model.get("highlight") || []];
  root.dataset.highlight = ids.join(" ");
  if (!view) return;
  try {
    view.signal(HIGHLIGHT, ids);
  } catch (_) {
    return;
  }
  await view.runAsync();
}
function buildView(host, bannerNode) {
  const root = el("div", { class: "cjm-root cjm-curve", role: "figure", "aria-label": "Emotion curve" });
  const bar = el("div", { class: "cjm-curve-bar" });
  const seriesSel = (
    /** @type {HTMLSelectElement} */
    el("select", { class: "cjm-select cjm-curve-by", "aria-label": "Series: one line per" })
  );
  const pointSel = (
    /** @type {HTMLSelectElement} */
    el("select", { class: "cjm-select cjm-curve-point", "aria-label": "Select a point (as a click on it would)" })
  );
  const summary = el("span", { class: "cjm-curve-summary", "aria-live": "polite" });
  const picked = el("span", { class: "cjm-curve-selected", "aria-live": "polite" });
  const chartEl = el("div", { class: "cjm-curve-chart" });
  const loading = el("div", { class: "cjm-curve-loading", role: "status", hidden: true }, [
    "Loading the chart…"
  ]);
  bar.append(
    el("label", { class: "cjm-curve-by-label" }, ["Series ", seriesSel]),
    el("label", { class: "cjm-curve-by-label" }, ["Point ", pointSel]),
    summary,
    picked
  );
  root.append(bannerNode, bar, chartEl);
  host.append(root);
  return { root, seriesSel, pointSel, summary, picked, chartEl, loading };
}
function fillSeries(model, seriesSel) {
  const current = model.get("by") ?? "";
  seriesSel.replaceChildren(
    ...(model.get("_choices") || []).map(
      (c) => el("option", { value: c.value, selected: c.value === current }, [c.label])
    )
  );
  seriesSel.value = current;
}
function fillPointChoices(model, pointSel) {
  const p = model.get("_point") || {};
  const rows = (model.get("_values") || []).filter((r) => r.n > 0);
  const many = new Set(rows.map((r) => r.series)).size > 1;
  pointSel.replaceChildren(
    el("option", { value: "" }, ["None"]),
    ...rows.map(
      (r) => el("option", { value: JSON.stringify([r.touchpoint_id, r.series]) }, [
        many ? `${r.label} · ${r.series}` : r.label
      ])
    )
  );
  pointSel.value = p.touchpoint_id ? JSON.stringify([p.touchpoint_id, p.series ?? ""]) : "";
}
function describeSelected(model, picked) {
  const p = model.get("_point") || {};
  if (!p.touchpoint_id) {
    picked.textContent = "";
    return;
  }
  const row = (model.get("_values") || []).find(
    (r) => r.touchpoint_id === p.touchpoint_id && r.series === p.series
  );
  if (!row) {
    picked.textContent = "";
    return;
  }
  const mean = row.mean === null ? "no rated evidence" : `mean ${row.mean.toFixed(2)}`;
  const series = row.series && row.series !== "All" ? ` · ${row.series}` : "";
  picked.textContent = `Selected: ${row.label}${series} · ${mean} · n = ${row.n_label || row.n}`;
}
var samePoint = (a, b) => (a.touchpoint_id || "") === (b.touchpoint_id || "") && (a.series || "") === (b.series || "");
async function embedWithLoading(model, chartEl, loading, spec, gone) {
  const slow = setTimeout(() => loading.removeAttribute("hidden"), 300);
  try {
    if (!chartEl.firstChild) chartEl.replaceChildren(loading);
    const { vegaEmbed } = await vegaFor(model);
    if (gone()) return null;
    return await vegaEmbed(chartEl, spec, embedOptions());
  } finally {
    clearTimeout(slow);
    loading.remove();
    loading.setAttribute("hidden", "");
  }
}
function serialQueue(model) {
  let queue = Promise.resolve();
  return (task) => {
    queue = queue.then(task).catch((err) => {
      console.error("cjm EmotionCurve:", err);
      model.set("error", `The chart could not be drawn: ${err && err.message ? err.message : err}`);
      model.save_changes();
    });
    return queue;
  };
}
async function render({ model, el: host }) {
  const banner = errorBanner(model);
  const { root, seriesSel, pointSel, summary, picked, chartEl, loading } = buildView(host, banner.node);
  const offline = kernelNote(host, root);
  let view = null;
  let finalize = null;
  let embeddedSpec = null;
  let disposed = false;
  const enqueue = serialQueue(model);
  const fillChoices = () => fillSeries(model, seriesSel);
  const onSeries = () => {
    model.set("by", seriesSel.value === "" ? null : seriesSel.value);
    model.save_changes();
  };
  seriesSel.addEventListener("change", onSeries);
  const fillPoints = () => fillPointChoices(model, pointSel);
  const onPointPick = () => {
    const [touchpoint_id, series] = pointSel.value ? JSON.parse(pointSel.value) : [];
    model.set("_point", touchpoint_id ? { touchpoint_id, series } : {});
    model.save_changes();
  };
  pointSel.addEventListener("change", onPointPick);
  const storedPoint = () => {
    if (!view) return {};
    const store = view.data("point_store") || [];
    const last = store[store.length - 1];
    if (!last || !Array.isArray(last.values)) return {};
    return { touchpoint_id: String(last.values[0]), series: String(last.values[1] ?? "") };
  };
  const showPoint = async () => {
    if (!view) return;
    const want = model.get("_point") || {};
    if (samePoint(storedPoint(), want)) return;
    const tuples = want.touchpoint_id ? [{ unit: UNIT, fields: view.signal("point_tuple_fields"), values: [want.touchpoint_id, want.series ?? ""] }] : [];
    view.data("point_store", tuples);
    await view.runAsync();
  };
  const onPointSignal = () => {
    const now = storedPoint();
    if (samePoint(now, model.get("_point") || {})) return;
    model.set("_point", now.touchpoint_id ? now : {});
    model.save_changes();
  };
  const showSelected = () => describeSelected(model, picked);
  const painted = () => {
    root.dataset.version = String(model.get("_version"));
    summary.textContent = model.get("_summary") || "";
    showSelected();
    fillPoints();
  };
  const embed = async () => {
    const spec = model.get("_spec");
    if (disposed) return;
    if (finalize) {
      finalize();
      finalize = null;
      view = null;
    }
    embeddedSpec = spec;
    if (!spec || !spec.layer) {
      chartEl.replaceChildren();
      return;
    }
    const full = fitted(themed(structuredClone(spec), chartEl), chartEl);
    full.data = { name: CURVE, values: structuredClone(model.get("_values") || []) };
    const result = await embedWithLoading(model, chartEl, loading, full, () => disposed);
    if (!result) return;
    if (disposed) {
      result.finalize();
      return;
    }
    view = /** @type {VegaView} */
    result.view;
    finalize = result.finalize;
    view.addSignalListener("point", onPointSignal);
    await showPoint();
    await showHighlight(model, view, root);
    painted();
  };
  const update = async () => {
    if (disposed) return;
    if (model.get("_spec") !== embeddedSpec || !view) {
      await embed();
      return;
    }
    const changes = view.changeset().remove(() => true).insert(structuredClone(model.get("_values") || []));
    await view.change(CURVE, changes).runAsync();
    painted();
  };
  const onData = () => enqueue(update);
  const onPoint = () => enqueue(async () => {
    await showPoint();
    showSelected();
    fillPoints();
  });
  model.on("change:_spec", onData);
  model.on("change:_values", onData);
  model.on("change:_point", onPoint);
  const onHighlight = () => enqueue(() => showHighlight(model, view, root));
  model.on("change:highlight", onHighlight);
  model.on("change:_choices", fillChoices);
  model.on("change:by", fillChoices);
  fillChoices();
  const unwatch = watchTheme(() => enqueue(embed));
  await enqueue(embed);
  return () => {
    disposed = true;
    unwatch();
    model.off("change:_spec", onData);
    model.off("change:_values", onData);
    model.off("change:_point", onPoint);
    model.off("change:highlight", onHighlight);
    model.off("change:_choices", fillChoices);
    model.off("change:by", fillChoices);
    seriesSel.removeEventListener("change", onSeries);
    pointSel.removeEventListener("change", onPointPick);
    banner.dispose();
    offline();
    if (view) view.removeSignalListener("point", onPointSignal);
    if (finalize) finalize();
    view = null;
  };
}
var emotion_curve_default = { render };
export {
  emotion_curve_default as default
};
