// The prefecture's overview: every `poll-seconds` it asks figures.json and puts each number in its cell
// (data-centre, data-cell), then says 「最終更新 hh:mm:ss」. Polling, not a socket: the boards' sockets are per
// centre, and a figure a few seconds old is what a prefecture's desk needs. Works without it, less live.
(function () {
  "use strict";
  const stamp = document.getElementById("pref-updated");
  const table = document.getElementById("pref-overview");
  if (!stamp || !table || !window.fetch) return;
  const every = Math.max(5, parseInt(stamp.dataset.pollSeconds, 10) || 20) * 1000;
  const closedWord = table.dataset.closedWord || "";

  function two(n) { return String(n).padStart(2, "0"); }
  function clock(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return "";
    return two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
  }
  function fill(row, cells) {
    if (!row) return;
    Object.keys(cells).forEach(function (key) {
      const cell = row.querySelector('[data-cell="' + key + '"]');
      if (!cell) return;
      let value = cells[key];
      if ((key === "places_today" && cells.closed_today) || (key === "places_tomorrow" && cells.closed_tomorrow)) {
        value = closedWord;
      }
      cell.textContent = value === null || value === undefined ? "—" : String(value);
    });
  }
  function poll() {
    fetch(stamp.dataset.pollUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        data.centres.forEach(function (c) {
          fill(table.querySelector('tr[data-centre="' + c.id + '"]'), c);
        });
        fill(table.querySelector('tr[data-centre="totals"]'), data.totals);
        stamp.textContent = stamp.dataset.label + " " + clock(data.computed_at);
        stamp.classList.remove("error");
      })
      .catch(function () {
        stamp.textContent = stamp.dataset.failed;
        stamp.classList.add("error");
      });
  }
  window.DVCPrefecture = { poll: poll };  // the browser test asks for a poll now
  setInterval(poll, every);
})();
