// @ts-check
/*
 * Drawing the board: rebuild from (state + this view's UI state) keeping scroll position,
 * focus (by `data-fk` key) and any open input; calls to Python whose errors land inline.
 */
import { el } from "../_common.js";
import { buildBoard } from "./board.js";
import { buildFooter, buildHeader } from "./header.js";
import { applyHighlight } from "./highlight.js";
import { state } from "./state.js";

/** @typedef {import("./types.js").Editor} Editor */

/**
 * Run a Python handler. Errors land inline at `fk` (else in the banner).
 * @param {Editor} ed
 * @param {string} method
 * @param {Record<string, any>} args
 * @param {string | null} [fk] where to show an error inline
 * @returns {Promise<import("../_common.js").CjmReply>}
 */
export async function act(ed, method, args, fk = null) {
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

/**
 * Focus the element with this focus key; the root when it is gone. `reveal` scrolls the
 * board to it (after an action; never on a redraw, so updates do not move the board).
 * @param {Editor} ed
 * @param {string | null} fk
 * @param {[number | null, number | null, string | null] | null} [selection]
 * @param {boolean} [reveal]
 */
export function focusKey(ed, fk, selection = null, reveal = true) {
  const { ui, root } = ed;
  if (ui.disposed) return;
  const target = fk ? root.querySelector(`[data-fk="${CSS.escape(fk)}"]`) : null;
  const node = target instanceof HTMLElement ? target : root;
  // A keyboard user keeps a visible focus ring on the element focus returns to.
  node.focus(/** @type {FocusOptions} */ ({ preventScroll: true, focusVisible: ui.keyboard }));
  if (selection && (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement)) {
    try {
      node.setSelectionRange(selection[0], selection[1],
        /** @type {any} */ (selection[2] || "none"));
    } catch (_) { /* not a text field type */ }
  }
  if (reveal && target instanceof HTMLElement && !isVisibleIn(ed, target)) {
    target.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
}

/**
 * True when `node` is inside the board's visible width (or not on the board).
 * @param {Editor} ed
 * @param {HTMLElement} node
 */
export function isVisibleIn(ed, node) {
  const scroller = ed.scroller;
  if (!scroller || !scroller.contains(node)) return true;
  const a = node.getBoundingClientRect();
  const b = scroller.getBoundingClientRect();
  return a.left >= b.left && a.right <= b.right;
}

/**
 * Rebuild the view from the state, keeping focus, selection in a field and scroll position.
 * @param {Editor} ed
 */
export function rerender(ed) {
  const { ui, root } = ed;
  if (ui.disposed) return;
  const active = document.activeElement;
  const inside = active instanceof HTMLElement && root.contains(active);
  const fk = inside ? active.getAttribute("data-fk") : null;
  /** @type {[number | null, number | null, string | null] | null} */
  let selection = null;
  if (inside && (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement)) {
    try {
      selection = [active.selectionStart, active.selectionEnd, active.selectionDirection];
    } catch (_) { selection = null; }
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

/**
 * The inline error shown under an element (its focus key).
 * @param {Editor} ed
 * @param {string} fk
 */
export function noticeFor(ed, fk) {
  const notice = ed.ui.notice;
  if (!notice || notice.fk !== fk) return null;
  return el("div", { class: "cjm-inline-error", role: "alert" }, [notice.message]);
}
