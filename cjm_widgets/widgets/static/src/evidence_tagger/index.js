// @ts-check
/*
 * cjm.EvidenceTagger: a windowed evidence table with filters, selection and tagging.
 *
 * The browser holds only the current window (`_window` trait: rows of the shown columns);
 * paging, sorting, filtering, search and selection are calls to Python handlers (see
 * evidence_tagger.py), whose new window comes back through the trait. The picker (stages and
 * touchpoints from the live journey, labels, filter choices) comes from `_meta`.
 * The filter bar always shows the filter Python applies (`_window.bar`): a filter set from
 * elsewhere (the Workspace's curve or board) is written back into the search box and the
 * dropdowns and shown as a removable chip. `_notice` is the status line after a tag action.
 * User text only ever goes in through textContent / text nodes / attribute values.
 *
 * Modules: filters.js (the filter bar), tools.js (tag tools and keys), meta.js (the picker
 * from `_meta`), table.js (count, rows, pager), logic.js (pure helpers), types.js,
 * quote.js (quote spans, context, making a quote from a selection; quote_logic.js: offsets).
 */
import { el, errorBanner, kernelNote, rpc } from "../_common.js";
import { createFilters } from "./filters.js";
import { metaDrawer } from "./meta.js";
import { createTable } from "./table.js";
import { followModel } from "./suggest.js";
import { createTools } from "./tools.js";
import { createQuoting } from "./quote.js";

/** @param {{ model: any, el: HTMLElement }} ctx */
function render({ model, el: host }) {
  const calls = rpc(model);
  const banner = errorBanner(model);

  const root = el("div", { class: "cjm-root cjm-tagger", tabindex: "0", "aria-label": "Evidence tagger" });
  const filters = el("div", { class: "cjm-tagger-filters", role: "group", "aria-label": "Filters" });
  const tools = el("div", { class: "cjm-tagger-tools", role: "group", "aria-label": "Tag the selection" });
  const count = el("div", { class: "cjm-tagger-count", "aria-live": "polite" });
  const status = el("div", { class: "cjm-tagger-status", role: "status", "aria-live": "polite" });
  const modelLine = el("div", { class: "cjm-tagger-model", "aria-live": "polite", hidden: true });
  const tableWrap = el("div", { class: "cjm-tagger-table-wrap" });
  const pager = el("div", { class: "cjm-tagger-pager" });
  root.append(banner.node, filters, tools, modelLine, status, count, tableWrap, pager);
  host.append(root);
  const offline = kernelNote(host, root);

  /** @type {import("./types.js").Tagger} */
  const t = {
    model,
    root,
    call: (method, args = {}) => calls.call(method, args),
    ui: { sort: null, desc: false, expanded: new Set(), busy: false, hits: {}, colours: {} },
  };
  const f = createFilters(t, filters);
  const tl = createTools(t, tools);
  const table = createTable(t, { count, tableWrap, pager }, f, tl);
  const quoting = createQuoting(t, tableWrap, tools);
  const drawMeta = metaDrawer(model, f, tl);
  const draw = table.draw;

  const drawNotice = () => {
    const notice = model.get("_notice") || {};
    status.textContent = notice.text || "";
    status.classList.toggle("cjm-warn", notice.kind === "warn");
    status.hidden = !notice.text;
  };
  const onCoderTrait = () => tl.syncCoder();
  model.on("change:_window", draw);
  model.on("change:_meta", drawMeta);
  model.on("change:coder", onCoderTrait);
  model.on("change:_notice", drawNotice);
  const unfollow = followModel(t, modelLine);
  drawMeta();
  draw();
  onCoderTrait();
  drawNotice();

  return () => {
    model.off("change:_window", draw);
    model.off("change:_meta", drawMeta);
    model.off("change:coder", onCoderTrait);
    model.off("change:_notice", drawNotice);
    unfollow();
    f.dispose();
    tl.dispose();
    table.dispose();
    quoting.dispose();
    banner.dispose();
    offline();
    calls.dispose();
    root.remove();
  };
}

export default { render };
