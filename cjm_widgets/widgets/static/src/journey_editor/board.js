// @ts-check
/* The board's grid: the stage columns (head row) and one row per lane. */
import { el, icon, plural } from "../_common.js";
import { buildTouchpointCell } from "./cards.js";
import { buildConfirm, textEditor } from "./fields.js";
import { buildEmotionLane } from "./lane.js";
import { breakable } from "./words.js";
import { ICONS } from "./icons.js";
import { boardLanes, laneTone, quoted } from "./logic.js";
import { state } from "./state.js";
import { noticeFor } from "./view.js";

/**
 * @typedef {import("./types.js").Editor} Editor
 * @typedef {import("./types.js").Stage} Stage
 * @typedef {import("./types.js").Lane} Lane
 */

/**
 * The board in its horizontal scroller (returned; rerender keeps it as `ed.scroller`).
 * @param {Editor} ed
 * @returns {HTMLElement}
 */
export function buildBoard(ed) {
  const j = state(ed).journey;
  const stages = j.stages;
  const lanes = boardLanes(j.lanes);
  const board = el("div", {
    class: "cjm-board",
    role: "grid",
    "aria-label": `Journey map: ${plural(stages.length, "stage")}, ${plural(lanes.length, "lane")}`,
    style: { "--cjm-stage-count": String(stages.length) },
  });
  if (!stages.length) {
    board.classList.add("cjm-board-empty");
    board.append(el("div", { class: "cjm-empty" }, [
      el("p", {}, ["This journey has no stages yet."]),
      el("button", {
        type: "button",
        class: "cjm-btn cjm-btn-primary",
        "data-action": "add-stage",
        "data-fk": "add-stage-empty",
        "aria-label": "Add the first stage",
      }, [icon(ICONS.plus), "Add the first stage"]),
    ]));
    return el("div", { class: "cjm-board-scroll" }, [board]);
  }

  // Header row.
  const headRow = el("div", { class: "cjm-row cjm-row-head", role: "row" }, [
    el("div", { class: "cjm-corner cjm-lane-label", role: "columnheader" }, [
      el("span", { class: "cjm-corner-text" }, ["Stages"]),
    ]),
  ]);
  stages.forEach((stage, i) => headRow.append(buildStageHead(ed, stage, i, stages.length)));
  headRow.append(el("div", { class: "cjm-add-col", role: "columnheader" }, [
    el("button", {
      type: "button",
      class: "cjm-btn cjm-add-stage-col",
      "data-action": "add-stage",
      "data-fk": "add-stage-col",
      "aria-label": "Add a stage at the end",
      title: "Add a stage at the end",
    }, [icon(ICONS.plus), el("span", {}, ["Add stage"])]),
  ]));
  board.append(headRow);

  for (const lane of lanes) {
    const tone = laneTone(lane);
    const row = el("div", { class: `cjm-row cjm-lane cjm-tone-${tone}`, role: "row",
      "data-lane": lane.id }, [
      el("div", { class: "cjm-lane-label", role: "rowheader" }, [
        el("span", { class: "cjm-lane-dot", "aria-hidden": "true" }),
        el("span", { class: "cjm-lane-name" }, [lane.name]),
      ]),
    ]);
    for (const stage of stages) {
      row.append(lane.kind === "touchpoints"
        ? buildTouchpointCell(ed, stage)
        : buildLaneCell(ed, stage, lane));
    }
    row.append(el("div", { class: "cjm-add-col", "aria-hidden": "true" }));
    board.append(row);
    const emotion = lane.kind === "touchpoints" ? buildEmotionLane(ed) : null;
    if (emotion) board.append(emotion);
  }
  return el("div", { class: "cjm-board-scroll" }, [board]);
}

/**
 * A stage's column head: number, name, description, delete and insert buttons.
 * @param {Editor} ed
 * @param {Stage} stage
 * @param {number} index
 * @param {number} count
 */
