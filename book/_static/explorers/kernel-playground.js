// Explorer: apply one of the book's kernels (or one typed in) to a 128 x 128 gray photo,
// as convnotes.filters.apply_filter does (cv2.filter2D: a cross-correlation, anchor at
// the centre, the chosen border mode) and as cv2.filter2D(image, -1, kernel) saturates
// it to uint8 (round half to even, clip to 0..255). Photos, weights and the colour map
// come from kernel-playground-data.js, written by scripts/make_explorer_cases.py.
(function (root) {
  "use strict";
  const CE = root.ConvnotesExplorers;
  const BORDERS = ["constant", "reflect", "reflect_101", "replicate"];

  // ------------------------------------------------------------------ math --
  // Where position i (possibly outside 0..n-1) reads from, or -1 for a zero
  // (OpenCV's BORDER_CONSTANT, REFLECT "ba|abcd|dc", REFLECT_101 "cb|abcd|cb", REPLICATE).
  function borderIndex(i, n, border) {
    if (i >= 0 && i < n) return i;
    if (border === "constant") return -1;
    if (border === "replicate") return i < 0 ? 0 : n - 1;
    if (n === 1) return 0;
    const period = border === "reflect" ? 2 * n : 2 * n - 2;
    let j = ((i % period) + period) % period;
    if (border === "reflect") return j < n ? j : period - 1 - j;
    return j < n ? j : period - j;
  }

  // The float response, Float64Array(height * width), row by row.
  function filter2d(pixels, height, width, kernel, border) {
    if (!BORDERS.includes(border)) throw new Error(`border must be one of ${BORDERS.join(", ")}; got '${border}'`);
    const kh = kernel.length;
    const kw = kernel[0].length;
    const ah = Math.floor(kh / 2);
    const aw = Math.floor(kw / 2);
    const rowIndex = [];
    for (let i = -ah; i < height + kh; i += 1) rowIndex.push(borderIndex(i, height, border));
    const colIndex = [];
    for (let j = -aw; j < width + kw; j += 1) colIndex.push(borderIndex(j, width, border));
    const out = new Float64Array(height * width);
    for (let r = 0; r < height; r += 1) {
      for (let c = 0; c < width; c += 1) {
        let acc = 0;
        for (let i = 0; i < kh; i += 1) {
          const rr = rowIndex[r + i];
          if (rr < 0) continue;
          const base = rr * width;
          const weights = kernel[i];
          for (let j = 0; j < kw; j += 1) {
            const cc = colIndex[c + j];
            if (cc < 0) continue;
            acc += weights[j] * pixels[base + cc];
          }
        }
        out[r * width + c] = acc;
      }
    }
    return out;
  }

  // OpenCV's saturate_cast<uchar>: round half to even, then clip to 0..255.
  function toUint8(values) {
    const out = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i += 1) {
      const x = values[i];
      let r = Math.round(x);
      if (Math.abs(x - Math.trunc(x)) === 0.5) r = 2 * Math.round(x / 2);
      out[i] = r < 0 ? 0 : r > 255 ? 255 : r;
    }
    return out;
  }

  // convnotes.filters.is_signed_kernel: weights summing to zero.
  function isSigned(kernel) {
    let sum = 0;
    for (const row of kernel) for (const v of row) sum += v;
    return Math.abs(sum) < 1e-9;
  }

  // np.percentile(|values|, q) with linear interpolation, as the book's figures scale
  // a signed response (filters._robust_limit).
  function robustLimit(values, q) {
    const sorted = Float64Array.from(values, Math.abs).sort();
    const position = ((q === undefined ? 99.5 : q) / 100) * (sorted.length - 1);
    const lo = Math.floor(position);
    const hi = Math.min(lo + 1, sorted.length - 1);
    const limit = sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
    if (limit > 0) return limit;
    return Math.max(sorted[sorted.length - 1], 1);
  }

  function decodePixels(base64) {
    const text = typeof atob === "function" ? atob(base64) : Buffer.from(base64, "base64").toString("binary");
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i += 1) out[i] = text.charCodeAt(i);
    return out;
  }

  // 32-bit FNV-1a of bytes (the cases compare the uint8 image by this hash).
  function fnv1a(bytes) {
    let h = 0x811c9dc5;
    for (let i = 0; i < bytes.length; i += 1) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // A fraction with a small denominator when the weight is one (1/9, -2), as the book's
  // kernel figures write weights; otherwise up to three decimals.
  function weightText(weight) {
    for (let den = 1; den <= 256; den += 1) {
      const numerator = Math.round(weight * den);
      if (Math.abs(numerator / den - weight) < 1e-12) return den === 1 ? String(numerator) : `${numerator}/${den}`;
    }
    return String(Math.abs(weight) < 1 ? Number(weight.toFixed(3)) : Number(weight.toFixed(2)));
  }

  const math = { borderIndex, filter2d, toUint8, isSigned, robustLimit, decodePixels, fnv1a, weightText, BORDERS };

  // -------------------------------------------------------------------- UI --
  const WORDS = {
    en: {
      title: "Explorer: kernel playground",
      intro: "Pick a kernel or type one, then a photo and a border mode; the response is computed in your browser.",
      photo: "Photo",
      kernel: "Kernel",
      custom: "typed below",
      size: "Size",
      border: "Border mode",
      borders: { constant: "constant (zeros)", reflect: "reflect", reflect_101: "reflect_101 (OpenCV's default)", replicate: "replicate" },
      weights: "Weights (type numbers or fractions such as 1/9)",
      weight: (r, c) => `weight, row ${r}, column ${c}`,
      homework: (label) => `homework ${label}`,
      input: "Input, uint8",
      float: "Float result",
      uint8: "uint8 result with ddepth=-1: rounded and clipped to 0–255",
      range: (lo, hi) => `from ${lo} to ${hi}`,
      signedScale: (l) => `blue < 0 < red, colour limit ±${l}`,
      grayScale: (lo, hi) => `gray from ${lo} (black) to ${hi} (white)`,
      clipped: (neg, over) => `${neg}% of pixels clipped to 0, ${over}% to 255`,
      probe: (r, c, x, f, u) => `row ${r}, column ${c}: input ${x}, float ${f}, uint8 ${u}`,
      probeHint: "Point at an image (or focus it and use the arrow keys) to read one pixel.",
      nan: "Every weight must be a number (or a fraction).",
    },
    fa: {
      title: "کاوشگر: آزمایش هسته‌ها",
      intro: "یک هسته برگزینید یا بنویسید، سپس یک عکس و یک حالت مرزی؛ پاسخ در همین مرورگر حساب می‌شود.",
      photo: "عکس",
      kernel: "هسته",
      custom: "نوشته‌شده در پایین",
      size: "اندازه",
      border: "حالت مرزی",
      borders: { constant: "{constant} (صفر)", reflect: "{reflect}", reflect_101: "{reflect_101} (پیش‌فرض {OpenCV})", replicate: "{replicate}" },
      weights: "وزن‌ها (عدد یا کسری مانند ۱/۹ بنویسید)",
      weight: (r, c) => `وزن سطر ${r}، ستون ${c}`,
      homework: (label) => `{${label}} در تمرین`,
      input: "ورودی، {uint8}",
      float: "نتیجهٔ اعشاری، {float}",
      uint8: "نتیجهٔ {uint8} با {ddepth=-1}: گرد و در بازهٔ ۰ تا ۲۵۵ بریده",
      range: (lo, hi) => `از ${lo} تا ${hi}`,
      signedScale: (l) => `آبی < ۰ < قرمز، حد رنگ {±${l}}`,
      grayScale: (lo, hi) => `خاکستری از ${lo} (سیاه) تا ${hi} (سفید)`,
      clipped: (neg, over) => `${neg}٪ پیکسل‌ها به ۰ و ${over}٪ به ۲۵۵ بریده شده‌اند`,
      probe: (r, c, x, f, u) => `سطر ${r}، ستون ${c}: ورودی ${x}، اعشاری ${f}، {uint8} ${u}`,
      probeHint: "نشانگر را روی یک تصویر ببرید (یا روی آن فوکوس کنید و کلیدهای جهت را بزنید) تا مقدار یک پیکسل را بخوانید.",
      nan: "هر وزن باید یک عدد (یا کسر) باشد.",
    },
  };

  function mount(el, { lang, options }) {
    const data = CE.playgroundData;
    const w = CE.words(WORDS[lang]);
    const size = data.size;
    const num = (x, d) => CE.formatShort(x, lang, d === undefined ? 2 : d);
    const photos = Object.fromEntries(data.photos.map((p) => [p.name, { ...p, bytes: decodePixels(p.pixels) }]));
    const kernels = Object.fromEntries(data.kernels.map((k) => [k.name, k]));
    const lut = hexBytes(data.signedColormap);
    // Matplotlib's mapping of a normalised value to one of 256 colours.
    const index = (v) => Math.min(255, Math.max(0, Math.floor(v * 256)));
    const state = {
      photo: photos[options.photo] ? options.photo : "camera",
      kernel: kernels[options.kernel] ? options.kernel : "sobel_x",
      border: BORDERS.includes(options.border) ? options.border : "reflect_101",
      weights: null,
      typed: null,
      probe: null,
    };
    state.weights = kernels[state.kernel].weights.map((row) => row.slice());

    el.append(CE.h("p", { class: "cn-ex-title" }, w.title), CE.h("p", { class: "cn-ex-intro" }, w.intro));
    const kernelOptions = data.kernels.map((k) => [
      k.name,
      k.title[lang] + (k.homework ? (lang === "fa" ? "، " : ", ") + w.homework(k.homework) : ""),
    ]);
    kernelOptions.push(["custom", w.custom]);
    const kernelField = CE.select({ label: w.kernel, field: "kernel", options: kernelOptions, value: state.kernel, onChange: pickKernel });
    const sizeField = CE.select({
      label: w.size,
      field: "size",
      options: [
        ["3", CE.digits("3×3", lang)],
        ["5", CE.digits("5×5", lang)],
      ],
      value: String(state.weights.length),
      onChange: (v) => resizeKernel(Number(v)),
    });
    const photoField = CE.select({
      label: w.photo,
      field: "photo",
      options: data.photos.map((p) => [p.name, p.title[lang]]),
      value: state.photo,
      onChange: (v) => {
        state.photo = v;
        update();
      },
    });
    const borderField = CE.select({
      label: w.border,
      field: "border",
      options: BORDERS.map((b) => [b, w.borders[b]]),
      value: state.border,
      onChange: (v) => {
        state.border = v;
        update();
      },
    });
    const grid = CE.h("div", { class: "cn-ex-kernel", dir: "ltr", role: "group", "aria-label": w.weights });
    const message = CE.h("div", { class: "cn-ex-result", "aria-live": "polite" });
    const panels = ["input", "float", "uint8"].map((key) => {
      const canvas = CE.h("canvas", {
        width: size,
        height: size,
        tabindex: "0",
        class: "cn-ex-canvas",
        "data-cn-out": `canvas-${key}`,
        role: "img",
        "aria-label": w[key],
      });
      const caption = CE.h("figcaption", {}, CE.h("span", { class: "cn-ex-caption-title" }, w[key]), CE.h("br"), CE.h("span", { "data-cn-out": `${key}-scale` }, ""));
      return { key, canvas, caption, figure: CE.h("figure", { class: "cn-ex-panel" }, canvas, caption) };
    });
    const probe = CE.h("p", { class: "cn-ex-status", "aria-live": "polite", "data-cn-out": "probe" }, w.probeHint);
    const credit = CE.h("p", { class: "cn-ex-credit", "data-cn-out": "credit" }, "");
    el.append(
      CE.h("div", { class: "cn-ex-row" }, kernelField.el, sizeField.el, photoField.el, borderField.el),
      CE.h("p", { class: "cn-ex-subtitle" }, w.weights),
      grid,
      message,
      CE.h("div", { class: "cn-ex-panels", dir: "ltr" }, panels.map((p) => p.figure)),
      probe,
      credit,
    );
    for (const panel of panels) {
      panel.canvas.addEventListener("mousemove", (event) => {
        const box = panel.canvas.getBoundingClientRect();
        const c = Math.min(size - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * size)));
        const r = Math.min(size - 1, Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * size)));
        showProbe(r, c);
      });
      panel.canvas.addEventListener("keydown", (event) => {
        const moves = { ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0] };
        const move = moves[event.key];
        if (!move) return;
        event.preventDefault();
        const [r, c] = state.probe || [size / 2, size / 2];
        const step = event.shiftKey ? 8 : 1;
        showProbe(Math.min(size - 1, Math.max(0, r + move[0] * step)), Math.min(size - 1, Math.max(0, c + move[1] * step)));
      });
      panel.canvas.addEventListener("focus", () => showProbe(...(state.probe || [size / 2, size / 2])));
    }
    buildGrid();
    update();

    function hexBytes(hex) {
      const out = new Uint8Array(hex.length / 2);
      for (let i = 0; i < out.length; i += 1) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
      return out;
    }

    function pickKernel(name) {
      state.kernel = name;
      if (name !== "custom") {
        state.weights = kernels[name].weights.map((row) => row.slice());
        sizeField.select.value = String(state.weights.length);
        buildGrid();
      }
      update();
    }

    function resizeKernel(n) {
      const old = state.weights;
      const next = [];
      const offset = (old.length - n) / 2;
      for (let r = 0; r < n; r += 1) {
        const row = [];
        for (let c = 0; c < n; c += 1) {
          const rr = r + offset;
          const cc = c + offset;
          row.push(rr >= 0 && rr < old.length && cc >= 0 && cc < old.length ? old[rr][cc] : 0);
        }
        next.push(row);
      }
      state.weights = next;
      state.kernel = "custom";
      kernelField.select.value = "custom";
      buildGrid();
      update();
    }

    function buildGrid() {
      grid.replaceChildren();
      const n = state.weights.length;
      grid.style.gridTemplateColumns = `repeat(${n}, auto)`;
      state.weights.forEach((row, r) =>
        row.forEach((value, c) => {
          const input = CE.h("input", {
            type: "text",
            inputmode: "decimal",
            class: "cn-ex-cell",
            "data-cn-field": `w-${r}-${c}`,
            "aria-label": w.weight(CE.digits(String(r), lang), CE.digits(String(c), lang)),
            value: CE.digits(weightText(value), lang),
            size: 5,
          });
          input.addEventListener("input", () => {
            state.weights[r][c] = CE.parseNumber(input.value);
            state.kernel = "custom";
            kernelField.select.value = "custom";
            update();
          });
          grid.append(input);
        }),
      );
    }

    function paint(canvas, values, colour) {
      const ctx = canvas.getContext("2d");
      const image = ctx.createImageData(size, size);
      for (let i = 0; i < values.length; i += 1) {
        const [r, g, b] = colour(values[i]);
        image.data[4 * i] = r;
        image.data[4 * i + 1] = g;
        image.data[4 * i + 2] = b;
        image.data[4 * i + 3] = 255;
      }
      ctx.putImageData(image, 0, 0);
    }

    function update() {
      message.replaceChildren();
      const photo = photos[state.photo];
      credit.textContent = photo.credit[lang];
      paint(panels[0].canvas, photo.bytes, (x) => [x, x, x]);
      el.querySelector('[data-cn-out="input-scale"]').textContent = w.grayScale(num(0), num(255));
      if (state.weights.flat().some((v) => !Number.isFinite(v))) {
        message.append(CE.h("div", { class: "cn-ex-refusal", role: "alert" }, CE.h("p", {}, w.nan)));
        state.result = null;
        return;
      }
      const result = filter2d(photo.bytes, size, size, state.weights, state.border);
      const clipped = toUint8(result);
      state.result = result;
      state.clipped = clipped;
      let lo = Infinity;
      let hi = -Infinity;
      let negative = 0;
      let over = 0;
      for (const v of result) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      for (let i = 0; i < result.length; i += 1) {
        if (clipped[i] === 0 && result[i] < 0) negative += 1;
        if (clipped[i] === 255 && result[i] > 255) over += 1;
      }
      const floatScale = el.querySelector('[data-cn-out="float-scale"]');
      if (isSigned(state.weights)) {
        const limit = robustLimit(result, 99.5);
        paint(panels[1].canvas, result, (v) => {
          const k = 3 * index((v + limit) / (2 * limit));
          return [lut[k], lut[k + 1], lut[k + 2]];
        });
        floatScale.textContent = `${w.range(num(lo), num(hi))}; ${w.signedScale(num(limit))}`;
      } else {
        const span = hi - lo || 1;
        paint(panels[1].canvas, result, (v) => {
          const g = index((v - lo) / span);
          return [g, g, g];
        });
        floatScale.textContent = `${w.range(num(lo), num(hi))}; ${w.grayScale(num(lo), num(hi))}`;
      }
      paint(panels[2].canvas, clipped, (x) => [x, x, x]);
      const share = (count) => num((100 * count) / result.length, 1);
      el.querySelector('[data-cn-out="uint8-scale"]').textContent = w.clipped(share(negative), share(over));
      if (state.probe) showProbe(...state.probe);
    }

    function showProbe(r, c) {
      state.probe = [r, c];
      if (!state.result) return;
      const i = r * size + c;
      probe.textContent = w.probe(
        CE.formatNumber(r, lang),
        CE.formatNumber(c, lang),
        CE.formatNumber(photos[state.photo].bytes[i], lang),
        num(state.result[i], 3),
        CE.formatNumber(state.clipped[i], lang),
      );
    }
  }

  CE.kernelPlayground = { math, mount, WORDS };
  CE.register("kernel-playground", CE.kernelPlayground);
})(typeof globalThis !== "undefined" ? globalThis : this);
