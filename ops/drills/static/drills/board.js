// The staff board of a drill centre: a 状況付与 (drill.inject event) is shown at the top of the banner as it
// comes; a call or a resident at the counter shows a short line pointing to the calls panel (no name: the
// board is read by roles that see no residents' data). staff.js hands each drill.inject event here.
(function () {
  "use strict";
  const banner = document.getElementById("drill-injects");
  if (!banner) return;
  const list = banner.querySelector("ol");
  const english = (document.documentElement.lang || "").indexOf("en") === 0;
  window.DVC = window.DVC || {};
  window.DVC.drillInject = function (inject) {
    if (!inject || typeof inject !== "object") return;
    const li = document.createElement("li");
    const time = document.createElement("time");
    time.textContent = inject.at || "";
    let words;
    if (inject.kind === "inject") words = (english && inject.text_en) || inject.text || banner.dataset.injectWords;
    else words = banner.dataset.callWords;
    li.append(time, " ", words);
    li.className = inject.kind === "inject" ? "drill-new" : "drill-new drill-call-line";
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 8) list.removeChild(list.lastChild);
  };
  // The drill reset to its start (drill.reset): the 状況付与 shown so far were the old run's.
  window.DVC.drillReset = function () {
    while (list.firstChild) list.removeChild(list.firstChild);
  };
})();
