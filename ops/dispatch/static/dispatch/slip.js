// The leader's slip: the return call of a suspension (活動中止) appears the moment staff register it, without a
// reload. The slip listens on the centre's PUBLIC board socket (aggregates and public notices only: nothing
// personal flows there) through the boards' LiveBoard, which also reloads the public snapshot on a gap, a
// reconnect or a silent socket, so a lost event or a phone waking from sleep still gets the call.
(function () {
  "use strict";
  const live = document.getElementById("slip-live");
  if (!live || !window.DVC || !window.DVC.live || !window.DVC.suspension) return;
  const words = JSON.parse(document.getElementById("suspension-labels").textContent);
  const banner = live.querySelector("[data-suspensions]");
  let shown = banner.hidden ? 0 : banner.children.length;

  function show(centre) {
    if (!centre || !Array.isArray(centre.suspensions)) return;
    const count = window.DVC.suspension.render(banner, centre.suspensions, words);
    if (count > shown && navigator.vibrate) navigator.vibrate([300, 150, 300]);  // a new call: buzz the phone
    if (count > shown) banner.scrollIntoView({ behavior: "smooth", block: "start" });
    shown = count;
  }

  const board = new window.DVC.live.LiveBoard({
    wsUrl: window.DVC.live.wsUrl(live.dataset.wsPath), snapshotUrl: live.dataset.snapshotUrl,
    eventsUrl: live.dataset.eventsUrl,
    onSnapshot: function (snapshot) { show(snapshot.centre); },
    onEvent: function (event) { show(event.data && event.data.centre); },
    onStatus: function (state) { live.dataset.state = state; },
  }).start();
  window.DVC.slip = { board: board };
})();
