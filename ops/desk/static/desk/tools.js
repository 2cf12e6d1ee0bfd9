// 資機材デスク: the camera (DeskScanner, scanner.js) or a typed code; each code is posted with the chosen mode
// and the team chosen so far; the answer's team and its tools are drawn. Scans go one after another.
// window.DeskTools.log keeps [{at, ok, changed}] (performance.now()) for the bench (bench/desk_tools.py).
(function () {
  "use strict";
  const root = document.getElementById("tool-desk");
  if (!root) return;
  const form = document.getElementById("tool-desk-form");
  const input = document.getElementById("tool-desk-code");
  const message = document.getElementById("tool-desk-message");
  const camera = document.getElementById("tool-desk-camera");
  const list = document.getElementById("tool-desk-tools");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const log = [];
  let team = null;
  let queue = Promise.resolve();
  window.DeskTools = {log: log, firstScanAt: null};

  function mode() { return form.querySelector("input[name=mode]:checked").value; }

  function say(text, ok) {
    message.textContent = text;
    message.className = "desk-message " + (ok ? "ok" : "refused");
  }

  function draw(state) {
    if (!state) return;
    team = state.id;
    root.dataset.team = String(state.id);
    document.getElementById("tool-desk-team-label").textContent = state.label;
    document.getElementById("tool-desk-team-status").textContent =
      state.status + " · " + state.people + root.dataset.people;
    list.replaceChildren();
    state.tools.forEach(function (t) {
      const li = document.createElement("li");
      li.className = t.returned ? "back" : "out";
      li.textContent = t.name + (t.number !== null ? " No. " + t.number : " × " + t.quantity) +
        " (" + (t.returned ? root.dataset.back : root.dataset.lent) + ")";
      list.appendChild(li);
    });
    if (!state.tools.length) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = root.dataset.nothing;
      list.appendChild(li);
    }
    list.dataset.out = String(state.tools.filter(function (t) { return !t.returned; }).length);
  }

  function post(code) {
    if (window.DeskTools.firstScanAt === null) window.DeskTools.firstScanAt = performance.now();
    return fetch(root.dataset.scanUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({code: code, mode: mode(), team: team})
    }).then(function (response) {
      return response.json().then(function (body) {
        log.push({at: performance.now(), ok: response.ok, changed: !!body.changed});
        say(body.message || body.error || "", response.ok);
        draw(body.team);
      });
    }).catch(function () {
      log.push({at: performance.now(), ok: false, changed: false});
      say(root.dataset.offline, false);
    });
  }

  function scanned(code) {
    queue = queue.then(function () { return post(code); });
    return queue;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const code = input.value.trim();
    if (!code) return;
    input.value = "";
    scanned(code);
  });

  say(root.dataset.noTeam, true);
  if (window.DeskScanner) {
    const scanner = window.DeskScanner.start(document.getElementById("tool-desk-video"), scanned,
                                             {decoder: root.dataset.decoder});
    scanner.ready.then(function () { camera.textContent = root.dataset.cameraOn; },
                       function () { camera.textContent = root.dataset.noCamera; });
    window.addEventListener("pagehide", function () { scanner.stop(); });
  }
})();
