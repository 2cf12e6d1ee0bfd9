// The prefecture's needs map by district: one circle per (centre, district) with at least the minimum of
// placed needs, sized by its open needs, at the district's mean position (to about 100 m); a popup with the
// counts. Every district, placed or not, is a row of the table. Text goes in with textContent only.
(function () {
  "use strict";
  const root = document.getElementById("district-map-page");
  if (!root) return;
  const T = document.getElementById("district-strings").dataset;
  const mapEl = document.getElementById("district-map");
  const map = mapEl && window.DVC && window.L ? window.DVC.createMap(mapEl) : null;
  const rows = document.getElementById("district-rows");
  const count = document.getElementById("district-count");
  const circles = [];
  window.DVCDistricts = { map: map, circles: circles };  // the browser test clicks a circle where a mouse would

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function districtName(d) { return d.district || T.noDistrict; }
  function workText(d) { return d.work.map(function (w) { return w.label + " " + w.n; }).join("、"); }
  function popup(d) {
    const box = el("div", "pref-popup");
    box.appendChild(el("strong", null, d.centre_name + " · " + districtName(d)));
    const list = el("dl", "pref-popup-counts");
    [[T.open, d.total], [T.waiting, d.statuses.waiting], [T.inProgress, d.statuses.in_progress],
      [T.onHold, d.statuses.on_hold]].forEach(function (pair) {
      list.appendChild(el("dt", null, pair[0]));
      list.appendChild(el("dd", null, pair[1]));
    });
    box.appendChild(list);
    if (d.work.length) box.appendChild(el("p", null, workText(d)));
    return box;
  }
  function radius(n) { return Math.min(40, 6 + 4 * Math.sqrt(n)); }

  fetch(root.dataset.feedUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (data) {
      const placed = [];
      data.districts.forEach(function (d) {
        const tr = el("tr");
        tr.appendChild(el("td", null, d.centre_name));
        tr.appendChild(el("th", null, districtName(d)));
        tr.lastChild.scope = "row";
        [d.total, d.statuses.waiting, d.statuses.in_progress, d.statuses.on_hold].forEach(function (n) {
          tr.appendChild(el("td", "num", n));
        });
        tr.appendChild(el("td", null, workText(d)));
        tr.appendChild(el("td", null, d.lat === null ? T.unplaced : T.placed));
        rows.appendChild(tr);
        if (map && d.lat !== null && d.lng !== null) {
          const circle = window.L.circleMarker([d.lat, d.lng], {
            radius: radius(d.total), color: "#0b5cad", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.35,
          }).addTo(map);
          circle.bindPopup(function () { return popup(d); });
          circles.push(circle);
          placed.push([d.lat, d.lng]);
        }
      });
      if (!data.districts.length) {
        const tr = el("tr");
        const td = el("td", null, T.none);
        td.colSpan = 8;
        tr.appendChild(td);
        rows.appendChild(tr);
      }
      count.textContent = T.count + " " + data.districts.length;
      if (map && placed.length) map.fitBounds(placed, { padding: [30, 30], maxZoom: 15 });
      root.dataset.loaded = String(placed.length);  // the browser test waits for this
    })
    .catch(function () { count.textContent = T.failed; count.classList.add("error"); });
})();
