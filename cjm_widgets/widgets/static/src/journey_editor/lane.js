// @ts-check
/*
 * The emotion lane of the board: the emotion curve drawn as a lane of the map, in plain SVG
 * (the board never loads Vega). One point per touchpoint under its card: the mean emotion, a
 * line for its 95% interval, n under it; hollow when n < min_n (no interval), a red ring on
 * pain points, one colour per series with `by=`. Clicking a point (or Enter on it) asks Python
 * to select it: the Workspace then does what a click on its curve does.
 * Geometry: lane_logic.js. User text goes in as text nodes only.
 */
import { el } from "../_common.js";
import { laneCells, laneData, laneLabel, laneY } from "./lane_logic.js";
import { setSelected, state } from "./state.js";

/**
 * @typedef {import("./types.js").Editor} Editor
 * @typedef {import("./lane_logic.js").LaneCell} LaneCell
 * @typedef {import("./lane_logic.js").LaneMark} LaneMark
 * @typedef {import("./lane_logic.js").LaneData} LaneData
 */

const SVG_NS = "http://www.w3.org/2000/svg";
const pct = (/** @type {number} */ f) => `${(f * 100).toFixed(3)}%`;

/**
 * An SVG element (attributes only; text is added as text nodes by the caller).
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 * @returns {SVGElement}
 */
function svg(tag, attrs) {
  const node = /** @type {SVGElement} */ (document.createElementNS(SVG_NS, tag));
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

/**
 * The lane's row (label + one cell per stage), or null when the board has no evidence.
 * @param {Editor} ed
 * @returns {HTMLElement | null}
 */
export function buildEmotionLane(ed) {
  const lane = laneData(ed.model.get("_lane"));
  if (!lane.series.length) return null;
  const stages = state(ed).journey.stages;
  const cells = laneCells(stages, lane);
  const named = lane.series.length > 1;
  const legend = named
    ? el("ul", { class: "cjm-elane-legend" }, lane.series.map((s, i) =>
      el("li", { class: `cjm-elane-s${i % 8}` }, [el("span", { class: "cjm-elane-key",
        "aria-hidden": "true" }), s])))
    : null;
  const row = el("div", { class: "cjm-row cjm-lane cjm-tone-feeling cjm-elane", role: "row",
    "data-lane": "__emotion" }, [
    el("div", { class: "cjm-lane-label cjm-elane-label", role: "rowheader" }, [
      el("span", { class: "cjm-lane-dot", "aria-hidden": "true" }),
      el("span", { class: "cjm-lane-name" }, [
        "Emotion",
        el("small", { class: "cjm-elane-hint" }, [`mean, 95% CI, n; hollow: n < ${lane.min_n}`]),
        legend,
        lane.note ? el("small", { class: "cjm-elane-hint" }, [lane.note]) : null,
      ]),
    ]),
  ]);
  cells.forEach((cell, i) => row.append(buildCell(ed, cell, stages[i].name, lane, named)));
  row.append(el("div", { class: "cjm-add-col", "aria-hidden": "true" }));
  return row;
}

/**
 * One stage's piece of the lane.
 * @param {Editor} ed
 * @param {LaneCell} cell
 * @param {string} stageName
 * @param {LaneData} lane
 * @param {boolean} named
 */
function buildCell(ed, cell, stageName, lane, named) {
  const plot = svg("svg", { class: "cjm-elane-svg", width: "100%", height: "100%",
    role: "group", "aria-label": `Emotion in ${stageName}` });
  for (const v of [2, 0, -2]) {
    const y = pct(laneY(v));
    plot.append(svg("line", { class: v === 0 ? "cjm-elane-zero" : "cjm-elane-grid",
      x1: "0%", x2: "100%", y1: y, y2: y }));
  }
  for (const s of cell.segments) {
    plot.append(svg("line", { class: `cjm-elane-line cjm-elane-s${s.seriesIndex % 8}`,
      x1: pct(s.x1), y1: pct(s.y1), x2: pct(s.x2), y2: pct(s.y2) }));
  }
  for (const m of cell.marks) plot.append(buildMark(ed, m, lane, named));
  return el("div", { class: "cjm-cell cjm-elane-cell", role: "gridcell",
    "data-stage": cell.stageId }, [plot]);
}

/**
 * A point with its interval, n label and title; clicking it selects the point.
 * @param {Editor} ed
 * @param {LaneMark} m
 * @param {LaneData} lane
 * @param {boolean} named
 */
function buildMark(ed, m, lane, named) {
  const label = laneLabel(m, lane.min_n, named);
  const cls = [`cjm-elane-point cjm-elane-s${m.seriesIndex % 8}`,
    m.supported ? "" : "cjm-elane-hollow", m.pain ? "cjm-elane-pain" : "",
    m.y === null ? "cjm-elane-none" : ""].filter(Boolean).join(" ");
  const g = svg("g", { class: cls, tabindex: 0, role: "button", "aria-label": label,
    "data-lane-tp": m.touchpoint_id, "data-lane-series": m.series,
    "data-mean": m.mean === null ? "" : String(m.mean) });
  const title = svg("title", {});
  title.append(document.createTextNode(label));
  g.append(title);
  const x = pct(m.x);
  if (m.ciTop !== null && m.ciBottom !== null) {
    g.append(svg("line", { class: "cjm-elane-ci", x1: x, x2: x, y1: pct(m.ciTop),
      y2: pct(m.ciBottom) }));
  }
  if (m.y !== null) {
    // shown only while the touchpoint is highlighted (highlight.js; e.g. a selected theme)
    g.append(svg("circle", { class: "cjm-elane-halo", cx: x, cy: pct(m.y), r: 13 }));
    if (m.pain) g.append(svg("circle", { class: "cjm-elane-ring", cx: x, cy: pct(m.y), r: 9 }));
    g.append(svg("circle", { class: "cjm-elane-dot", cx: x, cy: pct(m.y), r: 5.5 }));
  }
  if (!named) {
    const n = svg("text", { class: "cjm-elane-n", x, y: "99%", "text-anchor": "middle" });
    n.append(document.createTextNode(`n ${m.n}`));
    g.append(n);
  }
  const pick = (/** @type {Event} */ event) => {
    event.stopPropagation();
    setSelected(ed, m.touchpoint_id);
    void ed.api.call("lane_click", { touchpoint: m.touchpoint_id, series: m.series });
  };
  g.addEventListener("click", pick);
  g.addEventListener("keydown", (event) => {
    const key = /** @type {KeyboardEvent} */ (event).key;
    if (key === "Enter" || key === " ") { event.preventDefault(); pick(event); }
  });
  return g;
}
