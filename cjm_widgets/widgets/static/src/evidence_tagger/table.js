// @ts-check
/*
 * The windowed table: the count line, the sortable head, the rows (kept across draws when
 * their data did not change), the pager; clicks select rows, sort, and open long texts.
 */
import { el, plural } from "../_common.js";
import { faceOf, pagerButtons, selectMode, signed } from "./logic.js";
import { paintFacets } from "./hits.js";
import { paintLabels } from "./meta.js";
import { quoteExtras, selectedQuote, textBody } from "./quote.js";
import { suggestedCell } from "./suggest.js";

/** @typedef {import("./types.js").TaggerUi} TaggerUi */

/** The touchpoint cell of a row with an emotion but no touchpoint: the curve leaves it out. */
const needsTouchpoint = () => el("td", { class: "cjm-tagger-needs-tp" }, [
  el("span", {
    class: "cjm-tagger-needs-tp-note",
    title: "This row has an emotion but no touchpoint: it counts on the emotion curve once it has a touchpoint.",
  }, ["needs a touchpoint"]),
]);

/**
 * One table row: [row, id, selected, ...values of `shown`].
 * @param {TaggerUi} ui
 * @param {any[]} r
 * @param {string[]} shown
 * @param {import("./quote.js").QuoteInfo} [info] quote spans, a quote's context, a rating
 */
function rowNode(ui, r, shown, info) {
  const rowId = r[0];
  const cells = shown.map((c, j) => {
    const v = r[j + 3];
    if (c === "text") {
      const hit = ui.hits[String(rowId)];
      const long = String(v).length > 110 || Boolean(hit && hit.snippet);
      const open = ui.expanded.has(rowId);
      return el("td", { class: `cjm-tagger-text${open ? " cjm-open" : ""}` }, [
        textBody(String(v), info, hit, open),
        quoteExtras(info, String(v)),
        long ? el("button", { type: "button", class: "cjm-tagger-more", "aria-label": open ? "Show less" : "Show more" }, [open ? "less" : "more"]) : null,
      ]);
    }
    if (c === "emotion") {
      return el("td", { class: "cjm-tagger-emotion", dataset: { value: v === null ? "" : String(v) } },
        v === null ? [] : [el("span", { "aria-hidden": "true" }, [faceOf(v)]), ` ${signed(v)}`]);
    }
    if (c === "touchpoint" && !v && r[shown.indexOf("emotion") + 3] != null) return needsTouchpoint();
    if (c === "labels") {
      return el("td", { class: "cjm-tagger-labelcell" }, (v || []).map((/** @type {string} */ l) =>
        el("span", { class: "cjm-tagger-chip", style: ui.colours[l] ? { "--cjm-label-colour": ui.colours[l] } : undefined }, [l])));
    }
    if (c === "suggested") return suggestedCell(v);
    return el("td", { class: "cjm-tagger-plain", title: String(v ?? "") }, [String(v ?? "")]);
  });
  return el("tr", {
    dataset: { row: String(rowId), id: r[1] },
    class: r[2] ? "cjm-selected" : "",
    "aria-selected": r[2] ? "true" : "false",
  }, cells);
}

/**
 * "m of n rows · showing a–b · k selected", and the rows hidden by the filter.
 * @param {HTMLElement} count
 * @param {Record<string, any>} win
 * @param {any[][]} rows
 * @param {HTMLElement} hiddenBtn
 */
function drawCount(count, win, rows, hiddenBtn) {
  const first = rows.length ? win.start + 1 : 0;
  const hidden = win.hidden || 0;
  count.replaceChildren(
    el("strong", {}, [`${(win.matching ?? 0).toLocaleString("en")} of ${plural(win.total ?? 0, "row")}`]),
    rows.length ? ` · showing ${first.toLocaleString("en")}–${(win.start + rows.length).toLocaleString("en")}` : "",
    ` · ${(win.selected ?? 0).toLocaleString("en")} selected`,
    ...(hidden
      ? [el("span", { class: "cjm-tagger-hidden" }, [`, ${hidden.toLocaleString("en")} hidden by the filter`]), " ", hiddenBtn]
      : []),
  );
}

/**
 * @param {HTMLElement} pager
 * @param {Record<string, any>} win
 */
function drawPager(pager, win) {
  const { buttons, page, pages } = pagerButtons(win);
  const mk = (/** @type {{ text: string, start: number, off: boolean, label: string }} */ b) =>
    el("button", { type: "button", class: "cjm-btn", dataset: { start: String(b.start) }, disabled: b.off, "aria-label": b.label }, [b.text]);
  pager.replaceChildren(
    mk(buttons[0]),
    mk(buttons[1]),
    el("span", { class: "cjm-tagger-page" }, [`Page ${page.toLocaleString("en")} of ${pages.toLocaleString("en")}`]),
    mk(buttons[2]),
    mk(buttons[3]),
  );
}

/**
 * The sortable head row.
 * @param {string[]} shown
 * @param {any} sort [column, descending] or null
 */
const headRow = (shown, sort) => el("tr", {}, shown.map((c) => {
  const sorted = sort && sort[0] === c;
  return el("th", {
    scope: "col", dataset: { col: c }, class: `cjm-tagger-col-${c === "text" ? "text" : "x"}`,
    "aria-sort": sorted ? (sort[1] ? "descending" : "ascending") : "none",
    title: `Sort by ${c}`,
  }, [c, sorted ? (sort[1] ? " ▾" : " ▴") : ""]);
}));

