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

  // 2. The theme listens to the first .primary-toggle / .secondary-toggle only (in the
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
