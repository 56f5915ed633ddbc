// @ts-check
/*
 * Shared front-end helpers of the cjm widgets.
 *
 * Imported by each widget's modules; esbuild (scripts/build_js.mjs) bundles what a widget uses
 * into its one ES module in static/dist, which anywidget loads.
 *
 * Rules every widget follows: user text goes in with textContent / createTextNode only; every
 * listener added here is removed by the dispose function returned next to it.
 */

/**
 * The part of the anywidget model the widgets use.
 * @typedef {object} CjmModel
 * @property {(name: string) => any} get
 * @property {(name: string, value: any) => void} set
 * @property {() => void} save_changes
 * @property {(content: any, callbacks?: any, buffers?: any) => void} send
 * @property {(event: string, cb: (...args: any[]) => void) => void} on
 * @property {(event: string, cb?: (...args: any[]) => void) => void} off
 */

/**
 * A reply of the Python side to a call.
 * @typedef {object} CjmReply
 * @property {boolean} ok
 * @property {string | null} error
 * @property {any} result
 */

/**
 * Attributes for {@link el}: `class`, `text` (set as textContent), `dataset` (object),
 * `style` (object of CSS properties), anything else via setAttribute (false/null/undefined
 * skip it, true sets an empty attribute).
 * @typedef {Record<string, any>} CjmAttrs
 */

/**
 * Make an element. Children that are strings become text nodes (never HTML).
 * @param {string} tag
 * @param {CjmAttrs} [attrs]
 * @param {Array<Node | string | null | undefined | false>} [children]
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "class") node.className = String(value);
    else if (key === "text") node.textContent = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "style") {
      for (const [prop, v] of Object.entries(value)) node.style.setProperty(prop, String(v));
    } else if (key === "value" && "value" in node) {
      /** @type {HTMLInputElement} */ (node).value = String(value);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * A small inline SVG icon from path data (24×24 view box, stroked with currentColor).
 * @param {string[]} paths "d" attributes
 * @param {string} [cls]
 * @returns {SVGSVGElement}
 */
export function icon(paths, cls = "cjm-icon") {
  const svg = /** @type {SVGSVGElement} */ (document.createElementNS(SVG_NS, "svg"));
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", cls);
  for (const d of paths) {
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

/** A short id unique to this page, to tell the replies of one view from another's. */
let viewCounter = 0;

/**
 * Calls to Python handlers: `call` resolves with the reply; `dispose` answers pending calls.
 * @typedef {{ call: (method: string, args?: Record<string, any>) => Promise<CjmReply>,
 *             dispose: () => void }} Rpc
 */

/**
 * Request/response calls to the widget's Python handlers (see _base.py).
 * @param {CjmModel} model
 * @returns {Rpc}
 */
export function rpc(model) {
  viewCounter += 1;
  const prefix = `v${viewCounter}-${Math.random().toString(36).slice(2, 8)}-`;
  let next = 0;
  /** @type {Map<string, (reply: CjmReply) => void>} */
  const pending = new Map();
  /** @param {any} msg */
  const onMessage = (msg) => {
    if (!msg || msg.type !== "reply" || typeof msg.id !== "string") return;
    const resolve = pending.get(msg.id);
    if (!resolve) return; // another view's call
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
    },
  };
}

/**
 * @typedef {{ node: HTMLElement, hide: (message: string | null) => void,
 *             update: () => void, dispose: () => void }} Banner
 */

/**
 * The dismissible error banner bound to the model's `error` trait.
 * `hide(message)` keeps a message out of the banner while the view shows it inline.
 * @param {CjmModel} model
 * @returns {Banner}
 */
export function errorBanner(model) {
  const text = el("span", { class: "cjm-error-text" });
  const dismiss = el("button", {
    type: "button",
    class: "cjm-error-dismiss",
    "aria-label": "Dismiss error",
    title: "Dismiss",
  }, ["×"]);
  const node = el("div", { class: "cjm-error", role: "alert", hidden: true }, [
    el("span", { class: "cjm-error-mark", "aria-hidden": "true" }, ["!"]),
    text,
    dismiss,
  ]);
  /** @type {string | null} */
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
    },
  };
}

/**
 * True when the key event is the platform's "undo" (Ctrl+Z, or Cmd+Z on a Mac).
 * @param {KeyboardEvent} event
 */
export function isUndoKey(event) {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey
    && event.key.toLowerCase() === "z";
}

/**
 * True for redo: Ctrl+Shift+Z, Cmd+Shift+Z or Ctrl+Y.
 * @param {KeyboardEvent} event
 */
export function isRedoKey(event) {
  const key = event.key.toLowerCase();
  return ((event.ctrlKey || event.metaKey) && !event.altKey && event.shiftKey && key === "z")
    || (event.ctrlKey && !event.metaKey && !event.altKey && !event.shiftKey && key === "y");
}

/**
 * True when the event target is a text field (its own keys, e.g. Ctrl+Z, belong to it).
 * @param {EventTarget | null} target
 */
export function isTextField(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["button", "checkbox", "radio", "submit", "reset", "range", "color"].includes(
      target.type,
    );
  }
  return false;
}

/**
 * Plural helper: `plural(3, "row")` → "3 rows".
 * @param {number} n
 * @param {string} one
 * @param {string} [many]
 */
export function plural(n, one, many) {
  return `${n.toLocaleString("en")} ${n === 1 ? one : (many ?? `${one}s`)}`;
}

/** ipywidgets puts this class on a view whose model has no live connection to Python. */
const DISCONNECTED = "jupyter-widgets-disconnected";

/**
 * Show, above `root`, that the view is drawn from saved widget state with no Python behind it
 * (a reopened notebook, a static export), and make `root` read-only while that lasts.
 *
 * ipywidgets marks such a view's element (`host`) with `jupyter-widgets-disconnected`; the
 * class follows the model's connection (a kernel that dies later adds it), so it is watched.
 * Returns the dispose function.
 * @param {HTMLElement} host the view's element (anywidget's `el`)
 * @param {HTMLElement} root the widget's own root inside it
 * @returns {() => void}
 */
export function kernelNote(host, root) {
  const note = el("div", { class: "cjm-root cjm-offline-note", role: "status", hidden: "" }, [
    "No kernel: a snapshot of the last saved state (read-only). Run the cell to edit.",
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
