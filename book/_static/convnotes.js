// convnotes: small fixes to the stock theme, on every page.
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
