// The desks' camera: reads QR codes in the browser, from our own static files. The BarcodeDetector API where
// the browser has one for QR codes, jsQR (npm, vendored by scripts/vendor_js.py) where it does not.
//
//   var scanner = DeskScanner.start(videoElement, function (text) { ... }, {decoder: "/static/vendor/jsqr/jsQR.js"});
//   scanner.stop();
//
// Each code is handed over once while it stays in view; the same code again only after it has left the
// picture for REPEAT_MS (a volunteer's phone held in front of the camera is one scan, not twenty).
(function () {
  "use strict";
  var REPEAT_MS = 2500;
  var EVERY_MS = 120;
  var WIDTH = 640;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(); return; }
      var s = document.createElement("script");
      s.src = src;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error("decoder")); };
      document.head.appendChild(s);
    });
  }

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) { return Promise.resolve(null); }
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({formats: ["qr_code"]}) : null;
    }).catch(function () { return null; });
  }

  function start(video, onCode, options) {
    options = options || {};
    var stopped = false;
    var stream = null;
    var timer = null;
    var seen = {};  // code -> last time it was in view
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", {willReadFrequently: true});

    function handle(text) {
      var now = Date.now();
      var last = seen[text];
      seen[text] = now;
      if (last && now - last < REPEAT_MS) { return; }
      onCode(text);
    }

    function decodeWith(detector) {
      if (stopped || video.readyState < 2 || !video.videoWidth) { return Promise.resolve(); }
      if (detector) {
        return detector.detect(video).then(function (codes) {
          codes.forEach(function (c) { if (c.rawValue) { handle(c.rawValue); } });
        });
      }
      var scale = Math.min(1, WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
      if (code && code.data) { handle(code.data); }
      return Promise.resolve();
    }

    var ready = navigator.mediaDevices && navigator.mediaDevices.getUserMedia
      ? navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
      : Promise.reject(new Error("camera"));
    var done = ready.then(function (s) {
      stream = s;
      if (stopped) { s.getTracks().forEach(function (t) { t.stop(); }); return null; }
      video.srcObject = s;
      video.setAttribute("playsinline", "");
      video.muted = true;
      return video.play().then(function () { return nativeDetector(); });
    }).then(function (detector) {
      if (stopped) { return "stopped"; }
      var loaded = detector ? Promise.resolve() : loadScript(options.decoder);
      return loaded.then(function () {
        var busy = false;
        timer = setInterval(function () {
          if (busy || document.hidden) { return; }
          busy = true;
          decodeWith(detector).catch(function () {}).then(function () { busy = false; });
        }, EVERY_MS);
        return detector ? "native" : "jsqr";
      });
    });

    return {
      ready: done,  // resolves to "native" or "jsqr"; rejects when there is no camera (type the number instead)
      stop: function () {
        stopped = true;
        if (timer) { clearInterval(timer); }
        if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
      }
    };
  }

  window.DeskScanner = {start: start};
})();
