// convnotes explorers: shared helpers (numbers in the page's language, small widgets).
//
// Each explorer file registers { math, mount } under ConvnotesExplorers.<name>. The
// `math` functions are pure (no DOM) and are what tests/js/explorers.test.mjs and
// scripts/browser_check.py compare with cases computed by the convnotes package; `mount`
// builds the widget inside a <div class="cn-explorer" data-cn-explorer="name" hidden>
// written by book/_ext/convnotes_explorers.py. Without JavaScript the container stays
// hidden and the chapter's static figure is all the reader sees. Nothing is fetched.
(function (root) {
  "use strict";
  const CE = (root.ConvnotesExplorers = root.ConvnotesExplorers || {});
  CE.registry = CE.registry || {};

  // ------------------------------------------------------------ numbers (pure) --
  const PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  const ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩";

  // ASCII digits and separators in the digits of `lang`, as convnotes.i18n.localize_digits:
  // 0-9 -> ۰-۹, "." -> "٫", "," -> "٬", "-" -> "−" on Persian pages.
  function digits(text, lang) {
    text = String(text);
    if (lang !== "fa") return text;
    const out = text.replace(/[0-9.,-]/g, (c) => {
      if (c === ".") return "٫";
      if (c === ",") return "٬";
      if (c === "-") return "−";
      return PERSIAN[c.charCodeAt(0) - 48];
    });
    // a negative number reads "−۳" left to right, as convnotes_bidi isolates it
    return /^[−+±][۰-۹]/.test(out) ? `\u2066${out}\u2069` : out;
  }

  // A run marked {like this} in a Persian phrase, isolated left to right (U+2066 ...
  // U+2069) so that "{ddepth=-1}" or "{max_epochs = R}" keep their order, in text and in
  // <option>s alike; an isolated signed number keeps its sign on the left.
  function bidi(text) {
    return String(text).replace(/\{([^{}]*)\}/g, "\u2066$1\u2069");
  }

  // The words of an explorer with bidi() applied to every phrase (and to what every
  // phrase-making function returns).
  function words(table) {
    if (typeof table === "string") return bidi(table);
    if (typeof table === "function") return (...args) => bidi(table(...args));
    if (Array.isArray(table)) return table.map(words);
    if (table && typeof table === "object") {
      return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, words(v)]));
    }
    return table;
  }

  // Digits (and the decimal point) of a formula in `lang`; its commas and minus signs stay.
  function formulaDigits(text, lang) {
    if (lang !== "fa") return String(text);
    return String(text).replace(/[0-9]/g, (c) => PERSIAN[c.charCodeAt(0) - 48]).replace(/(\d|[۰-۹])\.(?=[۰-۹])/g, "$1٫");
  }

  // A number as convnotes.i18n.format_number writes it: thousands separators; integers
  // without decimals unless `decimals` is given.
  function formatNumber(value, lang, decimals) {
    if (typeof value !== "number" || !isFinite(value)) return digits(String(value), lang);
    let text;
    if (decimals === undefined && Number.isInteger(value)) {
      text = groupThousands(String(Math.abs(value)));
      if (value < 0) text = "-" + text;
    } else {
      const fixed = toFixedEven(Math.abs(value), decimals === undefined ? 2 : decimals);
      const [whole, frac] = fixed.split(".");
      text = (value < 0 && Number(fixed) !== 0 ? "-" : "") + groupThousands(whole);
      if (frac !== undefined) text += "." + frac;
    }
    return digits(text, lang);
  }

  // Up to `decimals` decimals, trailing zeros dropped (3.5, not 3.500).
  function formatShort(value, lang, decimals) {
    if (Number.isInteger(value)) return formatNumber(value, lang);
    let text = formatNumber(value, "en", decimals === undefined ? 3 : decimals);
    if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
    if (text === "-0") text = "0";
    return digits(text, lang);
  }

  // x >= 0 with d decimals, a tie rounded to even as Python's format() does (JavaScript's
  // toFixed rounds 0.0625 up to 0.063; Python writes 0.062). toFixed(100) is exact.
  function toFixedEven(x, d) {
    const [whole, frac = ""] = x.toFixed(100).split(".");
    const rest = frac.slice(d);
    const rounded = x.toFixed(d);
    if (rest[0] !== "5" || !/^0*$/.test(rest.slice(1))) return rounded;
    const down = d ? `${whole}.${frac.slice(0, d)}` : whole;
    const last = Number(down[down.length - 1]);
    return last % 2 === 0 ? down : rounded;
  }

  function groupThousands(text) {
    return text.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  // What a reader typed, as a number: Persian, Arabic-Indic or Latin digits, "٫" or "."
  // as the decimal point, "−" or "-" for minus, and fractions "1/9". NaN if not a number.
  function parseNumber(text) {
    let t = String(text)
      .replace(/[\u2066-\u2069]/g, "")
      .trim()
      .replace(/[۰-۹]/g, (c) => String(PERSIAN.indexOf(c)))
      .replace(/[٠-٩]/g, (c) => String(ARABIC_INDIC.indexOf(c)))
      .replace(/[٫]/g, ".")
      .replace(/[٬,\s]/g, "")
      .replace(/[−–]/g, "-");
    if (t === "") return NaN;
    const plain = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
    const fraction = t.match(/^([-+]?(?:\d+\.?\d*|\.\d+))\/([-+]?(?:\d+\.?\d*|\.\d+))$/);
    if (fraction) {
      const den = Number(fraction[2]);
      return den === 0 ? NaN : Number(fraction[1]) / den;
    }
    return plain.test(t) ? Number(t) : NaN;
  }

  // Python's repr() of a float that is not an integer, for messages that quote the
  // value as the convnotes package does ("got 2.5", "got 1e-05").
  function pyFloatRepr(x) {
    if (Number.isNaN(x)) return "nan";
    if (!isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
    const [mantissa, exp] = x.toExponential().split("e");
    const e = Number(exp);
    if (e >= -4 && e < 16) {
      // fixed notation with the shortest round-trip digits
      const sign = mantissa.startsWith("-") ? "-" : "";
      const ds = mantissa.replace("-", "").replace(".", "");
      let out;
      if (e >= 0) {
        const whole = ds.slice(0, e + 1).padEnd(e + 1, "0");
        const frac = ds.slice(e + 1);
        out = whole + "." + (frac || "0");
      } else {
        out = "0." + "0".repeat(-e - 1) + ds;
      }
      return sign + out;
    }
    const sign = e < 0 ? "-" : "+";
    return mantissa + "e" + sign + String(Math.abs(e)).padStart(2, "0");
  }

  // The repr() of what a reader's number becomes in Python: an int when integral.
  function pyRepr(x) {
    if (typeof x === "number" && Number.isInteger(x) && Math.abs(x) < 2 ** 53) return String(x);
    return pyFloatRepr(x);
  }

  // floor(a / b) for integers, exact while a and b stay below 2**53.
  function floorDiv(a, b) {
    let q = Math.floor(a / b);
    while (q * b > a) q -= 1;
    while ((q + 1) * b <= a) q += 1;
    return q;
  }

  function ceilDiv(a, b) {
    return -floorDiv(-a, b);
  }

  // convnotes.conv.positive_ints(value, 1, name)[0]: the value, or the package's error.
  function checkPositiveInt(value, name) {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      return {
        error: "TypeError",
        message:
          `${name} must be a positive integer or a sequence of 1 positive integers, ` +
          `got ${pyRepr(value)}`,
      };
    }
    if (value <= 0) {
      return { error: "ValueError", message: `${name} must be a positive integer, got ${value}` };
    }
    return null;
  }

  // The item check of convnotes.conv.positive_ints for a sequence of values.
  function checkPositiveItem(value, name) {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      return { error: "TypeError", message: `${name} must be a positive integer, got ${pyRepr(value)}` };
    }
    if (value <= 0) {
      return { error: "ValueError", message: `${name} must be a positive integer, got ${value}` };
    }
    return null;
  }

  // ------------------------------------------------------------- DOM helpers --
  let serial = 0;
  function uid(prefix) {
    serial += 1;
    return `cn-ex-${prefix}-${serial}`;
  }

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function svg(tag, attrs) {
    const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) el.setAttribute(key, value);
    }
    return el;
  }

  // A formula or symbol as a left-to-right span; "k_eff" and "p_{b}" get subscripts.
  function formula(text) {
    const span = h("span", { class: "cn-ex-math", dir: "ltr" });
    const pattern = /([A-Za-z])_(?:\{([^}]*)\}|([A-Za-z0-9]+))/g;
    let last = 0;
    for (const m of String(text).matchAll(pattern)) {
      span.append(text.slice(last, m.index + 1));
      span.append(h("sub", {}, m[2] !== undefined ? m[2] : m[3]));
      last = m.index + m[0].length;
    }
    span.append(String(text).slice(last));
    return span;
  }

  // A phrase whose `code spans` become <code> (identifiers, versions), as in the book.
  function rich(text) {
    const span = h("span", {});
    String(text)
      .split(/`([^`]*)`/)
      .forEach((part, i) => span.append(i % 2 ? h("code", {}, part) : part));
    return span;
  }

  // A label: words in the page's language followed by a symbol ("Stride", "s").
  function labelWith(words, symbol) {
    return symbol ? h("span", {}, words + " ", formula(symbol)) : h("span", {}, words);
  }

  // A labelled number field with − and + buttons; ArrowUp/ArrowDown step it. The value
  // is shown in the page's digits and read in any digits. onChange(number or NaN).
  function stepper(opts) {
    const { label, lang, field, value, min, max, onChange, title } = opts;
    const labelText = typeof label === "string" ? label : label.textContent;
    const id = uid(field);
    const input = h("input", {
      id,
      type: "text",
      inputmode: "decimal",
      autocomplete: "off",
      spellcheck: "false",
      "data-cn-field": field,
      value: digits(String(value), lang),
      size: 4,
      title: title || null,
    });
    const read = () => parseNumber(input.value);
    const set = (number) => {
      input.value = digits(String(number), lang);
      onChange(number);
    };
    const step = (delta) => {
      const current = read();
      let next = Number.isFinite(current) ? Math.round(current) + delta : min !== undefined ? min : 1;
      if (min !== undefined) next = Math.max(min, next);
      if (max !== undefined) next = Math.min(max, next);
      set(next);
    };
    input.addEventListener("input", () => onChange(read()));
    input.addEventListener("change", () => {
      const number = read();
      if (Number.isFinite(number)) input.value = digits(String(number), lang);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowUp" || event.key === "ArrowDown") {
        event.preventDefault();
        step(event.key === "ArrowUp" ? 1 : -1);
      }
    });
    const words = lang === "fa" ? ["کم کردن", "زیاد کردن"] : ["decrease", "increase"];
    const minus = h("button", {
      type: "button",
      class: "cn-ex-step",
      "aria-label": `${words[0]}: ${labelText}`,
      tabindex: "-1",
      onclick: () => step(-1),
      text: "−",
    });
    const plus = h("button", {
      type: "button",
      class: "cn-ex-step",
      "aria-label": `${words[1]}: ${labelText}`,
      tabindex: "-1",
      onclick: () => step(1),
      text: "+",
    });
    const wrap = h(
      "div",
      { class: "cn-ex-field" },
      h("label", { for: id }, label),
      h("span", { class: "cn-ex-stepper" }, minus, input, plus),
    );
    return { el: wrap, input, read, set };
  }

  // A labelled <select>; options: [[value, text], ...].
  function select(opts) {
    const { label, field, options, value, onChange } = opts;
    const id = uid(field);
    const el = h(
      "select",
      { id, "data-cn-field": field, onchange: () => onChange(el.value) },
      options.map(([v, text]) => h("option", { value: v, selected: v === value ? true : null }, text)),
    );
    const wrap = h("div", { class: "cn-ex-field" }, h("label", { for: id }, label), el);
    return { el: wrap, select: el };
  }

  // A refusal: the rule in the page's language and, on Persian pages, the package's own
  // message as code (it is what `convnotes` raises, in English).
  function refusal(lang, explanation, message) {
    const box = h("div", { class: "cn-ex-refusal", role: "alert" });
    if (lang === "fa") {
      box.append(h("p", {}, explanation));
      box.append(
        h("p", { class: "cn-ex-package" }, "پیام convnotes: ", h("code", { "data-cn-out": "message" }, message)),
      );
    } else {
      // the package's message says it all in English
      box.append(h("p", {}, h("strong", {}, "Refused: "), h("code", { "data-cn-out": "message" }, message)));
    }
    return box;
  }

  // The page's language: <html lang> (written by convnotes_book), else the directive's.
  function pageLanguage(el) {
    const html = document.documentElement.getAttribute("lang") || "";
    if (html) return html.startsWith("fa") ? "fa" : "en";
    return el && el.dataset.cnLang === "fa" ? "fa" : "en";
  }

  function readOptions(el) {
    try {
      return JSON.parse(el.dataset.cnOptions || "{}");
    } catch (error) {
      return {};
    }
  }

  function register(name, module) {
    CE.registry[name] = module;
    if (typeof document !== "undefined" && document.readyState !== "loading") mountAll();
  }

  function mountAll() {
    for (const el of document.querySelectorAll(".cn-explorer[data-cn-explorer]")) {
      if (el.dataset.cnMounted) continue;
      const module = CE.registry[el.dataset.cnExplorer];
      if (!module) continue;
      const lang = pageLanguage(el);
      el.setAttribute("lang", lang);
      el.setAttribute("dir", lang === "fa" ? "rtl" : "ltr");
      el.dataset.cnMounted = "1";
      try {
        module.mount(el, { lang, options: readOptions(el) });
      } catch (error) {
        // leave it hidden: the chapter's static figure is still there
        el.replaceChildren();
        console.error(`convnotes explorer ${el.dataset.cnExplorer}:`, error);
        continue;
      }
      el.hidden = false;
    }
  }

  Object.assign(CE, {
    digits,
    bidi,
    words,
    formulaDigits,
    formatNumber,
    formatShort,
    parseNumber,
    pyRepr,
    pyFloatRepr,
    floorDiv,
    ceilDiv,
    checkPositiveInt,
    checkPositiveItem,
    h,
    svg,
    uid,
    formula,
    rich,
    labelWith,
    stepper,
    select,
    refusal,
    register,
    mountAll,
  });

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
    else setTimeout(mountAll, 0);
  }
  if (typeof module !== "undefined" && module.exports) module.exports = CE;
})(typeof globalThis !== "undefined" ? globalThis : this);
