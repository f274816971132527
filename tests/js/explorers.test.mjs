// node --test tests/js/explorers.test.mjs  (run by tests/test_explorers.py)
//
// Loads the explorers' scripts as a browser would (each adds itself to
// globalThis.ConvnotesExplorers; no DOM is touched until mount) and compares their pure
// functions with the cases in $CONVNOTES_EXPLORER_CASES, computed by the convnotes
// package (scripts/make_explorer_cases.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const explorers = join(here, "..", "..", "book", "_static", "explorers");
for (const file of [
  "explorers-core.js",
  "conv-arithmetic.js",
  "receptive-field.js",
  "pooling.js",
  "kernel-playground-data.js",
  "kernel-playground.js",
  "hyperband.js",
]) {
  require(join(explorers, file));
}
const CE = globalThis.ConvnotesExplorers;
const { checkAll } = require(join(here, "explorer-cases.js"));

const casesPath = process.env.CONVNOTES_EXPLORER_CASES;
const report = casesPath ? checkAll(CE, JSON.parse(readFileSync(casesPath, "utf8"))) : null;

for (const name of ["conv-arithmetic", "receptive-field", "pooling", "kernel-playground", "hyperband"]) {
  test(`${name} agrees with convnotes on every case`, { skip: !report && "no $CONVNOTES_EXPLORER_CASES" }, () => {
    assert.ok(report.counts[name] > 0, `no ${name} cases`);
    assert.deepEqual(report.failures[name], [], `${report.failed[name]} of ${report.counts[name]} cases differ`);
    console.log(`# ${name}: ${report.counts[name]} cases compared`);
  });
}

test("numbers are written in the page's digits", () => {
  assert.equal(CE.formatNumber(11070, "en"), "11,070");
  assert.equal(CE.formatNumber(11070, "fa"), "۱۱٬۰۷۰");
  assert.equal(CE.formatNumber(0.79623, "fa", 3), "۰٫۷۹۶");
  assert.equal(CE.formatNumber(-3, "fa"), "\u2066−۳\u2069"); // isolated, sign on the left
  assert.equal(CE.formatShort(3.5, "fa"), "۳٫۵");
  assert.equal(CE.formatShort(5.75, "en"), "5.75");
  // ties go to the even digit, as Python's format() (and so convnotes.i18n) writes them
  assert.equal(CE.formatNumber(0.0625, "en", 3), "0.062");
  assert.equal(CE.formatNumber(0.1875, "en", 3), "0.188");
  assert.equal(CE.formatNumber(2.5, "en", 0), "2");
  assert.equal(CE.formatNumber(1.0015, "en", 3), "1.002"); // stored above the tie
  assert.equal(CE.formatNumber(1.0005, "en", 3), "1.000"); // stored below it
  assert.equal(CE.formulaDigits("max(2·2 + 3 − 5, 0) = 2.5", "fa"), "max(۲·۲ + ۳ − ۵, ۰) = ۲٫۵");
});

test("what a reader types is read in any digits", () => {
  assert.equal(CE.parseNumber("۱۲"), 12);
  assert.equal(CE.parseNumber("١٢٫٥"), 12.5);
  assert.equal(CE.parseNumber("−1/9"), -1 / 9);
  assert.equal(CE.parseNumber(" 7 "), 7);
  assert.ok(Number.isNaN(CE.parseNumber("")));
  assert.ok(Number.isNaN(CE.parseNumber("3x")));
  assert.ok(Number.isNaN(CE.parseNumber("1/0")));
});

test("messages quote values as Python's repr does", () => {
  assert.equal(CE.pyRepr(3), "3");
  assert.equal(CE.pyRepr(2.5), "2.5");
  assert.equal(CE.pyRepr(1e-5), "1e-05");
  assert.equal(CE.pyRepr(0.0001), "0.0001");
  assert.equal(CE.pyRepr(1.5e16), "1.5e+16");
  assert.equal(CE.pyRepr(12345.25), "12345.25");
});

test("border modes extend a row as OpenCV does", () => {
  const { borderIndex } = CE.kernelPlayground.math;
  const row = [1, 2, 3, 4, 5];
  const extend = (mode) =>
    Array.from({ length: 9 }, (_, i) => {
      const j = borderIndex(i - 2, row.length, mode);
      return j < 0 ? 0 : row[j];
    });
  // the doctest of convnotes.filters.pad_with_border
  assert.deepEqual(extend("constant"), [0, 0, 1, 2, 3, 4, 5, 0, 0]);
  assert.deepEqual(extend("reflect"), [2, 1, 1, 2, 3, 4, 5, 5, 4]);
  assert.deepEqual(extend("reflect_101"), [3, 2, 1, 2, 3, 4, 5, 4, 3]);
  assert.deepEqual(extend("replicate"), [1, 1, 1, 2, 3, 4, 5, 5, 5]);
});

test("uint8 saturation rounds half to even, as cv2.saturate_cast", () => {
  const { toUint8 } = CE.kernelPlayground.math;
  assert.deepEqual(Array.from(toUint8([-3, 0.5, 1.5, 2.5, 254.5, 255.5, 300, 127.49])), [0, 0, 2, 2, 254, 255, 255, 127]);
});
