// @ts-check
/*
 * One theme column: a header (name, size, emotion, actions) and a windowed list of quote
 * cards (only the cards in view are in the page; a spacer keeps the scroll height).
 * All user text goes in through el() as text nodes.
 */
import { el, plural } from "../_common.js";
import { CARD_H, dropIndex, emotionClass, emotionText, visibleRange } from "./logic.js";

/**
 * @typedef {{ id: string, name: string, ids: string[], pinned: string[], size: number,
 *   emotion: number | null, emotion_n: number, touchpoints: string[] }} Column
 * @typedef {[string, string, string, string, number | null]} Card text, participant, source,
 *   touchpoint, emotion
 * @typedef {{ call: (method: string, args?: Record<string, any>) => void,
 *   cards: () => Record<string, Card>, selected: () => string,
 *   select: (id: string) => void, columns: () => Column[] }} Ctx
 */

/**
 * @param {string} id
 * @param {Card | undefined} card
 * @param {boolean} pinned
 * @param {number} top
 * @param {Ctx} ctx
 */
function cardNode(id, card, pinned, top, ctx) {
  const [text, who, source, tp, emotion] = card || ["", "", "", "", null];
  const pin = el(
    "button",
    {
      type: "button",
      class: "cjm-ab-pin",
      title: pinned ? "Unpin" : "Pin to the top (kept when grouping again)",
      "aria-pressed": pinned ? "true" : "false",
    },
    [pinned ? "Pinned" : "Pin"],
  );
  pin.addEventListener("click", (event) => {
    event.stopPropagation();
    ctx.call("pin", { id, pinned: !pinned });
  });
  const node = el(
    "div",
    {
      class: `cjm-ab-card${pinned ? " cjm-ab-pinned" : ""}`,
      draggable: "true",
      role: "listitem",
      dataset: { id },
      style: { top: `${top}px`, height: `${CARD_H - 6}px` },
    },
    [
      el("div", { class: "cjm-ab-text", title: text, text }),
      el("div", { class: "cjm-ab-meta" }, [
        el("span", { class: "cjm-ab-who", text: [who, source].filter(Boolean).join(" · ") }),
        tp ? el("span", { class: "cjm-ab-tp", text: tp }) : null,
        el("span", {
          class: `cjm-ab-emotion cjm-ab-${emotionClass(emotion)}`,
          text: emotionText(emotion),
        }),
        pin,
      ]),
    ],
  );
  node.addEventListener("dragstart", (event) => {
    event.dataTransfer?.setData("text/plain", id);
    if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
    node.classList.add("cjm-ab-dragging");
  });
  node.addEventListener("dragend", () => node.classList.remove("cjm-ab-dragging"));
  return node;
}

/**
 * The header's actions: rename, merge into…, split, to label / pain point / opportunity.
 * @param {Column} col
 * @param {Ctx} ctx
 * @param {HTMLElement} title
 */
function actions(col, ctx, title) {
  /** @param {string} text @param {string} tip @param {() => void} fn */
  const button = (text, tip, fn) => {
    const b = el("button", { type: "button", class: "cjm-ab-action", title: tip }, [text]);
    b.addEventListener("click", (event) => {
      event.stopPropagation();
      fn();
    });
    return b;
  };
  const merge = el("select", { class: "cjm-ab-merge", title: "Merge this theme into…" }, [
    el("option", { value: "", text: "Merge into…" }),
    ...ctx.columns().filter((c) => c.id !== col.id).map((c) =>
      el("option", { value: c.id, text: c.name }),
    ),
  ]);
  merge.addEventListener("click", (event) => event.stopPropagation());
  merge.addEventListener("change", () => {
    const into = /** @type {HTMLSelectElement} */ (merge).value;
    if (into) ctx.call("merge", { theme: col.id, into });
  });
  return el("div", { class: "cjm-ab-actions" }, [
    button("Rename", "Rename this theme", () => startRename(col, ctx, title)),
    merge,
    button("Split", "Split in two (k-means on its quotes)", () =>
      ctx.call("split", { theme: col.id })),
    button("→ Label", "Tag its quotes with the theme's name", () =>
      ctx.call("to_label", { theme: col.id })),
    button("→ Pain point", "Add as a pain point of its main stage", () =>
      ctx.call("to_pain_point", { theme: col.id })),
    button("→ Opportunity", "Add as an opportunity on its touchpoints", () =>
      ctx.call("to_opportunity", { theme: col.id })),
  ]);
}

