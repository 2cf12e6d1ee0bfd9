// The live-board client shared by the staff and public boards. It keeps a board equal to the server's state:
// open the websocket, then load the snapshot (state + seq) and apply only events with a higher seq; a jump in
// seq is caught up from events.json (or the snapshot, when the gap is big); every reconnect reloads the
// snapshot, with exponential backoff and jitter. The server sends a heartbeat with the latest seq every
// BOARD_HEARTBEAT_SECONDS: a seq we never got is caught up, and a socket that hears nothing for staleMs
// (BOARD_STALE_SECONDS, the page's data-stale-seconds) is stalled, whatever the cause: the board says so,
// reconnects and resyncs. Close codes (dvc.origin.Close) say why a socket ended; 4401/4403/4404 stop the
// retries. The page supplies onSnapshot(snapshot) and onEvent(event) and onStatus(state); this file knows
// nothing of needs, teams or counters.
(function (root) {
  "use strict";

  // "Equal jitter": half the exponential delay fixed, half random, so a room of screens does not reconnect
  // in lockstep after the server restarts.
  function backoffDelay(attempt, baseMs, capMs, random) {
    const exp = Math.min(capMs, baseMs * Math.pow(2, attempt));
    return Math.round(exp / 2 + (random || Math.random)() * (exp / 2));
  }

  // What to do with an event, given the last seq applied.
  function classify(lastSeq, event) {
    if (typeof event.seq !== "number" || event.seq <= lastSeq) return "stale";
    return event.seq === lastSeq + 1 ? "apply" : "gap";
  }

  // Close codes after which retrying cannot help, and the state the page shows for each.
  const FINAL = { 4401: "logged_out", 4403: "forbidden", 4404: "unknown_centre" };

  function wsUrl(path) {
    const loc = root.location;
    return (loc.protocol === "https:" ? "wss://" : "ws://") + loc.host + path;
  }

  function LiveBoard(opts) {
    this.opts = Object.assign({
      baseDelayMs: 1000, maxDelayMs: 30000, staleMs: 40000, fetch: root.fetch && root.fetch.bind(root),
      WebSocket: root.WebSocket, onStatus: function () {},
    }, opts);
    this.seq = null;        // last seq applied; null until the first snapshot
    this.pending = [];      // events that arrived while a snapshot or catch-up was loading
    this.syncing = false;
    this.attempt = 0;
    this.ws = null;
    this.lastMessageAt = Date.now();
    this.stopped = false;
  }

  LiveBoard.prototype.start = function () {
    this.connect();
    const self = this;
    this.staleTimer = setInterval(function () { self.checkStale(); },
                                  Math.max(250, Math.min(5000, this.opts.staleMs / 4)));
    if (root.document) {
      root.document.addEventListener("visibilitychange", function () {
        if (!root.document.hidden) self.checkStale();
      });
    }
    return this;
  };

  LiveBoard.prototype.stop = function () {
    this.stopped = true;
    clearInterval(this.staleTimer);
    clearTimeout(this.retryTimer);
    if (this.ws) this.ws.close();
  };

  // After a stall the board keeps saying so until it is live again, through the reconnect and the resync.
  LiveBoard.prototype.status = function (state) {
    if (state === "stalled") this.resyncing = true;
    else if (state !== "connecting" && state !== "syncing") this.resyncing = false;
    if (this.resyncing && (state === "connecting" || state === "syncing")) state = "stalled";
    this.state = state;
    this.opts.onStatus(state);
  };

  LiveBoard.prototype.connect = function () {
    if (this.stopped) return;
    const self = this;
    const ws = (this.ws = new this.opts.WebSocket(this.opts.wsUrl));
    this.lastMessageAt = Date.now();
    this.status("connecting");
    ws.onopen = function () {
      self.attempt = 0;
      self.lastMessageAt = Date.now();
      // Subscribed from here on: whatever the snapshot misses arrives on the socket (and is buffered).
      self.reload();
    };
    ws.onmessage = function (message) {
      self.lastMessageAt = Date.now();
      let event;
      try { event = JSON.parse(message.data); } catch (err) { return; }
      self.receive(event);
    };
    ws.onclose = function (e) {
      if (self.ws !== ws || self.stopped) return;
      self.ws = null;
      if (FINAL[e && e.code]) {  // logged out, no access, no such centre: retrying cannot help
        self.stop();
        self.status(FINAL[e.code]);
        return;
      }
      self.status(e && e.code === 1013 ? "busy" : "reconnecting");
      self.retry();
    };
  };

  LiveBoard.prototype.retry = function () {
    const self = this;
    const delay = backoffDelay(this.attempt++, this.opts.baseDelayMs, this.opts.maxDelayMs);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(function () { self.connect(); }, delay);
  };

  // Drop the socket; onclose schedules the reconnect, and the reconnect reloads the snapshot.
  LiveBoard.prototype.reconnect = function () {
    if (this.ws) this.ws.close();
  };

  LiveBoard.prototype.receive = function (event) {
    if (event.kind === "heartbeat") {  // alive; and a seq we never got means the stream lost something
      if (typeof event.seq === "number" && this.seq !== null && event.seq > this.seq) this.catchUp();
      return;
    }
    if (this.syncing || this.seq === null) {
      this.pending.push(event);
      return;
    }
    const verdict = classify(this.seq, event);
    if (verdict === "apply") this.apply(event);
    else if (verdict === "gap") {
      this.pending.push(event);
      this.catchUp();
    }
  };

  LiveBoard.prototype.apply = function (event) {
    this.seq = event.seq;
    // A drill (訓練) reset to its start: whatever the board holds is gone, so it starts again from the snapshot.
    if (event.kind === "drill.reset") {
      if (this.opts.onReset) this.opts.onReset(event);  // what the page holds beside the snapshot goes too
      return this.reload();
    }
    this.opts.onEvent(event);
  };

  LiveBoard.prototype.getJSON = function (url) {
    return this.opts.fetch(url, { credentials: "same-origin", cache: "no-store",
                                  headers: { Accept: "application/json" } })
      .then(function (res) {
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json();
      });
  };

  // The full state at some seq; then whatever arrived meanwhile.
  LiveBoard.prototype.reload = function () {
    const self = this;
    this.syncing = true;
    this.status("syncing");
    return this.getJSON(this.opts.snapshotUrl).then(function (snapshot) {
      self.seq = snapshot.seq;
      self.opts.onSnapshot(snapshot);
      self.syncing = false;
      self.drain();
    }).catch(function () {
      self.syncing = false;
      self.reconnect();  // the backoff paces the retries
    });
  };

  // A short gap: fetch just the missing events from the outbox.
  LiveBoard.prototype.catchUp = function () {
    if (this.syncing) return Promise.resolve();
    const self = this;
    this.syncing = true;
    this.status("syncing");
    return this.getJSON(this.opts.eventsUrl + "?since=" + this.seq).then(function (body) {
      if (body.reload) {
        self.syncing = false;
        return self.reload();
      }
      body.events.forEach(function (event) {
        if (classify(self.seq, event) === "apply") self.apply(event);
      });
      self.syncing = false;
      self.drain();
    }).catch(function () {
      self.syncing = false;
      self.reconnect();
    });
  };

  LiveBoard.prototype.drain = function () {
    const queued = this.pending.sort(function (a, b) { return a.seq - b.seq; });
    this.pending = [];
    for (let i = 0; i < queued.length; i++) {
      const verdict = classify(this.seq, queued[i]);
      if (verdict === "apply") this.apply(queued[i]);
      else if (verdict === "gap") {
        this.pending = queued.slice(i);
        this.catchUp();
        return;
      }
    }
    if (this.ws) this.status("live");
  };

  // No frame (event or heartbeat) for staleMs: the stream stalled (a deaf subscription, a stuck server
  // process, a dead connection the browser has not noticed). Drop the socket without waiting for its closing
  // handshake, say so, and reconnect at once: the reconnect reloads the snapshot.
  LiveBoard.prototype.checkStale = function () {
    if (!this.ws || this.stopped || Date.now() - this.lastMessageAt < this.opts.staleMs) return;
    const ws = this.ws;
    this.ws = null;
    ws.onclose = ws.onmessage = ws.onopen = null;
    try { ws.close(); } catch (err) { /* already closing */ }
    this.stalls = (this.stalls || 0) + 1;
    this.status("stalled");
    this.connect();
  };

  const api = { LiveBoard: LiveBoard, backoffDelay: backoffDelay, classify: classify, wsUrl: wsUrl, FINAL: FINAL };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.DVC = Object.assign(root.DVC || {}, { live: api });
})(typeof window !== "undefined" ? window : globalThis);
