// convnotes: small fixes to the stock theme, on every page.

// Search: Sphinx's searchtools.js (loaded after this file) uses this splitter when
// one is defined. It splits like Sphinx's own (letters, numbers, underscore; a ZWNJ
// splits لایه‌ها into لایه and ها exactly as the indexer does) after writing Arabic
// ي ى ك and Arabic-Indic digits, typed on an Arabic keyboard, as the Persian letters
// and digits the book uses, and dropping the tatweel.
var splitQuery = function (query) {
  return query
    .replace(/[\u064a\u0649]/g, "\u06cc")
    .replace(/\u0643/g, "\u06a9")
    .replace(/\u0640/g, "")
    .replace(/[\u0660-\u0669]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0x90))
    .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
    .filter((term) => term);
};

(function () {
  "use strict";

  // 1. Persian words for sphinx-copybutton's tooltips on Persian pages. This file is
  //    loaded right after copybutton.js, whose top-level `messages`, `locale`,
  //    `iconCheck` and `iconCopy` it extends before the buttons are made.
  if (typeof messages !== "undefined" && document.documentElement.lang === "fa") {
    messages.fa = {
      copy: "رونوشت",
      copy_to_clipboard: "رونوشت در حافظه",
      copy_success: "رونوشت شد",
      copy_failure: "رونوشت نشد",
    };
    const english = messages[locale];
    locale = "fa";
    for (const key of Object.keys(english)) {
      iconCheck = iconCheck.replace(english[key], messages.fa[key]);
      iconCopy = iconCopy.replace(english[key], messages.fa[key]);
    }
  }

  // 2. The search page speaks the reader's edition. Persian pages send lang=fa with the
  //    query (a hidden field added to their search forms by convnotes_i18n.py); the
  //    results of the reader's edition are listed first.
  const onSearchPage = /\/search\.html$/.test(window.location.pathname);
  const edition = new URLSearchParams(window.location.search).get("lang") === "fa" ? "fa" : "en";
  if (onSearchPage && edition === "fa") {
    document.documentElement.lang = "fa";
    document.documentElement.dir = "rtl";
    if (typeof Documentation !== "undefined") {
      Documentation.addTranslations({
        locale: "fa",
        plural_expr: "0",
        messages: {
          "Search Results": "نتیجه‌های جست‌وجو",
          Searching: "در حال جست‌وجو",
          "Preparing search...": "آماده‌سازی جست‌وجو…",
          "Search finished, found ${resultCount} page(s) matching the search query.":
            "جست‌وجو تمام شد: ${resultCount} صفحه پیدا شد.",
          "Your search did not match any documents. Please make sure that all words are spelled correctly and that you've selected enough categories.":
            "هیچ صفحه‌ای پیدا نشد. املای واژه‌ها را بررسی کنید یا واژهٔ دیگری را بیازمایید.",
          ", in ": "، در ",
        },
      });
    }
  }
  if (onSearchPage) {
    document.addEventListener("DOMContentLoaded", function () {
      if (typeof Search !== "undefined") {
        const perform = Search._performSearch;
        Search._performSearch = function () {
          // Sphinx shows the last result first: put the edition's own pages last.
          const results = perform.apply(Search, arguments);
          const mine = (result) => String(result[0]).startsWith("book/" + edition + "/");
          return results.filter((r) => !mine(r)).concat(results.filter(mine));
        };
      }
      if (edition !== "fa") return;
      const words = {
        "Search": "جست‌وجو",
        "Search this book...": "جست‌وجو در این کتاب…",
        "Skip to main content": "رفتن به متن اصلی",
        "Back to top": "بازگشت به بالا",
      };
      document.querySelectorAll(".bd-search-container h1, .search-button__default-text, "
                                + "#pst-skip-link a").forEach(function (el) {
        const text = el.textContent.trim();
        if (words[text]) el.textContent = words[text];
      });
      document.querySelectorAll("[data-cn-fa]").forEach(function (el) {
        el.textContent = el.getAttribute("data-cn-fa");
      });
      document.querySelectorAll("[placeholder], [aria-label], [title]").forEach(function (el) {
        for (const name of ["placeholder", "aria-label", "title"]) {
          const value = el.getAttribute(name);
          if (value && words[value]) el.setAttribute(name, words[value]);
        }
      });
      // Sphinx writes the number of results with Latin digits: Persian digits here.
      const persianDigits = (text) => text.replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
      const results = document.getElementById("search-results");
      if (results) {
        new MutationObserver(function () {
          results.querySelectorAll(".search-summary").forEach(function (el) {
            const text = persianDigits(el.textContent);
            if (text !== el.textContent) el.textContent = text;
          });
        }).observe(results, { childList: true, subtree: true, characterData: true });
      }
      document.querySelectorAll("form.bd-search").forEach(function (form) {
        if (!form.querySelector('input[name="lang"]')) {
          form.insertAdjacentHTML("beforeend", '<input type="hidden" name="lang" value="fa">');
        }
      });
    });
  }

  // 3. The theme listens to the first .primary-toggle / .secondary-toggle only (in the
  //    top bar, hidden on phones), so the sidebar buttons of the article header did
  //    nothing on a phone. Forward their clicks to the one the theme listens to.
  document.addEventListener("DOMContentLoaded", function () {
    for (const kind of ["primary", "secondary"]) {
      const buttons = Array.from(document.querySelectorAll("." + kind + "-toggle"));
      const handled = buttons[0];
      for (const button of buttons.slice(1)) {
        button.addEventListener("click", function (event) {
          event.preventDefault();
          event.stopPropagation();
          handled.click();
        });
      }
    }
  });
})();
