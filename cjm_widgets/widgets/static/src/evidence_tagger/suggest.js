// @ts-check
/*
 * Suggestions in the tagger (EvidenceTagger(..., suggest=True)): the Suggested column's
 * cells (touchpoint and emotion with their probabilities, the "why" as the tooltip), the
 * model line ("Suggestions learned from 120 tags · re-training…"), and the keys: Enter
 * accepts the selected rows' suggestions, X rejects them. A new model (the `_suggest_state`
 * trait, set when the background re-train finishes) asks Python for the page again.
 */
import { el } from "../_common.js";
import { faceOf, signed } from "./logic.js";

/**
 * A probability as a whole percentage: 0.834 → "83%".
 * @param {number | null} p
 */
export const percent = (p) => (p === null || p === undefined ? "" : `${Math.round(p * 100)}%`);

/**
 * The key that accepts (Enter) or rejects (x / X) suggestions, or null.
 * @param {{ key: string, ctrlKey?: boolean, metaKey?: boolean, altKey?: boolean,
 *            shiftKey?: boolean }} e
 * @returns {"accept" | "reject" | null}
 */
export function suggestKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === "Enter") return e.shiftKey ? null : "accept"; // Shift+Enter runs the cell
  if (e.key === "x" || e.key === "X") return "reject";
  return null;
}

/**
 * The model line's text.
 * @param {{ on?: boolean, n_tags?: number, version?: number, training?: boolean }} s
 */
export function modelLine(s) {
  if (!s || !s.on) return "";
  const n = s.n_tags ?? 0;
  return `Suggestions learned from ${n.toLocaleString("en")} tag${n === 1 ? "" : "s"} (model ${s.version})${s.training ? " · re-training…" : ""} · Enter accepts, X rejects`;
}

/**
 * A Suggested cell: [touchpoint, p, emotion, emotion p, why] or null.
 * @param {any} v
 */
export function suggestedCell(v) {
  if (!v) return el("td", { class: "cjm-tagger-sugg" });
  const [tp, p, emotion, ep, why] = v;
  return el("td", { class: "cjm-tagger-sugg", title: `Why: ${why}` }, [
    el("span", { class: "cjm-tagger-sugg-tp" }, [String(tp)]),
    el("span", { class: "cjm-tagger-sugg-p" }, [` ${percent(p)}`]),
    emotion === null ? "" : el("span", { class: "cjm-tagger-sugg-emo" }, [
      " · ", el("span", { "aria-hidden": "true" }, [faceOf(emotion)]), ` ${signed(emotion)} ${percent(ep)}`,
    ]),
  ]);
}

/**
 * The model line in `line`, following `_suggest_state`; a new model refreshes the page.
 * @param {import("./types.js").Tagger} t
 * @param {HTMLElement} line
 */
export function followModel(t, line) {
  const { model, call, ui } = t;
  let version = (model.get("_suggest_state") || {}).version;
  const draw = () => {
    const s = model.get("_suggest_state") || {};
    line.textContent = modelLine(s);
    line.hidden = !s.on;
    if (s.on && s.version !== version) {
      version = s.version;
      const win = model.get("_window") || {};
      call("page", { start: win.start || 0, sort: ui.sort, desc: ui.desc });
    }
  };
  model.on("change:_suggest_state", draw);
  draw();
  return () => model.off("change:_suggest_state", draw);
}
