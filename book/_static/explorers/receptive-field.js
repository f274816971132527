// Explorer: the receptive field and jump of a stack of convolution and pooling layers,
// as convnotes.conv.receptive_field_growth computes them (a pooling layer is a kernel
// of its window size whose stride defaults to that size).
(function (root) {
  "use strict";
  const CE = root.ConvnotesExplorers;
  const MAX_LAYERS = 12;
  const STRIP_LIMIT = 257;

  // ------------------------------------------------------------------ math --
  // convnotes.conv.receptive_field_growth: {value: [[field, jump], ...]} or an error.
  function growth(kernelSizes, strides, dilations) {
    const count = kernelSizes.length;
    if (count === 0) return { error: "ValueError", message: "kernel_sizes must name at least one layer" };
    for (const [values, name] of [
      [kernelSizes, "kernel_sizes"],
      [strides, "strides"],
      [dilations, "dilations"],
    ]) {
      if (values.length !== count) {
        return {
          error: "ValueError",
          message: `${name} must have one value per layer (${count}, as kernel_sizes), got ${values.length}`,
        };
      }
      for (const value of values) {
        const problem = CE.checkPositiveItem(value, name);
        if (problem) return problem;
      }
    }
    let field = 1;
    let jump = 1;
    const out = [];
    for (let l = 0; l < count; l += 1) {
      field += dilations[l] * (kernelSizes[l] - 1) * jump;
      jump *= strides[l];
      out.push([field, jump]);
    }
    return { value: out };
  }

  // The layers of the explorer ({type, k, s, d}) as the three lists the package takes.
  function lists(layers) {
    return {
      kernelSizes: layers.map((l) => l.k),
      strides: layers.map((l) => (l.type === "pool" && l.s === undefined ? l.k : l.s)),
      dilations: layers.map((l) => (l.type === "pool" ? 1 : l.d)),
    };
  }

  // How many paths lead from each input offset (0 .. field-1) to one output: the
  // offsets are the sums of t_l * d_l * J_{l-1} with 0 <= t_l < k_l. null when the
  // field is wider than `limit`.
  function paths(kernelSizes, strides, dilations, limit) {
    const grown = growth(kernelSizes, strides, dilations);
    if (grown.error) return null;
    const field = grown.value[grown.value.length - 1][0];
    if (field > limit) return null;
    let counts = new Float64Array(field);
    counts[0] = 1;
    let jump = 1;
    let reach = 0;
    for (let l = 0; l < kernelSizes.length; l += 1) {
      const next = new Float64Array(field);
      const step = dilations[l] * jump;
      for (let x = 0; x <= reach; x += 1) {
        if (!counts[x]) continue;
        for (let t = 0; t < kernelSizes[l]; t += 1) next[x + t * step] += counts[x];
      }
      reach += (kernelSizes[l] - 1) * step;
      counts = next;
      jump *= strides[l];
    }
    return counts;
  }

  const math = { growth, lists, paths };

  // -------------------------------------------------------------------- UI --
  const PRESETS = {
    plain: { en: "3×3, stride 1", fa: "۳×۳، گام ۱" },
    pool: { en: "3×3 + 2×2 pooling", fa: "۳×۳ + ادغام ۲×۲" },
    stride: { en: "3×3, stride 2", fa: "۳×۳، گام ۲" },
    dilation: { en: "3×3, dilation 1, 2, 4, 8", fa: "۳×۳، اتساع ۱، ۲، ۴، ۸" },
  };

  // The four stacks of the chapter's figure, four 3x3 convolutions each.
  function preset(kind) {
    const layers = [];
    for (let i = 0; i < 4; i += 1) {
      if (kind === "pool" && i) layers.push({ type: "pool", k: 2, s: 2, d: 1 });
      layers.push({ type: "conv", k: 3, s: kind === "stride" ? 2 : 1, d: kind === "dilation" ? 2 ** i : 1 });
    }
    return layers;
  }

  const WORDS = {
    en: {
      title: "Explorer: receptive field of a stack of layers",
      intro: "Add, remove and change layers; the field and the jump after each layer follow.",
      preset: "Start from",
      conv: "convolution",
      pool: "pooling",
      layer: (i) => `Layer ${i}`,
      type: "Layer type",
      k: ["Kernel", "k"],
      window: ["Window", "k"],
      s: ["Stride", "s"],
      d: ["Dilation", "d"],
      field: "field",
      jump: "jump",
      remove: (i) => `Remove layer ${i}`,
      addConv: "+ convolution",
      addPool: "+ pooling",
      total: (n) => `Receptive field after ${n} layers`,
      strip: "Input positions that reach one output of the last layer (darker: more paths; white: none).",
      stripTooWide: (limit) => `The strip is drawn for fields up to ${limit} positions.`,
      positive: (name) => `${name} must be a positive integer: refused.`,
      nan: "Type a number in every field.",
      empty: "Add at least one layer.",
    },
    fa: {
      title: "کاوشگر: میدان پذیرش یک پشته از لایه‌ها",
      intro: "لایه‌ها را بیفزایید، بردارید یا تغییر دهید؛ میدان و پرش پس از هر لایه همراه آن‌ها تغییر می‌کنند.",
      preset: "شروع از",
      conv: "کانولوشن",
      pool: "ادغام",
      layer: (i) => `لایهٔ ${i}`,
      type: "نوع لایه",
      k: ["هسته", "k"],
      window: ["پنجره", "k"],
      s: ["گام", "s"],
      d: ["اتساع", "d"],
      field: "میدان",
      jump: "پرش",
      remove: (i) => `حذف لایهٔ ${i}`,
      addConv: "+ کانولوشن",
      addPool: "+ ادغام",
      total: (n) => `میدان پذیرش پس از ${n} لایه`,
      strip: "مکان‌هایی از ورودی که به یک خروجی از لایهٔ آخر می‌رسند (تیره‌تر: مسیرهای بیشتر؛ سفید: هیچ مسیری).",
      stripTooWide: (limit) => `نوار فقط برای میدان‌های تا ${limit} مکان کشیده می‌شود.`,
      positive: (name) => `${name} باید عدد صحیح مثبت باشد: پذیرفته نیست.`,
      nan: "در هر خانه یک عدد بنویسید.",
      empty: "دست‌کم یک لایه بیفزایید.",
    },
  };

  function mount(el, { lang, options }) {
    const w = CE.words(WORDS[lang]);
    const num = (x) => CE.formatNumber(x, lang);
    let layers = preset(PRESETS[options.preset] ? options.preset : "plain");
    el.append(CE.h("p", { class: "cn-ex-title" }, w.title), CE.h("p", { class: "cn-ex-intro" }, w.intro));
    const presetField = CE.select({
      label: w.preset,
      field: "preset",
      options: Object.entries(PRESETS).map(([key, words]) => [key, words[lang]]),
      value: PRESETS[options.preset] ? options.preset : "plain",
      onChange: (value) => {
        layers = preset(value);
        render();
      },
    });
    const list = CE.h("ol", { class: "cn-ex-layers" });
    const add = (type) => {
      if (layers.length >= MAX_LAYERS) return;
      layers.push(type === "pool" ? { type, k: 2, s: 2, d: 1 } : { type, k: 3, s: 1, d: 1 });
      render();
      const rows = list.querySelectorAll("li");
      rows[rows.length - 1].querySelector("input").focus();
    };
    const addConv = CE.h("button", { type: "button", class: "cn-ex-button", "data-cn-field": "add-conv", onclick: () => add("conv") }, w.addConv);
    const addPool = CE.h("button", { type: "button", class: "cn-ex-button", "data-cn-field": "add-pool", onclick: () => add("pool") }, w.addPool);
    const summary = CE.h("div", { class: "cn-ex-result", "aria-live": "polite" });
    const strip = CE.h("figure", { class: "cn-ex-strip", dir: "ltr" });
    el.append(
      CE.h("div", { class: "cn-ex-row" }, presetField.el),
      list,
      CE.h("div", { class: "cn-ex-row" }, addConv, addPool),
      summary,
      strip,
    );
    render();

    function render() {
      list.replaceChildren();
      layers.forEach((layer, i) => list.append(row(layer, i)));
      addConv.disabled = addPool.disabled = layers.length >= MAX_LAYERS;
      update();
    }

    function row(layer, i) {
      const n = num(i + 1);
      const typeField = CE.select({
        label: w.layer(n),
        field: `type-${i}`,
        options: [
          ["conv", w.conv],
          ["pool", w.pool],
        ],
        value: layer.type,
        onChange: (value) => {
          layer.type = value;
          if (value === "pool") {
            layer.s = layer.k;
            layer.d = 1;
          }
          render();
        },
      });
      const field = (key, words, min) =>
        CE.stepper({
          label: CE.labelWith(...words),
          lang,
          field: `${key}-${i}`,
          value: layer[key],
          min,
          max: 99,
          onChange: (value) => {
            layer[key] = value;
            update();
          },
        }).el;
      const li = CE.h(
        "li",
        { class: "cn-ex-layer", "data-cn-layer": i },
        typeField.el,
        field("k", layer.type === "pool" ? w.window : w.k, 1),
        field("s", w.s, 1),
        layer.type === "conv" ? field("d", w.d, 1) : null,
        CE.h(
          "span",
          { class: "cn-ex-layer-out" },
          CE.h("span", {}, `${w.field} `),
          CE.h("output", { "data-cn-out": `field-${i}` }, ""),
          CE.h("span", {}, `${lang === "fa" ? "، " : ", "}${w.jump} `),
          CE.h("output", { "data-cn-out": `jump-${i}` }, ""),
        ),
        CE.h(
          "button",
          {
            type: "button",
            class: "cn-ex-remove",
            "aria-label": w.remove(n),
            title: w.remove(n),
            "data-cn-field": `remove-${i}`,
            onclick: () => {
              layers.splice(i, 1);
              render();
              const target = list.querySelectorAll("li")[Math.min(i, layers.length - 1)];
              if (target) target.querySelector("select").focus();
              else addConv.focus();
            },
          },
          "×",
        ),
      );
      return li;
    }

    function update() {
      summary.replaceChildren();
      strip.replaceChildren();
      for (const out of list.querySelectorAll("output")) out.textContent = "–";
      if (!layers.length) {
        summary.append(CE.h("p", {}, w.empty));
        return;
      }
      const { kernelSizes, strides, dilations } = lists(layers);
      if ([...kernelSizes, ...strides, ...dilations].some((v) => Number.isNaN(v))) {
        summary.append(CE.h("div", { class: "cn-ex-refusal", role: "alert" }, CE.h("p", {}, w.nan)));
        return;
      }
      const grown = growth(kernelSizes, strides, dilations);
      if (grown.error) {
        const name = grown.message.split(" ")[0];
        const symbol = { kernel_sizes: "k", strides: "s", dilations: "d" }[name] || name;
        summary.append(CE.refusal(lang, w.positive(symbol), grown.message));
        return;
      }
      grown.value.forEach(([field, jump], i) => {
        list.querySelector(`[data-cn-out="field-${i}"]`).textContent = num(field);
        list.querySelector(`[data-cn-out="jump-${i}"]`).textContent = num(jump);
      });
      const [field, jump] = grown.value[grown.value.length - 1];
      const terms = [];
      let j = 1;
      for (let l = 0; l < kernelSizes.length; l += 1) {
        terms.push(`${dilations[l]}·${kernelSizes[l] - 1}·${j}`);
        j *= strides[l];
      }
      summary.append(
        CE.h(
          "dl",
          { class: "cn-ex-numbers" },
          CE.h("dt", {}, w.total(num(layers.length))),
          CE.h("dd", { "data-cn-out": "field" }, num(field)),
          CE.h("dt", {}, w.jump),
          CE.h("dd", { "data-cn-out": "jump" }, num(jump)),
        ),
        CE.h(
          "div",
          { class: "cn-ex-formula", dir: "ltr" },
          CE.formula(CE.formulaDigits(`r_L = 1 + Σ d_l(k_l − 1)·J_{l−1} = 1 + ${terms.join(" + ")} = ${field}`, lang)),
        ),
      );
      const counts = paths(kernelSizes, strides, dilations, STRIP_LIMIT);
      if (!counts) {
        strip.append(CE.h("figcaption", {}, w.stripTooWide(num(STRIP_LIMIT))));
        return;
      }
      const most = Math.max(...counts);
      const cell = 12;
      const pic = CE.svg("svg", {
        viewBox: `0 0 ${counts.length * cell} ${cell * 2}`,
        width: Math.min(counts.length * cell, 2000),
        preserveAspectRatio: "none",
        role: "img",
        "aria-label": w.strip,
      });
      counts.forEach((c, x) => {
        const shade = c ? 0.2 + 0.8 * (c / most) : 0;
        pic.append(
          CE.svg("rect", {
            x: x * cell,
            y: 0,
            width: cell - (counts.length > 60 ? 0 : 1),
            height: cell * 2,
            class: c ? "cn-ex-reach" : "cn-ex-hole",
            "fill-opacity": c ? shade.toFixed(3) : null,
          }),
        );
      });
      strip.append(pic, CE.h("figcaption", {}, w.strip));
    }
  }

  CE.receptiveField = { math, mount, WORDS, preset };
  CE.register("receptive-field", CE.receptiveField);
})(typeof globalThis !== "undefined" ? globalThis : this);
