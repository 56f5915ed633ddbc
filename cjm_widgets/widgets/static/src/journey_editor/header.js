// @ts-check
/* The board's header (title, badges, scope, personas, the undo/redo toolbar) and footer. */
import { el, icon } from "../_common.js";
import { textEditor } from "./fields.js";
import { ICONS } from "./icons.js";
import { initials } from "./logic.js";
import { state } from "./state.js";
import { noticeFor } from "./view.js";

/**
 * @typedef {import("./types.js").Editor} Editor
 * @typedef {import("./types.js").Persona} Persona
 */

/**
 * Title, badges, scope and personas on the left; the toolbar on the right.
 * @param {Editor} ed
 */
export function buildHeader(ed) {
  const { ui } = ed;
  const s = state(ed);
  const j = s.journey;
  const title = ui.edit && ui.edit.key === "title"
    ? textEditor(ui.edit, "cjm-title-input")
    : el("h3", {
      class: "cjm-title cjm-editable",
      tabindex: "0",
      "data-fk": "title",
      "data-action": "edit-title",
      "aria-label": `Journey title: ${j.title || "untitled"}. Press Enter or double-click to edit.`,
      title: "Double-click or press Enter to edit the title",
    }, [j.title || "Untitled journey"]);

  const badges = el("div", { class: "cjm-badges" }, [
    el("span", { class: `cjm-badge cjm-badge-${j.state}` }, [s.state_label || j.state]),
    s.template_label ? el("span", { class: "cjm-badge cjm-badge-template" }, [s.template_label])
      : null,
  ]);

  const scope = ui.edit && ui.edit.key === "scope"
    ? textEditor(ui.edit, "cjm-scope-input")
    : el("p", {
      class: `cjm-scope cjm-editable${j.scope ? "" : " cjm-placeholder"}`,
      tabindex: "0",
      "data-fk": "scope",
      "data-action": "edit-scope",
      "aria-label": j.scope
        ? `Scope: ${j.scope}. Press Enter or double-click to edit.`
        : "No scope yet. Press Enter or double-click to add one.",
    }, [j.scope || "Add the scope: what part of the experience this map covers, and why"]);

  const toolbar = el("div", { class: "cjm-toolbar", role: "toolbar",
    "aria-label": "Journey actions" }, [
    toolButton("undo", "Undo", "Undo the last change (Ctrl+Z)", ICONS.undo, !s.can_undo),
    toolButton("redo", "Redo", "Redo (Ctrl+Shift+Z)", ICONS.redo, !s.can_redo),
    el("span", { class: "cjm-toolbar-sep", "aria-hidden": "true" }),
    toolButton("add-stage-end", "Add stage", "Add a stage at the end", ICONS.plus, false,
      "add-stage"),
    s.can_fill ? toolButton("fill-lanes", "Fill lanes", "Fill Thoughts and feelings, Pain "
      + "points and What we want to change from the evidence (one undo step)", ICONS.fill,
    false, "fill-lanes") : null,
  ]);

  return el("div", { class: "cjm-head" }, [
    el("div", { class: "cjm-head-main" }, [
      el("div", { class: "cjm-title-row" }, [title, badges]),
      ui.edit && ui.edit.key === "title" ? null : noticeFor(ed, "title"),
      noticeFor(ed, "fill-lanes"),
      scope,
      j.personas.length ? buildPersonas(j.personas) : null,
    ]),
    toolbar,
  ]);
}

/** @param {Persona[]} personas */
function buildPersonas(personas) {
  return el("div", { class: "cjm-personas", "aria-label": "Personas", role: "list" },
    personas.map((p) => el("div", {
      class: "cjm-persona",
      role: "listitem",
      title: [p.description, p.goals.length ? `Goals: ${p.goals.join("; ")}` : "",
        p.needs.length ? `Needs: ${p.needs.join("; ")}` : ""].filter(Boolean).join("\n"),
    }, [
      el("span", { class: "cjm-persona-avatar", "aria-hidden": "true" },
        [initials(p.name)]),
      el("span", { class: "cjm-persona-text" }, [
        el("span", { class: "cjm-persona-name" }, [p.name]),
        p.description ? el("span", { class: "cjm-persona-desc" }, [p.description]) : null,
      ]),
    ])));
}

/**
 * @param {string} fk
 * @param {string} label
 * @param {string} tip
 * @param {string[]} paths
 * @param {boolean} disabled
 * @param {string} [action]
 */
function toolButton(fk, label, tip, paths, disabled, action) {
  return el("button", {
    type: "button",
    class: "cjm-btn cjm-tool",
    "data-fk": fk,
    "data-action": action || fk,
    "aria-label": tip,
    title: tip,
    disabled,
  }, [icon(paths), el("span", { class: "cjm-btn-label" }, [label])]);
}

/** The keyboard and drag hints under the board. */
export function buildFooter() {
  return el("div", { class: "cjm-foot", "aria-hidden": "true" }, [
    hintItem("Double-click", "or", "Enter", "rename"),
    hintItem("Alt+←/→", "", "", "move across stages"),
    hintItem("Alt+↑/↓", "", "", "reorder touchpoints"),
    hintItem("Del", "", "", "delete"),
    hintItem("Ctrl+Z", "/", "Ctrl+Shift+Z", "undo / redo"),
    el("span", { class: "cjm-foot-drag" }, ["Drag stages and cards to reorder"]),
  ]);
}

/**
 * @param {string} a
 * @param {string} sep
 * @param {string} b
 * @param {string} what
 */
function hintItem(a, sep, b, what) {
  return el("span", { class: "cjm-hint" }, [
    el("kbd", {}, [a]), sep ? ` ${sep} ` : null, b ? el("kbd", {}, [b]) : null, ` ${what}`,
  ]);
}
