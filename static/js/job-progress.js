// A background job's admin page (templates/admin/core/job/detail.html): polls the job's JSON
// status while it runs, shows its progress, and reloads the page (with its report) when it ends.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-job-status-url");
  var bar = box.querySelector("[data-job-progress]");
  var count = box.querySelector("[data-job-count]");
  var label = box.querySelector("[data-job-status]");
  var delay = 1000;

  function show(state) {
    if (bar) {
      bar.value = state.percent;
      bar.textContent = state.percent + " %";
    }
    if (count) {
      count.textContent = state.done + " / " + state.total;
    }
    if (label) {
      label.textContent = state.status_label.charAt(0).toUpperCase() + state.status_label.slice(1);
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000); // a server restarting: ask again, less often
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
