// @ts-check
/*
 * Quotes in the tagger: a row's text with its quote spans marked, a quote's parent context,
 * a rating row's text and its review one click away, and making a quote from a selection.
 *
 * Select words in a row's text with the mouse, then press Q (or the "Quote" button that shows
 * while a selection exists): Python's `quote` handler adds the quote with the selection's
 * offsets (converted to code points of the raw text, quote_logic.js), selects it and shows it
 * under its parent, ready for a face key. Text goes in only as text nodes.
 */
import { el, isTextField } from "../_common.js";
import { marked, textBody as hitBody } from "./hits.js";
import { selectionQuote, spanPieces } from "./quote_logic.js";

/**
 * @typedef {object} QuoteInfo what `_window.quotes[row]` says of a row (see _tagger_quotes.py)
 * @property {Array<[number, number, string]>} [spans] quotes cut from this row's text
 * @property {string | null} [parent] the row this one was cut from (or rates)
 * @property {number | null} [parent_row]
 * @property {number} [start]
 * @property {number} [end]
 * @property {string} [before] the parent's text before the quote
 * @property {string} [after] and after it
 * @property {string} [rating] a rating row's text, "Ground Service ★1/5"
 * @property {string} [parent_text] the review a rating row came with
 */

/**
 * A row's text, with the quotes cut from it marked (<mark class="cjm-quote-span">) and the
 * search's hits inside it (<mark class="cjm-hit">, hits.js); a collapsed row whose first hit
 * lies past what it shows gets the hit's snippet instead.
 * @param {string} text
 * @param {QuoteInfo | undefined} info
 * @param {any} [hit] `{ spans, snippet? }` for this row (hits.js), or undefined
 * @param {boolean} [open] the row is expanded
 */
export function textBody(text, info, hit, open = false) {
  const spans = info && info.spans ? info.spans : [];
  if ((!open && hit && hit.snippet) || !spans.length) return hitBody(text, hit, open);
  /** @type {Array<[number, number]>} */
  const hits = hit && hit.spans ? hit.spans : [];
  const body = el("span", { class: "cjm-tagger-text-body" });
  let at = 0;
  for (const piece of spanPieces(text, spans)) {
    const a = at;
    const b = at + piece.text.length;
    at = b;
    /** @type {Array<[number, number]>} */
    const inside = hits.filter(([s, e]) => e > a && s < b).map(([s, e]) => [Math.max(s, a) - a, Math.min(e, b) - a]);
    const nodes = marked(piece.text, inside);
    if (piece.ids.length) body.append(el("mark", { class: "cjm-quote-span", title: `Quote ${piece.ids.join(", ")}` }, nodes));
    else body.append(...nodes);
  }
  return body;
}

/**
 * Under a quote: the parent's line around it, dimmed, the quote marked; under a rating row:
 * its review behind one click (a <details>). Null for other rows.
 * @param {QuoteInfo | undefined} info
 * @param {string} text the row's own text
 */
export function quoteExtras(info, text) {
  if (!info) return null;
  if (info.rating !== undefined) {
    return el("span", { class: "cjm-tagger-rating" }, [
      el("span", { class: "cjm-tagger-rating-text" }, [info.rating]),
      info.parent_text
        ? el("details", { class: "cjm-tagger-rating-review" }, [
          el("summary", {}, [`review ${info.parent || ""}`]),
          el("span", { class: "cjm-quote-dim" }, [info.parent_text]),
        ])
        : null,
    ]);
  }
  if (info.start === undefined || !info.parent) return null;
  return el("span", { class: "cjm-quote-ctx", title: `From ${info.parent}, characters ${info.start}–${info.end}` }, [
    el("span", { class: "cjm-quote-from" }, [`from ${info.parent}: `]),
    el("span", { class: "cjm-quote-dim" }, [info.before || ""]),
    el("mark", { class: "cjm-quote-span" }, [text]),
    el("span", { class: "cjm-quote-dim" }, [info.after || ""]),
  ]);
}

/**
 * The UTF-16 offset in `body`'s text where `node` starts (its first text node).
 * @param {HTMLElement} body
 * @param {Node} node
 */
function startOf(body, node) {
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let n = 0;
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (t === node || node.contains(t)) return n;
    n += (t.textContent || "").length;
  }
  return n;
}

/**
 * The UTF-16 offset of a selection boundary (node, offset) from the start of `body`.
 * @param {HTMLElement} body
 * @param {Node} node
 * @param {number} offset
 */
function offsetIn(body, node, offset) {
  if (node.nodeType === Node.TEXT_NODE) return startOf(body, node) + offset;
  const child = node.childNodes[offset];
  if (child) return startOf(body, child);
  return startOf(body, node) + (node.textContent || "").length; // after the last child
}

/**
 * The quote the page's selection asks for: its row and code-point offsets; null when the
 * selection is not inside one row's text.
 * @param {HTMLElement} tableWrap
 */
export function selectedQuote(tableWrap) {
  const sel = document.getSelection();
  if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
  const range = sel.getRangeAt(0);
  const start = range.startContainer;
  const bodyOf = (/** @type {Node} */ n) => (n instanceof Element ? n : n.parentElement)?.closest(".cjm-tagger-text-body");
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

/**
 * The Quote button (in `toolsNode`, shown while a selection exists) and the Q key.
 * @param {import("./types.js").Tagger} t
 * @param {HTMLElement} tableWrap
 * @param {HTMLElement} toolsNode
 */
export function createQuoting(t, tableWrap, toolsNode) {
  const { call, root } = t;
  const btn = el("button", {
    type: "button", class: "cjm-btn cjm-tagger-quote", hidden: true,
    title: "Make the selected words a quote of their row (key Q)",
  }, ["Quote (Q)"]);
  toolsNode.append(btn);
  const onSelection = () => { btn.hidden = !selectedQuote(tableWrap); };
  const quote = () => {
    const q = selectedQuote(tableWrap);
    if (!q) return false;
    document.getSelection()?.removeAllRanges();
    btn.hidden = true;
    call("quote", q);
    root.focus({ preventScroll: true });
    return true;
  };
  /** @param {KeyboardEvent} e */
  const onKey = (e) => {
    if (e.key !== "q" && e.key !== "Q") return;
    if (e.ctrlKey || e.metaKey || e.altKey || isTextField(e.target)) return;
    if (quote()) { e.preventDefault(); e.stopPropagation(); }
  };
  /** @param {MouseEvent} e keep the selection: the button must not take it away */
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
    },
  };
}
