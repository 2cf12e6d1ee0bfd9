// The council's widget (ops/boards/widget.py), inside an iframe on another site's page. The server renders it
// whole; this keeps it current by polling the public JSON (/p/<c>/board.json) every data-poll seconds and
// writing what changed with textContent, and tells the embedding page its height (embed.js sizes the iframe).
// The fetch revalidates (cache: "no-cache": the browser sends If-None-Match and takes a 304 from its own
// cache); a document whose ETag is the one already shown is not drawn again. No cookie goes with it.
(function () {
  "use strict";
  const root = document.getElementById("widget");
  if (!root) return;
  const words = JSON.parse(document.getElementById("widget-labels").textContent);
  const lang = document.documentElement.lang || "ja";
  const locale = lang === "ja" ? "ja-JP" : "en-GB";
  const pollMs = 1000 * Math.max(2, parseFloat(root.dataset.poll) || 30);
  const timeZone = root.dataset.timeZone || "Asia/Tokyo";
  let etag = root.dataset.etag || null;
  let timer = null;
  let busy = false;

  function nodes(selector) { return root.querySelectorAll(selector); }
  function setText(name, text) {
    nodes('[data-field="' + name + '"]').forEach(function (node) {
      if (node.textContent !== text) node.textContent = text;
    });
  }
  function show(name, on) {
    nodes('[data-shown-when="' + name + '"]').forEach(function (node) { node.hidden = !on; });
  }
  function telHref(phone) { return phone ? "tel:" + phone.replace(/[^0-9+]/g, "") : ""; }
  function number(n) { return Number(n || 0).toLocaleString(locale); }

  function fmtDay(iso) {
    return new Date(iso + "T00:00:00").toLocaleDateString(locale, { month: "numeric", day: "numeric", weekday: "short" });
  }

  // "12/7 09:05" (ja) or "7/12 09:05", as the server writes it ("n/j H:i", the English catalogue's "j/n H:i").
  function fmtTime(iso) {
    const parts = {};
    new Intl.DateTimeFormat("en-GB", { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit",
                                       hourCycle: "h23", timeZone: timeZone })
      .formatToParts(new Date(iso)).forEach(function (p) { parts[p.type] = p.value; });
    const month = parseInt(parts.month, 10);
    const day = parseInt(parts.day, 10);
    const date = lang === "ja" ? month + "/" + day : day + "/" + month;
    return date + " " + parts.hour + ":" + parts.minute;
  }

  // Places left, as ops.boards.widget.rest_of words it.
  function rest(day, centre) {
    if (centre.recruitment_status === "none") return "—";
    if (day.suspended) return words.suspension.title;
    if (day.closed) return words.closed_day;
    if (day.left <= 0) return words.full;
    return number(day.left) + words.people;
  }

  function cell(row, name, tag) {
    let node = row.querySelector('[data-cell="' + name + '"]');
    if (!node) {
      node = document.createElement(tag);
      node.dataset.cell = name;
      row.appendChild(node);
    }
    return node;
  }

  // Rows are kept by date: a day already shown keeps its server-written date, a new one (after midnight) is
  // written here.
  function renderDays(days, centre) {
    const body = document.getElementById("w-days");
    if (!body) return;
    const rows = {};
    body.querySelectorAll("tr[data-date]").forEach(function (row) { rows[row.dataset.date] = row; });
    days.forEach(function (day) {
      let row = rows[day.date];
      delete rows[day.date];
      if (!row) {
        row = document.createElement("tr");
        row.dataset.date = day.date;
        const th = document.createElement("th");
        th.scope = "row";
        th.textContent = fmtDay(day.date);
        row.appendChild(th);
      }
      body.appendChild(row);  // in the snapshot's order
      const left = cell(row, "rest", "td");
      const text = rest(day, centre);
      if (left.textContent !== text) left.textContent = text;
      const book = cell(row, "book", "td");
      const link = book.querySelector("a");
      if (day.booking_open && day.booking_url) {
        const a = link || document.createElement("a");
        if (a.getAttribute("href") !== day.booking_url) a.href = day.booking_url;
        if (!link) {
          a.className = "w-book";
          a.target = "_blank";
          a.rel = "noopener";
          a.textContent = words.book;
          book.appendChild(a);
        }
      } else if (link) {
        book.textContent = "";
      }
    });
    Object.keys(rows).forEach(function (date) { rows[date].remove(); });
  }

  function render(snapshot) {
    const c = snapshot.centre;
    const info = c.info || {};
    const tomorrow = info.tomorrow || {};
    const closed = c.status === "closed";
    setText("name", c.name);
    setText("status", words.status[c.status] || c.status);
    nodes('[data-field="status"]').forEach(function (node) { node.dataset.status = c.status; });
    setText("recruitment_status", words.recruitment_status[c.recruitment_status] || c.recruitment_status);
    nodes('[data-field="recruitment_status"]').forEach(function (node) { node.dataset.recruitment = c.recruitment_status; });
    setText("recruitment_scope", words.recruitment_scope[c.recruitment_scope] || c.recruitment_scope);
    show("closed", closed);
    show("open", !closed);
    setText("message", info.message || "");
    show("message", !!info.message);
    nodes("[data-suspensions]").forEach(function (node) {
      if (window.DVC && window.DVC.suspension) window.DVC.suspension.render(node, c.suspensions, words.suspension);
    });
    setText("volunteers_today", number(snapshot.counters.volunteers_today));
    setText("hours", c.activity_start + "–" + c.activity_end);
    setText("phone", info.phone || "");
    nodes('[data-field="phone"]').forEach(function (node) { node.href = telHref(info.phone); });
    show("phone", !!info.phone);
    setText("address", info.address || "");
    show("address", !!info.address);
    setText("work_today", info.work_today || "");
    show("work_today", !!info.work_today);
    setText("meeting_time", tomorrow.meeting_time || "");
    show("meeting_time", !!tomorrow.meeting_time);
    setText("meeting_place", tomorrow.meeting_place || "");
    show("meeting_place", !!tomorrow.meeting_place);
    setText("plan", tomorrow.plan || "");
    show("plan", !!tomorrow.plan);
    show("tomorrow", !!(tomorrow.meeting_time || tomorrow.meeting_place || tomorrow.plan));
    show("days", c.recruitment_status !== "none" && !closed);
    renderDays(snapshot.days || [], c);
    nodes('[data-field="updated_at"]').forEach(function (node) {
      if (snapshot.updated_at && node.getAttribute("datetime") !== snapshot.updated_at) {
        node.setAttribute("datetime", snapshot.updated_at);
        node.textContent = fmtTime(snapshot.updated_at);
      }
    });
  }

  function poll() {
    timer = null;
    if (busy || document.hidden) return;  // hidden: resumed by visibilitychange
    busy = true;
    fetch(root.dataset.feedUrl, { cache: "no-cache", credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        const tag = response.headers.get("ETag");
        if (tag && tag === etag) return null;  // what is shown already
        return response.json().then(function (snapshot) { etag = tag; return snapshot; });
      })
      .then(function (snapshot) {
        if (snapshot) render(snapshot);
        show("offline", false);
      })
      .catch(function () { show("offline", true); })
      .then(function () { busy = false; schedule(); });
  }

  function schedule() {
    if (timer === null && !document.hidden) timer = setTimeout(poll, pollMs);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
    } else if (timer === null && !busy) {
      poll();  // back in sight: fetch now, then on the interval
    }
  });

  // The embedding page sizes the iframe to the content (embed.js; it checks where the message comes from).
  // The height is no secret, so any parent may read it.
  let sentHeight = 0;
  function postHeight() {
    if (window.parent === window) return;
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === sentHeight) return;
    sentHeight = height;
    window.parent.postMessage({ type: "dvc-widget-height", height: height, title: document.title }, "*");
  }
  if ("ResizeObserver" in window) new ResizeObserver(postHeight).observe(root);
  window.addEventListener("load", postHeight);
  postHeight();

  window.DVC = window.DVC || {};
  window.DVC.widget = { poll: poll, render: render };
  schedule();
})();
