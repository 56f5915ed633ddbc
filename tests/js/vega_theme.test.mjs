// @ts-check
// Unit tests of the chart-fitting helpers (node --test): the width a curve is drawn and
// re-fitted to in its pane.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { fitWidth, fitted } from "../../cjm_widgets/widgets/static/src/_vega_theme.js";

/** @param {number} clientWidth */
const pane = (clientWidth) => /** @type {HTMLElement} */ (/** @type {unknown} */ ({ clientWidth }));

describe("fitWidth", () => {
  it("leaves 80 px for the axis and padding", () => {
    assert.equal(fitWidth(pane(700)), 620);
  });
  it("never draws narrower than 300 px (the pane scrolls instead)", () => {
    assert.equal(fitWidth(pane(200)), 300);
  });
  it("has no width for a pane not laid out yet", () => {
    assert.equal(fitWidth(pane(0)), null);
  });
});

describe("fitted", () => {
  it("sets a numeric width to the pane's", () => {
    assert.equal(fitted({ width: 576 }, pane(500)).width, 420);
  });
  it("keeps the spec's width when the pane has none", () => {
    assert.equal(fitted({ width: 576 }, pane(0)).width, 576);
  });
  it("leaves a spec without a numeric width alone", () => {
    assert.equal(fitted({ width: "container" }, pane(500)).width, "container");
  });
});

describe("fitWidth with a measured extra", () => {
  it("leaves exactly the room the drawn axis and legend take", () => {
    assert.equal(fitWidth(pane(700), 107), 593);
  });
});