function buildStageHead(ed, stage, index, count) {
  const { ui } = ed;
  const fk = `stage:${stage.id}`;
  const selected = ed.model.get("selected") === stage.id;
  const editingName = ui.edit && ui.edit.key === `stage-name:${stage.id}`;
  const editingDesc = ui.edit && ui.edit.key === `stage-desc:${stage.id}`;
  const name = editingName && ui.edit
    ? textEditor(ui.edit, "cjm-stage-name-input")
    : el("div", {
      class: "cjm-stage-name cjm-editable",
      tabindex: "0",
      role: "button",
      "data-fk": fk,
      "data-action": "rename-stage",
      "data-stage": stage.id,
      "aria-label": `Stage ${index + 1} of ${count}: ${stage.name}. Enter or double-click `
        + "to rename, Alt+Left or Alt+Right to move, Delete to delete.",
      title: "Double-click or press Enter to rename; drag or Alt+←/→ to move",
    }, breakable(stage.name));
  const desc = editingDesc && ui.edit
    ? textEditor(ui.edit, "cjm-stage-desc-input")
    : el("div", {
      class: `cjm-stage-desc cjm-editable${stage.description ? "" : " cjm-placeholder"}`,
      tabindex: "0",
      "data-fk": `stage-desc:${stage.id}`,
      "data-action": "edit-stage-desc",
      "data-stage": stage.id,
      "aria-label": stage.description
        ? `Description of ${stage.name}: ${stage.description}. Enter to edit.`
        : `Add a description to ${stage.name}`,
    }, [stage.description || "Add a description"]);

  return el("div", {
    class: `cjm-stage-head cjm-stage-hue-${index % 8}${selected ? " cjm-is-selected" : ""}`,
    role: "columnheader",
    draggable: editingName || editingDesc ? false : "true",
    "data-drag-kind": "stage",
    "data-drag-id": stage.id,
    "data-stage": stage.id,
    "data-stage-head": stage.id,
    "data-select": stage.id,
  }, [
    el("div", { class: "cjm-stage-top" }, [
      el("span", { class: "cjm-stage-num", "aria-hidden": "true" }, [String(index + 1)]),
      name,
      el("button", {
        type: "button",
        class: "cjm-icon-btn cjm-danger",
        "data-action": "delete-stage",
        "data-stage": stage.id,
        "data-fk": `stage-del:${stage.id}`,
        "aria-label": `Delete stage ${quoted(stage.name)}`,
        title: "Delete stage",
      }, [icon(ICONS.trash)]),
    ]),
    desc,
    noticeFor(ed, fk),
    ui.confirm && ui.confirm.kind === "stage" && ui.confirm.id === stage.id
      ? buildConfirm(ui.confirm) : null,
    el("button", {
      type: "button",
      class: "cjm-insert-stage",
      "data-action": "insert-stage",
      "data-stage": stage.id,
      "data-fk": `stage-ins:${stage.id}`,
      "aria-label": `Insert a stage after ${quoted(stage.name)}`,
      title: "Insert a stage here",
    }, [icon(ICONS.plus)]),
  ]);
}

/**
 * The "generated" mark of an item cjm.fill_lanes wrote, with its link to the evidence.
 * @param {Stage} stage
 * @param {Lane} lane
 * @param {number} index
 * @param {import("./types.js").Generated} gen
 */
function generatedMark(stage, lane, index, gen) {
  return el("span", { class: "cjm-gen-mark" }, [
    el("span", { class: "cjm-gen-badge", title: `Generated from the evidence (${gen.how}); `
      + "it stays marked until you edit it" }, ["generated"]),
    el("button", {
      type: "button",
      class: "cjm-gen-link",
      "data-action": "show-evidence",
      "data-stage": stage.id,
      "data-lane": lane.id,
      "data-index": String(index),
      "data-fk": `item-ev:${stage.id}:${lane.id}:${index}`,
      title: "Show the evidence behind this item",
    }, [gen.n ? `evidence (${gen.n})` : "evidence"]),
  ]);
}

/**
 * The items of one lane in one stage, each editable, and an "Add" button.
 * @param {Editor} ed
 * @param {Stage} stage
 * @param {Lane} lane
 */
function buildLaneCell(ed, stage, lane) {
  const { ui } = ed;
  const items = (stage.lanes && stage.lanes[lane.id]) || [];
  const base = `${stage.id}:${lane.id}`;
  const made = ((state(ed).generated || {})[stage.id] || {})[lane.id] || {};
  const list = el("ul", { class: "cjm-items", "aria-label": `${lane.name} in ${stage.name}` });
  items.forEach((text, i) => {
    const key = `item:${base}:${i}`;
    if (ui.edit && ui.edit.key === key) {
      list.append(el("li", { class: "cjm-item cjm-item-editing" }, [textEditor(ui.edit,
        "cjm-item-input")]));
      return;
    }
    const gen = Object.prototype.hasOwnProperty.call(made, text) ? made[text] : null;
    list.append(el("li", {
      class: gen ? "cjm-item cjm-generated" : "cjm-item",
      tabindex: "0",
      "data-fk": key,
      "data-action": "edit-item",
      "data-stage": stage.id,
      "data-lane": lane.id,
      "data-index": String(i),
      "aria-label": `${lane.name}: ${text}. Enter to edit, Delete to remove.`,
    }, [
      el("span", { class: "cjm-item-text" }, [text,
        gen ? generatedMark(stage, lane, i, gen) : null]),
      el("button", {
        type: "button",
        class: "cjm-icon-btn cjm-item-del",
        "data-action": "delete-item",
        "data-stage": stage.id,
        "data-lane": lane.id,
        "data-index": String(i),
        "data-fk": `item-del:${base}:${i}`,
        "aria-label": `Remove ${quoted(text)} from ${lane.name}`,
        title: "Remove",
      }, [icon(ICONS.close)]),
    ]));
  });
  const addKey = `item-new:${base}`;
  const cell = el("div", {
    class: "cjm-cell cjm-lane-cell",
    role: "gridcell",
    "data-stage": stage.id,
  }, [list]);
  if (ui.edit && ui.edit.key === addKey) {
    cell.append(el("div", { class: "cjm-item cjm-item-editing" }, [textEditor(ui.edit,
      "cjm-item-input")]));
  } else {
    cell.append(el("button", {
      type: "button",
      class: "cjm-btn cjm-ghost cjm-add-item",
      "data-action": "add-item",
      "data-stage": stage.id,
      "data-lane": lane.id,
      "data-fk": `item-add:${base}`,
      "aria-label": `Add an item to ${lane.name} in ${quoted(stage.name)}`,
    }, [icon(ICONS.plus), "Add"]));
  }
  return cell;
}
