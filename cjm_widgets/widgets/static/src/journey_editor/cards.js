// @ts-check
/* The touchpoints row: one cell per stage with its touchpoint cards, and the card's form. */
import { el, icon } from "../_common.js";
import { buildConfirm, textEditor } from "./fields.js";
import { CHANNEL_ICONS, ICONS } from "./icons.js";
import { channelClass, quoted } from "./logic.js";
import { channelLabel, phaseLabel, state, word } from "./state.js";
import { noticeFor } from "./view.js";
import { breakable } from "./words.js";

/**
 * @typedef {import("./types.js").Editor} Editor
 * @typedef {import("./types.js").Stage} Stage
 * @typedef {import("./types.js").Touchpoint} Touchpoint
 * @typedef {import("./types.js").TpForm} TpForm
 */

/**
 * A stage's touchpoint cards and its "Add touchpoint" button.
 * @param {Editor} ed
 * @param {Stage} stage
 */
export function buildTouchpointCell(ed, stage) {
  const cell = el("div", {
    class: "cjm-cell cjm-tp-cell",
    role: "gridcell",
    "data-stage": stage.id,
    "data-tp-cell": stage.id,
    "aria-label": `Touchpoints of ${stage.name}`,
  });
  const list = el("div", { class: "cjm-tp-list", role: "list" });
  for (const tp of stage.touchpoints) list.append(buildCard(ed, stage, tp));
  cell.append(list);
  cell.append(el("button", {
    type: "button",
    class: "cjm-btn cjm-ghost cjm-add-tp",
    "data-action": "add-touchpoint",
    "data-stage": stage.id,
    "data-fk": `tp-add:${stage.id}`,
    "aria-label": `Add a touchpoint to ${quoted(stage.name)}`,
  }, [icon(ICONS.plus), "Add touchpoint"]));
  const notice = noticeFor(ed, `tp-add:${stage.id}`);
  if (notice) cell.append(notice);
  return cell;
}

/**
 * One touchpoint card: channel marker, name, edit/delete buttons, then its chips (or its form).
 * @param {Editor} ed
 * @param {Stage} stage
 * @param {Touchpoint} tp
 */
function buildCard(ed, stage, tp) {
  const { ui } = ed;
  const fk = `tp:${tp.id}`;
  const form = ui.form && ui.form.tp === tp.id ? ui.form : null;
  const editingName = ui.edit && ui.edit.key === `tp-name:${tp.id}`;
  const selected = ed.model.get("selected") === tp.id;
  const channel = channelLabel(ed, tp.channel);
  const phase = phaseLabel(ed, tp.phase);
  const card = el("div", {
    class: `cjm-tp ${channelClass(tp.channel)}${selected ? " cjm-is-selected" : ""}`
      + `${form ? " cjm-tp-editing" : ""}`,
    role: "listitem",
    tabindex: form || editingName ? false : "0",
    draggable: form || editingName ? false : "true",
    "data-fk": fk,
    "data-tp": tp.id,
    "data-stage": stage.id,
    "data-drag-kind": "touchpoint",
    "data-drag-id": tp.id,
    "data-select": tp.id,
    "aria-label": `Touchpoint ${tp.name}, ${channel}${phase ? `, ${phase}` : ""}`
      + `${tp.owner ? `, owner ${tp.owner}` : ""}; in ${stage.name}. Enter to edit, `
      + "Alt+arrows to move, Delete to delete.",
  });
  const marker = el("span", {
    class: "cjm-ch-marker",
    title: channel,
    "aria-hidden": "true",
  }, [icon(CHANNEL_ICONS[tp.channel] || CHANNEL_ICONS.other)]);
  const nameNode = editingName && ui.edit
    ? textEditor(ui.edit, "cjm-tp-name-input")
    : el("span", {
      class: "cjm-tp-name",
      "data-action": "rename-touchpoint",
      "data-tp": tp.id,
      title: "Double-click to rename",
    }, breakable(tp.name));
  card.append(el("div", { class: "cjm-tp-top" }, [
    marker,
    nameNode,
    el("span", { class: "cjm-tp-actions" }, [
      el("button", {
        type: "button",
        class: "cjm-icon-btn",
        "data-action": "edit-touchpoint",
        "data-tp": tp.id,
        "data-fk": `tp-edit:${tp.id}`,
        "aria-label": `Edit channel, phase and owner of ${quoted(tp.name)}`,
        "aria-expanded": form ? "true" : "false",
        title: "Edit",
      }, [icon(ICONS.edit)]),
      el("button", {
        type: "button",
        class: "cjm-icon-btn cjm-danger",
        "data-action": "delete-touchpoint",
        "data-tp": tp.id,
        "data-fk": `tp-del:${tp.id}`,
        "aria-label": `Delete touchpoint ${quoted(tp.name)}`,
        title: "Delete touchpoint",
      }, [icon(ICONS.trash)]),
    ]),
  ]));
  if (form) {
    card.append(buildForm(ed, form, tp));
  } else {
    card.append(el("div", { class: "cjm-tp-meta" }, [
      el("span", { class: "cjm-chip cjm-chip-channel" }, [channel]),
      phase ? el("span", { class: `cjm-chip cjm-chip-phase cjm-phase-${tp.phase}` }, [phase])
        : null,
      tp.owner ? el("span", { class: "cjm-tp-owner", title: word(ed, "owner") }, [
        el("span", { class: "cjm-owner-label" }, [`${word(ed, "owner")} `]), tp.owner,
      ]) : null,
    ]));
    if (tp.description) {
      card.append(el("div", { class: "cjm-tp-desc" }, [tp.description]));
    }
  }
  const notice = noticeFor(ed, fk);
  if (notice) card.append(notice);
  if (ui.confirm && ui.confirm.kind === "touchpoint" && ui.confirm.id === tp.id) {
    card.append(buildConfirm(ui.confirm));
  }
  return card;
}

