// @ts-check
/*
 * The emotion lane's geometry (pure, DOM-free; unit-tested in tests/js/emotion_lane.test.mjs).
 *
 * Each stage cell of the lane draws its own SVG in fractions of the cell (x 0…1 left to right,
 * y 0…1 top to bottom), so the points stay under their cards whatever the column widths. A
 * stage with k touchpoints puts touchpoint j at x = (j + 0.5) / k, under its card (the cards
 * are stacked in the column, each as wide as it). The line of a series joins consecutive
 * touchpoints that have a mean; a segment that crosses into the next stage (or across empty
 * stages) is cut at the cell edges, each cell drawing its own piece.
 */

/**
 * A point of the lane as Python sends it (cjm_widgets/analysis/lane.py).
 * @typedef {{ touchpoint_id: string, stage_id: string, touchpoint: string, series: string,
 *   n: number, n_participants: number, mean: number | null, ci_low: number | null,
 *   ci_high: number | null, supported: boolean, pain: boolean }} LanePoint
 * @typedef {{ series: string[], points: LanePoint[], min_n: number, note: string }} LaneData
 * A drawn mark: the point plus where (fractions of its stage cell).
 * @typedef {LanePoint & { x: number, y: number | null, ciTop: number | null,
 *   ciBottom: number | null,
 *   seriesIndex: number }} LaneMark
 * @typedef {{ seriesIndex: number, x1: number, y1: number, x2: number, y2: number }} LaneSegment
 * @typedef {{ stageId: string, marks: LaneMark[], segments: LaneSegment[] }} LaneCell
 * @typedef {{ id: string, touchpoints: Array<{ id: string }> }} LaneStage
 */

/** Where +2 and −2 sit in a cell (fractions of its height; the n labels go below −2). */
export const LANE_TOP = 0.08;
export const LANE_BOTTOM = 0.8;

/**
 * Where an emotion value goes in a cell: +2 at the top, −2 at the bottom; values outside the
 * scale are held at its edge (nothing is drawn outside −2…+2).
 * @param {number} value
 */
export function laneY(value) {
  const v = Math.max(-2, Math.min(2, value));
  return LANE_TOP + ((2 - v) / 4) * (LANE_BOTTOM - LANE_TOP);
}

/**
 * The lane's data, checked: anything else (no evidence, an old state) is an empty lane.
 * @param {any} raw
 * @returns {LaneData}
 */
export function laneData(raw) {
  const ok = raw && Array.isArray(raw.points) && Array.isArray(raw.series);
  return {
    series: ok ? raw.series.map(String) : [],
    points: ok ? raw.points : [],
    min_n: ok && Number.isFinite(raw.min_n) ? raw.min_n : 5,
    note: ok && typeof raw.note === "string" ? raw.note : "",
  };
}

/**
 * The cells of the lane, one per stage, in stage order.
 * @param {LaneStage[]} stages
 * @param {LaneData} lane
 * @returns {LaneCell[]}
 */
export function laneCells(stages, lane) {
  const count = Math.max(lane.series.length, 1);
  /** @type {Map<string, LanePoint>} */
  const byKey = new Map();
  for (const p of lane.points) byKey.set(`${p.touchpoint_id}\u0000${p.series}`, p);
  /** @type {LaneCell[]} */
  const cells = stages.map((s) => ({ stageId: s.id, marks: [], segments: [] }));
  lane.series.forEach((series, si) => {
    /** @type {{ X: number, y: number } | null} */
    let last = null;
    stages.forEach((stage, i) => {
      const k = stage.touchpoints.length;
      const spread = k ? 0.5 / k : 0;
      stage.touchpoints.forEach((tp, j) => {
        const p = byKey.get(`${tp.id}\u0000${series}`);
        const offset = count > 1 ? ((si - (count - 1) / 2) / count) * spread : 0;
        const x = (j + 0.5) / k + offset;
        if (!p) { last = null; return; }
        const y = p.mean === null || p.mean === undefined ? null : laneY(p.mean);
        const ciTop = p.ci_high === null || p.ci_high === undefined ? null : laneY(p.ci_high);
        const ciBottom = p.ci_low === null || p.ci_low === undefined ? null : laneY(p.ci_low);
        cells[i].marks.push({ ...p, x, y, ciTop, ciBottom, seriesIndex: si });
        if (y === null) { last = null; return; }
        if (last) addSegment(cells, si, last, { X: i + x, y });
        last = { X: i + x, y };
      });
    });
  });
  return cells;
}

/**
 * Cut the line from a to b (X = stage index + x) at the cell edges; each cell gets its piece.
 * @param {LaneCell[]} cells
 * @param {number} seriesIndex
 * @param {{ X: number, y: number }} a
 * @param {{ X: number, y: number }} b
 */
export function addSegment(cells, seriesIndex, a, b) {
  const first = Math.floor(a.X);
  const lastCell = Math.min(Math.floor(b.X), cells.length - 1);
  const yAt = (/** @type {number} */ X) => a.y + ((b.y - a.y) * (X - a.X)) / (b.X - a.X || 1);
  for (let c = first; c <= lastCell; c += 1) {
    const x1 = Math.max(a.X, c);
    const x2 = Math.min(b.X, c + 1);
    if (x2 <= x1) continue;
    cells[c].segments.push({ seriesIndex, x1: x1 - c, y1: yAt(x1), x2: x2 - c, y2: yAt(x2) });
  }
}

/**
 * The words a screen reader (and the tooltip) gives a point.
 * @param {LanePoint} p
 * @param {number} minN
 * @param {boolean} named whether to say the series (more than one line)
 */
export function laneLabel(p, minN, named) {
  const who = named ? `${p.touchpoint} · ${p.series}` : p.touchpoint;
  const people = p.n_participants ? ` from ${p.n_participants} participants` : "";
  if (!p.n || p.mean === null) return `${who}: no evidence yet (n = 0)`;
  const mean = formatEmotion(p.mean);
  const ci = p.ci_low !== null && p.ci_high !== null
    ? ` (95% CI ${formatEmotion(p.ci_low)} to ${formatEmotion(p.ci_high)})` : "";
  const few = p.supported ? "" : `; too few to estimate (n < ${minN}), shown hollow`;
  const pain = p.pain ? "; pain point" : "";
  return `${who}: mean emotion ${mean}${ci}, n = ${p.n}${people}${few}${pain}`;
}

/**
 * An emotion value with its sign and two decimals ("+0.40", "−1.25").
 * @param {number} v
 */
export function formatEmotion(v) {
  const text = Math.abs(v).toFixed(2);
  if (Number(text) === 0) return "0.00";
  return `${v < 0 ? "\u2212" : "+"}${text}`;
}
