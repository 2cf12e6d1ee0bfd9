// The coordinator's map board: every need as a circle on one canvas, filters, the need card, the teams
// column, and the dispatch button. One GeoJSON fetch per loaded area; live updates from the staff socket
// (messages {seq, kind, data}); on a gap in seq or a reconnect, the feed and the panel are reloaded.
(function () {
  "use strict";
  const root = document.getElementById("board");
  if (!root || !window.L || !window.DVC) return;
  const DVC = window.DVC;
  const el = DVC.el;
  const cfg = root.dataset;
  const T = document.getElementById("t-strings").dataset;
  const colours = DVC.statusColours;
  const ja = document.documentElement.lang === "ja";
  const sep = ja ? "、" : ", ";
  const paren = function (text) { return ja ? "（" + text + "）" : " (" + text + ")"; };

  const mapEl = document.getElementById("map");
  const map = DVC.createMap(mapEl);
  const renderer = L.canvas({ padding: 0.3, tolerance: 4 });
  const layer = L.featureGroup().addTo(map);
  const needs = new Map(); // id -> {props, marker}
  let selectedNeed = null;
  let card = null; // the selected need's card as the server last sent it (with the dispatch refusals)
  let askedFor = null; // "need:team" once the card was fetched again for a team it did not list
  let loadedBounds = null;
  let seq = parseInt(cfg.seq || "0", 10);
  let feedAbort = null;

  const filters = document.getElementById("filters");
  const countEl = document.getElementById("feed-count");
  const alertEl = document.getElementById("board-alert");
  const cardEl = document.getElementById("need-card");
  const panelEl = document.getElementById("panel");
  const button = document.getElementById("dispatch-button");
  const hint = document.getElementById("dispatch-hint");

  // Legend swatches: colours come from map.js (no inline styles under the CSP).
  filters.querySelectorAll(".swatch").forEach(function (el) {
    el.style.backgroundColor = colours[el.dataset.status] || "#999";
  });

  // Bases: a handful of distinct square markers.
  JSON.parse(document.getElementById("board-bases").textContent).forEach(function (b) {
    L.marker([b.lat, b.lng], {
      icon: L.divIcon({ className: "base-icon base-" + b.kind, html: "", iconSize: [16, 16] }),
      title: b.name, keyboard: false,
    }).bindTooltip(function () { return document.createTextNode(b.name); }).addTo(map);  // a string is HTML to Leaflet
  });

  // --- filters -----------------------------------------------------------------------------------------
  function selectedStatuses() {
    return Array.from(filters.querySelectorAll("input[name=status]:checked")).map(function (i) { return i.value; });
  }
  function visible(props) {
    const district = filters.elements.district.value;
    const work = filters.elements.work_type.value;
    return selectedStatuses().indexOf(props.s) >= 0 && (!district || props.d === district) &&
      (!work || (props.w || []).indexOf(work) >= 0);
  }
  function applyFilters() {
    let shown = 0;
    needs.forEach(function (entry) {
      const on = visible(entry.props);
      if (on) shown += 1;
      if (on && !layer.hasLayer(entry.marker)) layer.addLayer(entry.marker);
      if (!on && layer.hasLayer(entry.marker)) layer.removeLayer(entry.marker);
    });
    countEl.textContent = shown + " " + T.needs;
  }

  // --- markers -----------------------------------------------------------------------------------------
  // A need with an open partner job (props.pj, its status) has a dashed violet ring: the organisation's, not
  // the volunteers' (the welfare flag's red ring wins: it says more about the household).
  const PARTNER_RING = "#6b3fa0";
  function style(props, selected) {
    const ring = props.wf ? "#b42318" : (props.pj ? PARTNER_RING : "#ffffff");
    return {
      renderer: renderer, radius: selected ? 9 : (props.pr === 1 ? 7 : 5.5),
      color: selected ? "#111" : ring, weight: selected ? 3 : (props.wf || props.pj ? 2.5 : 1),
      dashArray: props.pj && !selected ? "3 2" : null,
      fillColor: colours[props.s] || "#999", fillOpacity: 0.9,
    };
  }
  function upsert(id, lat, lng, props) {
    let entry = needs.get(id);
    if (!entry) {
      const marker = L.circleMarker([lat, lng], style(props, id === selectedNeed));
      marker.needId = id;
      entry = { props: props, marker: marker };
      needs.set(id, entry);
    } else {
      entry.props = props;
      entry.marker.setLatLng([lat, lng]);
      entry.marker.setStyle(style(props, id === selectedNeed));
      entry.marker.setRadius(style(props, id === selectedNeed).radius);
    }
    return entry;
  }
  layer.on("click", function (e) {  // (in place mode a click on the map places a need instead: board_list.js)
    if (e.layer.needId && !(DVC.board.placing && DVC.board.placing())) selectNeed(e.layer.needId);
  });

  // --- feed --------------------------------------------------------------------------------------------
  function loadFeed() {
    if (feedAbort) feedAbort.abort();
    feedAbort = new AbortController();
    const bounds = map.getBounds().pad(0.5);
    const url = cfg.feedUrl + "?bbox=" + encodeURIComponent(bounds.toBBoxString()) +
      "&status=" + encodeURIComponent(selectedStatuses().join(","));
    return fetch(url, { credentials: "same-origin", signal: feedAbort.signal })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (fc) {
        const seen = new Set();
        fc.features.forEach(function (f) {
          seen.add(f.id);
          upsert(f.id, f.geometry.coordinates[1], f.geometry.coordinates[0], f.properties);
        });
        needs.forEach(function (entry, id) {
          if (!seen.has(id)) { layer.removeLayer(entry.marker); needs.delete(id); }
        });
        loadedBounds = bounds;
        if (fc.seq > seq) seq = fc.seq;
        applyFilters();
      })
      .catch(function (err) { if (err.name !== "AbortError") showAlert(T.failed, "error"); });
  }
  map.on("moveend", function () {
    if (!loadedBounds || !loadedBounds.contains(map.getBounds())) loadFeed();
  });
  filters.addEventListener("change", function (e) {
    if (e.target.name === "status") loadFeed(); else applyFilters();
  });

  // --- need card ---------------------------------------------------------------------------------------
  function row(dl, label, value) {
    if (value === "" || value === null || value === undefined || value === false) return;
    dl.appendChild(el("dt", null, label));
    const dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
  }
  function cardUrl(id) { return cfg.cardUrl.replace(/\/0\.json$/, "/" + id + ".json"); }

  function selectNeed(id) {
    const previous = needs.get(selectedNeed);
    selectedNeed = id;
    card = null;
    updateButton();
    if (previous) previous.marker.setStyle(style(previous.props, false)).setRadius(style(previous.props, false).radius);
    const entry = needs.get(id);
    if (entry) { entry.marker.setStyle(style(entry.props, true)).setRadius(9); entry.marker.bringToFront(); }
    return refreshCard();
  }
  function refreshCard() {
    if (!selectedNeed) return Promise.resolve();
    const id = selectedNeed;
    return fetch(cardUrl(id), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (card) { if (id === selectedNeed) renderCard(card); })
      .catch(function () { showAlert(T.failed, "error"); });
  }
  function renderCard(c) {
    cardEl.replaceChildren();
    const h = el("h2", null, c.label + " ");
    const badge = el("span", "badge status-badge", c.status_label);
    badge.style.backgroundColor = colours[c.status] || "#999";
    h.appendChild(badge);
    if (c.welfare) h.appendChild(el("span", "badge crisis", T.welfare + ": " + c.welfare));
    const open = (c.partner_jobs || []).filter(function (j) { return PARTNER_OPEN[j.status]; });
    if (open.length) h.appendChild(el("span", "badge partner-badge", T.partner + " · " + open[0].status_label));
    cardEl.appendChild(h);
    const dl = el("dl", "card-facts");
    if (c.personal) {
      row(dl, T.name, c.personal.name + (c.personal.kana ? paren(c.personal.kana) : ""));
      if (c.personal.phone) {
        const a = el("a", null, c.personal.phone); a.href = "tel:" + c.personal.phone; row(dl, T.phone, a);
      }
      row(dl, T.address, c.personal.address);
    }
    row(dl, T.work, c.work_types.join(sep) + (c.district ? " · " + c.district : ""));
    row(dl, T.people, c.people_needed + " · " + T.onSite + " " + c.on_site + " · " + T.room + " " + c.room);
    row(dl, T.days, c.days_needed);
    row(dl, T.priority, c.priority);
    row(dl, T.description, c.description);
    row(dl, T.tools, c.tools);
    row(dl, T.vehicle, c.vehicle ? "✓" : "");
    if (c.hazards) { const hz = el("span", "hazards", c.hazards); row(dl, T.hazards, hz); }
    if (c.teams.length) {
      row(dl, T.teams, c.teams.map(function (t) { return t.label + paren(t.people) + " " + T.due + " " + t.due; }).join(sep));
    }
    cardEl.appendChild(dl);
    renderPartnerJobs(c);
    if (c.detail_url) { const a = el("a", null, T.detail); a.href = c.detail_url; cardEl.appendChild(a); }
    card = c;
    updateButton();
  }

  // 三者連携: who the need (or a work type of it) went to, and the specialist work still for a team, with the
  // skill a member needs for it (the same rule as the dispatch refusal: ops.dispatch skill_refusal).
  const PARTNER_OPEN = { offered: true, accepted: true, scheduled: true };
  function renderPartnerJobs(c) {
    const jobs = c.partner_jobs || [];
    const work = c.specialist_work || [];
    if (!jobs.length && !work.length) return;
    const box = el("section", "card-partner");
    if (jobs.length) {
      box.appendChild(el("h3", null, T.partnerJobs));
      const ul = el("ul", "partner-jobs");
      jobs.forEach(function (j) {
        const li = el("li", PARTNER_OPEN[j.status] ? "open" : "closed");
        li.dataset.status = j.status;
        li.appendChild(el("strong", null, j.organisation));
        li.appendChild(document.createTextNode(" " + j.work + " "));
        li.appendChild(el("span", "badge partner-status partner-" + j.status, j.status_label));
        if (j.scheduled_for && j.status === "scheduled") {
          li.appendChild(document.createTextNode(" " + T.scheduledFor + " " + (j.scheduled_label || j.scheduled_for)));
        }
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    if (work.length) {
      box.appendChild(el("h3", null, T.specialist));
      const ul = el("ul", "specialist-work");
      work.forEach(function (w) {
        ul.appendChild(el("li", null, w.work + " — " + (w.skill ? T.skillNeeded + ": " + w.skill : T.partnerOnly)));
      });
      box.appendChild(ul);
    }
    cardEl.appendChild(box);
  }

  // --- teams panel and dispatch ---------------------------------------------------------------------------
  function chosenTeam() { return panelEl.querySelector("input[name=team]:checked"); }
  // The hint says what the server would answer: the card carries the dispatch service's own refusals
  // (for the need, and for each ready team), so nothing here decides who may leave.
  function updateButton() {
    const team = chosenTeam();
    let refusal = null;
    let known = false;
    if (card && card.id === selectedNeed) {
      known = Boolean(team) && Object.prototype.hasOwnProperty.call(card.team_refusals, team.value);
      refusal = known ? card.team_refusals[team.value] : card.refusal;
      if (team && !known && askedFor !== selectedNeed + ":" + team.value) {
        askedFor = selectedNeed + ":" + team.value;
        refreshCard(); // a team formed or back since the card was read
      }
    }
    const ok = Boolean(selectedNeed && team && known && !refusal);
    if (refusal) hint.textContent = refusal;
    else if (!selectedNeed) hint.textContent = team ? T.chooseNeed : T.chooseBoth;
    else if (!team || (card && !known)) hint.textContent = T.chooseTeam;
    else if (ok) hint.textContent = T.ready;
    // (the card still loading: the hint waits for it)
    button.disabled = !ok;
  }
  panelEl.addEventListener("change", updateButton);

  function refreshPanel() {
    const keep = chosenTeam() ? chosenTeam().value : null;
    return fetch(cfg.panelUrl, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        const doc = new DOMParser().parseFromString(html, "text/html");
        panelEl.replaceChildren.apply(panelEl, Array.from(doc.body.childNodes));
        if (keep) {
          const again = panelEl.querySelector("input[name=team][value='" + keep + "']");
          if (again) again.checked = true;
        }
        updateButton();
      })
      .catch(function () { /* the next event or the minute timer tries again */ });
  }
  // Overdue flags, and the latest return time passing, come without any event.
  setInterval(function () { refreshPanel(); refreshCard(); }, 60000);

  function showAlert(message, kind, links) {
    alertEl.replaceChildren(el("span", null, message));
    (links || []).forEach(function (l) {
      const a = el("a", null, l.text); a.href = l.href; a.target = "_blank"; alertEl.append(" ", a);
    });
    alertEl.className = "board-alert " + (kind || "");
    alertEl.hidden = false;
  }

  button.addEventListener("click", function () {
    const team = chosenTeam();
    if (!team || !selectedNeed) return;
    button.disabled = true;
    fetch(cfg.sendUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": cfg.csrf, "Accept": "application/json" },
      body: JSON.stringify({ team: parseInt(team.value, 10), need: selectedNeed }),
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      if (res.status === 201) {
        showAlert(res.body.message, "success", [
          { text: T.slip, href: res.body.slip_url }, { text: T.print, href: res.body.print_url }]);
      } else {
        // Someone else was faster, or the data changed: say why and show the board as it is now.
        showAlert(res.body.error || T.failed, "error");
      }
      return Promise.all([refreshPanel(), refreshCard()]);
    }).catch(function () { showAlert(T.failed, "error"); updateButton(); });
  });

  // --- live updates ------------------------------------------------------------------------------------
  function applyNeed(state) {
    if (!state || state.id === undefined) return;
    const props = { n: parseInt(String(state.label || "").replace(/\D/g, ""), 10) || 0, s: state.status,
      d: state.district || "", w: state.work_types || [], p: state.people_needed, pr: state.priority };
    if (state.welfare) props.wf = 1;
    const old = needs.get(state.id);
    if (old && old.props.a) props.a = old.props.a;
    if (old && old.props.pj) props.pj = old.props.pj;
    if (state.lat === null || state.lat === undefined || selectedStatuses().indexOf(state.status) < 0) {
      if (old) { layer.removeLayer(old.marker); needs.delete(state.id); }
    } else {
      upsert(state.id, state.lat, state.lng, props);
    }
    if (state.id === selectedNeed) refreshCard();
    root.dispatchEvent(new CustomEvent("board:need", { detail: state })); // the unpinned list (board_list.js)
  }
  // A partner job moved: an open one marks its need; a closed one may leave another open job on the need, which
  // only the feed knows (these events are few: the feed is read again).
  let feedTimer = null;
  function applyJob(job, need) {
    if (!job || job.need_id === undefined) return;
    const entry = needs.get(job.need_id);
    if (PARTNER_OPEN[job.status]) {
      if (entry) entry.props.pj = job.status;
    } else {
      clearTimeout(feedTimer);
      feedTimer = setTimeout(loadFeed, 300);
    }
    applyNeed(need);  // restyles the pin, and reads the card again when it is the selected need
  }
  function resync() { loadFeed(); refreshPanel(); refreshCard(); root.dispatchEvent(new CustomEvent("board:resync")); }

  let panelTimer = null;
  function onEvent(msg) {
    if (msg.kind === "heartbeat") {  // alive; a seq we never got means something was lost: reload
      if (typeof msg.seq === "number" && msg.seq > seq) resync();
      return;
    }
    if (typeof msg.seq === "number") {
      if (msg.seq <= seq) return; // already in the snapshot
      const gap = msg.seq > seq + 1;
      seq = msg.seq;
      if (gap) { resync(); return; }
    }
    const kind = msg.kind || "";
    const data = msg.data || {};
    if (kind.indexOf("need.") === 0) applyNeed(data.need || data);
    if (kind === "partner.changed") applyJob(data.job, data.need);
    if (kind.indexOf("dispatch.") === 0) applyNeed(data.need);
    if (kind.indexOf("dispatch.") === 0 || kind.indexOf("team.") === 0 || kind.indexOf("attendance.") === 0 ||
        kind.indexOf("checkin.") === 0) {
      clearTimeout(panelTimer);
      panelTimer = setTimeout(refreshPanel, 250); // a burst of events, one refresh
    }
    applyFilters();
  }

  // The socket as board.js keeps it (ops/boards/static/boards/board.js): heartbeats every few seconds, so a
  // socket silent for data-stale-seconds is stalled and replaced; 4401/4403/4404 end the retries.
  const liveNote = document.getElementById("live-note");
  const FINAL = { 4401: T.loggedOut, 4403: T.forbidden, 4404: T.forbidden };
  const staleMs = 1000 * (parseFloat(cfg.staleSeconds) || 40);
  let retry = 1000;
  let ws = null;
  let lastFrameAt = Date.now();
  function note(text) { liveNote.textContent = text; liveNote.hidden = false; }
  function connect() {
    const proto = location.protocol === "https:" ? "wss://" : "ws://";
    let socket;
    try { socket = new WebSocket(proto + location.host + cfg.wsPath); } catch (e) { return; }
    ws = socket;
    lastFrameAt = Date.now();
    socket.onopen = function () {
      lastFrameAt = Date.now();
      if (!liveNote.hidden) { liveNote.hidden = true; resync(); }
      retry = 1000;
    };
    socket.onmessage = function (e) {
      lastFrameAt = Date.now();
      try { onEvent(JSON.parse(e.data)); } catch (err) { /* ignore junk */ }
    };
    socket.onclose = function (e) {
      if (ws !== socket) return;
      ws = null;
      if (FINAL[e.code]) { note(FINAL[e.code]); return; }
      note(T.reconnecting);
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  setInterval(function () {
    if (!ws || Date.now() - lastFrameAt < staleMs) return;
    const stalled = ws;
    ws = null;
    stalled.onclose = stalled.onmessage = stalled.onopen = null;
    try { stalled.close(); } catch (e) { /* already closing */ }
    note(T.stalled);
    connect();
  }, Math.max(250, Math.min(5000, staleMs / 4)));

  // For board_list.js, end-to-end tests and the console: the map, the markers, selecting a need (what a click
  // on a pin does, and what the unpinned list and the search do: dispatch has one path).
  DVC.board = { map: map, needs: needs, layer: layer, selectNeed: selectNeed, reload: resync, applyNeed: applyNeed,
    showAlert: showAlert, selected: function () { return selectedNeed; } };

  loadFeed();
  connect();
  updateButton();
})();
