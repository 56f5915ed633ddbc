// @ts-check
/*
 * cjm.EmotionCurve: the emotion curve chart drawn by Vega, kept live from Python.
 *
 * Vega comes from the notebook's one shared runtime (widgets/vega_runtime.py): `_runtime` is a
 * widget reference ("IPY_MODEL_<id>") to a hidden model whose `bundle` is vl-convert's offline
 * Vega + vega-embed as one ES module. It is imported once per page from a blob URL and cached
 * on globalThis by its `key`, so the second curve paints without loading Vega again. Hosts
 * without a widget manager (marimo) get the same module from the curve's Python side.
 *
 * State (traits): `_spec` (the Vega-Lite spec without the point values), `_values` (the rows of
 * the chart's `curve` dataset), `_point` ({touchpoint_id, series} or {}), `by` and `_choices`
 * (the Series dropdown), `_summary`, `_version`. A new `_values` only replaces the `curve`
 * dataset in the running view, so the view and its `point` selection survive; a new `_spec`
 * re-embeds and puts the selection back. Clicks on a point set `_point`; Python answers with
 * `selected`. Every update is queued so that an embed and a data change never interleave.
 */
import { el, errorBanner, kernelNote, rpc } from "./_common.js";
import { embedOptions, fitWidth, fitted, themed, watchTheme } from "./_vega_theme.js";

/**
 * @typedef {object} VegaModule
 * @property {(el: HTMLElement, spec: any, opts?: any) => Promise<{view: any, finalize: () => void}>} vegaEmbed
 */

/** @type {string} */
const CACHE = "__cjmVegaRuntime";

/**
 * The Vega runtime module, imported once per page and key (a blob URL of the bundle text).
 * @param {string} key
 * @param {() => Promise<string>} text the bundle, fetched only when the key is new here
 * @returns {Promise<VegaModule>}
 */
function importRuntime(key, text) {
  const g = /** @type {any} */ (globalThis);
  /** @type {Map<string, Promise<VegaModule>>} */
  const cache = (g[CACHE] ??= new Map());
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = text().then(async (code) => {
      const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
      try {
        return /** @type {VegaModule} */ (await import(/* webpackIgnore: true */ url));
      } finally {
        URL.revokeObjectURL(url);
      }
    });
    loaded.catch(() => cache.delete(key)); // a failed load may be tried again
    cache.set(key, loaded);
  }
  return loaded;
}

/**
 * Vega for this curve: through the shared runtime model, else from the curve's Python side.
 * @param {any} model
 * @returns {Promise<VegaModule>}
 */
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

/** The chart's dataset of points (charts/emotion_curve.py CURVE_DATA). */
const CURVE = "curve";
/** The point selection's unit (the points layer's name in the spec). */
const UNIT = "points";
/** The param of highlighted touchpoint ids (charts/emotion_curve.py HIGHLIGHT). */
const HIGHLIGHT = "cjm_highlight";

/**
 * Show the `highlight` trait (touchpoint ids) as the chart's halo: a signal, no redraw.
 * @param {any} model
 * @param {VegaView | null} view
 * @param {HTMLElement} root
 */
async function showHighlight(model, view, root) {
  const ids = [...(model.get("highlight") || [])];
  root.dataset.highlight = ids.join(" ");
  if (!view) return;
  try {
    view.signal(HIGHLIGHT, ids);
  } catch (_) {
    return; // a spec without the param (an older kernel): nothing to highlight
  }
  await view.runAsync();
}

/**
 * @typedef {object} VegaView
 * @property {(name: string, values?: any[]) => any} data
 * @property {(name: string, value?: any) => any} signal
 * @property {(name: string, handler: (name: string, value: any) => void) => VegaView} addSignalListener
 * @property {(name: string, handler: (name: string, value: any) => void) => VegaView} removeSignalListener
 * @property {() => any} changeset
 * @property {(name: string, changes: any) => VegaView} change
 * @property {() => Promise<VegaView>} runAsync
 * @property {(width: number) => VegaView} width
 */

/**
 * The view's elements: the bar (series and point dropdowns, summary, selected point) over the
 * chart, appended to `host` after the error banner.
 * @param {HTMLElement} host
 * @param {HTMLElement} bannerNode
 */
