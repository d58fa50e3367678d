/*
 * Maps of places (member cities, a city's location) drawn with the vendored Leaflet.
 *
 *   <div class="map" data-map="ID-OF-JSON" data-outlines-url="…countries-110m.json"
 *        data-tiles-url="" data-tiles-attribution=""></div>
 *   {{ points|json_script:"ID-OF-JSON" }}   points: [{"name", "lat", "lon", "url"}]
 *
 * Markers are vector circles over bundled country outlines (Natural Earth 1:110m, public
 * domain), so the map needs no tile server; when the PARADIPLO_MAP_TILE_URL setting names
 * one, its tiles are drawn under the outlines. The page always lists the same places as text:
 * the map is a visual aid, never the only way to the facts.
 */
(function () {
  "use strict";

  var outlinesCache = {};

  // Rings that cross the antimeridian (Fiji, Kiribati, Russia) jump from +180 to -180; drawn
  // as they are, they become bands across the whole map. Make each ring's longitudes continuous.
  function unwrapRing(ring) {
    for (var i = 1; i < ring.length; i++) {
      var delta = ring[i][0] - ring[i - 1][0];
      if (delta > 180) { ring[i] = [ring[i][0] - 360, ring[i][1]]; }
      else if (delta < -180) { ring[i] = [ring[i][0] + 360, ring[i][1]]; }
    }
  }

  function unwrap(collection) {
    collection.features.forEach(function (feature) {
      var geometry = feature.geometry;
      if (!geometry) { return; }
      var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      polygons.forEach(function (polygon) { polygon.forEach(unwrapRing); });
    });
    return collection;
  }

  function loadOutlines(url) {
    if (!outlinesCache[url]) {
      outlinesCache[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (topology) {
          return topology ? unwrap(topojson.feature(topology, topology.objects.countries)) : null;
        })
        .catch(function () { return null; });
    }
    return outlinesCache[url];
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.map);
    if (!source || typeof L === "undefined") { return; }
    var points = JSON.parse(source.textContent).filter(function (p) {
      return typeof p.lat === "number" && typeof p.lon === "number";
    });
    var map = L.map(element, { worldCopyJump: true, scrollWheelZoom: false, attributionControl: true, zoomControl: false });
    L.control.zoom({
      zoomInTitle: element.dataset.labelZoomIn || "Zoom in",
      zoomOutTitle: element.dataset.labelZoomOut || "Zoom out",
    }).addTo(map);
    map.attributionControl.setPrefix(false);
    if (element.dataset.tilesUrl) {
      L.tileLayer(element.dataset.tilesUrl, {
        attribution: element.dataset.tilesAttribution || "",
        maxZoom: 18,
      }).addTo(map);
    }
    var markers = L.featureGroup();
    points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lon], {
        radius: 6, color: "#083f77", weight: 1.5, fillColor: "#f0a500", fillOpacity: 0.9,
      });
      var label = document.createElement(p.url ? "a" : "span");
      label.textContent = p.name;
      if (p.url) { label.href = p.url; }
      marker.bindPopup(label);
      // Leaflet puts a string tooltip in as HTML: give it a text node, never markup.
      var tip = document.createElement("span");
      tip.textContent = p.name;
      marker.bindTooltip(tip);
      marker.on("add", function () {
        var path = marker.getElement();
        if (path) {
          path.setAttribute("role", "button");
          path.setAttribute("aria-label", p.name);
        }
      });
      markers.addLayer(marker);
    });
    markers.addTo(map);
    if (points.length === 1) {
      map.setView([points[0].lat, points[0].lon], 5);
    } else if (points.length) {
      map.fitBounds(markers.getBounds(), { padding: [24, 24], maxZoom: 6 });
    } else {
      map.setView([0, 0], 1);
    }
    element.paradiploMarkers = points.map(function (p) { return [p.lat, p.lon, p.name]; });
    element.dataset.markers = String(points.length);
    var outlines = element.dataset.outlinesUrl;
    var ready = outlines ? loadOutlines(outlines).then(function (geojson) {
      if (geojson) {
        var layer = L.geoJSON(geojson, {
          style: { color: "#7d8b99", weight: 0.7, fillColor: "#e8edf2", fillOpacity: element.dataset.tilesUrl ? 0 : 1 },
          interactive: false,
        }).addTo(map);
        layer.bringToBack();
      }
    }) : Promise.resolve();
    ready.then(function () { element.dataset.drawn = "true"; });
  }

  function init() {
    document.querySelectorAll("[data-map]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
