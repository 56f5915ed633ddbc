// @ts-check
// Unit tests of the tagger's quote offsets (node --test): code points vs UTF-16.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  cpToU16,
  selectionQuote,
  spanPieces,
  u16ToCp,
} from "../../cjm_widgets/widgets/static/src/evidence_tagger/quote_logic.js";

// What Python's str indexing gives: one offset per code point.
const cps = (/** @type {string} */ s) => [...s];

describe("offsets", () => {
  const text = "Bag 😀 lost. Cre\u0300me cold.\r\nStaff 👍🏽 kind.";

  it("round-trips every code point offset", () => {
    for (let cp = 0; cp <= cps(text).length; cp++) {
      assert.equal(u16ToCp(text, cpToU16(text, cp)), cp);
    }
  });

  it("counts an emoji as one code point and two UTF-16 units", () => {
    const at = text.indexOf("😀");
    assert.equal(u16ToCp(text, at), 4);
    assert.equal(u16ToCp(text, at + 2), 5);
    assert.equal(cpToU16(text, 5), at + 2);
  });

  it("moves an index inside a surrogate pair to the pair's start or end", () => {
    const at = text.indexOf("😀");
    assert.equal(u16ToCp(text, at + 1, "start"), 4);
    assert.equal(u16ToCp(text, at + 1, "end"), 5);
  });
});

describe("selectionQuote", () => {
  it("gives Python's offsets for a selection after an emoji, CRLF and a combining accent", () => {
    const text = "Bag 😀 lost. Cre\u0300me cold.\r\nStaff kind.";
    const a = text.indexOf("Staff");
    const q = selectionQuote(text, a, a + 5);
    assert.ok(q);
    const points = cps(text);
    assert.equal(points.slice(q.start, q.end).join(""), "Staff");
    assert.equal(q.text, "Staff");
    const c = text.indexOf("Cre");
    const q2 = selectionQuote(text, c, c + 6);
    assert.ok(q2);
    assert.equal(points.slice(q2.start, q2.end).join(""), "Cre\u0300me");
    const r = text.indexOf("cold");
    const q3 = selectionQuote(text, r, text.indexOf("Staff") + 5);
    assert.ok(q3);
    assert.equal(points.slice(q3.start, q3.end).join(""), "cold.\r\nStaff");
  });

  it("trims white space and refuses a blank selection", () => {
    const text = "  the bag  ";
    assert.deepEqual(selectionQuote(text, 0, text.length), { start: 2, end: 9, text: "the bag" });
    assert.equal(selectionQuote(text, 0, 2), null);
  });

  it("never cuts an emoji in half", () => {
    const text = "ok 😀!";
    const q = selectionQuote(text, 3, 4); // the first half of the pair
    assert.ok(q);
    assert.equal(q.text, "😀");
    assert.deepEqual([q.start, q.end], [3, 4]);
  });
});

describe("spanPieces", () => {
  it("marks the quoted parts, in code points, overlapping spans included", () => {
    const text = "😀 the bag never arrived";
    const pieces = spanPieces(text, [[2, 9, "q1"], [6, 15, "q2"]]);
    assert.deepEqual(pieces, [
      { text: "😀 ", ids: [] },
      { text: "the ", ids: ["q1"] },
      { text: "bag", ids: ["q1", "q2"] },
      { text: " never", ids: ["q2"] },
      { text: " arrived", ids: [] },
    ]);
    assert.equal(pieces.map((p) => p.text).join(""), text);
  });

  it("keeps the text whole without spans", () => {
    assert.deepEqual(spanPieces("plain", []), [{ text: "plain", ids: [] }]);
  });
});
