/*
 * "Cite this page": a Copy button beside each citation (APA, BibTeX, CSL-JSON) puts its text on
 * the clipboard and says so to screen readers. The buttons stay hidden where the clipboard
 * cannot be written (no JavaScript, an insecure context): the text can still be selected.
 */
(function () {
  "use strict";

  function setup(block) {
    var status = block.querySelector(".cite-copy-status");
    block.querySelectorAll("button.copy-button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          button.classList.add("copied");
          if (status) {
            status.textContent = status.getAttribute("data-copied") || "";
          }
          window.setTimeout(function () {
            button.classList.remove("copied");
            if (status) {
              status.textContent = "";
            }
          }, 2000);
        });
      });
    });
  }

  function init() {
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    document.querySelectorAll(".cite-page").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
