// @ts-check
// Unit tests of the affinity board's pure logic (node --test).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  CARD_H,
  dropIndex,
  emotionClass,
  emotionText,
  visibleRange,
} from "../../cjm_widgets/widgets/static/src/affinity_board/logic.js";

describe("visibleRange (windowing)", () => {
  it("draws only the cards in view plus the overscan", () => {
    assert.deepEqual(visibleRange(0, 400, 5000, 100, 2), { start: 0, end: 7 });
    assert.deepEqual(visibleRange(100_000, 400, 5000, 100, 2), { start: 998, end: 1007 });
  });
  it("never runs past the list or before it", () => {
    assert.deepEqual(visibleRange(0, 400, 3, 100, 2), { start: 0, end: 3 });
    assert.deepEqual(visibleRange(-50, 400, 0), { start: 0, end: 0 });
    assert.deepEqual(visibleRange(1e9, 400, 10, 100, 2), { start: 10, end: 10 });
  });
  it("keeps a 5,000-card column to a handful of cards", () => {
    const { start, end } = visibleRange(123_456, 420, 5000);
    assert.ok(end - start <= Math.ceil(420 / CARD_H) + 1 + 8);
  });
});

describe("dropIndex", () => {
  it("counts among the unpinned cards and clamps", () => {
    assert.equal(dropIndex(0, 0, 10, 100), 0);
    assert.equal(dropIndex(260, 0, 10, 100), 3);
    assert.equal(dropIndex(260, 2, 10, 100), 1);
    assert.equal(dropIndex(50, 2, 10, 100), 0);
    assert.equal(dropIndex(99_999, 1, 4, 100), 3);
  });
});

describe("emotion labels", () => {
  it("reads the −2…+2 scale and says nothing when untagged", () => {
    assert.equal(emotionText(-1.46), "−1.5");
    assert.equal(emotionText(2), "+2");
    assert.equal(emotionText(0.01), "0");
    assert.equal(emotionText(null), "");
    assert.equal(emotionClass(-1), "neg");
    assert.equal(emotionClass(0.2), "neutral");
    assert.equal(emotionClass(1), "pos");
    assert.equal(emotionClass(undefined), "none");
  });
});
