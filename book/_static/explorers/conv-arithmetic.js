// Explorer: convolution arithmetic (output size, zeros before/after, kernel positions).
// The math follows convnotes.conv.output_size and padding_amounts ("same" as in
// TensorFlow/Keras: the larger half of an odd total goes after). "explicit" padding,
// which the package does not name, is output_size(n + p_b + p_a, k, "valid", s, d).
(function (root) {
  "use strict";
  const CE = root.ConvnotesExplorers;
  const PADDINGS = ["valid", "same", "full", "explicit"];

  // ------------------------------------------------------------------ math --
  function effectiveSize(k, d) {
    return d * (k - 1) + 1;
  }

  // convnotes.conv.output_size: {value} or {error, message} with the package's text.
  function outputSize(n, k, padding, stride, dilation) {
    for (const [value, name] of [
      [n, "n"],
      [k, "k"],
      [stride, "stride"],
      [dilation, "dilation"],
    ]) {
      const problem = CE.checkPositiveInt(value, name);
      if (problem) return problem;
    }
    const keff = effectiveSize(k, dilation);
    if (padding === "same") return { value: CE.ceilDiv(n, stride) };
    if (padding === "full") return { value: CE.floorDiv(n + keff - 2, stride) + 1 };
    if (padding !== "valid") {
      return {
        error: "ValueError",
        message: `padding must be one of 'valid', 'same', 'full', got '${padding}'`,
      };
    }
    if (n < keff) {
      return {
        error: "ValueError",
        message:
          `kernel (effective size ${keff}) is larger than the input (${n}) ` +
          "under 'valid' padding; use padding='same' or a smaller kernel",
        rule: "too-large",
        keff,
        n,
      };
    }
    return { value: CE.floorDiv(n - keff, stride) + 1 };
  }

  // convnotes.conv.padding_amounts: [before, after] or an error.
  function paddingAmounts(n, k, padding, stride, dilation) {
    const out = outputSize(n, k, padding, stride, dilation);
    if (out.error) return out;
    const keff = effectiveSize(k, dilation);
    if (padding === "valid") return { value: [0, 0] };
    if (padding === "full") return { value: [keff - 1, keff - 1] };
    const total = Math.max((out.value - 1) * stride + keff - n, 0);
    return { value: [CE.floorDiv(total, 2), total - CE.floorDiv(total, 2)] };
  }

  function checkNonNegative(value, name) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      return {
        error: "ValueError",
        message: `${name} must be a non-negative integer, got ${CE.pyRepr(value)}`,
        rule: "non-negative",
      };
    }
    return null;
  }

  // Everything the explorer shows for one axis. `before`/`after` are only read for
  // "explicit" padding. Returns {out, before, after, keff, padded} or an error.
  function axis(n, k, padding, stride, dilation, before, after) {
    if (padding === "explicit") {
      const problem =
        CE.checkPositiveInt(n, "n") ||
        checkNonNegative(before, "padding before") ||
        checkNonNegative(after, "padding after");
      if (problem) return problem;
      const out = outputSize(n + before + after, k, "valid", stride, dilation);
      if (out.error) return out;
      const keff = effectiveSize(k, dilation);
      return { out: out.value, before, after, keff, padded: n + before + after };
    }
    const out = outputSize(n, k, padding, stride, dilation);
    if (out.error) return out;
    const [b, a] = paddingAmounts(n, k, padding, stride, dilation).value;
    const keff = effectiveSize(k, dilation);
    return { out: out.value, before: b, after: a, keff, padded: n + b + a };
  }

  // Positions (in the padded input) the kernel reads for output position o.
  function taps(o, stride, k, dilation) {
    const list = [];
    for (let t = 0; t < k; t += 1) list.push(o * stride + t * dilation);
    return list;
  }

  const math = { effectiveSize, outputSize, paddingAmounts, axis, taps, PADDINGS };

  // -------------------------------------------------------------------- UI --
  const WORDS = {
    en: {
      title: "Explorer: convolution arithmetic",
      intro:
        "Change the sizes; the output size, the zeros added and the kernel's positions follow.",
      height: "Height",
      width: "Width",
      link: "Same settings for both axes",
      n: ["Input size", "n"],
      k: ["Kernel size", "k"],
      s: ["Stride", "s"],
      d: ["Dilation", "d"],
      padding: "Padding",
      pb: ["Zeros before", "p_b"],
      pa: ["Zeros after", "p_a"],
      explicit: "explicit",
      out: ["Output size", "o"],
      zeros: "Zeros before + after",
      keff: "Effective kernel size",
      position: (i, total, r, c) => `Position ${i} of ${total}: output row ${r}, column ${c}`,
      noPosition: "No output position: fix the settings above.",
      grid: "The kernel's positions on the padded input (arrow keys step, space plays)",
      first: "First position",
      prev: "Previous position",
      play: "Play",
      pause: "Pause",
      next: "Next position",
      input: (hp, wp) => `Padded input, ${hp} × ${wp} (dashed: zeros)`,
      output: (ho, wo) => `Output, ${ho} × ${wo}`,
      tooBig: (limit) => `The grid is drawn up to ${limit} cells per side.`,
      nan: "Type a number.",
      tooLarge: (keff, n) =>
        `The kernel (effective size ${keff}) is larger than the input (${n}): refused.`,
      tooLargePadded: (keff, n) =>
        `The kernel (effective size ${keff}) is larger than the padded input (${n}): refused.`,
      positive: (name) => `${name} must be a positive integer: refused.`,
      nonNegative: (name) => `${name} must be a non-negative integer: refused.`,
      refused: "refused",
    },
    fa: {
      title: "کاوشگر: حساب اندازهٔ خروجی کانولوشن",
      intro: "اندازه‌ها را تغییر دهید؛ اندازهٔ خروجی، صفرهای افزوده و جایگاه‌های هسته همراه آن‌ها تغییر می‌کنند.",
      height: "ارتفاع",
      width: "پهنا",
      link: "تنظیم یکسان برای هر دو محور",
      n: ["اندازهٔ ورودی", "n"],
      k: ["اندازهٔ هسته", "k"],
      s: ["گام", "s"],
      d: ["اتساع", "d"],
      padding: "حاشیه‌گذاری",
      pb: ["صفرهای پیش", "p_b"],
      pa: ["صفرهای پس", "p_a"],
      explicit: "صریح (explicit)",
      out: ["اندازهٔ خروجی", "o"],
      zeros: "صفرهای پیش + پس",
      keff: "اندازهٔ مؤثر هسته",
      position: (i, total, r, c) => `جایگاه ${i} از ${total}: خروجیِ سطر ${r}، ستون ${c}`,
      noPosition: "جایگاهی برای خروجی نیست: تنظیم‌های بالا را درست کنید.",
      grid: "جایگاه‌های هسته روی ورودی حاشیه‌دار (کلیدهای جهت یک جایگاه جابه‌جا می‌کنند و کلید فاصله پخش می‌کند)",
      first: "نخستین جایگاه",
      prev: "جایگاه قبلی",
      play: "پخش",
      pause: "توقف",
      next: "جایگاه بعدی",
      input: (hp, wp) => `ورودی حاشیه‌دار، ${hp} × ${wp} (خط‌چین: صفر)`,
      output: (ho, wo) => `خروجی، ${ho} × ${wo}`,
      tooBig: (limit) => `توری فقط تا ${limit} خانه در هر ضلع کشیده می‌شود.`,
      nan: "یک عدد بنویسید.",
      tooLarge: (keff, n) => `هسته (با اندازهٔ مؤثر ${keff}) از ورودی (${n}) بزرگ‌تر است: پذیرفته نیست.`,
      tooLargePadded: (keff, n) =>
        `هسته (با اندازهٔ مؤثر ${keff}) از ورودیِ حاشیه‌دار (${n}) بزرگ‌تر است: پذیرفته نیست.`,
      positive: (name) => `${name} باید عدد صحیح مثبت باشد: پذیرفته نیست.`,
      nonNegative: (name) => `${name} باید عدد صحیح نامنفی باشد: پذیرفته نیست.`,
      refused: "پذیرفته نیست",
    },
  };
  const DRAW_LIMIT = 40;
  const FIELD_NAMES = { n: "n", k: "k", stride: "s", dilation: "d" };

  function mount(el, { lang, options }) {
    const w = CE.words(WORDS[lang]);
    const num = (x) => CE.formatNumber(x, lang);
    const start = {
      n: Number(options.input || 5),
      k: Number(options.kernel || 3),
      s: Number(options.stride || 1),
      d: Number(options.dilation || 1),
      padding: PADDINGS.includes(options.padding) ? options.padding : "valid",
      pb: 1,
      pa: 1,
    };
    const state = { h: { ...start }, w: { ...start }, linked: true, index: 0, timer: null };

    el.append(
      CE.h("p", { class: "cn-ex-title" }, w.title),
      CE.h("p", { class: "cn-ex-intro" }, w.intro),
    );
    const linkBox = CE.h("input", { type: "checkbox", id: CE.uid("link"), checked: true, "data-cn-field": "link" });
    el.append(CE.h("div", { class: "cn-ex-row" }, CE.h("label", { class: "cn-ex-check" }, linkBox, " ", w.link)));
    const columns = CE.h("div", { class: "cn-ex-columns" });
    el.append(columns);
    const panels = {};
    for (const ax of ["h", "w"]) {
      panels[ax] = buildAxis(ax);
      columns.append(panels[ax].el);
    }
    linkBox.addEventListener("change", () => {
      state.linked = linkBox.checked;
      if (state.linked) copyAxis("h", "w");
      update();
    });

    // the kernel's positions
    const status = CE.h("p", { class: "cn-ex-status", "aria-live": "polite", "data-cn-out": "position" });
    const btn = (label, text, onclick, field) =>
      CE.h("button", { type: "button", class: "cn-ex-button", "aria-label": label, title: label, onclick, "data-cn-field": field }, text);
    const playButton = btn(w.play, "▶", () => togglePlay(), "play");
    const controls = CE.h(
      "div",
      { class: "cn-ex-controls", dir: "ltr" },
      btn(w.first, "⇤", () => go(0), "first"),
      btn(w.prev, "←", () => go(state.index - 1), "prev"),
      playButton,
      btn(w.next, "→", () => go(state.index + 1), "next"),
    );
    const inputFigure = CE.h("figure", { class: "cn-ex-grid" });
    const outputFigure = CE.h("figure", { class: "cn-ex-grid" });
    const grids = CE.h(
      "div",
      {
        class: "cn-ex-grids",
        dir: "ltr",
        tabindex: "0",
        "aria-label": w.grid,
        onkeydown: (event) => {
          if (event.key === "ArrowRight" || event.key === "ArrowDown") go(state.index + 1);
          else if (event.key === "ArrowLeft" || event.key === "ArrowUp") go(state.index - 1);
          else if (event.key === "Home") go(0);
          else if (event.key === " ") togglePlay();
          else return;
          event.preventDefault();
        },
      },
      inputFigure,
      outputFigure,
    );
    el.append(CE.h("div", { class: "cn-ex-row" }, controls, status), grids);
    update();

    function buildAxis(ax) {
      const s = state[ax];
      const box = CE.h("fieldset", { class: "cn-ex-axis", "data-cn-axis": ax });
      box.append(CE.h("legend", {}, ax === "h" ? w.height : w.width));
      const fields = {};
      const onChange = (key) => (value) => {
        state[ax][key] = value;
        if (state.linked && ax === "h") copyAxis("h", "w");
        if (state.linked && ax === "w") {
          state.linked = false;
          linkBox.checked = false;
        }
        update();
      };
      for (const [key, label, min] of [
        ["n", w.n, 1],
        ["k", w.k, 1],
        ["s", w.s, 1],
        ["d", w.d, 1],
      ]) {
        fields[key] = CE.stepper({
          label: CE.labelWith(...label),
          lang,
          field: `${key}-${ax}`,
          value: s[key],
          min,
          max: 99,
          onChange: onChange(key),
        });
        box.append(fields[key].el);
      }
      const options = PADDINGS.map((p) => [p, p === "explicit" ? w.explicit : p]);
      fields.padding = CE.select({
        label: w.padding,
        field: `padding-${ax}`,
        options,
        value: s.padding,
        onChange: onChange("padding"),
      });
      fields.padding.select.setAttribute("dir", "ltr");
      box.append(fields.padding.el);
      const explicit = CE.h("div", { class: "cn-ex-explicit" });
      for (const [key, label] of [
        ["pb", w.pb],
        ["pa", w.pa],
      ]) {
        fields[key] = CE.stepper({
          label: CE.labelWith(...label),
          lang,
          field: `${key}-${ax}`,
          value: s[key],
          min: 0,
          max: 99,
          onChange: onChange(key),
        });
        explicit.append(fields[key].el);
      }
      box.append(explicit);
      const result = CE.h("div", { class: "cn-ex-result", "data-cn-result": ax, "aria-live": "polite" });
      box.append(result);
      return { el: box, fields, explicit, result };
    }

    function copyAxis(from, to) {
      state[to] = { ...state[from] };
      const f = panels[to].fields;
      for (const key of ["n", "k", "s", "d", "pb", "pa"]) {
        const v = state[to][key];
        f[key].input.value = Number.isFinite(v) ? CE.digits(String(v), lang) : panels[from].fields[key].input.value;
      }
      f.padding.select.value = state[to].padding;
    }

    function compute(ax) {
      const s = state[ax];
      const values = [s.n, s.k, s.s, s.d].concat(s.padding === "explicit" ? [s.pb, s.pa] : []);
      if (values.some((v) => Number.isNaN(v))) return { error: "input", nan: true };
      return axis(s.n, s.k, s.padding, s.s, s.d, s.pb, s.pa);
    }

    function explain(result, ax) {
      const s = state[ax];
      if (result.nan) return CE.h("div", { class: "cn-ex-refusal", role: "alert" }, CE.h("p", {}, w.nan));
      const m = result.message;
      let text;
      if (/larger than the input/.test(m)) {
        const keff = effectiveSize(s.k, s.d);
        text =
          s.padding === "explicit"
            ? w.tooLargePadded(num(keff), num(s.n + s.pb + s.pa))
            : w.tooLarge(num(keff), num(s.n));
      } else if (/non-negative/.test(m)) {
        text = w.nonNegative(m.startsWith("padding before") ? "p_b" : "p_a");
      } else {
        const name = m.split(" ")[0];
        text = w.positive(FIELD_NAMES[name] || name);
      }
      return CE.refusal(lang, text, m);
    }

    function formulaLines(r, ax) {
      const s = state[ax];
      const F = (t) => CE.formulaDigits(t, lang);
      const lines = [];
      if (s.d !== 1) lines.push(F(`k_eff = d(k − 1) + 1 = ${s.d}·(${s.k} − 1) + 1 = ${r.keff}`));
      const keff = s.d !== 1 ? "k_eff" : "k";
      if (s.padding === "same") {
        lines.push(F(`o = ⌈n / s⌉ = ⌈${s.n} / ${s.s}⌉ = ${r.out}`));
        const total = r.before + r.after;
        lines.push(
          F(`p_b + p_a = max((o − 1)s + ${keff} − n, 0) = max(${r.out - 1}·${s.s} + ${r.keff} − ${s.n}, 0) = ${total}`),
        );
        lines.push(F(`p_b = ⌊${total} / 2⌋ = ${r.before}, p_a = ${total} − ${r.before} = ${r.after}`));
      } else {
        if (s.padding === "full") lines.push(F(`p_b = p_a = ${keff} − 1 = ${r.before}`));
        const sum = s.padding === "valid" ? `${s.n}` : `${s.n} + ${r.before} + ${r.after}`;
        const symbolic = s.padding === "valid" ? `⌊(n − ${keff}) / s⌋ + 1` : `⌊(n + p_b + p_a − ${keff}) / s⌋ + 1`;
        lines.push(F(`o = ${symbolic} = ⌊(${sum} − ${r.keff}) / ${s.s}⌋ + 1 = ${r.out}`));
      }
      return lines;
    }

    function update() {
      const results = {};
      for (const ax of ["h", "w"]) {
        const panel = panels[ax];
        const s = state[ax];
        panel.explicit.hidden = s.padding !== "explicit";
        const r = compute(ax);
        results[ax] = r;
        panel.result.replaceChildren();
        if (r.error) {
          panel.result.append(explain(r, ax));
          continue;
        }
        panel.result.append(
          CE.h(
            "dl",
            { class: "cn-ex-numbers" },
            CE.h("dt", {}, CE.labelWith(...w.out)),
            CE.h("dd", { "data-cn-out": "out" }, num(r.out)),
            CE.h("dt", {}, w.zeros),
            CE.h("dd", { "data-cn-out": "zeros" }, `${num(r.before)} + ${num(r.after)}`),
            CE.h("dt", {}, w.keff),
            CE.h("dd", { "data-cn-out": "keff" }, num(r.keff)),
          ),
          CE.h(
            "div",
            { class: "cn-ex-formula", dir: "ltr", "data-cn-out": "formula" },
            formulaLines(r, ax).map((line) => CE.h("div", {}, CE.formula(line))),
          ),
        );
      }
      state.results = results;
      const ok = !results.h.error && !results.w.error;
      state.total = ok ? results.h.out * results.w.out : 0;
      if (state.index >= state.total) state.index = 0;
      if (!ok) stop();
      draw();
    }

    function go(index) {
      if (!state.total) return;
      state.index = ((index % state.total) + state.total) % state.total;
      draw();
    }

    function togglePlay() {
      if (state.timer) return stop();
      if (!state.total) return;
      playButton.textContent = "❚❚";
      playButton.setAttribute("aria-label", w.pause);
      playButton.title = w.pause;
      state.timer = setInterval(() => {
        if (state.index + 1 >= state.total) stop();
        else go(state.index + 1);
      }, 650);
    }

    function stop() {
      if (state.timer) clearInterval(state.timer);
      state.timer = null;
      playButton.textContent = "▶";
      playButton.setAttribute("aria-label", w.play);
      playButton.title = w.play;
    }

    function draw() {
      const { h: rh, w: rw } = state.results;
      inputFigure.replaceChildren();
      outputFigure.replaceChildren();
      if (!state.total) {
        status.textContent = w.noPosition;
        return;
      }
      const row = Math.floor(state.index / rw.out);
      const col = state.index % rw.out;
      status.textContent = w.position(num(state.index + 1), num(state.total), num(row), num(col));
      const big = rh.padded > DRAW_LIMIT || rw.padded > DRAW_LIMIT || rh.out > DRAW_LIMIT || rw.out > DRAW_LIMIT;
      if (big) {
        inputFigure.append(CE.h("figcaption", {}, w.tooBig(num(DRAW_LIMIT))));
        return;
      }
      const sh = state.h;
      const sw = state.w;
      const tapRows = new Set(taps(row, sh.s, sh.k, sh.d));
      const tapCols = new Set(taps(col, sw.s, sw.k, sw.d));
      const cell = 20;
      const gap = 2;
      const pic = CE.svg("svg", {
        viewBox: `0 0 ${rw.padded * cell + gap} ${rh.padded * cell + gap}`,
        width: rw.padded * cell + gap,
        role: "img",
        "aria-label": w.input(num(rh.padded), num(rw.padded)),
      });
      for (let r = 0; r < rh.padded; r += 1) {
        for (let c = 0; c < rw.padded; c += 1) {
          const inside = r >= rh.before && r < rh.before + sh.n && c >= rw.before && c < rw.before + sw.n;
          const tapped = tapRows.has(r) && tapCols.has(c);
          pic.append(
            CE.svg("rect", {
              x: c * cell + gap,
              y: r * cell + gap,
              width: cell - gap,
              height: cell - gap,
              class: (inside ? "cn-ex-in" : "cn-ex-pad") + (tapped ? " cn-ex-tap" : ""),
            }),
          );
        }
      }
      const top = row * sh.s;
      const left = col * sw.s;
      pic.append(
        CE.svg("rect", {
          x: left * cell + gap / 2,
          y: top * cell + gap / 2,
          width: rw.keff * cell,
          height: rh.keff * cell,
          class: "cn-ex-window",
        }),
      );
      inputFigure.append(pic, CE.h("figcaption", {}, w.input(num(rh.padded), num(rw.padded))));
      const out = CE.svg("svg", {
        viewBox: `0 0 ${rw.out * cell + gap} ${rh.out * cell + gap}`,
        width: rw.out * cell + gap,
        role: "img",
        "aria-label": w.output(num(rh.out), num(rw.out)),
      });
      for (let r = 0; r < rh.out; r += 1) {
        for (let c = 0; c < rw.out; c += 1) {
          const i = r * rw.out + c;
          const cls = i === state.index ? "cn-ex-now" : i < state.index ? "cn-ex-done" : "cn-ex-todo";
          out.append(
            CE.svg("rect", { x: c * cell + gap, y: r * cell + gap, width: cell - gap, height: cell - gap, class: cls }),
          );
        }
      }
      outputFigure.append(out, CE.h("figcaption", {}, w.output(num(rh.out), num(rw.out))));
    }
  }

  CE.convArithmetic = { math, mount, WORDS };
  CE.register("conv-arithmetic", CE.convArithmetic);
})(typeof globalThis !== "undefined" ? globalThis : this);
