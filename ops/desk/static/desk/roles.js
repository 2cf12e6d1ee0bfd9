// デスク担当 (staff): scan a volunteer's personal QR with this device's camera to find them (the QR's link is
// put in the search box and searched). Without a camera or this script, the name search works alone.
(function () {
  "use strict";
  var button = document.getElementById("role-scan");
  var video = document.getElementById("role-video");
  var form = document.getElementById("role-search");
  var status = document.getElementById("role-scan-status");
  if (!button || !video || !form || !window.DeskScanner || !navigator.mediaDevices) return;
  var scanner = null;
  button.hidden = false;

  function stop() {
    if (scanner) scanner.stop();
    scanner = null;
    video.hidden = true;
    button.textContent = button.dataset.start;
  }

  button.addEventListener("click", function () {
    if (scanner) { stop(); return; }
    video.hidden = false;
    button.textContent = button.dataset.stop;
    scanner = window.DeskScanner.start(video, function (text) {
      stop();
      form.elements.q.value = text;
      form.submit();
    }, {decoder: button.dataset.decoder});
    scanner.ready.catch(function () {
      stop();
      status.textContent = button.dataset.noCamera;
    });
  });
})();
