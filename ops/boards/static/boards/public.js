// Public board (entrance screen, phones, the centre's website): aggregates only. The snapshot gives the
// centre's public information, counters and the people booked per day; events carry counter deltas
// ({"volunteers_today": 12}), per-day deltas of people booked ({"booked": {"2026-07-20": 8}}) or the centre's new
// public information ({"centre": {...}} with "info", "changed" and "updated_at"), as documented in ops/events.py.
// "tick" events only move seq. Data goes into the page as text (textContent) and checked links only.
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

  // "12/7 9:05" on the centre's clock, as ops.boards.labels.short_time writes it.
  function shortTime(iso) {
    if (!iso) return "";
    const parts = {};
    new Intl.DateTimeFormat("en-US", { timeZone: state.timeZone, month: "numeric", day: "numeric",
                                       hour: "numeric", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(iso)).forEach(function (p) { parts[p.type] = p.value; });
    return parts.month + "/" + parts.day + " " + Number(parts.hour) + ":" + parts.minute;
  }

  // A value of the centre's public information by its path ("tomorrow.plan").
  function info(path) {
    return path.split(".").reduce(function (value, key) {
      return value === null || value === undefined ? value : value[key];
    }, state.centre.info || {});
  }
  function present(value) { return Array.isArray(value) ? value.length > 0 : !!value; }
  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }

  function renderInfo() {
    el.querySelectorAll("[data-info]").forEach(function (node) {
      const value = info(node.dataset.info);
      node.textContent = value === null || value === undefined ? "" : String(value);
    });
    el.querySelectorAll("[data-tel]").forEach(function (node) {
      node.setAttribute("href", "tel:" + String(info("phone") || "").replace(/[^0-9+]/g, ""));
    });
    el.querySelectorAll("[data-info-href]").forEach(function (node) {
      const url = safeUrl(info(node.dataset.infoHref));
      if (url) node.setAttribute("href", url);
    });
    el.querySelectorAll('[data-info-list="bases"]').forEach(function (list) {
      list.textContent = "";
      (info("bases") || []).forEach(function (base) {
        const li = document.createElement("li");
        const name = document.createElement("span");
        name.className = "pb-base-name";
        name.textContent = base.name;
        const kind = document.createElement("span");
        kind.className = "pb-kind";
        kind.textContent = labels.base_kind[base.kind] || base.kind;
        li.append(name, " ", kind);
        if (base.address) {
          const address = document.createElement("span");
          address.className = "pb-base-address";
          address.textContent = base.address;
          li.appendChild(address);
        }
        list.appendChild(li);
      });
    });
    // Each block's own last change: the latest of its groups (ops.boards.labels.PUBLIC_BLOCKS).
    const changed = state.centre.changed || {};
    el.querySelectorAll("[data-changed-block]").forEach(function (node) {
      const at = (labels.blocks[node.dataset.changedBlock] || []).map(function (g) { return changed[g]; })
        .filter(Boolean).sort().pop();
      node.setAttribute("datetime", at || "");
      node.textContent = at ? labels.changed.replace("%(time)s", shortTime(at)) : "";
      if (node.parentElement) node.parentElement.hidden = !at;
    });
  }

  // A block shows when one of its paths has something (data-show-if: public info; data-empty-when: the centre's
  // own fields), and not on a closed centre when it says so (what to bring, booking no longer apply).
  function renderVisibility() {
    const c = state.centre;
    el.querySelectorAll("[data-show-if], [data-empty-when], [data-hidden-when-closed]").forEach(function (node) {
      let shown = !(node.hasAttribute("data-hidden-when-closed") && c.status === "closed");
      if (node.dataset.showIf) shown = shown && node.dataset.showIf.split(" ").some(function (p) { return present(info(p)); });
      if (node.dataset.emptyWhen) shown = shown && present(c[node.dataset.emptyWhen]);
      node.hidden = !shown;
    });
  }

  function render() {
    const c = state.centre;
    setText("status", labels.status[c.status] || c.status);
    field("status").forEach(function (node) { node.dataset.status = c.status; });
    el.querySelectorAll("[data-closed-notice]").forEach(function (node) { node.hidden = c.status !== "closed"; });
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
    renderInfo();
    renderVisibility();
    Object.keys(state.counters).forEach(function (name) {
      setText(name, Number(state.counters[name]).toLocaleString(lang));
    });
    el.querySelectorAll("[data-suspensions]").forEach(function (node) {
      window.DVC.suspension.render(node, c.suspensions, labels.suspension);
    });
    renderDays();
    field("updated_at").forEach(function (node) {
      node.textContent = shortTime(state.updatedAt);
      node.setAttribute("datetime", state.updatedAt || "");
    });
  }

  function left(day) { return Math.max(0, day.capacity - day.booked); }

  function renderDays() {
    const body = document.getElementById("days-body");
    const closed = state.centre.recruitment_status === "none";
    body.textContent = "";
    state.days.forEach(function (day) {
      // The booking service's places left (ops.volunteers.services.capacity.Places): the day's own capacity
      // (the snapshot's; a capacity event reloads it) less people booked. A closed day (休止日) takes nobody;
      // a whole day of 活動中止 (the snapshot's `suspended`) takes no booking.
      const places = left(day);
      const tr = document.createElement("tr");
      tr.dataset.date = day.date;
      const rest = closed ? "—" : day.suspended ? labels.suspension.title : day.closed ? labels.closed_day
        : places === 0 ? labels.full : String(places);
      const th = document.createElement("th");
      const when = document.createElement("span");
      when.className = "pb-day";
      when.textContent = fmtDay(day.date);
      th.appendChild(when);
      const url = safeUrl(day.booking_url);
      if (!closed && day.booking_open && url && places > 0) {
        const link = document.createElement("a");
        link.className = "pb-book";
        link.href = url;
        link.textContent = labels.book;
        link.setAttribute("aria-label", labels.book_day.replace("%(day)s", fmtDay(day.date)));
        th.append(" ", link);
      } else if (safeUrl(day.offering_url)) {
        // the prefecture offers the day: applied for at its one registration point (ops.prefecture)
        const offered = document.createElement("a");
        offered.className = "pb-offered";
        offered.href = safeUrl(day.offering_url);
        offered.textContent = labels.offered;
        th.append(" ", offered);
      }
      tr.appendChild(th);
      [day.closed ? "—" : String(day.capacity), rest].forEach(function (text) {
        const cell = document.createElement("td");
        cell.textContent = text;
        tr.appendChild(cell);
      });
      if (!closed && !day.closed && places === 0) tr.classList.add("full");
      if (day.closed) tr.classList.add("closed-day");
      body.appendChild(tr);
    });
  }

  function onSnapshot(snapshot) {
    state.centre = snapshot.centre;
    state.counters = Object.assign({}, snapshot.counters);
    state.days = snapshot.days.map(function (d) {
      return { date: d.date, booked: d.booked, capacity: d.capacity, closed: !!d.closed, suspended: !!d.suspended,
               booking_open: !!d.booking_open, booking_url: d.booking_url, offering_url: d.offering_url };
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

  // Whether the days' booking_open and suspended (the server's, one home) may have changed with the centre.
  function daysChange(before, after) {
    return ["daily_capacity", "recruitment_status", "status"].some(function (k) { return before[k] !== after[k]; })
      || JSON.stringify(before.suspensions || []) !== JSON.stringify(after.suspensions || []);
  }

  function onEvent(event) {
    let reload = false;
    const data = event.data;
    if (data && typeof data === "object") {
      Object.keys(data).forEach(function (key) {
        const value = data[key];
        if (typeof value === "number") applyDelta(key, value);
        else if (key === "booked" && value) {
          state.days.forEach(function (day) {
            const full = left(day) === 0;
            day.booked += value[day.date] || 0;
            if (full !== (left(day) === 0)) reload = true;  // a day filled or freed: its booking_open moved
          });
        } else if (key === "centre" && value) {
          const next = Object.assign({}, state.centre, value);
          if (daysChange(state.centre, next)) reload = true;
          state.centre = next;
          // "Last updated" is the public information's last change: a check-in or a booking does not move it.
          if (value.updated_at) state.updatedAt = value.updated_at;
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