/**
 * The table in `parts.tableWrap`, its count line and pager, wired to Python's `page` and
 * `select` calls. `draw` redraws from `_window`.
 * @param {import("./types.js").Tagger} t
 * @param {{ count: HTMLElement, tableWrap: HTMLElement, pager: HTMLElement }} parts
 * @param {import("./filters.js").Filters} f
 * @param {import("./tools.js").Tools} tools
 */
export function createTable(t, parts, f, tools) {
  const { model, ui, call, root } = t;
  const { count, tableWrap, pager } = parts;
  const tableHead = el("thead");
  const tableBody = el("tbody");
  /** The table, kept across draws. @type {{node: HTMLElement, head: HTMLElement, body: HTMLElement, key: string, rows: Map<string, HTMLElement>}} */
  const table = {
    node: el("table", { class: "cjm-tagger-table", role: "grid", "aria-multiselectable": "true" }, [tableHead, tableBody]),
    head: tableHead,
    body: tableBody,
    key: "",
    rows: new Map(),
  };

  const draw = () => {
    const win = model.get("_window") || {};
    const cols = /** @type {string[]} */ (win.columns || []);
    const rows = /** @type {any[][]} */ (win.rows || []);
    const shown = cols.slice(3);
    ui.hits = win.hits || {};
    ui.colours = Object.fromEntries(((model.get("_meta") || {}).label_info || []).map((/** @type {any} */ i) => [i.name, i.colour]));
    const extra = JSON.stringify(ui.colours);
    drawCount(count, win, rows, tools.hiddenBtn);
    paintFacets(f, win.facets);
    f.syncBar(win.bar || {});
    /** @type {any} */ (tools.undoBtn).disabled = !win.can_undo;
    /** @type {any} */ (tools.redoBtn).disabled = !win.can_redo;
    paintLabels(model, tools.labelsWrap);
    const headKey = JSON.stringify([shown, win.sort]);
    if (headKey !== table.key) {
      table.head.replaceChildren(headRow(shown, win.sort));
      table.key = headKey;
      table.rows = new Map();
    }
    // Rows whose data did not change keep their DOM nodes: a tag redraws only its rows.
    /** @type {Map<string, HTMLElement>} */
    const kept = new Map();
    const trs = rows.map((r) => {
      const info = (win.quotes || {})[String(r[0])];
      const key = JSON.stringify(r) + JSON.stringify(info || null) + (ui.expanded.has(r[0]) ? "+" : "") + JSON.stringify(ui.hits[String(r[0])] || null) + extra;
      const tr = table.rows.get(key) || rowNode(ui, r, shown, info);
      kept.set(key, tr);
      return tr;
    });
    table.rows = kept;
    const now = Array.from(table.body.children);
    if (now.length === trs.length && trs.every((tr, i) => tr === now[i] || !now.includes(tr))) {
      trs.forEach((tr, i) => { if (tr !== now[i]) now[i].replaceWith(tr); });
    } else {
      table.body.replaceChildren(...trs);
    }
    if (!rows.length) {
      if (!tableWrap.querySelector(".cjm-tagger-empty")) {
        tableWrap.replaceChildren(el("div", { class: "cjm-tagger-empty" }, ["No rows match the filters."]));
      }
    } else if (table.node.parentNode !== tableWrap) {
      const scroll = tableWrap.scrollTop;
      tableWrap.replaceChildren(table.node);
      tableWrap.scrollTop = scroll;
    }
    drawPager(pager, win);
  };

  /** @param {MouseEvent} e */
  const onTableClick = (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    const th = target.closest("th[data-col]");
    if (th instanceof HTMLElement) {
      const col = th.dataset.col || "";
      if (ui.sort === col) ui.desc = !ui.desc; else { ui.sort = col; ui.desc = false; }
      call("page", { start: 0, sort: ui.sort, desc: ui.desc });
      return;
    }
    const more = target.closest(".cjm-tagger-more");
    const tr = target.closest("tr[data-row]");
    if (!(tr instanceof HTMLElement)) return;
    const row = Number(tr.dataset.row);
    if (more) {
      if (ui.expanded.has(row)) ui.expanded.delete(row); else ui.expanded.add(row);
      draw();
      return;
    }
    if (target.closest(".cjm-tagger-rating-review")) return; // opening a rating's review
    if (selectedQuote(tableWrap)) { root.focus({ preventScroll: true }); return; } // words selected to quote
    const mode = selectMode(e);
    if (e.shiftKey) e.preventDefault();
    call("select", { row, mode });
    root.focus({ preventScroll: true });
  };
  /** @param {MouseEvent} e */
  const onMouseDown = (e) => { if (e.shiftKey) e.preventDefault(); };
  /** @param {Event} e */
  const onPager = (e) => {
    const btn = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest("button[data-start]"));
    if (btn && !(/** @type {HTMLButtonElement} */ (btn).disabled)) {
      call("page", { start: Number(btn.dataset.start), sort: ui.sort, desc: ui.desc });
    }
  };
  /** @type {Array<[HTMLElement, string, EventListener]>} */
  const listeners = [
    [tableWrap, "click", /** @type {EventListener} */ (onTableClick)],
    [tableWrap, "mousedown", /** @type {EventListener} */ (onMouseDown)],
    [pager, "click", onPager],
  ];
  for (const [node, type, fn] of listeners) node.addEventListener(type, fn);
  return {
    draw,
    dispose() {
      for (const [node, type, fn] of listeners) node.removeEventListener(type, fn);
    },
  };
}
