// @ts-check
/*
 * The evidence tagger's pure logic (no DOM; unit-tested in tests/js): the emotion faces and
 * their labels, the filter a bar's values ask for, the selection mode of a click, the number
 * keys that tag a face, and the pager's buttons.
 */

export const FACES = [
  { value: -2, face: "😠", label: "Very negative" },
  { value: -1, face: "😟", label: "Negative" },
  { value: 0, face: "😐", label: "Neutral" },
  { value: 1, face: "😊", label: "Positive" },
  { value: 2, face: "😄", label: "Very positive" },
];

/**
 * The face of an emotion value (rounded, kept on the −2…+2 scale); "" for none.
 * @param {number | null} value
 */
export function faceOf(value) {
  if (value === null || value === undefined) return "";
  const i = Math.max(0, Math.min(4, Math.round(value) + 2));
  return FACES[i].face;
}

/**
 * A scale value with its sign: "+2", "0", "-1".
 * @param {number} value
 */
export const signed = (value) => (value > 0 ? `+${value}` : String(value));

/**
 * The filter call's arguments from the bar's values (empty values are no filter).
 * @param {{ untagged: boolean, search: string, place: string, label: string,
 *           segments: Iterable<[string, string]>, words?: boolean, suggested?: string }} bar
 * @returns {Record<string, any>}
 */
export function filterArgs(bar) {
  /** @type {Record<string, any>} */
  const args = {};
  if (bar.untagged) args.untagged = true;
  if (bar.search.trim()) args.search = bar.search.trim();
  if (bar.words && args.search) args.match = "words";
  if (bar.suggested) args.suggested = Number(bar.suggested);
  if (bar.place.startsWith("s:")) args.stage = bar.place.slice(2);
  if (bar.place.startsWith("t:")) args.touchpoint = bar.place.slice(2);
  if (bar.label) args.label = bar.label;
  for (const [col, value] of bar.segments) if (value) args[col] = value;
  return args;
}

/**
 * How a click on a row selects: Shift extends a range, Ctrl/Cmd toggles, else only this row.
 * @param {{ shiftKey: boolean, ctrlKey: boolean, metaKey: boolean }} click
 */
export function selectMode(click) {
  return click.shiftKey ? "range" : (click.ctrlKey || click.metaKey) ? "toggle" : "one";
}

/**
 * The emotion a plain number key 1–5 tags (1 = −2 … 5 = +2), or null.
 * @param {string} key
 */
export function faceForKey(key) {
  const n = Number(key);
  return Number.isInteger(n) && n >= 1 && n <= 5 ? FACES[n - 1].value : null;
}

/**
 * The pager's buttons and its "Page x of y" for a window of rows.
 * @param {{ start?: number, page_size?: number, matching?: number }} win
 * @returns {{ buttons: Array<{ text: string, start: number, off: boolean, label: string }>,
 *             page: number, pages: number }}
 */
export function pagerButtons(win) {
  const start = /** @type {number} */ (win.start);
  const size = win.page_size || 50;
  const last = Math.max(0, Math.floor(((win.matching || 1) - 1) / size) * size);
  return {
    buttons: [
      { text: "«", start: 0, off: start === 0, label: "First page" },
      { text: "‹", start: Math.max(0, start - size), off: start === 0, label: "Previous page" },
      { text: "›", start: start + size, off: start + size >= (win.matching || 0),
        label: "Next page" },
      { text: "»", start: last, off: start >= last, label: "Last page" },
    ],
    page: Math.floor((start || 0) / size) + 1,
    pages: Math.floor(last / size) + 1,
  };
}
