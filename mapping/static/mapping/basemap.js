// The base map page: the map as every page shows it, at the centre.
(function () {
  "use strict";
  const el = document.getElementById("basemap-map");
  if (el && window.DVC && window.L) DVC.createMap(el);
})();