function buildView(host, bannerNode) {
  const root = el("div", { class: "cjm-root cjm-curve", role: "figure", "aria-label": "Emotion curve" });
  const bar = el("div", { class: "cjm-curve-bar" });
  const seriesSel = /** @type {HTMLSelectElement} */ (
    el("select", { class: "cjm-select cjm-curve-by", "aria-label": "Series: one line per" })
  );
  const pointSel = /** @type {HTMLSelectElement} */ (
    el("select", { class: "cjm-select cjm-curve-point", "aria-label": "Select a point (as a click on it would)" })
  );
  const summary = el("span", { class: "cjm-curve-summary", "aria-live": "polite" });
  const picked = el("span", { class: "cjm-curve-selected", "aria-live": "polite" });
  const chartEl = el("div", { class: "cjm-curve-chart" });
  // shown while Vega loads and the first view is built, if that takes more than 300 ms
  const loading = el("div", { class: "cjm-curve-loading", role: "status", hidden: true }, [
    "Loading the chart…",
  ]);
  bar.append(
    el("label", { class: "cjm-curve-by-label" }, ["Series ", seriesSel]),
    el("label", { class: "cjm-curve-by-label" }, ["Point ", pointSel]),
    summary,
    picked,
  );
  root.append(bannerNode, bar, chartEl);
  host.append(root);
  return { root, seriesSel, pointSel, summary, picked, chartEl, loading };
}

/**
 * The Series dropdown: one option per choice of `_choices`, showing `by`.
 * @param {any} model
 * @param {HTMLSelectElement} seriesSel
 */
function fillSeries(model, seriesSel) {
  const current = model.get("by") ?? "";
  seriesSel.replaceChildren(
    ...(model.get("_choices") || []).map((/** @type {{value: string, label: string}} */ c) =>
      el("option", { value: c.value, selected: c.value === current }, [c.label]),
    ),
  );
  seriesSel.value = current;
}

/**
 * The keyboard's way to select a point: one option per drawn point, in journey order.
 * @param {any} model
 * @param {HTMLSelectElement} pointSel
 */
function fillPointChoices(model, pointSel) {
  const p = model.get("_point") || {};
  const rows = (model.get("_values") || []).filter((/** @type {any} */ r) => r.n > 0);
  const many = new Set(rows.map((/** @type {any} */ r) => r.series)).size > 1;
  pointSel.replaceChildren(
    el("option", { value: "" }, ["None"]),
    ...rows.map((/** @type {any} */ r) =>
      el("option", { value: JSON.stringify([r.touchpoint_id, r.series]) }, [
        many ? `${r.label} · ${r.series}` : r.label,
      ]),
    ),
  );
  pointSel.value = p.touchpoint_id ? JSON.stringify([p.touchpoint_id, p.series ?? ""]) : "";
}

/**
 * The selected point in words: "Selected: <touchpoint> · <series> · mean 0.40 · n = 12".
 * @param {any} model
 * @param {HTMLElement} picked
 */
function describeSelected(model, picked) {
  const p = model.get("_point") || {};
  if (!p.touchpoint_id) {
    picked.textContent = "";
    return;
  }
  const row = (model.get("_values") || []).find(
    (/** @type {any} */ r) => r.touchpoint_id === p.touchpoint_id && r.series === p.series,
  );
  if (!row) {
    picked.textContent = "";
    return;
  }
  const mean = row.mean === null ? "no rated evidence" : `mean ${row.mean.toFixed(2)}`;
  const series = row.series && row.series !== "All" ? ` · ${row.series}` : "";
  picked.textContent = `Selected: ${row.label}${series} · ${mean} · n = ${row.n_label || row.n}`;
}

/** True when two points ({touchpoint_id, series}) are the same ("" for none). */
const samePoint = (/** @type {any} */ a, /** @type {any} */ b) =>
  (a.touchpoint_id || "") === (b.touchpoint_id || "") && (a.series || "") === (b.series || "");

/**
 * Draw `spec` with the notebook's one Vega runtime, showing `loading` if that takes over 300 ms.
 * @param {any} model
 * @param {HTMLElement} chartEl
 * @param {HTMLElement} loading
 * @param {object} spec
 * @param {() => boolean} gone true once the view was removed (nothing is drawn then)
 * @returns {Promise<{view: any, finalize: () => void} | null>}
 */
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

