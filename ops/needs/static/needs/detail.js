// A need's page: show its pin (read-only). Works without tiles (grid background).
(function () {
  "use strict";
  const el = document.getElementById("need-map");
  if (!el || !window.DVC) return;
  const map = DVC.createMap(el, { scrollWheelZoom: false });
  L.marker([parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)]).addTo(map);
})();
