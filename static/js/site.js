/*
 * Small progressive enhancements for every public page (the pages work without them).
 * - A table that scrolls sideways becomes a keyboard-focusable, labelled region (WCAG 2.1.1):
 *   its label is the table's caption.
 * - "Cite this page" opens before printing, so the printed page carries its citation.
 */
(function () {
  "use strict";

  function labelScrollingTables() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var caption = box.querySelector("caption");
      if (box.scrollWidth <= box.clientWidth + 1) {
        box.removeAttribute("tabindex");
        return;
      }
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (caption) { box.setAttribute("aria-label", caption.textContent.trim()); }
    });
  }

  function init() {
    labelScrollingTables();
    window.addEventListener("resize", labelScrollingTables);
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details.cite-page").forEach(function (d) { d.open = true; });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
