/*
 * The co-membership graph's interactive view (/xx/graph/), drawn with the vendored Cytoscape.js
 * from the API's JSON (/api/v1/graph/, the same parameters as the page):
 *
 *   <div id="graph-canvas" data-graph-url="/api/v1/graph/?…&format=json&lang=en"
 *        data-label-error="…"></div>
 *   <p id="graph-selection" aria-live="polite"></p>
 *
 * Networks are squares, cities circles, sized by degree; a click on a node writes its figures
 * in #graph-selection. The tables of the page hold the same figures (its text alternative).
 */
(function () {
  "use strict";

  var CITY = "#0b5cad";
  var NETWORK = "#c05600";

  function size(degree, largest) {
    return 12 + 36 * Math.sqrt(degree / Math.max(largest, 1));
  }

  function elements(data) {
    var largest = data.nodes.reduce(function (most, node) { return Math.max(most, node.degree); }, 0);
    var nodes = data.nodes.map(function (node) {
      return {
        group: "nodes",
        data: {
          id: node.id,
          label: node.label,
          kind: node.kind,
          country: node.country ? node.country.code : "",
          degree: node.degree,
          strength: node.strength,
          betweenness: node.centralities.betweenness,
          eigenvector: node.centralities.eigenvector,
          size: size(node.degree, largest),
        },
      };
    });
    var edges = data.edges.map(function (edge, index) {
      return { group: "edges", data: { id: "e" + index, source: edge.source, target: edge.target, weight: edge.weight } };
    });
    return nodes.concat(edges);
  }

  function describe(node) {
    var parts = [node.data("label")];
    if (node.data("country")) { parts[0] += " (" + node.data("country") + ")"; }
    parts.push("degree " + node.data("degree"));
    if (node.data("strength") !== node.data("degree")) { parts.push("strength " + node.data("strength")); }
    parts.push("betweenness " + Number(node.data("betweenness")).toFixed(4));
    if (node.data("eigenvector") !== null) { parts.push("eigenvector " + Number(node.data("eigenvector")).toFixed(4)); }
    return parts.join(" · ");
  }

  function draw(container, data) {
    var selection = document.getElementById("graph-selection");
    var cy = cytoscape({
      container: container,
      elements: elements(data),
      minZoom: 0.05,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      style: [
        {
          selector: "node",
          style: {
            "background-color": CITY,
            width: "data(size)",
            height: "data(size)",
            label: "",
            "font-size": 10,
            "text-valign": "bottom",
            "text-margin-y": 2,
            color: "#1a1a1a",
          },
        },
        { selector: "node[kind = 'network']", style: { shape: "round-rectangle", "background-color": NETWORK, label: "data(label)", "font-weight": 700 } },
        { selector: "node:selected", style: { label: "data(label)", "border-width": 3, "border-color": "#1a1a1a" } },
        { selector: "edge", style: { width: "mapData(weight, 1, 10, 0.5, 4)", "line-color": "#9aa5b1", opacity: 0.6 } },
      ],
    });
    cy.on("tap", "node", function (event) {
      if (selection) { selection.textContent = describe(event.target); }
    });
    container.paradiploGraph = cy;
    // Drawn once the layout has placed the nodes (cose may finish after this function returns).
    var layout = cy.layout({ name: data.nodes.length > 400 ? "concentric" : "cose", animate: false, randomize: false });
    layout.one("layoutstop", function () {
      cy.fit(undefined, 20);
      container.dataset.drawn = String(cy.nodes().length);
    });
    layout.run();
  }

  function start() {
    var container = document.getElementById("graph-canvas");
    if (!container || typeof cytoscape === "undefined") { return; }
    fetch(container.dataset.graphUrl, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) { draw(container, data); })
      .catch(function () {
        container.textContent = container.dataset.labelError;
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
