// The phone's outbox for the pages that must work with no signal (the slip's return report and 現着, the
// volunteer's check-out, the resident's request): a form marked data-outbox="<kind>" is never lost.
// - What is typed is kept as a draft on the phone (localStorage, per page and form) and put back after a reload.
// - Send keeps the submission (fields, a random key, the time it was typed) in localStorage `dvc.outbox`
//   before the first try, and sends it with the key until the server answers; the server files one
//   submission per key (ops.offline.keys.once), so a resend after a lost answer is answered, not filed again.
// - The panel (offline/_outbox.html) says what waits, what was received and what was refused, in the words
//   the template gave it. The page also registers the service worker (sw.js) for its own path only.
(function () {
  "use strict";
  const STORE = "dvc.outbox";
  const DRAFT = "dvc.draft:";
  const RETRY_MS = 20000;
  const TIMEOUT_MS = 20000;
  const STAMP_WAIT_MS = 4000;
  const KEEP_DONE_MS = 24 * 3600 * 1000;
  const panel = document.querySelector("[data-outbox-panel]");
  if (!panel) return;
  const words = panel.dataset;
  const here = location.pathname;
  const rendered = Number(words.rendered) || 0;
  const forms = Array.from(document.querySelectorAll("form[data-outbox]"));
  let clicked = null;

  // --- storage ---------------------------------------------------------------------------------------------
  function read(key, fallback) {
    try { const value = JSON.parse(localStorage.getItem(key)); return value == null ? fallback : value; } catch (e) { return fallback; }
  }
  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or forbidden: the page still works */ }
  }
  function entries() {
    const now = Date.now();
    return read(STORE, []).filter((e) => e && e.key && (e.state === "waiting" || now - (e.done_ms || 0) < KEEP_DONE_MS));
  }
  function update(key, change) {  // re-read first: another tab may have changed the outbox meanwhile
    const all = entries();
    const entry = all.find((e) => e.key === key);
    if (entry) { change(entry); write(STORE, all); }
    return entry;
  }

  // --- keys, times, fields ---------------------------------------------------------------------------------
  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  const pad = (n) => String(n).padStart(2, "0");
  function isoNow() {  // the phone's clock with its offset: 2026-07-14T14:05:09+09:00
    const d = new Date();
    const off = -d.getTimezoneOffset();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + (off >= 0 ? "+" : "-") + pad(Math.floor(Math.abs(off) / 60)) +
      ":" + pad(Math.abs(off) % 60);
  }
  function hhmm(iso) {
    const d = new Date(iso);
    return isNaN(d) ? "" : pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function say(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  }
  const formId = (form) => here + "|" + form.dataset.outbox + "|" + (form.getAttribute("action") || "");
  const actionOf = (form) => new URL(form.getAttribute("action") || here, location.href).pathname;
  const kept = (el) => el.name && !el.disabled && !["hidden", "password", "submit", "button", "file"].includes(el.type) &&
    el.name !== "csrfmiddlewaretoken" && !el.closest("[aria-hidden=true]");

  // --- drafts ----------------------------------------------------------------------------------------------
  function saveDraft(form) {
    const fields = Array.from(new FormData(form)).filter((pair) => typeof pair[1] === "string" &&
      Array.from(form.elements).some((el) => el.name === pair[0] && kept(el)));
    if (!Array.from(form.elements).some(kept)) return;
    write(DRAFT + formId(form), { fields: fields, names: Array.from(new Set(Array.from(form.elements).filter(kept).map((el) => el.name))) });
  }
  function restoreDraft(form) {
    const draft = read(DRAFT + formId(form), null);
    if (!draft || !Array.isArray(draft.fields)) return;
    const names = new Set(draft.names || []);
    const values = (name) => draft.fields.filter((pair) => pair[0] === name).map((pair) => pair[1]);
    const used = {};
    Array.from(form.elements).filter((el) => kept(el) && names.has(el.name)).forEach((el) => {
      const mine = values(el.name);
      if (el.type === "checkbox" || el.type === "radio") el.checked = mine.includes(el.value);
      else if (el.tagName === "SELECT" && el.multiple) Array.from(el.options).forEach((o) => { o.selected = mine.includes(o.value); });
      else { const i = used[el.name] || 0; if (i < mine.length) el.value = mine[i]; used[el.name] = i + 1; }
    });
    form.dataset.outboxRestored = "1";
  }
  const dropDraft = (entry) => localStorage.removeItem(DRAFT + entry.form);

  // --- what the page shows ---------------------------------------------------------------------------------
  function formOf(entry) { return forms.find((f) => formId(f) === entry.form); }

  function showDone(entry) {
    const form = formOf(entry);
    if (!form || form.dataset.outboxShown === entry.key) return;
    form.dataset.outboxShown = entry.key;
    const gone = form.dataset.outboxReplace ? document.querySelectorAll(form.dataset.outboxReplace) : [form];
    Array.from(gone).forEach((el) => { el.hidden = true; });
    const done = form.dataset.outboxDone && document.querySelector(form.dataset.outboxDone);
    if (done) {
      done.hidden = false;
      const slots = done.matches("[data-outbox-message]") ? [done] : Array.from(done.querySelectorAll("[data-outbox-message]"));
      slots.forEach((el) => { el.textContent = entry.message || ""; if (el !== done) el.hidden = !entry.message; });
      Array.from(done.querySelectorAll("[data-outbox-if]")).forEach((el) => { el.hidden = !(entry.answer || {})[el.dataset.outboxIf]; });
      if (Date.now() - entry.done_ms < 5000) done.scrollIntoView({ block: "nearest" });  // received just now
    }
  }

  // A refused submission is never taken from this page (another phone filed the report, the dispatch was
  // cancelled): the form it came from, and what goes with it, step aside; the panel says why.
  function hideRefused(entry) {
    const form = formOf(entry);
    if (!form) return;
    const gone = form.dataset.outboxReplace ? document.querySelectorAll(form.dataset.outboxReplace) : [form];
    Array.from(gone).forEach((el) => { el.hidden = true; });
  }

  function showErrors(entry) {
    const form = formOf(entry);
    if (!form) return;
    Array.from(form.querySelectorAll(".outbox-error")).forEach((el) => el.remove());
    Object.keys(entry.errors || {}).forEach((name) => {
      const list = document.createElement("ul");
      list.className = "errorlist outbox-error";
      list.setAttribute("role", "alert");
      (entry.errors[name] || []).forEach((text) => { const li = document.createElement("li"); li.textContent = text; list.appendChild(li); });
      const field = name === "__all__" ? null : form.querySelector("[name='" + name.replace(/'/g, "") + "']");
      const at = field && (field.closest("fieldset, .field") || field.parentNode);
      if (at) at.appendChild(list); else form.insertBefore(list, form.firstChild);
    });
  }

  function line(entry) {
    const values = { label: entry.label, typed: hhmm(entry.typed_at), at: hhmm(entry.at || entry.done_at || "") };
    const item = document.createElement("li");
    item.dataset.outboxEntry = entry.state;
    item.className = "outbox-" + entry.state;
    const text = { waiting: words.waitingWords, received: words.receivedWords, refused: words.refusedWords,
                   invalid: words.invalidWords }[entry.state];
    item.textContent = say(text, values);
    if (entry.state !== "waiting" && entry.state !== "received" && entry.message) {
      const why = document.createElement("span");
      why.className = "outbox-why";
      why.textContent = " " + entry.message;
      item.appendChild(why);
    }
    if (entry.page !== here && entry.state === "invalid") {
      const link = document.createElement("a");
      link.href = entry.page;
      link.textContent = " " + words.openWords;
      item.appendChild(link);
    }
    return item;
  }

  function render() {
    const all = entries();
    const list = panel.querySelector("[data-outbox-list]");
    list.textContent = "";
    all.forEach((entry) => list.appendChild(line(entry)));
    const waiting = all.filter((e) => e.state === "waiting");
    panel.querySelector("[data-outbox-hint]").hidden = waiting.length === 0;
    panel.querySelector("[data-outbox-send]").hidden = waiting.length === 0;
    panel.querySelector("[data-outbox-offline]").hidden = navigator.onLine !== false;
    panel.hidden = all.length === 0 && navigator.onLine !== false;
    panel.dataset.waiting = String(waiting.length);
    forms.forEach((form) => {
      const mine = all.filter((e) => e.form === formId(form));
      form.dataset.outboxState = mine.length ? mine[mine.length - 1].state : "";
    });
    // A copy of the page made before the receipt (opened offline) shows the receipt; a page the server made
    // after it already shows the new state.
    const receivedAt = (e) => (Date.parse(e.at) || e.done_ms) / 1000;  // the server's clock, as `rendered`
    all.filter((e) => e.page === here && e.state === "received" && receivedAt(e) > rendered).forEach(showDone);
    all.filter((e) => e.page === here && e.state === "refused" && e.done_ms / 1000 > rendered).forEach(hideRefused);
    all.filter((e) => e.page === here && e.state === "invalid").forEach(showErrors);
  }

  // --- sending ---------------------------------------------------------------------------------------------
  function body(entry) {
    const params = new URLSearchParams();
    entry.fields.forEach((pair) => params.append(pair[0], pair[1]));
    params.set("submit_key", entry.key);
    params.set("typed_at", entry.typed_at);
    return params;
  }

  async function post(entry) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(entry.url, {
        method: "POST", body: body(entry), credentials: "same-origin", signal: ctrl.signal,
        headers: { "X-Submit-Key": entry.key, "Accept": "application/json" },
      });
      let answer = null;
      if ((response.headers.get("Content-Type") || "").includes("json")) answer = await response.json();
      return { status: response.status, answer: answer || {} };
    } finally {
      clearTimeout(timer);
    }
  }

  async function freshToken(entry) {  // the CSRF token of a page fetched again (the kept copy's may be old)
    const response = await fetch(entry.page, { credentials: "same-origin", headers: { "Accept": "text/html" } });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const input = page.querySelector("input[name=csrfmiddlewaretoken]");
    if (!input) throw new Error("no token");
    entry.fields = entry.fields.filter((pair) => pair[0] !== "csrfmiddlewaretoken").concat([["csrfmiddlewaretoken", input.value]]);
  }

  function settle(entry, status, answer) {
    const state = answer.state || (status < 300 ? "received" : status === 429 || status >= 500 ? "later" : status === 403 ? "csrf" : "refused");
    const now = Date.now();
    return update(entry.key, (e) => {
      e.tries = (e.tries || 0) + 1;
      e.message = answer.message || "";
      if (state === "received") {
        Object.assign(e, { state: "received", at: answer.at || new Date().toISOString(), done_ms: now, location: answer.location || "", answer: answer, fields: [] });
        dropDraft(e);
      } else if (state === "refused") {
        Object.assign(e, { state: "refused", code: answer.code || "", done_ms: now, fields: [] });
        dropDraft(e);
      } else if (state === "invalid" && answer.code === "stamp" && answer.stamp) {
        e.fields = e.fields.filter((pair) => pair[0] !== "stamp").concat([["stamp", answer.stamp]]);
        e.next_ms = now + STAMP_WAIT_MS;
      } else if (state === "invalid") {
        Object.assign(e, { state: "invalid", errors: answer.errors || {}, done_ms: now });
      } else {
        e.next_ms = now + (answer.retry_after ? answer.retry_after * 1000 : RETRY_MS);
      }
    });
  }

  async function sendOne(key) {
    let entry = entries().find((e) => e.key === key && e.state === "waiting");
    if (!entry) return;
    let result;
    try {
      result = await post(entry);
      if (result.answer.state === "csrf") {  // once per try: a page fetched again gives a token that works
        await freshToken(entry);
        update(key, (e) => { e.fields = entry.fields; });
        result = await post(entry);
      }
    } catch (err) {  // no signal, a timeout, a dropped answer: kept, and tried again
      update(key, (e) => { e.tries = (e.tries || 0) + 1; e.next_ms = Date.now() + RETRY_MS; });
      return;
    }
    const done = settle(entry, result.status, result.answer);
    if (done && done.state === "received" && done.page === here && done.location && formOf(done) &&
        formOf(done).dataset.outboxFollow !== undefined) {
      location.assign(done.location);
    }
  }

  let flushing = null;
  let again = false;
  function flush(all) {
    if (flushing) { again = again || all; return flushing; }  // a send pressed meanwhile goes right after
    const run = async () => {
      const now = Date.now();
      for (const entry of entries().filter((e) => e.state === "waiting" && (all || !e.next_ms || e.next_ms <= now))) {
        await sendOne(entry.key);
        render();
      }
    };
    const locked = navigator.locks ? navigator.locks.request(STORE, run) : run();
    flushing = locked.catch(() => undefined).then(() => {
      flushing = null;
      render();
      if (again) { again = false; return flush(true); }
      schedule();
      return undefined;
    });
    return flushing;
  }

  let timer = null;
  function schedule() {  // the next try when it is due (a fresh stamp after 4 s, a rate limit's retry_after)
    clearTimeout(timer);
    const due = entries().filter((e) => e.state === "waiting").map((e) => e.next_ms || 0);
    if (due.length) timer = setTimeout(() => flush(false), Math.min(Math.max(0, Math.min.apply(null, due) - Date.now()), RETRY_MS));
  }

  function submit(form, event) {
    event.preventDefault();
    const submitter = event.submitter || clicked;
    const fields = Array.from(new FormData(form)).filter((pair) => typeof pair[1] === "string");
    if (submitter && submitter.name) fields.push([submitter.name, submitter.value]);
    saveDraft(form);
    const all = entries().filter((e) => !(e.form === formId(form) && e.state === "invalid"));
    let entry = all.find((e) => e.form === formId(form) && e.state === "waiting");
    if (!entry) {  // one waiting submission per form: pressing send again updates it under the same key
      entry = { key: newKey(), form: formId(form), page: here, url: actionOf(form), kind: form.dataset.outbox,
                label: form.dataset.outboxLabel || "", state: "waiting" };
      all.push(entry);
    }
    Object.assign(entry, { fields: fields, typed_at: isoNow(), next_ms: 0 });
    write(STORE, all);
    Array.from(form.querySelectorAll(".outbox-error")).forEach((el) => el.remove());
    render();
    flush(true);
  }

  // --- the service worker: this page's own path only ---------------------------------------------------------
  function register() {
    if (!("serviceWorker" in navigator) || !words.worker || !window.isSecureContext) return Promise.resolve(null);
    const first = !navigator.serviceWorker.controller;
    return navigator.serviceWorker.register(words.worker, { scope: words.scope || here })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        if (!first || !registration.active) return registration;
        // The first visit was answered before the worker ran: it keeps this page and its files now.
        const files = Array.from(document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel=icon][href]"))
          .map((el) => el.src || el.href);
        return new Promise((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve(registration);
          registration.active.postMessage({ type: "keep", page: location.href.split("#")[0], files: files }, [channel.port2]);
          setTimeout(() => resolve(registration), 10000);
        });
      })
      .then((registration) => { panel.dataset.workerState = "kept"; return registration; })
      .catch(() => null);
  }

  // --- start -----------------------------------------------------------------------------------------------
  forms.forEach((form) => {
    restoreDraft(form);
    form.addEventListener("input", () => saveDraft(form));
    form.addEventListener("change", () => saveDraft(form));
    form.addEventListener("click", (event) => { const b = event.target.closest("button, input[type=submit]"); if (b) clicked = b; });
    form.addEventListener("submit", (event) => submit(form, event));
  });
  panel.querySelector("[data-outbox-send]").addEventListener("click", () => flush(true));
  window.addEventListener("online", () => { render(); flush(true); });
  window.addEventListener("offline", render);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") flush(true); });
  setInterval(() => { if (entries().some((e) => e.state === "waiting")) flush(false); }, RETRY_MS);  // other tabs' too
  render();
  flush(true);
  const ready = register();
  window.DVC = window.DVC || {};
  window.DVC.outbox = { flush: flush, entries: entries, ready: ready, render: render };
})();
