// Staff board: keeps needs, attendances and teams by id from the snapshot and from events, and derives the
// counts, the teams table, the map markers and the feed from them (the same rules as ops.boards.selectors and,
// for volunteers, Attendance.objects.heads_on).
// Any event kind works: its data's "need"/"attendance"/"team" states (or lists of them) are upserted.
(function () {
  "use strict";
  const el = document.getElementById("board");
  if (!el) return;
  const labels = JSON.parse(document.getElementById("board-labels").textContent);
  const OUT = { dispatched: true, on_site: true };
  const FEED_LENGTH = 50;
  const state = { needs: new Map(), attendances: new Map(), teams: new Map(), feed: [], date: null,
                  clockSkew: 0, timeZone: "Asia/Tokyo", partners: null };

  // --- map ---------------------------------------------------------------------------------------------
  const mapEl = document.getElementById("board-map");
  const map = mapEl && window.L && window.DVC.createMap ? window.DVC.createMap(mapEl) : null;
  const markers = new Map();
  const CLOSED = { completed: true, cancelled: true };

  function drawNeed(need) {
    if (!map) return;
    const old = markers.get(need.id);
    if (need.lat == null || need.lng == null) {
      if (old) { old.remove(); markers.delete(need.id); }
      return;
    }
    const colour = (window.DVC.statusColours || {})[need.status] || "#444";
    const style = { radius: need.priority === 1 ? 9 : 7, color: "#fff", weight: 1.5, fillColor: colour,
                    fillOpacity: CLOSED[need.status] ? 0.35 : 0.9 };
    const tip = need.label + " " + (labels.need_status[need.status] || need.status);
    if (old) {
      old.setLatLng([need.lat, need.lng]).setStyle(style).setTooltipContent(tip);
    } else {
      markers.set(need.id, L.circleMarker([need.lat, need.lng], style).bindTooltip(tip).addTo(map));
    }
  }

  function redrawMap() {
    if (!map) return;
    markers.forEach(function (m) { m.remove(); });
    markers.clear();
    state.needs.forEach(drawNeed);
  }

  // --- derived figures ---------------------------------------------------------------------------------
  function now() { return new Date(Date.now() + state.clockSkew); }

  function overdue(team) {
    return !!(OUT[team.status] && team.expected_return_at && new Date(team.expected_return_at) < now());
  }

  function ofToday(item) { return !state.date || !item.date || item.date === state.date; }

  // Volunteers today, in people (a group's attendance counts its head count), as Attendance.objects.heads_on
  // counts them for the snapshot: checked_in (gone home or not) = in + out; not_back is the part of "in"
  // whose team is out in the field.
  function counts() {
    const out = new Set();
    state.teams.forEach(function (t) { if (OUT[t.status] && ofToday(t)) out.add(t.id); });
    const c = { volunteers: { checked_in: 0, in: 0, not_back: 0, out: 0 }, needs: {}, teams: {} };
    state.attendances.forEach(function (a) {
      if (!ofToday(a)) return;
      const heads = a.head_count || 1;
      c.volunteers.checked_in += heads;
      if (a.in) {
        c.volunteers.in += heads;
        if (out.has(a.team_id)) c.volunteers.not_back += heads;
      } else c.volunteers.out += heads;
    });
    state.needs.forEach(function (n) { c.needs[n.status] = (c.needs[n.status] || 0) + 1; });
    state.teams.forEach(function (t) { if (ofToday(t)) c.teams[t.status] = (c.teams[t.status] || 0) + 1; });
    return c;
  }

  function renderCounts() {
    const c = counts();
    el.querySelectorAll("[data-count]").forEach(function (box) {
      const parts = box.dataset.count.split(".");
      const n = (c[parts[0]] || {})[parts[1]] || 0;
      box.querySelector(".n").textContent = String(n);
      box.classList.toggle("zero", n === 0);
    });
  }

  // 技術系: the server's figures (ops.partners.figures.summary, the one home of these counts), never derived
  // here; an event that may move them reloads the snapshot (partnerEvent).
  function renderPartners() {
    const figures = (state.partners && state.partners.figures) || {};
    el.querySelectorAll("[data-partner-figure]").forEach(function (box) {
      const n = figures[box.dataset.partnerFigure] || 0;
      box.querySelector(".n").textContent = String(n);
      box.classList.toggle("zero", n === 0);
    });
  }

  // A partner job moved, or a need the figures count (or might now: specialist work, a survey's verdict,
  // a status change) changed.
  function partnerEvent(event) {
    const data = event.data || {};
    if (event.kind === "partner.changed") return true;
    if (event.kind.indexOf("need.") !== 0 || !data.need || !state.partners) return false;
    const need = data.need;
    if (state.partners.need_ids.indexOf(need.id) >= 0) return true;
    if ((need.work_types || []).some(function (c) { return state.partners.specialist.indexOf(c) >= 0; })) return true;
    return event.kind === "need.changed" && !Array.isArray(data.fields);  // a survey, a status or welfare change
  }
  let partnerTimer = null;

  function hhmm(iso) {
    if (!iso) return "";
    return new Date(iso).toLocaleTimeString("ja-JP", { hour: "2-digit", minute: "2-digit",
                                                      timeZone: state.timeZone });
  }

  function cell(row, text, cls) {
    const td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function renderTeams() {
    const body = document.getElementById("teams-body");
    const rows = Array.from(state.teams.values())
      .filter(function (t) { return t.status !== "disbanded" && ofToday(t); })
      .sort(function (a, b) { return a.label < b.label ? -1 : 1; });
    body.textContent = "";
    rows.forEach(function (t) {
      const tr = document.createElement("tr");
      tr.dataset.team = t.id;
      cell(tr, t.label);
      cell(tr, labels.team_status[t.status] || t.status);
      cell(tr, String(t.size || 0));
      const need = t.need_id != null ? state.needs.get(t.need_id) : null;
      cell(tr, need ? need.label : "");
      const due = cell(tr, hhmm(t.expected_return_at));
      if (overdue(t)) {
        tr.classList.add("overdue");
        const badge = document.createElement("span");
        badge.className = "badge overdue";
        badge.textContent = labels.overdue;
        due.appendChild(document.createTextNode(" "));
        due.appendChild(badge);
        due.appendChild(document.createTextNode(" "));
        due.appendChild(contactMark(t));
      }
      body.appendChild(tr);
    });
    document.getElementById("teams-empty").hidden = rows.length > 0;
  }

  // 連絡済み: an overdue team staff have reached shows when; those who direct the field (the page gives them
  // the action's URL and a CSRF token) get the button, which posts the same form as the teams page.
  const contactUrl = el.dataset.contactUrl || "";
  function contactMark(t) {
    if (t.contacted_at) {
      const mark = document.createElement("span");
      mark.className = "badge contacted";
      mark.textContent = labels.contacted + " " + hhmm(t.contacted_at);
      return mark;
    }
    const token = document.querySelector("#contact-token [name=csrfmiddlewaretoken]");
    if (!contactUrl || !token) return document.createTextNode("");
    const form = document.createElement("form");
    form.method = "post";
    form.className = "contact-form";
    form.action = contactUrl.replace("/0/contacted/", "/" + t.id + "/contacted/");
    [["csrfmiddlewaretoken", token.value], ["back", "board"]].forEach(function (pair) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    const button = document.createElement("button");
    button.type = "submit";
    button.textContent = labels.contact;
    form.appendChild(button);
    return form;
  }

  function feedLine(event) {
    const data = event.data || {};
    const tags = ["team", "need"].map(function (k) { return data[k] && data[k].label; }).filter(Boolean);
    if (data.job && data.job.organisation) {  // partner.changed: the organisation and the job's step
      tags.push(data.job.organisation + " " + (labels.partner_status[data.job.status] || ""));
    }
    return { seq: event.seq, at: hhmm(event.at), kind: labels.kinds[event.kind] || event.kind,
             tags: tags.join(" ") };
  }

  function renderFeed() {
    const list = document.getElementById("feed");
    list.textContent = "";
    state.feed.slice().reverse().forEach(function (line) {
      const li = document.createElement("li");
      const time = document.createElement("time");
      time.textContent = line.at;
      const kind = document.createElement("strong");
      kind.textContent = line.kind;
      li.append(time, " ", kind, " ", line.tags);
      list.appendChild(li);
    });
  }

  function renderAll() { renderCounts(); renderPartners(); renderTeams(); renderFeed(); }

  // --- applying server data ----------------------------------------------------------------------------
  const ENTITIES = { need: "needs", attendance: "attendances", team: "teams" };

  function upsert(kind, item) {
    if (!item || typeof item !== "object" || item.id == null) return;
    const store = state[ENTITIES[kind]];
    const merged = Object.assign({}, store.get(item.id), item);
    if (kind === "team" && !OUT[merged.status]) delete merged.contacted_at;  // its next dispatch starts unmarked
    store.set(item.id, merged);
    if (kind === "need") drawNeed(store.get(item.id));
  }

  function onSnapshot(snapshot) {
    state.date = snapshot.date;
    state.timeZone = snapshot.timezone || state.timeZone;
    state.clockSkew = new Date(snapshot.now).getTime() - Date.now();
    ["needs", "attendances", "teams"].forEach(function (k) { state[k].clear(); });
    snapshot.needs.forEach(function (n) { state.needs.set(n.id, n); });
    snapshot.attendances.forEach(function (a) { state.attendances.set(a.id, a); });
    snapshot.teams.forEach(function (t) { state.teams.set(t.id, t); });
    state.feed = snapshot.events.map(feedLine);
    state.partners = snapshot.partners || null;
    renderSuspensions(snapshot.centre);
    redrawMap();
    renderAll();
  }

  // 活動中止: the centre's state (snapshot or a centre event) carries the coming days' suspensions.
  function renderSuspensions(centre) {
    if (!centre || !Array.isArray(centre.suspensions) || !window.DVC.suspension) return;
    el.querySelectorAll("[data-suspensions]").forEach(function (node) {
      window.DVC.suspension.render(node, centre.suspensions, labels.suspension);
    });
  }

  function onEvent(event) {
    const data = event.data || {};
    renderSuspensions(data.centre);
    if (event.kind === "drill.inject" && window.DVC.drillInject) window.DVC.drillInject(data.inject);
    Object.keys(ENTITIES).forEach(function (kind) {
      upsert(kind, data[kind]);
      (Array.isArray(data[ENTITIES[kind]]) ? data[ENTITIES[kind]] : []).forEach(function (item) {
        upsert(kind, item);
      });
    });
    state.feed.push(feedLine(event));
    if (state.feed.length > FEED_LENGTH) state.feed.shift();
    renderAll();
    if (partnerEvent(event)) {  // a burst of events, one reload
      clearTimeout(partnerTimer);
      partnerTimer = setTimeout(function () { board.reload(); }, 1000);
    }
  }

  const stateEl = document.getElementById("live-state");
  function onStatus(s) {
    stateEl.dataset.state = s;
    stateEl.textContent = labels[s] || labels.reconnecting;  // the states' words: ops.boards.labels
  }

  const board = new window.DVC.live.LiveBoard({
    wsUrl: window.DVC.live.wsUrl(el.dataset.wsPath), snapshotUrl: el.dataset.snapshotUrl,
    eventsUrl: el.dataset.eventsUrl, onSnapshot: onSnapshot, onEvent: onEvent, onStatus: onStatus,
    onReset: function () { if (window.DVC.drillReset) window.DVC.drillReset(); },
    staleMs: 1000 * (parseFloat(el.dataset.staleSeconds) || 40),
  }).start();
  window.DVC.staffBoard = { board: board, state: state };

  // Overdue flags depend on the clock as much as on events; the day's board starts afresh at midnight.
  setInterval(function () {
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: state.timeZone }).format(now());
    if (state.date && today !== state.date) board.reload();
    else renderTeams();
  }, 30000);
})();
