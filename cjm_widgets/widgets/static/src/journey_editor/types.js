// @ts-check
/*
 * The journey editor's types: the state Python sends in the `_journey` trait, this view's own
 * UI state, and the `Editor` every module of the board receives (one per rendered view).
 */

/**
 * @typedef {{ id: string, name: string, channel: string, phase: string | null,
 *             owner: string, description: string }} Touchpoint
 * @typedef {{ id: string, name: string, description: string, key: string | null,
 *             touchpoints: Touchpoint[], lanes: Record<string, string[]> }} Stage
 * @typedef {{ id: string, name: string, kind: string }} Lane
 * @typedef {{ id: string, name: string, description: string, goals: string[],
 *             needs: string[] }} Persona
 * @typedef {{ title: string, scope: string, state: string, language: string,
 *             template: string | null, personas: Persona[], lanes: Lane[],
 *             stages: Stage[] }} JourneyData
 * @typedef {{ value: string, label: string }} Choice
 * @typedef {{ journey: JourneyData, can_undo: boolean, can_redo: boolean,
 *             channels: Choice[], phases: Choice[], state_label: string,
 *             template_label: string, words: Record<string, string>,
 *             generated?: Record<string, Record<string, Record<string, Generated>>>,
 *             can_fill?: boolean }} EditorState
 * A lane item written by cjm.fill_lanes and not edited since: how many evidence rows, how.
 * @typedef {{ n: number, how: string }} Generated
 *
 * An open inline text editor.
 * @typedef {{ key: string, method: string, args: Record<string, any>, field: string,
 *             value: string, original: string, label: string, multiline: boolean,
 *             error: string | null, busy: boolean, after: string | null,
 *             keepOpen: boolean }} TextEdit
 * What opens a TextEdit (the rest starts empty).
 * @typedef {Omit<TextEdit, "value" | "error" | "busy" | "keepOpen"> & { keepOpen?: boolean }}
 *   EditSpec
 * The open touchpoint form.
 * @typedef {{ tp: string, name: string, channel: string, phase: string, owner: string,
 *             error: string | null, busy: boolean }} TpForm
 * An open delete confirmation.
 * @typedef {{ kind: "stage" | "touchpoint", id: string, name: string, rows: number,
 *             touchpoints: number, busy: boolean }} Confirm
 * A drop-position hint class.
 * @typedef {"cjm-drop-before" | "cjm-drop-after" | "cjm-drop-inside"} DropClass
 */

/**
 * UI state of one view (never synced).
 * @typedef {object} UiState
 * @property {TextEdit | null} edit
 * @property {TpForm | null} form
 * @property {Confirm | null} confirm
 * @property {{ fk: string, message: string } | null} notice an error shown inline next to an
 *   element (moves, adds)
 * @property {{ kind: "stage" | "touchpoint", id: string } | null} drag
 * @property {HTMLElement | null} hint
 * @property {boolean} rendering
 * @property {boolean} disposed
 * @property {boolean} keyboard the last input was the keyboard (a pointer resets it): focus
 *   rings stay visible
 */

/**
 * One rendered view of the board: what its modules share.
 * @typedef {object} Editor
 * @property {import("../_common.js").CjmModel} model
 * @property {HTMLElement} root
 * @property {import("../_common.js").Rpc} api
 * @property {import("../_common.js").Banner} banner
 * @property {UiState} ui
 * @property {HTMLElement | null} scroller the board's horizontal scroller (rebuilt each render)
 * @property {number} scrollLeft
 */

export {};
