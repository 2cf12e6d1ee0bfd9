// Shared map set-up for every page with a map: tiles from the server's TILE_URL setting, a canvas renderer
// for many markers, and a map that stays usable (grid background, a notice) when no tile can be loaded.
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

  DVC.statusColours = {
    new: "#6b7280", surveyed: "#7c3aed", ready: "#d97706", assigned: "#2563eb", in_progress: "#0891b2",
    continuing: "#db2777", completed: "#16a34a", cancelled: "#9ca3af", on_hold: "#78716c",
  };

  // el carries data-lat, data-lng, data-zoom, data-tile-url, data-attribution, data-offline-text.
  DVC.createMap = function (el, options) {
    const d = el.dataset;
    const map = L.map(el, Object.assign({ preferCanvas: true }, options || {}))
      .setView([parseFloat(d.lat), parseFloat(d.lng)], parseInt(d.zoom || "14", 10));
    if (d.tileUrl) {
      const tiles = L.tileLayer(d.tileUrl, { attribution: d.attribution || "", maxZoom: 18 });
      let warned = false;
      tiles.on("tileerror", function () {
        if (warned) return;
        warned = true;
        el.classList.add("tiles-offline");
        const note = L.control({ position: "bottomleft" });
        note.onAdd = function () {
          const div = L.DomUtil.create("div", "map-offline-note");
          div.textContent = d.offlineText || "";
          return div;
        };
        note.addTo(map);
      });
      tiles.addTo(map);
    }
    return map;
  };
})();