/**
 * Replace the title with a text field; Enter saves, Escape cancels.
 * @param {Column} col
 * @param {Ctx} ctx
 * @param {HTMLElement} title
 */
function startRename(col, ctx, title) {
  const input = /** @type {HTMLInputElement} */ (
    el("input", { class: "cjm-ab-rename", value: col.name, "aria-label": "Theme name" })
  );
  const finish = (/** @type {boolean} */ save) => {
    if (save && input.value.trim() && input.value !== col.name) {
      ctx.call("rename", { theme: col.id, name: input.value });
    }
    input.replaceWith(title);
  };
  input.addEventListener("keydown", (event) => {
    event.stopPropagation();
    if (event.key === "Enter") finish(true);
    else if (event.key === "Escape") finish(false);
  });
  input.addEventListener("click", (event) => event.stopPropagation());
  input.addEventListener("blur", () => input.isConnected && finish(true));
  title.replaceWith(input);
  input.focus();
  input.select();
}

/**
 * A column element; `paint()` redraws the cards in view.
 * @param {Column} col
 * @param {Ctx} ctx
 * @returns {{ node: HTMLElement, paint: () => void, list: HTMLElement }}
 */
export function columnView(col, ctx) {
  const title = el("span", { class: "cjm-ab-name", text: col.name, title: "Double-click to rename" });
  title.addEventListener("dblclick", () => startRename(col, ctx, title));
  const emotion = col.emotion === null
    ? "no emotion tags"
    : `emotion ${emotionText(col.emotion)} (n=${col.emotion_n})`;
  const header = el("div", { class: "cjm-ab-head" }, [
    el("div", { class: "cjm-ab-title" }, [title, el("span", { class: "cjm-ab-size", text: plural(col.size, "quote") })]),
    el("div", { class: "cjm-ab-stats", text: [emotion, col.touchpoints.join(", ")].filter(Boolean).join(" · ") }),
    actions(col, ctx, title),
  ]);
  const spacer = el("div", { class: "cjm-ab-spacer" });
  spacer.style.height = `${col.ids.length * CARD_H}px`;
  const list = el("div", { class: "cjm-ab-list", role: "list", "aria-label": col.name }, [spacer]);
  const selected = ctx.selected() === col.id;
  const node = el(
    "section",
    { class: `cjm-ab-column${selected ? " cjm-ab-selected" : ""}`, dataset: { theme: col.id } },
    [header, list],
  );
  header.addEventListener("click", () => ctx.select(selected ? "" : col.id));
  const pinned = new Set(col.pinned);
  let drawn = "";
  const paint = () => {
    const { start, end } = visibleRange(list.scrollTop, list.clientHeight || 400, col.ids.length);
    if (drawn === `${start}:${end}`) return;
    drawn = `${start}:${end}`;
    const cards = ctx.cards();
    const nodes = [];
    for (let i = start; i < end; i += 1) {
      const id = col.ids[i];
      nodes.push(cardNode(id, cards[id], pinned.has(id), i * CARD_H, ctx));
    }
    spacer.replaceChildren(...nodes);
  };
  list.addEventListener("scroll", paint, { passive: true });
  list.addEventListener("dragover", (event) => {
    event.preventDefault();
    node.classList.add("cjm-ab-over");
  });
  list.addEventListener("dragleave", () => node.classList.remove("cjm-ab-over"));
  list.addEventListener("drop", (event) => {
    event.preventDefault();
    node.classList.remove("cjm-ab-over");
    const id = event.dataTransfer?.getData("text/plain");
    if (!id) return;
    const y = event.clientY - list.getBoundingClientRect().top + list.scrollTop;
    const index = dropIndex(y, col.pinned.length, col.ids.length);
    ctx.call("move", { id, theme: col.id, index });
  });
  return { node, paint, list };
}
