// Explorer: max, average, min and adaptive pooling of a small editable feature map, as
// convnotes.pooling.pool2d and adaptive_pool2d compute them ("same" padding splits as
// Keras does; padded positions never win a max or a min, and an average divides by the
// number of real values in its window; adaptive bin i covers floor(i n / out) up to
// ceil((i + 1) n / out)).
(function (root) {
  "use strict";
  const CE = root.ConvnotesExplorers;
  const MODES = ["max", "average", "min"];
  const AXES = ["height", "width"];

  // ------------------------------------------------------------------ math --
  // Windows along one axis: [{start, end, padded}] of real positions [start, end).
  function windows(n, k, s, padding) {
    let count;
    let before = 0;
    if (padding === "same") {
      count = CE.ceilDiv(n, s);
      const total = Math.max((count - 1) * s + k - n, 0);
      before = CE.floorDiv(total, 2);
    } else {
      count = CE.floorDiv(n - k, s) + 1;
    }
    const out = [];
    for (let o = 0; o < count; o += 1) {
      const first = o * s - before;
      const start = Math.max(first, 0);
      const end = Math.min(first + k, n);
      out.push({ start, end, padded: k - (end - start) });
    }
    return out;
  }

  // convnotes.pooling.adaptive_bins(n, out): [{start, end}].
  function adaptiveBins(n, out) {
    const bins = [];
    for (let i = 0; i < out; i += 1) {
      bins.push({ start: CE.floorDiv(i * n, out), end: CE.ceilDiv((i + 1) * n, out), padded: 0 });
    }
    return bins;
  }

  function checkPairs(pairs) {
    for (const [values, name] of pairs) {
      for (const value of values) {
        const problem = CE.checkPositiveItem(value, name);
        if (problem) return problem;
      }
    }
    return null;
  }

  function checkMode(mode) {
    if (!MODES.includes(mode)) {
      return { error: "ValueError", message: `mode must be one of 'max', 'average', 'min', got '${mode}'` };
    }
    return null;
  }

  // Reduce x (rows of numbers) over rectangular windows, one axis at a time as the
  // package does: windows of rows first, then of columns; an average divides the sum
  // by the number of real values at the end (windowed) or per axis (adaptive).
  function reduce(x, rowWins, colWins, mode, perAxisMean) {
    const combine = mode === "max" ? Math.max : mode === "min" ? Math.min : (a, b) => a + b;
    const width = x[0].length;
    const stage = rowWins.map((win) => {
      const line = new Array(width);
      for (let c = 0; c < width; c += 1) {
        let acc = x[win.start][c];
        for (let r = win.start + 1; r < win.end; r += 1) acc = combine(acc, x[r][c]);
        line[c] = mode === "average" && perAxisMean ? acc / (win.end - win.start) : acc;
      }
      return line;
    });
    return stage.map((line, i) =>
      colWins.map((win) => {
        let acc = line[win.start];
        for (let c = win.start + 1; c < win.end; c += 1) acc = combine(acc, line[c]);
        if (mode !== "average") return acc;
        if (perAxisMean) return acc / (win.end - win.start);
        return acc / ((rowWins[i].end - rowWins[i].start) * (win.end - win.start));
      }),
    );
  }

  // convnotes.pooling.pool2d(x, pool_size, strides, padding, mode) for a 2-D map.
  // strides null: the window size (Keras' default). {value, rows, cols} or an error.
  function pool2d(x, poolSize, strides, padding, mode) {
    const problem =
      checkPairs([[poolSize, "pool_size"]]) || (strides ? checkPairs([[strides, "strides"]]) : null);
    if (problem) return problem;
    if (padding !== "valid" && padding !== "same") {
      return { error: "ValueError", message: `padding must be one of 'valid', 'same', got '${padding}'` };
    }
    const modeProblem = checkMode(mode);
    if (modeProblem) return modeProblem;
    const steps = strides || poolSize;
    const shape = [x.length, x[0].length];
    for (let a = 0; a < 2; a += 1) {
      if (padding === "valid" && poolSize[a] > shape[a]) {
        return {
          error: "ValueError",
          message:
            `pool_size (${poolSize[a]}) is larger than the input (${shape[a]}) along ${AXES[a]} under ` +
            "'valid' padding; use padding='same' or a smaller pool_size",
          axis: a,
        };
      }
    }
    const rows = windows(shape[0], poolSize[0], steps[0], padding);
    const cols = windows(shape[1], poolSize[1], steps[1], padding);
    return { value: reduce(x, rows, cols, mode, false), rows, cols };
  }

  // convnotes.pooling.adaptive_pool2d(x, output_size, mode) for a 2-D map.
  function adaptivePool2d(x, outputSize, mode) {
    const problem = checkPairs([[outputSize, "output_size"]]) || checkMode(mode);
    if (problem) return problem;
    const rows = adaptiveBins(x.length, outputSize[0]);
    const cols = adaptiveBins(x[0].length, outputSize[1]);
    return { value: reduce(x, rows, cols, mode, true), rows, cols };
  }

  const math = { windows, adaptiveBins, pool2d, adaptivePool2d, MODES };

  // -------------------------------------------------------------------- UI --
  const WORDS = {
    en: {
      title: "Explorer: pooling",
      intro:
        "Edit the feature map and the settings. Point at (or tab to) an output value to see the window it summarises.",
      rows: "Rows",
      cols: "Columns",
      random: "Random values",
      layer: "Pooling",
      windowed: "with a window (pool2d)",
      adaptive: "adaptive (adaptive_pool2d)",
      mode: "Mode",
      modes: { max: "max", average: "average", min: "min" },
      poolH: ["Window height", "k_h"],
      poolW: ["Window width", "k_w"],
      linked: "Stride = window (Keras' default)",
      strideH: ["Stride along height", "s_h"],
      strideW: ["Stride along width", "s_w"],
      padding: "Padding",
      outH: ["Output height", "o_h"],
      outW: ["Output width", "o_w"],
      input: "Feature map",
      cell: (r, c) => `row ${r}, column ${c}`,
      output: (h, w) => `Output, ${h} × ${w}`,
      window: (r, c, r0, r1, c0, c1) =>
        `Output (${r}, ${c}) summarises rows ${r0}–${r1} and columns ${c0}–${c1} of the map`,
      padded: (p) => `, and ${p} padded positions, which are ignored`,
      hint: "Point at an output value.",
      nan: "Every cell and setting needs a number.",
      positive: (name) => `${name} must be a positive integer: refused.`,
      tooLarge: (k, n, axis) => `The window (${k}) is larger than the map (${n}) along ${axis} under 'valid' padding: refused.`,
      axes: ["height", "width"],
    },
    fa: {
      title: "کاوشگر: ادغام",
      intro:
        "نقشهٔ ویژگی و تنظیم‌ها را تغییر دهید. نشانگر را روی یک مقدار خروجی ببرید (یا با Tab به آن برسید) تا پنجره‌ای که خلاصه می‌کند دیده شود.",
      rows: "سطرها",
      cols: "ستون‌ها",
      random: "مقدارهای تصادفی",
      layer: "ادغام",
      windowed: "با پنجره (pool2d)",
      adaptive: "تطبیقی (adaptive_pool2d)",
      mode: "نوع",
      modes: { max: "بیشینه (max)", average: "میانگین (average)", min: "کمینه (min)" },
      poolH: ["ارتفاع پنجره", "k_h"],
      poolW: ["پهنای پنجره", "k_w"],
      linked: "گام = پنجره (پیش‌فرض Keras)",
      strideH: ["گام در راستای ارتفاع", "s_h"],
      strideW: ["گام در راستای پهنا", "s_w"],
      padding: "حاشیه‌گذاری",
      outH: ["ارتفاع خروجی", "o_h"],
      outW: ["پهنای خروجی", "o_w"],
      input: "نقشهٔ ویژگی",
      cell: (r, c) => `سطر ${r}، ستون ${c}`,
      output: (h, w) => `خروجی، ${h} × ${w}`,
      window: (r, c, r0, r1, c0, c1) =>
        `خروجی (${r}، ${c}) سطرهای ${r0} تا ${r1} و ستون‌های ${c0} تا ${c1} نقشه را خلاصه می‌کند`,
      padded: (p) => `، به‌علاوهٔ ${p} مکان حاشیه که نادیده گرفته می‌شوند`,
      hint: "نشانگر را روی یک مقدار خروجی ببرید.",
      nan: "هر خانه و هر تنظیم باید یک عدد باشد.",
      positive: (name) => `${name} باید عدد صحیح مثبت باشد: پذیرفته نیست.`,
      tooLarge: (k, n, axis) => `پنجره (${k}) در راستای ${axis} از نقشه (${n}) بزرگ‌تر است و با حاشیه‌گذاری valid جا نمی‌شود: پذیرفته نیست.`,
      axes: ["ارتفاع", "پهنا"],
    },
  };

  const START = [
    [1, 3, 2, 0, 5, 4],
    [4, 6, 1, 1, 2, 7],
    [0, 2, 5, 7, 3, 1],
    [1, 1, 3, 8, 0, 2],
    [6, 2, 4, 1, 9, 3],
    [2, 5, 0, 3, 1, 6],
  ];

  function mount(el, { lang, options }) {
    const w = CE.words(WORDS[lang]);
    const show = (x) => CE.formatShort(x, lang, 3);
    const num = (x) => CE.formatNumber(x, lang);
    const state = {
      map: START.map((row) => row.slice()),
      layer: options.layer === "adaptive" ? "adaptive" : "windowed",
      mode: MODES.includes(options.mode) ? options.mode : "max",
      pool: [Number(options.window || 2), Number(options.window || 2)],
      strides: [2, 2],
      linked: true,
      padding: options.padding === "same" ? "same" : "valid",
      out: [2, 3],
    };
    el.append(CE.h("p", { class: "cn-ex-title" }, w.title), CE.h("p", { class: "cn-ex-intro" }, w.intro));

    const sizeRow = CE.h("div", { class: "cn-ex-row" });
    const rowsField = CE.stepper({ label: w.rows, lang, field: "rows", value: 6, min: 1, max: 8, onChange: (v) => resize(v, null) });
    const colsField = CE.stepper({ label: w.cols, lang, field: "cols", value: 6, min: 1, max: 8, onChange: (v) => resize(null, v) });
    const randomButton = CE.h("button", { type: "button", class: "cn-ex-button", "data-cn-field": "random", onclick: randomize }, w.random);
    sizeRow.append(rowsField.el, colsField.el, randomButton);

    const layerField = CE.select({
      label: w.layer,
      field: "layer",
      options: [
        ["windowed", w.windowed],
        ["adaptive", w.adaptive],
      ],
      value: state.layer,
      onChange: (v) => {
        state.layer = v;
        update();
      },
    });
    const modeField = CE.select({
      label: w.mode,
      field: "mode",
      options: MODES.map((m) => [m, w.modes[m]]),
      value: state.mode,
      onChange: (v) => {
        state.mode = v;
        update();
      },
    });
    const setting = (key, index, words, field) =>
      CE.stepper({
        label: CE.labelWith(...words),
        lang,
        field,
        value: state[key][index],
        min: 1,
        max: 9,
        onChange: (v) => {
          state[key][index] = v;
          if (key === "pool" && state.linked) {
            state.strides[index] = v;
            strideFields[index].input.value = CE.digits(String(v), lang);
          }
          update();
        },
      });
    const poolFields = [setting("pool", 0, w.poolH, "pool-h"), setting("pool", 1, w.poolW, "pool-w")];
    state.strides = state.pool.slice();
    const strideFields = [setting("strides", 0, w.strideH, "stride-h"), setting("strides", 1, w.strideW, "stride-w")];
    const linkBox = CE.h("input", { type: "checkbox", checked: true, "data-cn-field": "stride-linked" });
    linkBox.addEventListener("change", () => {
      state.linked = linkBox.checked;
      if (state.linked) {
        state.strides = state.pool.slice();
        strideFields.forEach((f, i) => (f.input.value = CE.digits(String(state.strides[i]), lang)));
      }
      update();
    });
    const paddingField = CE.select({
      label: w.padding,
      field: "padding",
      options: [
        ["valid", "valid"],
        ["same", "same"],
      ],
      value: state.padding,
      onChange: (v) => {
        state.padding = v;
        update();
      },
    });
    paddingField.select.setAttribute("dir", "ltr");
    const outFields = [
      CE.stepper({ label: CE.labelWith(...w.outH), lang, field: "out-h", value: 2, min: 1, max: 9, onChange: (v) => ((state.out[0] = v), update()) }),
      CE.stepper({ label: CE.labelWith(...w.outW), lang, field: "out-w", value: 3, min: 1, max: 9, onChange: (v) => ((state.out[1] = v), update()) }),
    ];
    const windowedBox = CE.h(
      "div",
      { class: "cn-ex-row" },
      poolFields[0].el,
      poolFields[1].el,
      CE.h("label", { class: "cn-ex-check" }, linkBox, " ", w.linked),
      strideFields[0].el,
      strideFields[1].el,
      paddingField.el,
    );
    const adaptiveBox = CE.h("div", { class: "cn-ex-row" }, outFields[0].el, outFields[1].el);
    const mapGrid = CE.h("div", { class: "cn-ex-map", dir: "ltr", role: "group", "aria-label": w.input });
    const outGrid = CE.h("div", { class: "cn-ex-map cn-ex-map-out", dir: "ltr", role: "group" });
    const note = CE.h("p", { class: "cn-ex-status", "aria-live": "polite", "data-cn-out": "window" }, w.hint);
    const result = CE.h("div", { class: "cn-ex-result" });
    el.append(
      sizeRow,
      CE.h("div", { class: "cn-ex-row" }, layerField.el, modeField.el),
      windowedBox,
      adaptiveBox,
      CE.h(
        "div",
        { class: "cn-ex-maps" },
        CE.h("figure", {}, mapGrid, CE.h("figcaption", {}, w.input)),
        CE.h("figure", {}, outGrid, CE.h("figcaption", { "data-cn-out": "shape" }, "")),
      ),
      note,
      result,
    );
    buildMap();
    update();

    function resize(rows, cols) {
      const h = rows === null ? state.map.length : rows;
      const wd = cols === null ? state.map[0].length : cols;
      if (!Number.isInteger(h) || !Number.isInteger(wd) || h < 1 || wd < 1 || h > 8 || wd > 8) return;
      const next = [];
      for (let r = 0; r < h; r += 1) {
        const row = [];
        for (let c = 0; c < wd; c += 1) {
          const old = state.map[r] && state.map[r][c];
          row.push(old !== undefined ? old : (START[r % 6][c % 6] + r + c) % 10);
        }
        next.push(row);
      }
      state.map = next;
      buildMap();
      update();
    }

    function randomize() {
      state.map = state.map.map((row) => row.map(() => Math.floor(Math.random() * 10)));
      buildMap();
      update();
    }

    function buildMap() {
      mapGrid.replaceChildren();
      mapGrid.style.gridTemplateColumns = `repeat(${state.map[0].length}, auto)`;
      state.map.forEach((row, r) =>
        row.forEach((value, c) => {
          const input = CE.h("input", {
            type: "text",
            inputmode: "decimal",
            class: "cn-ex-cell",
            "data-cn-field": `x-${r}-${c}`,
            "aria-label": w.cell(num(r), num(c)),
            value: show(value),
            size: 3,
          });
          input.addEventListener("input", () => {
            state.map[r][c] = CE.parseNumber(input.value);
            update();
          });
          mapGrid.append(input);
        }),
      );
    }

    function highlight(rowWin, colWin) {
      const cells = mapGrid.children;
      const width = state.map[0].length;
      for (let i = 0; i < cells.length; i += 1) {
        const r = Math.floor(i / width);
        const c = i % width;
        const inside = rowWin && r >= rowWin.start && r < rowWin.end && c >= colWin.start && c < colWin.end;
        cells[i].classList.toggle("cn-ex-hl", Boolean(inside));
      }
    }

    function update() {
      windowedBox.hidden = state.layer !== "windowed";
      adaptiveBox.hidden = state.layer !== "adaptive";
      strideFields.forEach((f) => (f.input.disabled = state.linked));
      outGrid.replaceChildren();
      result.replaceChildren();
      highlight(null, null);
      note.textContent = w.hint;
      const settings = state.layer === "windowed" ? [...state.pool, ...state.strides] : state.out;
      if (state.map.flat().some((v) => Number.isNaN(v)) || settings.some((v) => Number.isNaN(v))) {
        result.append(CE.h("div", { class: "cn-ex-refusal", role: "alert" }, CE.h("p", {}, w.nan)));
        el.querySelector('[data-cn-out="shape"]').textContent = "";
        return;
      }
      const r =
        state.layer === "windowed"
          ? pool2d(state.map, state.pool, state.linked ? null : state.strides, state.padding, state.mode)
          : adaptivePool2d(state.map, state.out, state.mode);
      if (r.error) {
        let text;
        if (r.axis !== undefined) {
          text = w.tooLarge(num(state.pool[r.axis]), num(r.axis ? state.map[0].length : state.map.length), w.axes[r.axis]);
        } else {
          const name = r.message.split(" ")[0];
          text = w.positive({ pool_size: "k", strides: "s", output_size: "o" }[name] || name);
        }
        result.append(CE.refusal(lang, text, r.message));
        el.querySelector('[data-cn-out="shape"]').textContent = "";
        return;
      }
      const oh = r.value.length;
      const ow = r.value[0].length;
      el.querySelector('[data-cn-out="shape"]').textContent = w.output(num(oh), num(ow));
      outGrid.style.gridTemplateColumns = `repeat(${ow}, auto)`;
      r.value.forEach((row, i) =>
        row.forEach((value, j) => {
          const rowWin = r.rows[i];
          const colWin = r.cols[j];
          const describe = () => {
            const padded = rowWin.padded * (colWin.end - colWin.start + colWin.padded) + colWin.padded * (rowWin.end - rowWin.start);
            return (
              w.window(num(i), num(j), num(rowWin.start), num(rowWin.end - 1), num(colWin.start), num(colWin.end - 1)) +
              (padded ? w.padded(num(padded)) : "") +
              "."
            );
          };
          const enter = () => {
            highlight(rowWin, colWin);
            note.textContent = describe();
            cell.classList.add("cn-ex-hl");
          };
          const leave = () => {
            cell.classList.remove("cn-ex-hl");
          };
          const cell = CE.h(
            "button",
            {
              type: "button",
              class: "cn-ex-cell cn-ex-out",
              "data-cn-out": `y-${i}-${j}`,
              onmouseenter: enter,
              onfocus: enter,
              onmouseleave: leave,
              onblur: leave,
              onkeydown: (event) => {
                const moves = { ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0] };
                const move = moves[event.key];
                if (!move) return;
                event.preventDefault();
                const ni = Math.min(Math.max(i + move[0], 0), oh - 1);
                const nj = Math.min(Math.max(j + move[1], 0), ow - 1);
                outGrid.children[ni * ow + nj].focus();
              },
            },
            show(value),
          );
          cell.setAttribute("aria-label", `${show(value)}: ${describe()}`);
          outGrid.append(cell);
        }),
      );
    }
  }

  CE.pooling = { math, mount, WORDS };
  CE.register("pooling", CE.pooling);
})(typeof globalThis !== "undefined" ? globalThis : this);