/**
 * The touchpoint form (name, channel, phase, owner; Save / Cancel).
 * @param {Editor} ed
 * @param {TpForm} form
 * @param {Touchpoint} tp
 */
function buildForm(ed, form, tp) {
  const s = state(ed);
  const id = tp.id;
  const nameInput = el("input", {
    type: "text",
    class: "cjm-input",
    value: form.name,
    "data-fk": `form:${id}:name`,
    "data-form-field": "name",
    "aria-label": "Touchpoint name",
    "aria-invalid": form.error ? "true" : false,
  });
  const channelSelect = el("select", {
    class: "cjm-select",
    "data-fk": `form:${id}:channel`,
    "data-form-field": "channel",
    "aria-label": word(ed, "channel"),
  }, s.channels.map((c) => el("option", { value: c.value, selected: c.value === form.channel },
    [c.label])));
  /** @type {HTMLSelectElement} */ (channelSelect).value = form.channel;
  const phaseSelect = el("select", {
    class: "cjm-select",
    "data-fk": `form:${id}:phase`,
    "data-form-field": "phase",
    "aria-label": word(ed, "phase"),
  }, [el("option", { value: "" }, ["No phase"]),
    ...s.phases.map((c) => el("option", { value: c.value }, [c.label]))]);
  /** @type {HTMLSelectElement} */ (phaseSelect).value = form.phase;
  const ownerInput = el("input", {
    type: "text",
    class: "cjm-input",
    value: form.owner,
    placeholder: "Team or department",
    "data-fk": `form:${id}:owner`,
    "data-form-field": "owner",
    "aria-label": word(ed, "owner"),
  });
  return el("div", { class: "cjm-form", role: "group", "aria-label": `Edit ${tp.name}`,
    "data-form": id }, [
    el("label", { class: "cjm-field" }, [el("span", {}, ["Name"]), nameInput]),
    el("div", { class: "cjm-field-row" }, [
      el("label", { class: "cjm-field" }, [el("span", {}, [word(ed, "channel")]), channelSelect]),
      el("label", { class: "cjm-field" }, [el("span", {}, [word(ed, "phase")]), phaseSelect]),
    ]),
    el("label", { class: "cjm-field" }, [el("span", {}, [word(ed, "owner")]), ownerInput]),
    form.error ? el("div", { class: "cjm-inline-error", role: "alert" }, [form.error]) : null,
    el("div", { class: "cjm-form-actions" }, [
      el("button", {
        type: "button",
        class: "cjm-btn cjm-btn-primary",
        "data-action": "form-save",
        "data-tp": id,
        "data-fk": `form:${id}:save`,
        "aria-label": "Save touchpoint",
        disabled: form.busy,
      }, ["Save"]),
      el("button", {
        type: "button",
        class: "cjm-btn",
        "data-action": "form-cancel",
        "data-tp": id,
        "data-fk": `form:${id}:cancel`,
        "aria-label": "Cancel editing",
      }, ["Cancel"]),
    ]),
  ]);
}
