// The live-board client shared by the staff and public boards. It keeps a board equal to the server's state:
// open the websocket, then load the snapshot (state + seq) and apply only events with a higher seq; a jump in
// seq is caught up from events.json (or the snapshot, when the gap is big); every reconnect reloads the
// snapshot, with exponential backoff and jitter. A silent socket is checked against events.json now and then,
// so a board whose subscription was lost (a Redis restart) notices and reconnects. The page supplies
// onSnapshot(snapshot) and onEvent(event); this file knows nothing of needs, teams or counters.
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

  function wsUrl(path) {
    const loc = root.location;
    return (loc.protocol === "https:" ? "wss://" : "ws://") + loc.host + path;
  }

  function LiveBoard(opts) {
    this.opts = Object.assign({
      baseDelayMs: 1000, maxDelayMs: 30000, idleCheckMs: 20000, fetch: root.fetch && root.fetch.bind(root),
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
    this.idleTimer = setInterval(function () { self.checkIdle(); }, this.opts.idleCheckMs);
    if (root.document) {
      root.document.addEventListener("visibilitychange", function () {
        if (!root.document.hidden) self.checkIdle(true);
      });
    }
    return this;
  };

  LiveBoard.prototype.stop = function () {
    this.stopped = true;
    clearInterval(this.idleTimer);
    clearTimeout(this.retryTimer);
    if (this.ws) this.ws.close();
  };

  LiveBoard.prototype.status = function (state) {
    this.state = state;
    this.opts.onStatus(state);
  };

  LiveBoard.prototype.connect = function () {
    if (this.stopped) return;
    const self = this;
    const ws = (this.ws = new this.opts.WebSocket(this.opts.wsUrl));
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
    ws.onclose = function () {
      if (self.ws !== ws || self.stopped) return;
      self.ws = null;
      self.status("reconnecting");
      const delay = backoffDelay(self.attempt++, self.opts.baseDelayMs, self.opts.maxDelayMs);
      self.retryTimer = setTimeout(function () { self.connect(); }, delay);
    };
  };

  // Drop the socket; onclose schedules the reconnect, and the reconnect reloads the snapshot.
  LiveBoard.prototype.reconnect = function () {
    if (this.ws) this.ws.close();
  };

  LiveBoard.prototype.receive = function (event) {
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

  // A quiet socket may be fine or deaf (its group membership lost with a Redis restart). Ask the outbox: if
  // it holds events the socket never delivered, apply them and reconnect to subscribe again.
  LiveBoard.prototype.checkIdle = function (force) {
    if (this.syncing || this.seq === null || !this.ws) return;
    if (!force && Date.now() - this.lastMessageAt < this.opts.idleCheckMs) return;
    const self = this;
    const before = this.seq;
    this.lastMessageAt = Date.now();
    this.catchUp().then(function () {
      if (self.seq > before && !force) self.reconnect();
    });
  };

  const api = { LiveBoard: LiveBoard, backoffDelay: backoffDelay, classify: classify, wsUrl: wsUrl };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.DVC = Object.assign(root.DVC || {}, { live: api });
})(typeof window !== "undefined" ? window : globalThis);
