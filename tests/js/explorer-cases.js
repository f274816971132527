// Compares the explorers' pure functions with the cases the convnotes package computed
// (scripts/make_explorer_cases.py). Used by tests/js/explorers.test.mjs under Node and
// injected into a built page by scripts/browser_check.py, so the same comparison runs on
// the JavaScript a reader's browser executes. checkAll(CE, cases) returns
// {counts: {explorer: cases compared}, failures: {explorer: [first messages]}}.
(function (root) {
  "use strict";
  const MAX_REPORTED = 8;

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function close(a, b, tolerance) {
    return Math.abs(a - b) <= tolerance;
  }

  function describe(value) {
    const text = JSON.stringify(value);
    return text.length > 300 ? text.slice(0, 300) + "…" : text;
  }

  function compareError(got, expect) {
    if (!got.error) return `accepted (${describe(got.value !== undefined ? got.value : got)}), the package raised ${expect.error}: ${expect.message}`;
    if (got.error !== expect.error || got.message !== expect.message) {
      return `raised ${got.error}: ${got.message}; the package raised ${expect.error}: ${expect.message}`;
    }
    return null;
  }

  function convArithmetic(CE, cases) {
    const { axis } = CE.convArithmetic.math;
    return cases.map((c) => {
      const got = axis(c.n, c.k, c.padding, c.stride, c.dilation, c.before, c.after);
      if (c.expect.error) return compareError(got, c.expect);
      if (got.error) return `refused with "${got.message}"; the package computed ${describe(c.expect)}`;
      const mine = { out: got.out, before: got.before, after: got.after };
      return same(mine, c.expect) ? null : `computed ${describe(mine)}, the package ${describe(c.expect)}`;
    });
  }

  function receptiveField(CE, cases) {
    const { growth, paths } = CE.receptiveField.math;
    return cases.map((c) => {
      const got = growth(c.kernel_sizes, c.strides, c.dilations);
      if (c.expect.error) return compareError(got, c.expect);
      if (got.error) return `refused with "${got.message}"; the package computed ${describe(c.expect)}`;
      if (!same(got.value, c.expect.growth)) return `computed ${describe(got.value)}, the package ${describe(c.expect.growth)}`;
      // The strip of reached positions spans exactly the package's field.
      const field = c.expect.growth[c.expect.growth.length - 1][0];
      const counts = paths(c.kernel_sizes, c.strides, c.dilations, 4096);
      if (counts && (counts.length !== field || !counts[0] || !counts[field - 1])) {
        return `the reached positions do not span the field ${field}`;
      }
      return null;
    });
  }

  function pooling(CE, cases) {
    const { pool2d, adaptivePool2d } = CE.pooling.math;
    return cases.map((c) => {
      const got =
        c.kind === "adaptive"
          ? adaptivePool2d(c.x, c.output_size, c.mode)
          : pool2d(c.x, c.pool_size, c.strides, c.padding, c.mode);
      if (c.expect.error) return compareError(got, c.expect);
      if (got.error) return `refused with "${got.message}"; the package computed ${describe(c.expect)}`;
      const want = c.expect.value;
      if (got.value.length !== want.length || got.value[0].length !== want[0].length) {
        return `shape ${got.value.length}x${got.value[0].length}, the package ${want.length}x${want[0].length}`;
      }
      for (let i = 0; i < want.length; i += 1) {
        for (let j = 0; j < want[0].length; j += 1) {
          if (!close(got.value[i][j], want[i][j], 1e-9 * Math.max(1, Math.abs(want[i][j])))) {
            return `value (${i}, ${j}) is ${got.value[i][j]}, the package's ${want[i][j]}`;
          }
        }
      }
      return null;
    });
  }

  function kernelPlayground(CE, spec) {
    const { filter2d, toUint8, fnv1a, decodePixels } = CE.kernelPlayground.math;
    const data = CE.playgroundData;
    const photos = Object.fromEntries(data.photos.map((p) => [p.name, decodePixels(p.pixels)]));
    const kernels = Object.fromEntries(data.kernels.map((k) => [k.name, k.weights]));
    const size = data.size;
    return spec.cases.map((c) => {
      const weights = typeof c.kernel === "string" ? kernels[c.kernel] : c.kernel;
      if (!weights) return `no kernel ${c.kernel} in kernel-playground-data.js`;
      const out = filter2d(photos[c.photo], size, size, weights, c.border);
      let absWeights = 0;
      for (const row of weights) for (const v of row) absWeights += Math.abs(v);
      // float32 accumulation in OpenCV against float64 here, and 4 decimals in the cases
      const tolerance = 4 * 2 ** -24 * absWeights * 255 * weights.length ** 2 + 1e-4;
      for (let i = 0; i < spec.positions.length; i += 1) {
        const [r, col] = spec.positions[i];
        const value = out[r * size + col];
        if (!close(value, c.expect.samples[i], tolerance)) {
          return `pixel (${r}, ${col}) is ${value}, the package's ${c.expect.samples[i]}`;
        }
      }
      let sum = 0;
      let absSum = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of out) {
        sum += v;
        absSum += Math.abs(v);
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const total = tolerance * out.length;
      if (!close(sum, c.expect.sum, total) || !close(absSum, c.expect.abs_sum, total)) {
        return `sums ${sum}, ${absSum}; the package's ${c.expect.sum}, ${c.expect.abs_sum}`;
      }
      if (!close(lo, c.expect.min, tolerance) || !close(hi, c.expect.max, tolerance)) {
        return `range ${lo}..${hi}; the package's ${c.expect.min}..${c.expect.max}`;
      }
      const clipped = toUint8(out);
      if (c.expect.uint8_b64) {
        // typed weights: a pixel may differ by one only where the sum sits on a .5 tie
        const want = decodePixels(c.expect.uint8_b64);
        for (let i = 0; i < want.length; i += 1) {
          if (clipped[i] === want[i]) continue;
          const tie = Math.abs(Math.abs(out[i] - Math.trunc(out[i])) - 0.5) <= tolerance;
          if (Math.abs(clipped[i] - want[i]) > 1 || !tie) {
            return `uint8 pixel ${i} is ${clipped[i]}, cv2.filter2D's ${want[i]} (float ${out[i]})`;
          }
        }
        return null;
      }
      let clippedSum = 0;
      for (const v of clipped) clippedSum += v;
      if (fnv1a(clipped) !== c.expect.uint8_fnv1a || clippedSum !== c.expect.uint8_sum) {
        return `the uint8 image differs from cv2.filter2D(image, -1, kernel) (sum ${clippedSum}, package ${c.expect.uint8_sum})`;
      }
      return null;
    });
  }

  function schedules(CE, cases, paper) {
    const { kerasTuner, paper: paperSchedule } = CE.hyperband.math;
    return cases.map((c) => {
      const got = paper ? paperSchedule(c.max_resource, c.eta) : kerasTuner(c.max_epochs, c.factor, c.hyperband_iterations);
      if (c.expect.error) return compareError(got, c.expect);
      if (got.error) return `refused with "${got.message}"; the package computed a schedule`;
      const rounds = got.rounds.map((r) => [r.iteration, r.bracket, r.round, r.models, r.epochs, r.initialEpoch]);
      if (!same(rounds, c.expect.rounds)) return `rounds ${describe(rounds)}, the package's ${describe(c.expect.rounds)}`;
      const t = got.totals;
      const mine = [t.trials, t.configurations, t.epochs, t.epochsFromScratch];
      const want = [c.expect.trials, c.expect.configurations, c.expect.epochs, c.expect.epochs_from_scratch];
      return same(mine, want) ? null : `totals ${describe(mine)}, the package's ${describe(want)}`;
    });
  }

  function collect(name, cases, outcomes, report) {
    report.counts[name] = outcomes.length;
    const failures = [];
    outcomes.forEach((outcome, i) => {
      if (outcome && failures.length < MAX_REPORTED) failures.push(`case ${i} ${describe(cases[i] && cases[i].expect ? { ...cases[i], expect: undefined } : cases[i])}: ${outcome}`);
    });
    report.failures[name] = failures;
    report.failed[name] = outcomes.filter(Boolean).length;
  }

  function checkAll(CE, cases) {
    const report = { counts: {}, failures: {}, failed: {} };
    collect("conv-arithmetic", cases.conv_arithmetic, convArithmetic(CE, cases.conv_arithmetic), report);
    collect("receptive-field", cases.receptive_field, receptiveField(CE, cases.receptive_field), report);
    collect("pooling", cases.pooling, pooling(CE, cases.pooling), report);
    const playground = cases.kernel_playground;
    collect("kernel-playground", playground.cases.map((c) => ({ ...c, expect: undefined })), kernelPlayground(CE, playground), report);
    const kt = cases.hyperband.keras_tuner;
    const paper = cases.hyperband.paper;
    collect("hyperband", kt.concat(paper), schedules(CE, kt, false).concat(schedules(CE, paper, true)), report);
    return report;
  }

  const api = { checkAll };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.ConvnotesExplorerCheck = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
