// @ts-check
/*
 * Quote offsets (pure; unit-tested in tests/js). Python counts a text in code points (one per
 * Unicode scalar: an emoji is one, "e" + a combining accent is two, "\r\n" is two); the
 * browser's strings and selections count UTF-16 units (an emoji outside the BMP is two).
 * These helpers convert between the two and cut a text into plain and marked pieces.
 */

/**
 * The UTF-16 index of code point `cp` of `text` (clamped to the text).
 * @param {string} text
 * @param {number} cp
 */
export function cpToU16(text, cp) {
  let u = 0;
  for (let i = 0; i < cp && u < text.length; i++) {
    const c = text.charCodeAt(u);
    u += c >= 0xd800 && c <= 0xdbff && u + 1 < text.length ? 2 : 1;
  }
  return u;
}

/**
 * The code-point offset of UTF-16 index `u` of `text`. An index inside a surrogate pair moves
 * to the pair's start (`side` "start") or end (`side` "end"), so no character is cut.
 * @param {string} text
 * @param {number} u
 * @param {"start" | "end"} [side]
 */
export function u16ToCp(text, u, side = "start") {
  let cp = 0;
  let i = 0;
  const stop = Math.max(0, Math.min(u, text.length));
  while (i < stop) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length;
    if (pair && i + 1 === stop) return side === "end" ? cp + 1 : cp; // inside the pair
    i += pair ? 2 : 1;
    cp += 1;
  }
  return cp;
}

/**
 * The quote a selection of `text[a:b]` (UTF-16 indices) asks for: code-point offsets with the
 * white space at both ends left out, and the quoted text; null when nothing but white space.
 * @param {string} text
 * @param {number} a
 * @param {number} b
 * @returns {{ start: number, end: number, text: string } | null}
 */
export function selectionQuote(text, a, b) {
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

/**
 * `text` cut into pieces at the quote spans (code points, end exclusive): each piece has its
 * text and the ids of the quotes covering it (empty: not quoted). Overlapping spans are fine.
 * @param {string} text
 * @param {Array<[number, number, string]>} spans
 * @returns {Array<{ text: string, ids: string[] }>}
 */
export function spanPieces(text, spans) {
  const cuts = new Set([0, text.length]);
  const inU16 = spans.map(([s, e, id]) => ({ s: cpToU16(text, s), e: cpToU16(text, e), id }));
  for (const { s, e } of inU16) { cuts.add(s); cuts.add(e); }
  const at = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((x, y) => x - y);
  /** @type {Array<{ text: string, ids: string[] }>} */
  const pieces = [];
  for (let i = 0; i + 1 < at.length; i++) {
    const [a, b] = [at[i], at[i + 1]];
    if (a === b) continue;
    const ids = inU16.filter((q) => q.s <= a && q.e >= b).map((q) => q.id);
    const last = pieces[pieces.length - 1];
    if (last && last.ids.join("\n") === ids.join("\n")) last.text += text.slice(a, b);
    else pieces.push({ text: text.slice(a, b), ids });
  }
  return pieces;
}
