// @ts-check
// Unit tests of the emotion lane's geometry (node --test; run by tests/test_static_assets.py).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  LANE_BOTTOM,
  LANE_TOP,
  formatEmotion,
  laneCells,
  laneData,
  laneLabel,
  laneY,
} from "../../cjm_widgets/widgets/static/src/journey_editor/lane_logic.js";

/** @param {string} tp @param {string} stage @param {number | null} mean @param {object} [more] */
const pt = (tp, stage, mean, more = {}) => ({
  touchpoint_id: tp, stage_id: stage, touchpoint: tp.toUpperCase(), series: "All", n: 10,
  n_participants: 4, mean, ci_low: mean === null ? null : mean - 0.5,
  ci_high: mean === null ? null : mean + 0.5, supported: true, pain: false, ...more,
});

const stages = [
  { id: "a", touchpoints: [{ id: "t1" }, { id: "t2" }] },
  { id: "b", touchpoints: [] },
  { id: "c", touchpoints: [{ id: "t3" }] },
];

describe("laneY", () => {
  it("puts +2 at the top, −2 at the bottom and holds values to the scale", () => {
    assert.equal(laneY(2), LANE_TOP);
    assert.equal(laneY(-2), LANE_BOTTOM);
    assert.ok(Math.abs(laneY(0) - (LANE_TOP + LANE_BOTTOM) / 2) < 1e-12);
    assert.equal(laneY(5), LANE_TOP);
    assert.equal(laneY(-9), LANE_BOTTOM);
  });
});

describe("laneCells", () => {
  it("puts each touchpoint under its card and joins the line across an empty stage", () => {
    const lane = laneData({ series: ["All"], min_n: 5, note: "",
      points: [pt("t1", "a", 1), pt("t2", "a", -1), pt("t3", "c", 0)] });
    const cells = laneCells(stages, lane);
    assert.deepEqual(cells.map((c) => c.marks.map((m) => [m.touchpoint_id, m.x])),
      [[["t1", 0.25], ["t2", 0.75]], [], [["t3", 0.5]]]);
    // t1 → t2 inside a; t2 → t3 cut at the edges of a, b and c
    assert.equal(cells[0].segments.length, 2);
    assert.equal(cells[1].segments.length, 1);
    assert.equal(cells[2].segments.length, 1);
    const [, out] = cells[0].segments;
    const [through] = cells[1].segments;
    const [inC] = cells[2].segments;
    assert.equal(out.x2, 1);
    assert.ok(Math.abs(out.y2 - through.y1) < 1e-12, "continuous at the a|b edge");
    assert.ok(Math.abs(through.y2 - inC.y1) < 1e-12, "continuous at the b|c edge");
    assert.equal(inC.x2, 0.5);
    assert.equal(inC.y2, laneY(0));
  });

  it("breaks the line at a touchpoint without evidence and keeps its mark", () => {
    const lane = laneData({ series: ["All"], min_n: 5, note: "",
      points: [pt("t1", "a", 1), pt("t2", "a", null, { n: 0, supported: false }),
        pt("t3", "c", 0)] });
    const cells = laneCells(stages, lane);
    assert.equal(cells.flatMap((c) => c.segments).length, 0);
    const empty = cells[0].marks[1];
    assert.equal(empty.y, null);
    assert.equal(empty.ciTop, null);
  });

  it("gives the interval's ends from the CI and spreads series apart under the card", () => {
    const lane = laneData({ series: ["A", "B"], min_n: 5, note: "",
      points: [pt("t3", "c", 1, { series: "A" }), pt("t3", "c", -1, { series: "B" })] });
    const [a, b] = laneCells(stages, lane)[2].marks;
    assert.equal(a.ciTop, laneY(1.5));
    assert.equal(a.ciBottom, laneY(0.5));
    assert.ok(a.x < 0.5 && b.x > 0.5 && b.x - a.x < 0.5, "both stay under the one card");
  });

  it("treats anything that is not lane data as an empty lane", () => {
    assert.deepEqual(laneData({}).series, []);
    assert.deepEqual(laneData(null).points, []);
  });
});

describe("laneLabel", () => {
  it("says the mean, interval, n, participants and pain point", () => {
    const text = laneLabel(pt("t1", "a", -1, { pain: true }), 5, false);
    assert.equal(text, "T1: mean emotion \u22121.00 (95% CI \u22121.50 to \u22120.50), "
      + "n = 10 from 4 participants; pain point");
  });

  it("says when there are too few rows or none", () => {
    const few = pt("t1", "a", 1, { n: 2, supported: false, ci_low: null, ci_high: null });
    assert.match(laneLabel(few, 5, true), /^T1 · All: mean emotion \+1\.00, n = 2 .*n < 5/);
    assert.equal(laneLabel(pt("t1", "a", null, { n: 0 }), 5, false),
      "T1: no evidence yet (n = 0)");
    assert.equal(formatEmotion(-0.001), "0.00");
  });
});

describe("slashPieces (names wrap after a slash, never inside a word)", async () => {
  const { slashPieces } = await import(
    "../../cjm_widgets/widgets/static/src/journey_editor/words.js");
  it("cuts after a slash between words only", () => {
    assert.deepEqual(slashPieces("Decision/Purchase"), ["Decision/", "Purchase"]);
    assert.deepEqual(slashPieces("Departure/Arrival time"), ["Departure/", "Arrival time"]);
    assert.deepEqual(slashPieces("How / why"), ["How / why"]);
    assert.deepEqual(slashPieces("Päätös/Osto"), ["Päätös/", "Osto"]);
  });
});
