// Explorer: Hyperband's brackets and rounds for max_epochs, factor and
// hyperband_iterations, as keras-tuner 1.4 runs them
// (convnotes.tuning.schedule.keras_tuner_schedule, the same floating-point expressions
// as HyperbandOracle) and as Li et al. (2018) state them (schedule.paper_schedule,
// integer arithmetic).
(function (root) {
  "use strict";
  const CE = root.ConvnotesExplorers;

  // ------------------------------------------------------------------ math --
  // Double-double arithmetic (Dekker, Knuth), for a correctly rounded logarithm.
  function twoSum(a, b) {
    const s = a + b;
    const v = s - a;
    return [s, a - (s - v) + (b - v)];
  }
  function split(a) {
    const c = 134217729 * a; // 2**27 + 1
    const hi = c - (c - a);
    return [hi, a - hi];
  }
  function twoProd(a, b) {
    const p = a * b;
    const [ah, al] = split(a);
    const [bh, bl] = split(b);
    return [p, ah * bh - p + ah * bl + al * bh + al * bl];
  }
  function ddAdd([ah, al], [bh, bl]) {
    const [s, e] = twoSum(ah, bh);
    return twoSum(s, e + al + bl);
  }
  function ddMul([ah, al], [bh, bl]) {
    const [p, e] = twoProd(ah, bh);
    return twoSum(p, e + ah * bl + al * bh);
  }
  function ddDiv([ah, al], [bh, bl]) {
    const q = ah / bh;
    const r = ddAdd([ah, al], ddMul([-q, 0], [bh, bl]));
    return twoSum(q, r[0] / bh);
  }
  const LN2 = [0.6931471805599453, 2.3190468138462996e-17];

  // The natural logarithm of x > 0 rounded to the nearest double: x = m 2^e with
  // m in [0.7, 1.42), ln m = 2 atanh((m - 1) / (m + 1)) summed in double-double.
  function log(x) {
    let e = 0;
    let m = x;
    while (m >= Math.SQRT2) {
      m /= 2;
      e += 1;
    }
    while (m < Math.SQRT1_2) {
      m *= 2;
      e -= 1;
    }
    const t = ddDiv([m - 1, 0], twoSum(m, 1));
    const t2 = ddMul(t, t);
    let term = t;
    let sum = t;
    for (let k = 3; k < 80; k += 2) {
      term = ddMul(term, t2);
      if (Math.abs(term[0]) < 1e-40) break;
      sum = ddAdd(sum, ddDiv(term, [k, 0]));
    }
    const result = ddAdd(ddMul(LN2, [e, 0]), ddMul(sum, [2, 0]));
    return result[0] + result[1];
  }

  // schedule._check_budget
  function checkBudget(name, value, minimum) {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      return { error: "TypeError", message: `${name} must be an integer, got float` };
    }
    if (value < minimum) {
      return { error: "ValueError", message: `${name} must be an integer >= ${minimum}, got ${value}` };
    }
    return null;
  }

  // schedule.keras_tuner_num_brackets
  function numBrackets(maxEpochs, factor) {
    let epochs = maxEpochs;
    let brackets = 0;
    while (epochs >= 1) {
      epochs = epochs / factor;
      brackets += 1;
    }
    return brackets;
  }

  function totals(rounds) {
    let trials = 0;
    let configurations = 0;
    let epochs = 0;
    let scratch = 0;
    for (const r of rounds) {
      trials += r.models;
      if (r.round === 0) configurations += r.models;
      epochs += r.models * (r.epochs - r.initialEpoch);
      scratch += r.models * r.epochs;
    }
    return { trials, configurations, epochs, epochsFromScratch: scratch };
  }

  // schedule.keras_tuner_schedule: {rounds: [{iteration, bracket, round, models, epochs,
  // initialEpoch}], totals} or an error.
  function kerasTuner(maxEpochs, factor, iterations) {
    const problem =
      checkBudget("max_epochs", maxEpochs, 1) ||
      checkBudget("factor", factor, 2) ||
      checkBudget("hyperband_iterations", iterations, 1);
    if (problem) return problem;
    const brackets = numBrackets(maxEpochs, factor);
    // math.ceil(1 + math.log(max_epochs, factor)): CPython divides log(x) by log(base),
    // both correctly rounded by the C library; V8's Math.log is not always (it gives
    // log(9) / log(3) = 2.0000000000000004, and so one model too many in every round).
    const end0 = Math.ceil(1 + log(maxEpochs) / log(factor));
    const size = (bracket, round) => Math.ceil((end0 / (bracket + 1)) * factor ** (bracket - round));
    const epochs = (bracket, round) => Math.ceil(maxEpochs / factor ** (bracket - round));
    const rounds = [];
    for (let iteration = 0; iteration < iterations; iteration += 1) {
      for (let bracket = brackets - 1; bracket >= 0; bracket -= 1) {
        for (let round = 0; round <= bracket; round += 1) {
          rounds.push({
            iteration,
            bracket,
            round,
            models: size(bracket, round),
            epochs: epochs(bracket, round),
            initialEpoch: round === 0 ? 0 : epochs(bracket, round - 1),
          });
        }
      }
    }
    return { rounds, totals: totals(rounds) };
  }

  // schedule.paper_schedule(R, eta): Algorithm 1 of Li et al., in integers.
  function paper(maxResource, eta) {
    const problem = checkBudget("max_resource", maxResource, 1) || checkBudget("eta", eta, 2);
    if (problem) return problem;
    let sMax = 0;
    while (eta ** (sMax + 1) <= maxResource) sMax += 1;
    const budget = (sMax + 1) * maxResource;
    const rounds = [];
    for (let s = sMax; s >= 0; s -= 1) {
      const n = CE.ceilDiv(budget * eta ** s, maxResource * (s + 1));
      let previous = 0;
      for (let i = 0; i <= s; i += 1) {
        const models = CE.floorDiv(n, eta ** i);
        const epochs = Math.max(1, CE.floorDiv(maxResource * eta ** i, eta ** s));
        rounds.push({ iteration: 0, bracket: s, round: i, models, epochs, initialEpoch: previous });
        previous = epochs;
      }
    }
    return { rounds, totals: totals(rounds) };
  }

  const math = { log, numBrackets, kerasTuner, paper, totals };

  // -------------------------------------------------------------------- UI --
  const WORDS = {
    en: {
      title: "Explorer: Hyperband's budget",
      intro: "Set the three arguments of keras_tuner.Hyperband; both schedules follow.",
      maxEpochs: ["max_epochs", "= R"],
      factor: ["factor", "= η"],
      iterations: ["hyperband_iterations", ""],
      kt: "Keras Tuner `1.4` (what a search runs)",
      paper: "Li et al. (2018), Algorithm 1 (one sweep)",
      iteration: "iteration",
      bracket: "bracket",
      round: "round",
      models: "models (trials)",
      configurations: "configurations",
      from: "from epoch",
      to: "to epoch",
      trained: "epochs trained",
      total: "total",
      summary: (t, c, e) => `${t} trials, ${c} configurations, ${e} epochs`,
      paperSummary: (c, t, e, s) =>
        `${c} configurations, ${t} models over all rounds, ${e} epochs resumed (${s} from scratch)`,
      nan: "Type a whole number in each field.",
      refused: "refused",
      tooLarge: "The tables are shown for max_epochs up to 10,000 and at most 10 iterations.",
    },
    fa: {
      title: "کاوشگر: بودجهٔ Hyperband",
      intro: "سه آرگومان keras_tuner.Hyperband را تعیین کنید؛ هر دو زمان‌بندی همراه آن‌ها تغییر می‌کنند.",
      maxEpochs: ["max_epochs", "= R"],
      factor: ["factor", "= η"],
      iterations: ["hyperband_iterations", ""],
      kt: "Keras Tuner نسخهٔ `1.4` (آنچه یک جست‌وجو اجرا می‌کند)",
      paper: "الگوریتم ۱ از Li و همکاران (۲۰۱۸)، یک دور کامل",
      iteration: "تکرار",
      bracket: "براکت",
      round: "مرحله",
      models: "مدل‌ها (آزمایش‌ها)",
      configurations: "پیکربندی‌ها",
      from: "از دورهٔ",
      to: "تا دورهٔ",
      trained: "دوره‌های آموزش",
      total: "جمع",
      summary: (t, c, e) => `${t} آزمایش، ${c} پیکربندی، ${e} دوره`,
      paperSummary: (c, t, e, s) =>
        `${c} پیکربندی، ${t} مدل در همهٔ مرحله‌ها، ${e} دوره با ادامهٔ آموزش (${s} دوره با آموزش از صفر)`,
      nan: "در هر خانه یک عدد صحیح بنویسید.",
      refused: "پذیرفته نیست",
      tooLarge: "جدول‌ها فقط برای {max_epochs} تا ۱۰٬۰۰۰ و حداکثر ۱۰ تکرار نشان داده می‌شوند.",
    },
  };
  const LIMIT = 10000;

  function mount(el, { lang, options }) {
    const w = CE.words(WORDS[lang]);
    const num = (x) => CE.formatNumber(x, lang);
    const state = {
      maxEpochs: Number(options["max-epochs"] || 10),
      factor: Number(options.factor || 3),
      iterations: Number(options.iterations || 1),
    };
    el.append(CE.h("p", { class: "cn-ex-title" }, w.title), CE.h("p", { class: "cn-ex-intro" }, w.intro));
    const field = (key, words, min) => {
      const label = CE.h("span", { dir: "ltr", class: "cn-ex-isolate" }, CE.h("code", {}, words[0]), words[1] ? " " : "", words[1] ? CE.formula(words[1]) : "");
      return CE.stepper({
        label,
        lang,
        field: key,
        value: state[key],
        min,
        max: LIMIT,
        onChange: (v) => {
          state[key] = v;
          update();
        },
      }).el;
    };
    el.append(
      CE.h(
        "div",
        { class: "cn-ex-row" },
        field("maxEpochs", w.maxEpochs, 1),
        field("factor", w.factor, 2),
        field("iterations", w.iterations, 1),
      ),
    );
    const ktBox = CE.h("section", { class: "cn-ex-half", "data-cn-schedule": "kt" });
    const paperBox = CE.h("section", { class: "cn-ex-half", "data-cn-schedule": "paper" });
    el.append(CE.h("div", { class: "cn-ex-columns" }, ktBox, paperBox));
    update();

    function table(rounds, withIteration) {
      const head = [withIteration ? w.iteration : null, w.bracket, w.round, w.models, w.from, w.to, w.trained].filter(
        (x) => x !== null,
      );
      const body = rounds.map((r) =>
        CE.h(
          "tr",
          {},
          [withIteration ? r.iteration : null, r.bracket, r.round, r.models, r.initialEpoch, r.epochs, r.models * (r.epochs - r.initialEpoch)]
            .filter((x) => x !== null)
            .map((x) => CE.h("td", { class: "cn-num" }, num(x))),
        ),
      );
      return CE.h(
        "div",
        { class: "cn-ex-scroll", tabindex: "0" },
        CE.h(
          "table",
          { class: "cn-ex-table" },
          CE.h("thead", {}, CE.h("tr", {}, head.map((x) => CE.h("th", {}, x)))),
          CE.h("tbody", {}, body),
        ),
      );
    }

    function section(box, heading, result, summary, withIteration, key) {
      box.replaceChildren(CE.h("p", { class: "cn-ex-subtitle" }, CE.rich(heading)));
      if (result.error) {
        const text = result.message.includes("float") ? w.nan : `${w.refused}.`;
        box.append(CE.refusal(lang, text, result.message));
        return;
      }
      box.append(CE.h("p", { class: "cn-ex-summary", "data-cn-out": `${key}-summary` }, summary(result.totals)), table(result.rounds, withIteration));
    }

    function update() {
      const { maxEpochs, factor, iterations } = state;
      if ([maxEpochs, factor, iterations].some((v) => Number.isNaN(v))) {
        for (const box of [ktBox, paperBox]) {
          box.replaceChildren(CE.h("div", { class: "cn-ex-refusal", role: "alert" }, CE.h("p", {}, w.nan)));
        }
        return;
      }
      if (maxEpochs > LIMIT || iterations > 10) {
        for (const box of [ktBox, paperBox]) box.replaceChildren(CE.h("p", {}, w.tooLarge));
        return;
      }
      const kt = kerasTuner(maxEpochs, factor, iterations);
      section(ktBox, w.kt, kt, (t) => w.summary(num(t.trials), num(t.configurations), num(t.epochs)), iterations > 1, "kt");
      const theirs = paper(maxEpochs, factor);
      section(
        paperBox,
        w.paper,
        theirs,
        (t) => w.paperSummary(num(t.configurations), num(t.trials), num(t.epochs), num(t.epochsFromScratch)),
        false,
        "paper",
      );
    }
  }

  CE.hyperband = { math, mount, WORDS };
  CE.register("hyperband", CE.hyperband);
})(typeof globalThis !== "undefined" ? globalThis : this);
