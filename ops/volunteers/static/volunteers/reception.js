// Reception: keep today's counts fresh (a poll every 10 s; the page works without it) and keep the
// search box ready for the next person or a handheld QR scanner.
(function () {
  "use strict";
  var box = document.getElementById("day-counts");
  var search = document.getElementById("q");
  if (search && !search.value) { search.focus(); }
  if (search && search.value) { search.select(); }
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        box.querySelectorAll("[data-count]").forEach(function (el) {
          var key = el.getAttribute("data-count");
          if (key in data) { el.textContent = data[key]; }
        });
      })
      .catch(function () { /* offline for a moment: the next tick tries again */ });
  }
  setInterval(function () { if (!document.hidden) { refresh(); } }, 10000);
})();
