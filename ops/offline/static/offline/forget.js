// Logging out (staff) and 「この端末から記録を消す」 (a volunteer) leave nothing of this site on the phone: the
// server's answer says Clear-Site-Data, and this script does the same for browsers that ignore it: the outbox and
// drafts in localStorage, the service workers' caches, the workers themselves. The page says when it is done
// (data-forgotten on the element marked data-offline-forget, which it then shows).
(function () {
  "use strict";
  const mark = document.querySelector("[data-offline-forget]");
  // After a logout the login page is reached from one of this site's pages (its logout form); a link from
  // anywhere else to the login page must not wipe a phone's outbox.
  if (mark && mark.hasAttribute("data-after-logout") && !document.referrer.startsWith(location.origin + "/")) return;
  const work = [];
  try {
    Object.keys(localStorage).filter((key) => key.startsWith("dvc.")).forEach((key) => localStorage.removeItem(key));
    sessionStorage.clear();
  } catch (e) { /* storage refused: nothing was kept there */ }
  if (window.caches) {
    work.push(caches.keys().then((names) => Promise.all(names.map((name) => caches.delete(name)))));
  }
  if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
    work.push(navigator.serviceWorker.getRegistrations().then((registrations) => Promise.all(registrations.map((r) => {
      if (r.active) r.active.postMessage({ type: "clear" });
      return r.unregister();
    }))));
  }
  Promise.all(work.map((p) => p.catch(() => undefined))).then(() => {
    if (mark) { mark.dataset.forgotten = "1"; mark.hidden = false; }
  });
})();
