// @ts-check
/*
 * Drag and drop (HTML5). Drop targets: stage headers/columns for stages; cards (before or
 * after, by the pointer's half) and touchpoint cells (at the end) for touchpoints. The drop
 * positions are computed in logic.js; a drop is one move call to Python.
 */
import { stageDrop, touchpointDrop } from "./logic.js";
import { stageById, state, tpById } from "./state.js";
import { act, focusKey } from "./view.js";

/**
 * @typedef {import("./types.js").Editor} Editor
 * @typedef {import("./types.js").DropClass} DropClass
 * @typedef {{ method: string, args: Record<string, any>, hint: HTMLElement, cls: DropClass,
 *             noop: boolean }} Drop
 */

/** @param {Event} event */
const targetNode = (event) => (event.target instanceof Element ? event.target : null);

/** @param {Editor} ed */
function clearHint(ed) {
  if (ed.ui.hint) {
    ed.ui.hint.classList.remove("cjm-drop-before", "cjm-drop-after", "cjm-drop-inside");
    ed.ui.hint = null;
  }
}

/**
 * @param {Editor} ed
 * @param {HTMLElement} node
 * @param {DropClass} cls
 */
function showHint(ed, node, cls) {
  if (ed.ui.hint === node && node.classList.contains(cls)) return;
  clearHint(ed);
  node.classList.add(cls);
  ed.ui.hint = node;
}

/**
 * Where a drop at this event would go, or null.
 * @param {Editor} ed
 * @param {DragEvent} event
 * @returns {Drop | null}
 */
function dropTarget(ed, event) {
  const drag = ed.ui.drag;
  const target = targetNode(event);
  if (!drag || !target) return null;
  const journey = state(ed).journey;
  if (drag.kind === "stage") {
    const cell = target.closest("[data-stage]");
    if (!(cell instanceof HTMLElement) || !cell.dataset.stage) return null;
    const overId = cell.dataset.stage;
    const head = ed.root.querySelector(`[data-stage-head="${CSS.escape(overId)}"]`);
    if (!(head instanceof HTMLElement)) return null;
    const rect = head.getBoundingClientRect();
    const after = event.clientX > rect.left + rect.width / 2;
    const { position, noop } = stageDrop(journey.stages, drag.id, overId, after);
    return { method: "move_stage", args: { stage: drag.id, position }, hint: head,
      cls: after ? "cjm-drop-after" : "cjm-drop-before", noop };
  }
  if (!tpById(ed, drag.id)) return null;
  const card = target.closest(".cjm-tp[data-tp]");
  const cell = target.closest("[data-tp-cell]");
  /** @type {HTMLElement} */
  let hint;
  /** @type {DropClass} */
  let cls;
  /** @type {ReturnType<typeof touchpointDrop>} */
  let drop;
  if (card instanceof HTMLElement && card.dataset.tp) {
    const rect = card.getBoundingClientRect();
    const after = event.clientY > rect.top + rect.height / 2;
    drop = touchpointDrop(journey, drag.id, { overId: card.dataset.tp, stageId: "", after });
    [hint, cls] = [card, after ? "cjm-drop-after" : "cjm-drop-before"];
  } else if (cell instanceof HTMLElement && cell.dataset.tpCell) {
    drop = touchpointDrop(journey, drag.id,
      { overId: null, stageId: cell.dataset.tpCell, after: true });
    [hint, cls] = [cell, "cjm-drop-inside"];
  } else {
    return null;
  }
  if (!drop) return null;
  return {
    method: "move_touchpoint",
    args: { touchpoint: drag.id, stage: drop.stage, position: drop.position },
    hint,
    cls,
    noop: drop.noop,
  };
}

/**
 * End a drag: forget it and clear every drag mark.
 * @param {Editor} ed
 */
export function endDrag(ed) {
  ed.ui.drag = null;
  clearHint(ed);
  ed.root.classList.remove("cjm-dragging-stage", "cjm-dragging-touchpoint");
  for (const node of ed.root.querySelectorAll(".cjm-dragging")) {
    node.classList.remove("cjm-dragging");
  }
}

/**
 * The drag listeners of the board (dragstart, dragover, dragleave, drop, dragend).
 * @param {Editor} ed
 * @returns {Array<[string, (event: DragEvent) => void]>}
 */
export function dragListeners(ed) {
  const { ui, root } = ed;
  /** @param {DragEvent} event */
  const onDragStart = (event) => {
    const target = targetNode(event);
    const node = target && target.closest("[data-drag-kind]");
    if (!(node instanceof HTMLElement) || !event.dataTransfer) return;
    endDrag(ed);
    if (target && target.closest("input, textarea, select, button")) {
      event.preventDefault();
      return;
    }
    const kind = node.dataset.dragKind === "stage" ? "stage" : "touchpoint";
    const id = node.dataset.dragId || "";
    ui.drag = { kind, id };
    const label = kind === "stage" ? (stageById(ed, id) || { name: id }).name
      : ((tpById(ed, id) || { tp: { name: id } }).tp.name);
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", label);
    event.dataTransfer.setData("application/x-cjm-journey-item", JSON.stringify(ui.drag));
    node.classList.add("cjm-dragging");
    root.classList.add(`cjm-dragging-${kind}`);
    event.stopPropagation();
  };
  /** @param {DragEvent} event */
  const onDragOver = (event) => {
    if (!ui.drag) return;
    const drop = dropTarget(ed, event);
    if (!drop) {
      clearHint(ed);
      return;
    }
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "move";
    if (drop.noop) clearHint(ed);
    else showHint(ed, drop.hint, drop.cls);
  };
  /** @param {DragEvent} event */
  const onDrop = (event) => {
    if (!ui.drag) return;
    const drop = dropTarget(ed, event);
    event.preventDefault();
    event.stopPropagation();
    const drag = ui.drag;
    endDrag(ed);
    if (!drop || drop.noop) return;
    const fk = drag.kind === "stage" ? `stage:${drag.id}` : `tp:${drag.id}`;
    void act(ed, drop.method, drop.args, fk).then((reply) => {
      if (reply.ok) focusKey(ed, fk);
    });
  };
  /** @param {DragEvent} event */
  const onDragLeave = (event) => {
    if (event.relatedTarget === null || !(event.relatedTarget instanceof Node)
      || !root.contains(event.relatedTarget)) {
      clearHint(ed);
    }
  };
  return [
    ["dragstart", onDragStart],
    ["dragover", onDragOver],
    ["dragleave", onDragLeave],
    ["drop", onDrop],
    ["dragend", () => endDrag(ed)],
  ];
}
