// 活動中止 banner, live: the public and staff boards show every coming day's suspension; the slip page shows its
// own day's with the return call. The server renders the same markup (boards/_suspensions.html); this redraws
// it from the centre state's `suspensions` (ops.centres.services.centre_state) whenever a snapshot or a
// centre event brings them. Words come from ops.boards.labels.suspension_labels.
(function (root) {
  "use strict";
  const lang = (root.document && root.document.documentElement.lang) || "ja";

  function fmtDay(iso) {
    return new Date(iso + "T00:00:00").toLocaleDateString(lang === "ja" ? "ja-JP" : "en-GB",
                                                         { month: "numeric", day: "numeric", weekday: "short" });
  }

  function el(tag, cls, text) {
    const node = root.document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function render(container, suspensions, words) {
    const day = container.dataset.day || null;
    const call = container.hasAttribute("data-call");
    const shown = (suspensions || []).filter(function (s) { return !day || s.date === day; });
    container.textContent = "";
    shown.forEach(function (s) {
      const box = el("div", "suspension");
      box.dataset.suspensionDate = s.date;
      const head = el("p", "suspension-head");
      head.appendChild(el("strong", "suspension-title", words.title));
      head.appendChild(root.document.createTextNode(" "));
      const when = s.starts_at ? words.from.replace("%(time)s", s.starts_at) : words.whole_day;
      head.appendChild(el("span", "suspension-when", (day ? "" : fmtDay(s.date) + " ") + when));
      head.appendChild(root.document.createTextNode(" "));
      head.appendChild(el("span", "suspension-reason", words.reasons[s.reason] || s.reason));
      box.appendChild(head);
      if (s.note) box.appendChild(el("p", "suspension-note", s.note));
      if (call) box.appendChild(el("p", "return-call", words.call));
      container.appendChild(box);
    });
    container.hidden = shown.length === 0;
    return shown.length;
  }

  root.DVC = root.DVC || {};
  root.DVC.suspension = { render: render };
})(window);
