// Today's report page: while a build is queued, poll its status and reload once it is built or sent.
(function () {
  "use strict";
  const box = document.getElementById("report-status");
  if (!box || box.dataset.state !== "queued") return;
  let tries = 0;
  const timer = setInterval(async function () {
    tries += 1;
    if (tries > 60) { clearInterval(timer); return; }
    try {
      const response = await fetch(box.dataset.url, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      if (data.state !== "queued") { clearInterval(timer); window.location.reload(); }
    } catch (err) { /* offline for a moment: try again on the next tick */ }
  }, 5000);
})();
