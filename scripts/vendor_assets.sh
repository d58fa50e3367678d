#!/usr/bin/env bash
# Copy the front-end libraries the public pages use into static/vendor/ (and axe-core into
# tests/vendor/ for the accessibility tests), from the npm registry, at the versions pinned in
# scripts/vendor/package-lock.json. Run by a developer when upgrading; the copies are committed,
# so neither setup nor the site ever fetches them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp scripts/vendor/package.json scripts/vendor/package-lock.json "$work/"
(cd "$work" && npm ci --no-audit --no-fund --ignore-scripts)
nm="$work/node_modules"
out=static/vendor
rm -rf "$out/chartjs" "$out/leaflet" "$out/leaflet.markercluster" "$out/world-atlas" "$out/topojson-client" "$out/cytoscape"
mkdir -p "$out/chartjs" "$out/leaflet/images" "$out/leaflet.markercluster" "$out/world-atlas" "$out/topojson-client" \
    "$out/cytoscape" tests/vendor
# The source maps come too: the scripts name them, and the production static storage
# (whitenoise's manifest) refuses to collect a file whose map is missing.
cp "$nm/chart.js/dist/chart.umd.min.js" "$nm/chart.js/dist/chart.umd.min.js.map" "$nm/chart.js/LICENSE.md" "$out/chartjs/"
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.js.map" "$nm/leaflet/dist/leaflet.css" "$nm/leaflet/LICENSE" "$out/leaflet/"
# Clusters of map points on profiles with many members.
cp "$nm/leaflet.markercluster/dist/leaflet.markercluster.js" "$nm/leaflet.markercluster/dist/leaflet.markercluster.js.map" \
    "$nm/leaflet.markercluster/dist/MarkerCluster.css" "$nm/leaflet.markercluster/dist/MarkerCluster.Default.css" \
    "$nm/leaflet.markercluster/MIT-LICENCE.txt" "$out/leaflet.markercluster/"
chmod 644 "$out"/leaflet.markercluster/*
cp "$nm/leaflet/dist/images/"*.png "$out/leaflet/images/"
# Country outlines (Natural Earth 1:110m, public domain, packaged by world-atlas): the map
# shows these when no tile server is configured or reachable.
cp "$nm/world-atlas/countries-110m.json" "$nm/world-atlas/LICENSE" "$out/world-atlas/"
cp "$nm/topojson-client/dist/topojson-client.min.js" "$nm/topojson-client/LICENSE" "$out/topojson-client/"
# The co-membership graph's interactive view (/xx/graph/); the minified build names no source map.
cp "$nm/cytoscape/dist/cytoscape.min.js" "$nm/cytoscape/LICENSE" "$out/cytoscape/"
cp "$nm/axe-core/axe.min.js" "$nm/axe-core/LICENSE" tests/vendor/
for pkg in chart.js leaflet leaflet.markercluster world-atlas topojson-client cytoscape axe-core; do
    printf '%s %s\n' "$pkg" "$(node -p "require('$nm/$pkg/package.json').version")"
done > "$out/VERSIONS"
cat "$out/VERSIONS"