/**
 * A queue running each task after the ones before it; a failure shows in the widget's banner.
 * @param {any} model
 * @returns {(task: () => Promise<void>) => Promise<void>}
 */
function serialQueue(model) {
  /** @type {Promise<void>} */
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

/**
 * Keep the plot as wide as its pane: the pane's width (the Workspace column, the output area)
 * sets the chart's, and when the pane is resized the running view gets the new width (no
 * re-embed, so the selection and the data stay). The room for the axis and legend is measured
 * on the drawn chart.
 * @param {HTMLElement} chartEl
 * @param {() => VegaView | null} currentView
 * @param {(task: () => Promise<void>) => Promise<void>} enqueue
 */
function paneSizer(chartEl, currentView, enqueue) {
  /** @type {number | null} the plot width drawn now (null: the spec's own) */
  let drawnWidth = null;
  const refit = async () => {
    const view = currentView();
    if (!view || drawnWidth === null) return;
    const drawn = chartEl.querySelector("svg, canvas");
    const extra = drawn ? drawn.getBoundingClientRect().width - drawnWidth : undefined;
    const width = fitWidth(chartEl, extra);
    if (width === null || Math.abs(width - drawnWidth) < 4) return;
    drawnWidth = width;
    view.width(width);
    await view.runAsync();
  };
  /** @type {number | undefined} */
  let timer;
  const resized = new ResizeObserver(() => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => enqueue(refit), 120);
  });
  resized.observe(chartEl);
  return {
    refit,
    /** @param {unknown} width the width a new view was embedded with */
    drawn(width) {
      drawnWidth = typeof width === "number" ? width : null;
    },
    stop() {
      resized.disconnect();
      window.clearTimeout(timer);
    },
  };
}

/** @param {{ model: any, el: HTMLElement }} ctx */
async function render({ model, el: host }) {
  const banner = errorBanner(model);
  const { root, seriesSel, pointSel, summary, picked, chartEl, loading } = buildView(host, banner.node);
  const offline = kernelNote(host, root);

  /** @type {VegaView | null} */
  let view = null;
  /** @type {(() => void) | null} */
  let finalize = null;
  /** @type {object | null} the spec drawn now */
  let embeddedSpec = null;
  let disposed = false;
  const enqueue = serialQueue(model);

  // ---------------------------------------------------------------- series dropdown
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

  // ---------------------------------------------------------------- selection
  /** @returns {{touchpoint_id?: string, series?: string}} */
  const storedPoint = () => {
    if (!view) return {};
    const store = view.data("point_store") || [];
    const last = store[store.length - 1];
    if (!last || !Array.isArray(last.values)) return {};
    return { touchpoint_id: String(last.values[0]), series: String(last.values[1] ?? "") };
  };

  /** Make the view's selection show `_point` (after an embed or a change from Python). */
  const showPoint = async () => {
    if (!view) return;
    const want = model.get("_point") || {};
    if (samePoint(storedPoint(), want)) return;
    const tuples = want.touchpoint_id
      ? [{ unit: UNIT, fields: view.signal("point_tuple_fields"), values: [want.touchpoint_id, want.series ?? ""] }]
      : [];
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

  // ---------------------------------------------------------------- drawing
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
    sizer.drawn(full.width);
    full.data = { name: CURVE, values: structuredClone(model.get("_values") || []) };
    const result = await embedWithLoading(model, chartEl, loading, full, () => disposed);
    if (!result) return;
    if (disposed) {
      result.finalize();
      return;
    }
    view = /** @type {VegaView} */ (result.view);
    finalize = result.finalize;
    view.addSignalListener("point", onPointSignal);
    await showPoint();
    await showHighlight(model, view, root);
    await sizer.refit(); // the first fit guessed the axis' room; now it is measured
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

  const sizer = paneSizer(chartEl, () => (disposed ? null : view), enqueue);

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
  const unwatch = watchTheme(() => enqueue(embed)); // light <-> dark: re-drawn in the theme
  await enqueue(embed);

  return () => {
    disposed = true;
    sizer.stop();
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

export default { render };
