// Intake card: place the need's pin on the map (tap/click, drag, or "here"), and show possible duplicates
// while the phone, name, kana or address is typed. Without this script the form still saves (no pin), and
// the server checks duplicates again before saving.
(function () {
  "use strict";
  const form = document.getElementById("intake-form");
  const mapEl = document.getElementById("intake-map");
  if (!form || !mapEl || !window.DVC) return;

  const latInput = form.querySelector("input[name=lat]");
  const lngInput = form.querySelector("input[name=lng]");
  const coords = document.getElementById("pin-coords");
  const map = DVC.createMap(mapEl);
  let marker = null;
  const url = form.dataset.duplicatesUrl;
  const panel = document.getElementById("dup-live");
  const list = document.getElementById("dup-live-list");
  let timer = null;
  let latest = 0;
  // Reasons read as a list in the page's language: 「電話番号が同じ・氏名が同じ」, "same phone number, same name".
  const reasonSep = document.documentElement.lang === "ja" ? "・" : ", ";

  function showCoords() {
    if (!coords) return;
    coords.textContent = marker
      ? marker.getLatLng().lat.toFixed(5) + ", " + marker.getLatLng().lng.toFixed(5)
      : coords.dataset.none || "";
  }

  function setPin(latlng, pan) {
    const lat = Math.round(latlng.lat * 1e7) / 1e7;
    const lng = Math.round(latlng.lng * 1e7) / 1e7;
    if (!marker) {
      marker = L.marker([lat, lng], { draggable: true, autoPan: true }).addTo(map);
      marker.on("dragend", function () { setPin(marker.getLatLng(), false); });
    } else {
      marker.setLatLng([lat, lng]);
    }
    latInput.value = lat;
    lngInput.value = lng;
    if (pan) map.panTo([lat, lng]);
    showCoords();
    checkDuplicates();
  }

  function clearPin() {
    if (marker) map.removeLayer(marker);
    marker = null;
    latInput.value = "";
    lngInput.value = "";
    showCoords();
    checkDuplicates();
  }

  if (latInput.value && lngInput.value) {
    const start = L.latLng(parseFloat(latInput.value), parseFloat(lngInput.value));
    map.setView(start, 17);
    setPin(start, false);
  }
  showCoords();
  map.on("click", function (e) { setPin(e.latlng, false); });

  const clearButton = document.getElementById("pin-clear");
  if (clearButton) clearButton.addEventListener("click", clearPin);
  const hereButton = document.getElementById("pin-here");
  if (hereButton) {
    if (!("geolocation" in navigator)) hereButton.hidden = true;
    hereButton.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          map.setView([pos.coords.latitude, pos.coords.longitude], 17);
          setPin(L.latLng(pos.coords.latitude, pos.coords.longitude), false);
        },
        function () { window.alert(hereButton.dataset.error); },
        { enableHighAccuracy: true, timeout: 10000 }
      );
    });
  }

  // 「住所から地図に置く」: the typed address geocoded (mapping/static/mapping/address_search.js); the best candidate
  // moves the pin, the others stay listed with their confidence in words. Staff can still tap the map.
  const searchButton = document.getElementById("address-search-button");
  const addressInput = form.querySelector("[name=address]");
  if (searchButton && addressInput && DVC.addressSearch) {
    const zoomFor = { block: 18, online: 17, town: 16, city: 13 };
    DVC.addressSearch.attach({
      input: addressInput, button: searchButton, list: document.getElementById("address-search-results"),
      url: searchButton.dataset.url,
      onPick: function (r) {
        map.setView([r.lat, r.lng], zoomFor[r.level] || 16);
        setPin(L.latLng(r.lat, r.lng), false);
      },
    });
  }

  // Possible duplicates while typing: debounced, sent by POST, and only the latest answer is shown.

  function value(name) {
    const el = form.querySelector("[name=" + name + "]");
    return el ? el.value.trim() : "";
  }

  function render(matches) {
    list.textContent = "";
    if (!matches.length) {
      panel.hidden = true;
      return;
    }
    matches.forEach(function (m) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = m.url;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = m.label;
      li.appendChild(a);
      const parts = [m.status_label, m.received_at];
      if (m.name) parts.push(m.name);
      if (m.address) parts.push(m.address);
      li.appendChild(document.createTextNode(" " + parts.join(" · ") + " "));
      const why = document.createElement("span");
      why.className = "muted";
      why.textContent = "(" + m.reasons.join(reasonSep) + (m.distance_m !== null ? ", " + m.distance_m + "m" : "") + ")";
      li.appendChild(why);
      list.appendChild(li);
    });
    panel.hidden = false;
  }

  function checkDuplicates() {
    if (!url || !panel) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      const params = new URLSearchParams({
        phone: value("phone"), name: value("requester_name"), kana: value("requester_kana"),
        address: value("address"), lat: latInput.value, lng: lngInput.value,
      });
      if (form.dataset.exclude) params.set("exclude", form.dataset.exclude);
      const mine = ++latest;
      // A POST: what is typed (a phone, a name, an address) stays out of URLs and access logs.
      const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
      fetch(url, {
        method: "POST", body: params, credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      })
        .then(function (r) { return r.ok ? r.json() : { matches: [] }; })
        .then(function (data) { if (mine === latest) render(data.matches || []); })
        .catch(function () { /* offline or server busy: the server checks again on save */ });
    }, 400);
  }

  ["phone", "requester_name", "requester_kana", "address"].forEach(function (name) {
    const el = form.querySelector("[name=" + name + "]");
    if (el) el.addEventListener("input", checkDuplicates);
  });
  if (value("phone") || value("requester_name") || value("address")) checkDuplicates();
})();
