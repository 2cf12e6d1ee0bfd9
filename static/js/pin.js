// A position field with a pin: the latitude and longitude inputs are the truth (they work without this script
// and without tiles); a tap or a drag on the map fills them, and typing in them moves the pin.
(function () {
  "use strict";
  document.querySelectorAll("[data-pin-map]").forEach(function (wrapper) {
    const mapEl = wrapper.querySelector(".map");
    if (!window.DVC || !window.L || !mapEl) return;
    const form = wrapper.closest("form");
    const lat = form.querySelector("input[name$=lat]");
    const lng = form.querySelector("input[name$=lng]");
    const map = DVC.createMap(mapEl);
    let marker = null;

    function place(latlng, pan) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, autoPan: true }).addTo(map);
        marker.on("dragend", function () { fill(marker.getLatLng()); });
      } else {
        marker.setLatLng(latlng);
      }
      if (pan) map.panTo(latlng);
    }

    function fill(latlng) {
      lat.value = (Math.round(latlng.lat * 1e6) / 1e6).toString();
      lng.value = (Math.round(latlng.lng * 1e6) / 1e6).toString();
    }

    function fromInputs() {
      const a = parseFloat(lat.value), b = parseFloat(lng.value);
      if (isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) place(L.latLng(a, b), true);
    }

    map.on("click", function (e) { place(e.latlng, false); fill(e.latlng); });
    lat.addEventListener("change", fromInputs);
    lng.addEventListener("change", fromInputs);
    fromInputs();
  });
})();
