// @ts-check
/*
 * The affinity board's pure logic (no DOM): which cards of a column are in view, where a
 * dropped card lands, and how a card's emotion reads. Tested in tests/js.
 */

/** Height of one card slot in pixels (the CSS gives each card this height). */
export const CARD_H = 92;
/** Cards drawn above and below the visible ones, so a fast scroll shows no gap. */
export const OVERSCAN = 4;

/**
 * The range [start, end) of card indices to put in the page for a scrolled column.
 * @param {number} scrollTop
 * @param {number} viewHeight
 * @param {number} count
 * @param {number} [cardH]
 * @param {number} [overscan]
 * @returns {{ start: number, end: number }}
 */
export function visibleRange(scrollTop, viewHeight, count, cardH = CARD_H, overscan = OVERSCAN) {
  if (count <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / cardH);
  const shown = Math.ceil(Math.max(viewHeight, cardH) / cardH) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + shown + overscan);
  return { start: Math.min(start, end), end };
}

/**
 * Where a card dropped at `offsetY` (pixels from the top of the column's list, scroll
 * included) lands among the column's unpinned cards.
 * @param {number} offsetY
 * @param {number} pinnedCount
 * @param {number} count all cards in the column
 * @param {number} [cardH]
 * @returns {number} index among the unpinned cards
 */
export function dropIndex(offsetY, pinnedCount, count, cardH = CARD_H) {
  const slot = Math.round(Math.max(0, offsetY) / cardH);
  return Math.max(0, Math.min(slot, count) - pinnedCount);
}

/**
 * A card's emotion as a short label: "−1.5", "+2", or "" when not tagged.
 * @param {number | null | undefined} value
 */
export function emotionText(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "";
  const rounded = Math.round(value * 10) / 10;
  if (rounded === 0) return "0";
  return `${rounded > 0 ? "+" : "−"}${Math.abs(rounded)}`;
}

/**
 * The class of an emotion value: "neg", "pos", "neutral" or "none".
 * @param {number | null | undefined} value
 */
export function emotionClass(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "none";
  if (value <= -0.5) return "neg";
  if (value >= 0.5) return "pos";
  return "neutral";
}
