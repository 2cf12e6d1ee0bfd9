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
  try {
    Object.keys(localStorage).filter((key) => key.startsWith("dvc.")).forEach((key) => localStorage.removeItem(key));
    sessionStorage.clear();
  } catch (e) { /* storage refused: nothing was kept there */ }

  // Each worker is told first (it then keeps nothing more, even for this page it may still control), then
  // the caches go, then the workers themselves.
  function tell(worker) {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      worker.postMessage({ type: "clear" }, [channel.port2]);
      setTimeout(resolve, 3000);
    });
  }
  function forgetAll(registrations) {
    const active = registrations.filter((r) => r.active);
    return Promise.all(active.map((r) => tell(r.active)))
      .then(() => (window.caches ? caches.keys() : []))
      .then((names) => Promise.all(names.map((name) => caches.delete(name))))
      .then(() => Promise.all(registrations.map((r) => r.unregister())));
  }
  const registrations = navigator.serviceWorker && navigator.serviceWorker.getRegistrations
    ? navigator.serviceWorker.getRegistrations() : Promise.resolve([]);
  registrations.then(forgetAll).then(() => {
    if (mark) { mark.dataset.forgotten = "1"; mark.hidden = false; }
  }, () => undefined);
})();
