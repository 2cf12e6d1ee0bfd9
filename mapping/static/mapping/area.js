// The prefecture view: every centre of the disaster on one map, every open need as a dot on one canvas
// (dots.js). Read-only: a dot's card links to its centre's board, where dispatch happens.
// DVC.area.timing = {fetch, parse, draw, total} (ms) once drawn, for the bench and the tests.
(function () {
  "use strict";
  const root = document.getElementById("area");
  const DVC = window.DVC;
  if (!root || !DVC || !DVC.DotsLayer) return;
  const el = DVC.el, fill = DVC.fill;
  const T = document.getElementById("t-strings").dataset;
  const workLabels = JSON.parse(document.getElementById("area-labels").textContent).work;
  const colours = DVC.statusColours;
  const statusLabels = {};
  T.statuses.split("|").forEach(function (pair) {
    const at = pair.indexOf("=");
    if (at > 0) statusLabels[pair.slice(0, at)] = pair.slice(at + 1);
  });
  const map = DVC.createMap(document.getElementById("area-map"));
  const picked = document.getElementById("area-picked");
  const area = (DVC.area = { map: map, timing: null });


  // One style per status, and the 危機介入/見守り ones ringed in red: a few fills per redraw.
  const styles = {};
  Object.keys(colours).forEach(function (s) {
    styles[s] = { fill: colours[s], radius: 3.5 };  // no outline: in a dense town outlines hide the colours
  });
  Object.keys(colours).forEach(function (s) {
    styles[s + ":wf"] = { fill: colours[s], stroke: "#b42318", weight: 1.5, radius: 4 };
  });

  root.querySelectorAll(".swatch").forEach(function (sw) {  // colours from map.js (no inline style: CSP)
    sw.style.backgroundColor = colours[sw.dataset.status] || "#999";
  });
  const started = performance.now();
  const status = new URLSearchParams(location.search).getAll("status").join(",");  // the form's checkboxes
  fetch(root.dataset.feedUrl + (status ? "?status=" + encodeURIComponent(status) : ""), { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
    .then(function (text) {
      const fetched = performance.now();
      const data = JSON.parse(text);
      const parsed = performance.now();
      const rows = data.needs;
      const n = rows.length;
      const lats = new Float64Array(n);
      const lngs = new Float64Array(n);
      const keys = new Array(n);
      const perCentre = data.centres.map(function () { return 0; });
      for (let i = 0; i < n; i++) {
        const row = rows[i];
        lngs[i] = row[1];
        lats[i] = row[2];
        keys[i] = data.statuses[row[4]] + (row[10] ? ":wf" : "");
        perCentre[row[3]] += 1;
      }
      function label(i) {
        const row = rows[i];
        const centre = data.centres[row[3]];
        const box = el("div");
        box.appendChild(el("div", "need-label-head", "N-" + String(row[5]).padStart(4, "0") + " · " +
          (data.work[row[7]].map(function (c) { return workLabels[c] || c; }).join(", ") || "—")));
        box.appendChild(el("div", "muted", [data.districts[row[6]], fill(T.persons, { n: row[8] }),
          statusLabels[data.statuses[row[4]]], centre.name].filter(Boolean).join(" · ")));
        if (row[10]) box.appendChild(el("div", "need-label-welfare", T.welfare));
        return box;
      }
      function onClick(i) {
        const centre = data.centres[rows[i][3]];
        picked.replaceChildren(label(i));
        if (centre.board) {
          const a = el("a", null, T.openBoard);
          a.href = centre.board + "#need=" + rows[i][0];
          picked.appendChild(a);
        }
      }
      document.getElementById("area-count").textContent = n + " " + T.needs;
      const list = document.getElementById("area-centres");
      const bounds = L.latLngBounds([]);
      data.centres.forEach(function (c, i) {
        const li = el("li");
        const name = c.board ? el("a", null, c.name) : el("strong", null, c.name);
        if (c.board) name.href = c.board;
        li.append(name, " ", el("span", "muted", perCentre[i] + " " + T.needs));
        list.appendChild(li);
        bounds.extend([c.lat, c.lng]);
        L.marker([c.lat, c.lng], {
          icon: L.divIcon({ className: "base-icon base-hq", html: "", iconSize: [14, 14] }), keyboard: false,
          bubblingMouseEvents: true,  // a click on the centre's square reaches the dots under it
        }).bindTooltip(function () { return document.createTextNode(c.name); }).addTo(map);
      });
      for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 2000))) bounds.extend([lats[i], lngs[i]]);
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], animate: false });
      const dots = new DVC.DotsLayer({ styles: styles, label: label, onClick: onClick });
      dots.once("drawn", function (e) {
        area.timing = { fetch: fetched - started, parse: parsed - fetched, draw: e.ms,
          total: performance.now() - started, points: n };
      });
      area.dots = dots.setPoints(lats, lngs, keys).addTo(map);
    })
    .catch(function () { picked.replaceChildren(el("p", "board-alert error", T.failed)); });

})();
