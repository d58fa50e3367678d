/*
 * Maps of places (member cities, a city's location) drawn with the vendored Leaflet.
 *
 * Points in the page (a handful, e.g. a city's location):
 *   <div class="map" data-map="ID-OF-JSON" data-outlines-url="…countries-110m.json"
 *        data-tiles-url="" data-tiles-attribution=""></div>
 *   {{ points|json_script:"ID-OF-JSON" }}   points: [{"name", "lat", "lon", "url"}]
 *
 * Points from an address (a network's members, up to tens of thousands):
 *   <div class="map" data-map="…" data-points-url="/en/networks/…/members.geojson" …></div>
 * The GeoJSON FeatureCollection is fetched (features: Point geometries with "name", "url" and
 * "founding" properties); above CLUSTER_ABOVE points (or data-cluster-above) and when the
 * vendored Leaflet.markercluster is on the page, nearby points are grouped into clusters
 * that show how many cities they hold and open up as the reader zooms in.
 *
 * Markers are vector circles over bundled country outlines (Natural Earth 1:110m, public
 * domain), so the map needs no tile server; when the PARADIPLO_MAP_TILE_URL setting names
 * one, its tiles are drawn under the outlines. The page always lists the same places as text
 * or links to the list that has them: the map is a visual aid, never the only way to the facts.
 */
(function () {
  "use strict";

  var outlinesCache = {};
  var CLUSTER_ABOVE = 1000;

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

  function located(points) {
    return points.filter(function (p) { return typeof p.lat === "number" && typeof p.lon === "number"; });
  }

  // The points of a GeoJSON FeatureCollection of Point features.
  function fromGeoJSON(collection) {
    return (collection && collection.features || []).map(function (feature) {
      var coordinates = feature.geometry && feature.geometry.coordinates || [];
      var properties = feature.properties || {};
      return { lat: coordinates[1], lon: coordinates[0], name: properties.name, url: properties.url };
    });
  }

  function loadPoints(element) {
    if (element.dataset.pointsUrl) {
      return fetch(element.dataset.pointsUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (collection) { return located(fromGeoJSON(collection)); });
    }
    var source = document.getElementById(element.dataset.map);
    return Promise.resolve(source ? located(JSON.parse(source.textContent)) : null);
  }

  // A cluster's icon: its number of cities, and for screen readers what it is.
  function clusterIcon(element) {
    var locale = document.documentElement.lang || undefined;
    var template = element.dataset.labelClusters || "{count}";
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
      var diameter = { small: 40, medium: 46, large: 54 }[size];  // as in networks.css
      var outer = document.createElement("div");
      var number = document.createElement("span");
      number.textContent = count.toLocaleString(locale);
      number.setAttribute("aria-hidden", "true");
      var label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = template.replace("{count}", count.toLocaleString(locale));
      outer.appendChild(number);
      outer.appendChild(label);
      return L.divIcon({ html: outer, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(diameter, diameter) });
    };
  }

  function draw(element) {
    if (typeof L === "undefined") { return; }
    loadPoints(element).then(function (points) {
      if (points) { drawPoints(element, points); }
    }).catch(function (error) {
      if (window.console) { console.error("map", error); }
      element.dataset.failed = "true";
      var message = document.createElement("p");
      message.className = "empty";
      message.textContent = element.dataset.labelFailed || "The map could not be loaded.";
      element.appendChild(message);
    });
  }

  function drawPoints(element, points) {
    var clustered = points.length > Number(element.dataset.clusterAbove || CLUSTER_ABOVE) &&
      typeof L.markerClusterGroup === "function";
    // A maxZoom of its own: without a tile layer Leaflet has none, and clusters need one.
    var map = L.map(element, {
      worldCopyJump: true, scrollWheelZoom: false, attributionControl: true, zoomControl: false, maxZoom: 18,
    });
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
    var clusteringDone = Promise.resolve();
    var markers = L.featureGroup();
    if (clustered) {
      var finish;
      clusteringDone = new Promise(function (resolve) { finish = resolve; });
      markers = L.markerClusterGroup({
        // Thousands of points are clustered in slices, so the page stays responsive meanwhile.
        chunkedLoading: true,
        chunkProgress: function (processed, total) { if (processed >= total) { finish(); } },
        showCoverageOnHover: false,
        iconCreateFunction: clusterIcon(element),
      });
    }
    var layers = [];
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
      layers.push(marker);
    });
    markers.addTo(map);
    if (clustered) {
      markers.addLayers(layers);  // one call: the clusters are built once, in slices
    } else {
      layers.forEach(function (layer) { markers.addLayer(layer); });
    }
    if (points.length === 1) {
      map.setView([points[0].lat, points[0].lon], 5);
    } else if (points.length) {
      var bounds = L.latLngBounds(points.map(function (p) { return [p.lat, p.lon]; }));
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 6 });
    } else {
      map.setView([0, 0], 1);
    }
    element.paradiploMap = map;
    element.paradiploMarkers = points.map(function (p) { return [p.lat, p.lon, p.name]; });
    element.dataset.markers = String(points.length);
    element.dataset.clustered = clustered ? "true" : "false";
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
    Promise.all([ready, clusteringDone]).then(function () { element.dataset.drawn = "true"; });
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
