// @ts-check
/*
 * Names that wrap on words: a line may break at spaces and after a slash
 * ("Decision/" + "Purchase", "Departure/" + "Arrival"), never inside a word (the CSS keeps
 * overflow-wrap normal for stage and card names; see journey_editor.css "layout that fits").
 */
import { el } from "../_common.js";

/**
 * `text` cut after each slash that sits between two letters or digits.
 * @param {string} text
 * @returns {string[]}
 */
export function slashPieces(text) {
  return text.split(/(?<=[\p{L}\p{N}]\/)(?=[\p{L}\p{N}])/u);
}

/**
 * Children for an element showing `text`: its pieces as text nodes with <wbr> between them.
 * @param {string} text
 * @returns {Array<Node | string>}
 */
export function breakable(text) {
  /** @type {Array<Node | string>} */
  const out = [];
  slashPieces(text).forEach((piece, i) => {
    if (i) out.push(el("wbr"));
    out.push(piece);
  });
  return out;
}
