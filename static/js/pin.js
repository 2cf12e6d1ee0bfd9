// A pin on the map (class pin-map) that fills a form's latitude and longitude inputs (a centre's position): tap or click to
// place it, drag to adjust; typing in the inputs moves it. Without this script the inputs still take numbers.
(function () {
  "use strict";
  document.querySelectorAll(".pin-map").forEach(function (el) {
    const form = el.closest("form");
    const latInput = form.querySelector("input[name$=lat]");
    const lngInput = form.querySelector("input[name$=lng]");
    const map = window.DVC.createMap(el);
    let marker = null;

    function place(lat, lng) {
      if (!marker) {
        marker = L.marker([lat, lng], { draggable: true, autoPan: true }).addTo(map);
        marker.on("dragend", function () { fill(marker.getLatLng()); });
      } else {
        marker.setLatLng([lat, lng]);
      }
    }
    function fill(latlng) {
      latInput.value = Math.round(latlng.lat * 1e6) / 1e6;
      lngInput.value = Math.round(latlng.lng * 1e6) / 1e6;
    }
    function fromInputs() {
      const lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
      if (isFinite(lat) && isFinite(lng)) { place(lat, lng); map.panTo([lat, lng]); }
    }
    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng); fill(e.latlng); });
    latInput.addEventListener("change", fromInputs);
    lngInput.addEventListener("change", fromInputs);
    fromInputs();
  });
})();
