// @ts-check
// Unit tests of the evidence tagger's pure logic (node --test).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  FACES,
  faceForKey,
  faceOf,
  filterArgs,
  pagerButtons,
  selectMode,
  signed,
} from "../../cjm_widgets/widgets/static/src/evidence_tagger/logic.js";

describe("faces", () => {
  it("maps the −2…+2 scale to five faces, rounding and clamping", () => {
    assert.deepEqual(FACES.map((f) => f.value), [-2, -1, 0, 1, 2]);
    assert.equal(faceOf(-2), "😠");
    assert.equal(faceOf(0.4), "😐");
    assert.equal(faceOf(1.6), "😄");
    assert.equal(faceOf(7), "😄");
    assert.equal(faceOf(-9), "😠");
    assert.equal(faceOf(null), "");
  });

  it("writes values with their sign", () => {
    assert.deepEqual([-2, 0, 1].map(signed), ["-2", "0", "+1"]);
  });

  it("tags with keys 1–5 only", () => {
    assert.deepEqual(["1", "3", "5"].map(faceForKey), [-2, 0, 2]);
    for (const key of ["0", "6", "a", "1.5", "", " "]) assert.equal(faceForKey(key), null, key);
  });
});

describe("filter bar", () => {
  it("sends only the filters that are set, split into stage or touchpoint", () => {
    const empty = { untagged: false, search: "  ", place: "", label: "", segments: [] };
    assert.deepEqual(filterArgs(empty), {});
    assert.deepEqual(filterArgs({ untagged: true, search: " fee ", place: "t:tp_3",
      label: "pain point", segments: [["household", "family"], ["source", ""]] }),
    { untagged: true, search: "fee", touchpoint: "tp_3", label: "pain point",
      household: "family" });
    assert.deepEqual(filterArgs({ ...empty, place: "s:st_1" }), { stage: "st_1" });
  });
});

describe("selection and paging", () => {
  it("selects a range with Shift, toggles with Ctrl or Cmd, else one row", () => {
    const click = { shiftKey: false, ctrlKey: false, metaKey: false };
    assert.equal(selectMode(click), "one");
    assert.equal(selectMode({ ...click, ctrlKey: true }), "toggle");
    assert.equal(selectMode({ ...click, metaKey: true }), "toggle");
    assert.equal(selectMode({ ...click, shiftKey: true, ctrlKey: true }), "range");
  });

  it("pages through the matching rows", () => {
    const mid = pagerButtons({ start: 50, page_size: 50, matching: 120 });
    assert.equal(mid.page, 2);
    assert.equal(mid.pages, 3);
    assert.deepEqual(mid.buttons.map((b) => [b.text, b.start, b.off]),
      [["«", 0, false], ["‹", 0, false], ["›", 100, false], ["»", 100, false]]);
    const lastPage = pagerButtons({ start: 100, page_size: 50, matching: 120 });
    assert.deepEqual(lastPage.buttons.map((b) => b.off), [false, false, true, true]);
    const none = pagerButtons({ start: 0, page_size: 50, matching: 0 });
    assert.deepEqual([none.page, none.pages], [1, 1]);
    assert.deepEqual(none.buttons.map((b) => b.off), [true, true, true, true]);
    assert.equal(pagerButtons({ start: 0, matching: 1000 }).pages, 20); // 50 a page by default
  });
});
