/*
 * Charts drawn with the vendored Chart.js from data the page already carries:
 *
 *   <canvas data-chart="ID-OF-JSON" aria-describedby="ID-OF-TABLE"></canvas>
 *   {{ chart|json_script:"ID-OF-JSON" }}
 *   chart: {"type": "bar"|"line", "labels": [...], "datasets": [{"label", "data", "stepped"?}],
 *           "horizontal": bool}
 *
 * Each chart sits beside a table holding the same numbers (its text alternative).
 */
(function () {
  "use strict";

  var COLOURS = ["#0b5cad", "#c05600", "#2e7d32", "#6a1b9a"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (dataset, index) {
      var colour = COLOURS[index % COLOURS.length];
      return Object.assign({
        borderColor: colour,
        backgroundColor: spec.type === "line" ? colour : colour + "cc",
        borderWidth: 2,
        pointRadius: spec.type === "line" ? 3 : undefined,
        spanGaps: true,
      }, dataset);
    });
    canvas.paradiploChart = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: { x: { ticks: { autoSkip: true } }, y: { beginAtZero: true } },
      },
    });
    canvas.dataset.drawn = "true";
  }

  function init() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
