// 「現在地を送る」 on the public request form: the resident opts in, the browser's position (high accuracy) goes
// into three hidden fields, and every outcome is said in words: the accuracy, or why there is no position
// (denied, unavailable, timeout, a page not on https). 「現在地を取り消す」 empties the fields again.
(function () {
  "use strict";
  const box = document.querySelector("[data-geolocate]");
  if (!box) return;
  const form = box.closest("form");
  const field = function (name) { return form.querySelector("input[name=" + name + "]"); };
  const lat = field("lat"), lng = field("lng"), accuracy = field("accuracy");
  const send = box.querySelector("[data-geolocate-send]");
  const remove = box.querySelector("[data-geolocate-remove]");
  const status = box.querySelector("[data-geolocate-status]");
  const maxError = parseFloat(box.dataset.maxError || "1000");
  box.hidden = false;

  function say(text, kind) {
    status.textContent = text;
    status.className = "geolocate-status" + (kind ? " " + kind : "");
  }

  function metres(value) { return String(Math.round(value)); }

  function fill(position) {
    lat.value = position ? position.coords.latitude.toFixed(6) : "";
    lng.value = position ? position.coords.longitude.toFixed(6) : "";
    accuracy.value = position ? metres(position.coords.accuracy) : "";
    remove.hidden = !position;
  }

  function failed(error) {
    fill(null);
    const words = { 1: box.dataset.denied, 2: box.dataset.unavailable, 3: box.dataset.timeout };
    say(words[error && error.code] || box.dataset.unavailable, "error");
    send.disabled = false;
  }

  send.addEventListener("click", function () {
    if (!window.isSecureContext) { say(box.dataset.insecure, "error"); return; }
    if (!("geolocation" in navigator)) { say(box.dataset.unsupported, "error"); return; }
    send.disabled = true;
    say(box.dataset.working, "");
    navigator.geolocation.getCurrentPosition(function (position) {
      send.disabled = false;
      if (position.coords.accuracy > maxError) {
        fill(null);
        say(box.dataset.coarse.replace("{m}", metres(position.coords.accuracy)), "error");
        return;
      }
      fill(position);
      say(box.dataset.ok.replace("{m}", metres(position.coords.accuracy)), "ok");
    }, failed, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });

  remove.addEventListener("click", function () {
    fill(null);
    say("", "");
    const errors = box.querySelector(".errorlist");
    if (errors) errors.remove();
    send.focus();
  });

  // The form came back (another field's error): the position it holds is still there, and said so.
  if (lat.value && lng.value && accuracy.value && !box.querySelector(".errorlist")) {
    remove.hidden = false;
    say(box.dataset.ok.replace("{m}", metres(parseFloat(accuracy.value))), "ok");
  } else if (box.querySelector(".errorlist")) {
    remove.hidden = false;
  }
})();
