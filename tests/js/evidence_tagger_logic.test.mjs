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

import { pieces, withCount } from "../../cjm_widgets/widgets/static/src/evidence_tagger/hits.js";
import { modelLine, percent, suggestKey } from "../../cjm_widgets/widgets/static/src/evidence_tagger/suggest.js";

describe("search hits", () => {
  it("cuts a text into plain and hit pieces at the spans", () => {
    assert.deepEqual(pieces("lost my luggage", [[8, 15]]), [
      { text: "lost my ", hit: false },
      { text: "luggage", hit: true },
    ]);
    assert.deepEqual(pieces("abc", []), [{ text: "abc", hit: false }]);
    assert.deepEqual(pieces("", undefined), [{ text: "", hit: false }]);
    // spans past the end (a text cut short) are clipped, never thrown
    assert.deepEqual(pieces("abcdef", [[0, 2], [4, 99]]).map((p) => p.text), ["ab", "cd", "ef"]);
  });

  it("puts the count after an option's name", () => {
    assert.equal(withCount("Check-in desk", 1234), "Check-in desk (1,234)");
    assert.equal(withCount("Check-in desk", undefined), "Check-in desk");
  });
});

describe("suggestion keys and text", () => {
  it("Enter accepts, x rejects, not with modifiers", () => {
    assert.equal(suggestKey({ key: "Enter" }), "accept");
    assert.equal(suggestKey({ key: "x" }), "reject");
    assert.equal(suggestKey({ key: "X" }), "reject");
    assert.equal(suggestKey({ key: "Enter", ctrlKey: true }), null);
    assert.equal(suggestKey({ key: "Enter", shiftKey: true }), null); // runs the cell
    assert.equal(suggestKey({ key: "1" }), null);
  });

  it("says what the model learned from", () => {
    assert.equal(percent(0.834), "83%");
    assert.equal(modelLine({ on: true, n_tags: 1, version: 3, training: true }),
      "Suggestions learned from 1 tag (model 3) · re-training… · Enter accepts, X rejects");
    assert.equal(modelLine({ on: false }), "");
  });
});

describe("filter args of the new controls", () => {
  it("asks for whole words only with a search, and a suggestion probability", () => {
    const base = { untagged: false, search: "", place: "", label: "", segments: [] };
    assert.deepEqual(filterArgs({ ...base, search: ' "lost luggage" ', words: true }),
      { search: '"lost luggage"', match: "words" });
    assert.deepEqual(filterArgs({ ...base, words: true }), {});
    assert.deepEqual(filterArgs({ ...base, suggested: "0.8" }), { suggested: 0.8 });
  });
});
