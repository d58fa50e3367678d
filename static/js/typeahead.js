/*
 * Header search typeahead (no dependencies, no build step).
 *
 * ARIA 1.2 combobox pattern: the input (role="combobox") controls a listbox of options;
 * Down/Up move through the suggestions (aria-activedescendant), Enter opens the chosen one
 * (or submits the search when none is chosen), Escape closes the list (a second Escape clears
 * the input), Tab leaves it. Suggestions come from the JSON endpoint in data-suggest-url.
 * Without JavaScript the form still submits to the search page.
 */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY_MS = 150;

  function setup(input) {
    var form = input.form;
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    var status = input.parentNode.querySelector(".typeahead-status");
    if (!listbox) {
      return;
    }
    var language = document.documentElement.lang || "";
    var timer = null;
    var controller = null;
    var items = [];
    var active = -1;
    var lastQuery = null;

    function announce(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      if (items.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function highlight(index) {
      var options = listbox.querySelectorAll("[role=option]");
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        if (options[index].scrollIntoView) {
          options[index].scrollIntoView({ block: "nearest" });
        }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (item && item.url) {
        window.location.assign(item.url);
      } else if (item) {
        input.value = item.name;
        close();
        form.submit();
      }
    }

    function render(results) {
      items = results;
      listbox.textContent = "";
      results.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = listbox.id + "-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "typeahead-option";
        var name = document.createElement("span");
        name.className = "typeahead-name";
        name.textContent = item.name;
        if (item.lang) {
          name.lang = item.lang;
        }
        option.appendChild(name);
        var meta = document.createElement("span");
        meta.className = "typeahead-kind";
        meta.textContent = item.detail ? item.kind_label + " · " + item.detail : item.kind_label;
        option.appendChild(meta);
        // mousedown, not click: the input must not lose the choice to its blur handler
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        option.addEventListener("mousemove", function () {
          if (active !== index) {
            highlight(index);
          }
        });
        listbox.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (results.length) {
        open();
        var template = input.getAttribute("data-label-count") || "{count}";
        announce(template.replace("{count}", String(results.length)));
      } else {
        close();
        announce(input.getAttribute("data-label-none") || "");
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) {
        open();
        return;
      }
      lastQuery = query;
      if (query.length < MIN_LENGTH) {
        render([]);
        announce("");
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = "AbortController" in window ? new AbortController() : null;
      var url = input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(query) +
        (language ? "&lang=" + encodeURIComponent(language) : "");
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (input.value.trim() === query) {
            render(data.results || []);
          }
        })
        .catch(function (error) {
          if (!error || error.name !== "AbortError") {
            render([]);
          }
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      switch (event.key) {
        case "ArrowDown":
        case "Down":
          event.preventDefault();
          if (listbox.hidden) {
            if (items.length) {
              open();
              highlight(0);
            } else {
              fetchSuggestions();
            }
          } else {
            highlight(active + 1 >= items.length ? 0 : active + 1);
          }
          break;
        case "ArrowUp":
        case "Up":
          event.preventDefault();
          if (!listbox.hidden) {
            highlight(active <= 0 ? items.length - 1 : active - 1);
          } else if (items.length) {
            open();
            highlight(items.length - 1);
          }
          break;
        case "Enter":
          if (!listbox.hidden && active >= 0) {
            event.preventDefault();
            choose(active);
          }
          break;
        case "Escape":
        case "Esc":
          if (!listbox.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            lastQuery = null;
            items = [];
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });

    input.addEventListener("focus", function () {
      if (items.length && input.value.trim() === lastQuery) {
        open();
      }
    });
  }

  function init() {
    var inputs = document.querySelectorAll("input.typeahead-input[data-suggest-url]");
    for (var i = 0; i < inputs.length; i++) {
      setup(inputs[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
