// @ts-check
/* The evidence tagger's shared view state (one per rendered view). */

/**
 * @typedef {object} TaggerUi
 * @property {string | null} sort the sorted column
 * @property {boolean} desc
 * @property {Set<number>} expanded rows whose long text is open
 * @property {boolean} busy
 * @property {Record<string, any>} hits search hits of the visible rows, by row (see hits.js)
 * @property {Record<string, string>} colours label name → colour
 *
 * What the tagger's modules share.
 * @typedef {object} Tagger
 * @property {any} model
 * @property {HTMLElement} root
 * @property {(method: string, args?: Record<string, any>) =>
 *   Promise<import("../_common.js").CjmReply>} call
 * @property {TaggerUi} ui
 */

export {};
