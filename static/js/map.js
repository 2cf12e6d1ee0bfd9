// Shared map set-up for every page with a map: the base map the server chose (mapping.tiles: a local MBTiles
// file, a tile server, or none) with a line saying which, a canvas renderer for many markers, and a map that
// stays usable (grid background, a notice) when no tile can be loaded.
(function () {
  "use strict";
  const DVC = (window.DVC = window.DVC || {});

  // Leaflet's default pin finds its images by a guess that hashed static names defeat: tell it where they are.
  const me = document.currentScript;
  if (me && me.dataset.markerIcon && window.L) {
    L.Icon.Default.imagePath = "";  // a string: Leaflet skips its guess and uses the addresses below as they are
    L.Icon.Default.mergeOptions({
      iconUrl: me.dataset.markerIcon, iconRetinaUrl: me.dataset.markerRetina, shadowUrl: me.dataset.markerShadow,
    });
  }

  // The map pages' small DOM helpers (board, its lists, the prefecture view): an element with a class and text
  // (text, never HTML), and a catalogue string's %(name)s filled in.
  DVC.el = function (tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  };
  DVC.fill = function (template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  };

  DVC.statusColours = {
    new: "#6b7280", surveyed: "#7c3aed", ready: "#d97706", assigned: "#2563eb", in_progress: "#0891b2",
    continuing: "#db2777", completed: "#16a34a", cancelled: "#9ca3af", on_hold: "#78716c",
  };

  // el carries data-lat, data-lng, data-zoom, data-offline-text and data-basemap (mapping.tiles.source(): the
  // layer to draw, its zooms and bounds, the line saying which base map this is, and a fallback).
  DVC.createMap = function (el, options) {
    const d = el.dataset;
    const source = JSON.parse(d.basemap || "{}");
    const layer = source.layer;
    const opts = Object.assign({ preferCanvas: true }, options || {});
    if (layer && source.kind === "local") {
      opts.minZoom = layer.minZoom;
      opts.maxZoom = Math.max(layer.maxZoom + OVERZOOM, layer.minZoom);
    }
    let zoom = parseInt(d.zoom || "14", 10);
    if (opts.minZoom !== undefined) zoom = Math.min(Math.max(zoom, opts.minZoom), opts.maxZoom);
    const map = L.map(el, opts).setView([parseFloat(d.lat), parseFloat(d.lng)], zoom);
    const label = note(map, "map-source-note", source.label || "");
    if (layer) {
      const tiles = tileLayer(layer).addTo(map);
      let failed = false;
      tiles.on("tileerror", function () {
        if (failed) return;
        failed = true;
        map.removeLayer(tiles);
        if (source.fallback) {
          // The tile server cannot be reached: the demo's drawn grid, said to be no real map.
          tileLayer(source.fallback).addTo(map);
          label.textContent = source.fallback.label;
        } else {
          el.classList.add("tiles-offline");
          label.classList.add("map-offline-note");
          label.textContent = d.offlineText || "";
        }
      });
    }
    return map;
  };

  const OVERZOOM = 2;  // as mapping.tiles.OVERZOOM: past the file's deepest level its tiles are enlarged

  function tileLayer(layer) {
    const opts = { attribution: layer.attribution || "", maxZoom: 19, minZoom: layer.minZoom || 0,
                   maxNativeZoom: layer.maxZoom, minNativeZoom: layer.minZoom || 0 };
    if (layer.bounds) {  // west, south, east, north: no request for a tile the file does not cover
      opts.bounds = L.latLngBounds([layer.bounds[1], layer.bounds[0]], [layer.bounds[3], layer.bounds[2]]);
    }
    return L.tileLayer(layer.url, opts);
  }

  function note(map, cls, text) {
    const control = L.control({ position: "bottomleft" });
    let div = null;
    control.onAdd = function () {
      div = L.DomUtil.create("div", cls);
      div.textContent = text;
      return div;
    };
    control.addTo(map);
    return div;
  }
})();
