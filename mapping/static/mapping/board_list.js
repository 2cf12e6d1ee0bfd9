// The map board's lists: the open needs with no position (「N件 位置未設定」: select one to dispatch it as from
// a pin, or place it on the map), the search by number, district or name, and the label of a pin on hover
// and on tap. Uses what board.js exposes as DVC.board.
//
// DVC.board.placeNeed(id, lat, lng) puts a need on the map (the address search calls it from its onPick);
// DVC.board.placing() is the need in place mode (null otherwise); DVC.board.startPlacing(id) enters it.
(function () {
  "use strict";
  const root = document.getElementById("board");
  const DVC = window.DVC;
  if (!root || !DVC || !DVC.board) return;
  const el = DVC.el, fill = DVC.fill;
  const board = DVC.board;
  const map = board.map;
  const cfg = root.dataset;
  const T = document.getElementById("t-strings").dataset;
  const labels = JSON.parse(document.getElementById("board-labels").textContent);
  const ja = document.documentElement.lang === "ja";
  const sep = ja ? "、" : ", ";

  const countEl = document.getElementById("unpinned-count");
  const listEl = document.getElementById("unpinned-list");
  const moreEl = document.getElementById("unpinned-more");
  const panel = document.getElementById("place-panel");
  const placeLabel = document.getElementById("place-label");
  const findForm = document.getElementById("board-find");
  const findResults = document.getElementById("find-results");
  let unpinned = [];
  let placingId = null;

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": cfg.csrf, "Accept": "application/json" },
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) { return { ok: r.ok, body: b }; });
    });
  }

  // --- the needs with no position ------------------------------------------------------------------------
  function describe(n) {
    const parts = [n.district, n.work_types.join(sep), fill(T.persons, { n: n.people_needed }), n.status_label];
    return parts.filter(Boolean).join(" · ");
  }
  // An open partner job's mark: 「協力団体 · 受諾」 (the status of its furthest-along open job).
  function partnerBadge(status) {
    return el("span", "badge partner-badge", T.partner + " · " + ((labels.partner_status || {})[status] || status));
  }
  function renderList(data) {
    unpinned = data.needs;
    countEl.textContent = fill(T.unpinned, { n: data.count });
    listEl.replaceChildren();
    unpinned.forEach(function (n) {
      const li = el("li");
      li.dataset.need = n.id;
      if (n.id === board.selected()) li.classList.add("selected");
      const head = el("div", "unpinned-head");
      const pick = el("button", "link-button", n.label);
      pick.type = "button";
      pick.title = T.choose;
      pick.addEventListener("click", function () { select(n.id); });
      head.appendChild(pick);
      if (n.name) head.appendChild(el("span", "unpinned-name", n.name));
      if (n.partner) head.appendChild(partnerBadge(n.partner));
      const place = el("button", "place-button", T.place);
      place.type = "button";
      place.addEventListener("click", function () { startPlacing(n.id); });
      head.appendChild(place);
      li.appendChild(head);
      li.appendChild(el("div", "muted", describe(n)));
      listEl.appendChild(li);
    });
    moreEl.hidden = data.count <= unpinned.length;
    moreEl.textContent = fill(T.more, { n: data.count - unpinned.length });
    if (placingId !== null && !unpinned.some(function (n) { return n.id === placingId; })) stopPlacing();
  }
  function loadList() {
    return fetch(cfg.unpinnedUrl, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(renderList)
      .catch(function () { /* the next event or resync tries again */ });
  }
  function select(id) {
    listEl.querySelectorAll("li.selected").forEach(function (li) { li.classList.remove("selected"); });
    const li = listEl.querySelector("li[data-need='" + id + "']");
    if (li) { li.classList.add("selected"); li.scrollIntoView({ block: "nearest" }); }
    return board.selectNeed(id);
  }
  let listTimer = null;
  root.addEventListener("board:need", function () { clearTimeout(listTimer); listTimer = setTimeout(loadList, 200); });
  root.addEventListener("board:resync", loadList);

  // --- place mode ----------------------------------------------------------------------------------------
  // Placing by address: the need's own address (for roles that see it) searched in the imported address data;
  // staff choose a candidate (never placed without a choice: the best may be only the town).
  const addressInput = document.getElementById("place-address");
  const addressList = document.getElementById("place-address-results");
  if (addressInput && DVC.addressSearch) {
    DVC.addressSearch.attach({ input: addressInput, button: document.getElementById("place-address-button"),
      list: addressList, url: document.getElementById("place-address-button").dataset.url, autoPick: false,
      onPick: function (r) { if (placingId !== null) placeNeed(placingId, r.lat, r.lng).catch(function () {}); } });
  }
  function startPlacing(id) {
    const n = unpinned.find(function (x) { return x.id === id; });
    placingId = id;
    placeLabel.textContent = n ? n.label : "";
    if (addressInput) { addressInput.value = (n && n.address) || ""; addressList.textContent = ""; }
    panel.hidden = false;
    map.getContainer().classList.add("placing");
    select(id);
  }
  function stopPlacing() {
    placingId = null;
    panel.hidden = true;
    map.getContainer().classList.remove("placing");
  }
  function placeNeed(id, lat, lng) {
    const url = cfg.placeUrl.replace(/\/0\/place$/, "/" + id + "/place");
    return post(url, { lat: lat, lng: lng }).then(function (res) {
      if (!res.ok) { board.showAlert(res.body.error || T.failed, "error"); throw new Error(res.body.error || ""); }
      if (placingId === id) stopPlacing();
      board.showAlert(fill(T.placed, { label: res.body.label }), "success");
      // The event brings the pin to every board; this one draws it now and selects it.
      board.applyNeed({ id: id, label: res.body.label, status: res.body.status, lat: res.body.lat,
        lng: res.body.lng, district: res.body.district, people_needed: res.body.people_needed });
      board.selectNeed(id);
      loadList();
      return res.body;
    }, function (err) { board.showAlert(T.failed, "error"); throw err; });
  }
  map.on("click", function (e) {
    if (placingId !== null) placeNeed(placingId, e.latlng.lat, e.latlng.lng).catch(function () {});
  });
  document.getElementById("place-cancel").addEventListener("click", stopPlacing);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && placingId !== null) stopPlacing(); });

  // --- search -------------------------------------------------------------------------------------------
  function goTo(n) {
    findResults.replaceChildren();
    if (n.pinned && n.lat !== null && n.lat !== undefined) {
      map.setView([n.lat, n.lng], Math.max(map.getZoom(), 17));
      return board.selectNeed(n.id);
    }
    return select(n.id);
  }
  findForm.addEventListener("submit", function (e) {
    e.preventDefault();
    const words = findForm.elements.q.value.trim();
    if (!words) return;
    post(cfg.findUrl, { q: words }).then(function (res) {
      findResults.replaceChildren();
      const found = res.ok ? res.body.needs : [];
      if (!res.ok) { findResults.appendChild(el("li", "muted", res.body.error || T.failed)); return; }
      if (!found.length) { findResults.appendChild(el("li", "muted", T.noneFound)); return; }
      if (found.length === 1) { goTo(found[0]); return; }
      found.forEach(function (n) {
        const li = el("li");
        const b = el("button", "link-button", n.label + (n.name ? " " + n.name : ""));
        b.type = "button";
        b.addEventListener("click", function () { goTo(n); });
        li.append(b, " ", el("span", "muted", describe(n) + (n.pinned ? "" : " · " + T.noPin)));
        if (n.partner) li.append(" ", partnerBadge(n.partner));
        findResults.appendChild(li);
      });
    }).catch(function () { findResults.replaceChildren(el("li", "muted", T.failed)); });
  });

  // --- labels on hover and on tap ------------------------------------------------------------------------
  const tip = L.tooltip({ direction: "top", offset: [0, -8], className: "need-label" });
  function label(entry) {
    const p = entry.props;
    const work = (p.w || []).map(function (c) { return labels.work[c] || c; }).join(sep);
    const lines = ["N-" + String(p.n).padStart(4, "0") + " · " + (work || "—"),
      [p.d, fill(T.persons, { n: p.p }) + (p.a ? " (" + T.onSite + " " + p.a + ")" : ""), labels.status[p.s]]
        .filter(Boolean).join(" · ")];
    const box = el("div");
    lines.forEach(function (line, i) { box.appendChild(el("div", i ? "muted" : "need-label-head", line)); });
    if (p.wf) box.appendChild(el("div", "need-label-welfare", T.welfare));
    if (p.pj) box.appendChild(partnerBadge(p.pj));
    return box;
  }
  function showLabel(e) {
    const entry = e.layer && board.needs.get(e.layer.needId);
    if (!entry) return;
    tip.setContent(label(entry)).setLatLng(e.layer.getLatLng());
    if (!map.hasLayer(tip)) tip.addTo(map);
  }
  board.layer.on("mouseover click", showLabel);
  board.layer.on("mouseout", function () { if (!L.Browser.mobile) map.removeLayer(tip); });
  map.on("click", function (e) { if (!e.originalEvent || !e.originalEvent._needLabel) map.removeLayer(tip); });
  board.layer.on("click", function (e) { if (e.originalEvent) e.originalEvent._needLabel = true; });

  Object.assign(board, { placeNeed: placeNeed, placing: function () { return placingId; },
    startPlacing: startPlacing, stopPlacing: stopPlacing, loadUnpinned: loadList });
  loadList();
  const asked = /need=(\d+)/.exec(location.hash); // from the prefecture view's "open on this centre's board"
  if (asked) select(parseInt(asked[1], 10));
})();
