// Public board (entrance screen, phones, the centre's website): aggregates only. The snapshot gives the
// centre's public information, counters and the people booked per day; events carry counter deltas
// ({"volunteers_today": 12}), per-day deltas of people booked ({"booked": {"2026-07-20": 8}}) or the centre's new
// public information ({"centre": {...}}), as documented in ops/events.py. "tick" events only move seq.
(function () {
  "use strict";
  const el = document.getElementById("board");
  if (!el) return;
  const labels = JSON.parse(document.getElementById("board-labels").textContent);
  const lang = document.documentElement.lang || "ja";
  const state = { centre: null, counters: {}, days: [], updatedAt: null, timeZone: "Asia/Tokyo", date: null };

  function field(name) { return el.querySelectorAll('[data-field="' + name + '"]'); }
  function setText(name, text) { field(name).forEach(function (node) { node.textContent = text; }); }

  function fmtDay(iso) {
    const d = new Date(iso + "T00:00:00");
    return d.toLocaleDateString(lang === "ja" ? "ja-JP" : "en-GB",
                                { month: "numeric", day: "numeric", weekday: "short" });
  }

  function fmtTime(iso) {
    return new Date(iso).toLocaleString(lang === "ja" ? "ja-JP" : "en-GB",
      { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: state.timeZone });
  }

  function render() {
    const c = state.centre;
    setText("status", labels.status[c.status] || c.status);
    field("status").forEach(function (node) { node.dataset.status = c.status; });
    el.querySelectorAll("[data-closed-notice]").forEach(function (node) { node.hidden = c.status !== "closed"; });
    el.querySelectorAll("[data-hidden-when-closed]").forEach(function (node) { node.hidden = c.status === "closed"; });
    setText("recruitment_status", labels.recruitment_status[c.recruitment_status] || c.recruitment_status);
    field("recruitment_status").forEach(function (node) { node.dataset.recruitment = c.recruitment_status; });
    setText("recruitment_scope", labels.recruitment_scope[c.recruitment_scope] || c.recruitment_scope);
    setText("name", c.name);
    setText("hours", c.activity_start + "–" + c.activity_end);
    setText("what_to_bring", c.what_to_bring);
    field("notices").forEach(function (list) {
      list.textContent = "";
      c.notices.forEach(function (text) {
        const li = document.createElement("li");
        li.textContent = text;
        list.appendChild(li);
      });
    });
    el.querySelectorAll("[data-empty-when]").forEach(function (node) {
      const value = c[node.dataset.emptyWhen];
      // Nothing to show, or a closed centre's (what to bring no longer applies).
      node.hidden = !(Array.isArray(value) ? value.length : value)
        || (node.hasAttribute("data-hidden-when-closed") && c.status === "closed");
    });
    Object.keys(state.counters).forEach(function (name) {
      setText(name, Number(state.counters[name]).toLocaleString(lang));
    });
    el.querySelectorAll("[data-suspensions]").forEach(function (node) {
      window.DVC.suspension.render(node, c.suspensions, labels.suspension);
    });
    renderDays();
    if (state.updatedAt) setText("updated_at", fmtTime(state.updatedAt));
  }

  function renderDays() {
    const body = document.getElementById("days-body");
    const closed = state.centre.recruitment_status === "none";
    body.textContent = "";
    state.days.forEach(function (day) {
      // The booking service's places left (ops.volunteers.services.capacity.Places): the day's own capacity
      // (the snapshot's; a capacity event reloads it) less people booked. A closed day (休止日) takes nobody.
      const left = Math.max(0, day.capacity - day.booked);
      const tr = document.createElement("tr");
      tr.dataset.date = day.date;
      // A whole day of 活動中止 takes no booking (ops.volunteers.services.booking).
      const suspended = (state.centre.suspensions || []).some(function (s) {
        return s.date === day.date && !s.starts_at;
      });
      const rest = closed ? "—" : suspended ? labels.suspension.title : day.closed ? labels.closed_day
        : left === 0 ? labels.full : String(left);
      [fmtDay(day.date), day.closed ? "—" : String(day.capacity), rest]
        .forEach(function (text, i) {
          const cell = document.createElement(i === 0 ? "th" : "td");
          cell.textContent = text;
          tr.appendChild(cell);
        });
      if (!closed && !day.closed && left === 0) tr.classList.add("full");
      if (day.closed) tr.classList.add("closed-day");
      body.appendChild(tr);
    });
  }

  function onSnapshot(snapshot) {
    state.centre = snapshot.centre;
    state.counters = Object.assign({}, snapshot.counters);
    state.days = snapshot.days.map(function (d) {
      return { date: d.date, booked: d.booked, capacity: d.capacity, closed: !!d.closed };
    });
    state.updatedAt = snapshot.updated_at;
    state.timeZone = snapshot.timezone || state.timeZone;
    state.date = snapshot.date;
    render();
  }

  // A delta named "x" or "x_today" moves both x_today and x_total (ops/events.py).
  function applyDelta(name, delta) {
    const base = name.replace(/_today$/, "");
    [base + "_today", base + "_total"].forEach(function (counter) {
      state.counters[counter] = (state.counters[counter] || 0) + delta;
    });
  }

  function onEvent(event) {
    let reload = false;
    state.updatedAt = event.at;
    const data = event.data;
    if (data && typeof data === "object") {
      Object.keys(data).forEach(function (key) {
        const value = data[key];
        if (typeof value === "number") applyDelta(key, value);
        else if (key === "booked" && value) {
          state.days.forEach(function (day) { day.booked += value[day.date] || 0; });
        } else if (key === "centre" && value) {
          // A new standing capacity changes every day without its own figure: the snapshot has them.
          if (value.daily_capacity !== state.centre.daily_capacity) reload = true;
          state.centre = Object.assign({}, state.centre, value);
        } else if (key === "capacity") reload = true;
      });
    }
    render();
    if (reload) board.reload();
  }

  const stateEl = document.getElementById("live-state");
  function onStatus(s) {
    stateEl.dataset.state = s;
    stateEl.textContent = labels[s] || labels.reconnecting;  // the states' words: ops.boards.labels
  }

  const board = new window.DVC.live.LiveBoard({
    wsUrl: window.DVC.live.wsUrl(el.dataset.wsPath), snapshotUrl: el.dataset.snapshotUrl,
    eventsUrl: el.dataset.eventsUrl, onSnapshot: onSnapshot, onEvent: onEvent, onStatus: onStatus,
    staleMs: 1000 * (parseFloat(el.dataset.staleSeconds) || 40),
  }).start();
  window.DVC.publicBoard = { board: board, state: state };

  // "Today" starts again at the centre's midnight: take a fresh snapshot then.
  setInterval(function () {
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: state.timeZone }).format(new Date());
    if (state.date && today !== state.date) board.reload();
  }, 60000);
})();
