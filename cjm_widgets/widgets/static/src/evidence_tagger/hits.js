// @ts-check
/*
 * What the search found, drawn: hits in a row's text as <mark class="cjm-hit"> (text nodes
 * only, never HTML), a snippet around the first hit in a collapsed row whose hit lies past
 * what the row shows, and the number of matching rows after each filter option. The spans,
 * snippets and counts come from Python (evidence/search.py's match_spans, the filter's own
 * code), for the visible page only; offsets are JavaScript string indices.
 */
import { el } from "../_common.js";

/**
 * Cut `text` into plain and hit pieces at `spans` ([start, end) pairs, sorted, apart).
 * @param {string} text
 * @param {Array<[number, number]> | undefined} spans
 * @returns {Array<{ text: string, hit: boolean }>}
 */
export function pieces(text, spans) {
  /** @type {Array<{ text: string, hit: boolean }>} */
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

/**
 * A number after an option's name: "Check-in desk (12)".
 * @param {string} name
 * @param {number | undefined} n
 */
export const withCount = (name, n) => (n === undefined ? name : `${name} (${n.toLocaleString("en")})`);

/**
 * Nodes of `text` with its hits marked.
 * @param {string} text
 * @param {Array<[number, number]> | undefined} spans
 * @returns {Array<Node | string>}
 */
export const marked = (text, spans) =>
  pieces(text, spans).map((p) => (p.hit ? el("mark", { class: "cjm-hit" }, [p.text]) : p.text));

/**
 * The body of a text cell: the whole text with its hits when open or when the first hit is
 * near the start; else "… snippet …" around the first hit.
 * @param {string} text
 * @param {any} hit `{ spans, snippet? }` for this row, or undefined
 * @param {boolean} open
 */
export function textBody(text, hit, open) {
  const snip = hit && hit.snippet;
  if (!open && snip) {
    return el("span", { class: "cjm-tagger-text-body cjm-tagger-snippet", title: "Around the first match" }, [
      snip.before ? "… " : "",
      ...marked(String(snip.text), snip.spans),
      snip.after ? " …" : "",
    ]);
  }
  return el("span", { class: "cjm-tagger-text-body" }, marked(text, hit ? hit.spans : undefined));
}

/**
 * After each option of the filter bar, how many rows the search finds there (or nothing
 * when no search is in force). Names are kept in `data-name`.
 * @param {import("./filters.js").Filters} f
 * @param {Record<string, Record<string, number>> | null | undefined} facets
 */
export function paintFacets(f, facets) {
  const n = facets && facets.untagged ? facets.untagged[""] : undefined;
  const untaggedText = withCount("Untagged only", n);
  if (f.untaggedText.textContent !== untaggedText) f.untaggedText.textContent = untaggedText;
  /** @type {Array<[HTMLSelectElement, string]>} */
  const sels = [[f.stageSel, "place"], [f.labelSel, "label"], ...[...f.segSels].map(([col, sel]) => /** @type {[HTMLSelectElement, string]} */ ([sel, col]))];
  for (const [sel, key] of sels) {
    const counts = facets ? facets[key] || {} : null;
    for (const o of sel.options) {
      if (!o.value) continue;
      if (o.dataset.name === undefined) o.dataset.name = o.textContent || "";
      const text = withCount(o.dataset.name, counts ? counts[o.value] ?? 0 : undefined);
      if (o.textContent !== text) o.textContent = text;
    }
  }
}
