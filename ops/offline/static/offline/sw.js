// The phone's copy of the pages a person needs in the field with no signal (the team's slip, the volunteer's
// own page, the resident's request form): registered by outbox.js with the page's own path as its scope, so it
// never sees any other page. It keeps a copy of a page only when the server said so (X-Offline-Keep: until when),
// drops it when the server stops saying so (a slip whose report is in answers 410), and keeps the page's static
// files. POSTs, APIs and sockets are never touched: the outbox (outbox.js) sends what was typed.
"use strict";

const PREFIX = "dvc-offline-";
const PAGES = PREFIX + "pages";
const STATIC = PREFIX + "static";
const FALLBACK = PREFIX + "fallback";
const FALLBACK_URL = new URL("/offline/", self.location.origin).href;
const NETWORK_WAIT_MS = 5000;
const VERSIONED = /\.[0-9a-f]{12}\.[A-Za-z0-9]+$/;  // ManifestStaticFilesStorage's hashed names
// Once told to forget (a logout, 「この端末から記録を消す」), this worker keeps nothing more: the page that told it
// may still be controlled by it until it closes, and its icon or stylesheet must not be stored again.
let forgotten = false;

self.addEventListener("install", (event) => {
  event.waitUntil(keepFallback().catch(() => undefined).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

function keepFallback() {
  return fetch(FALLBACK_URL, { credentials: "same-origin", cache: "no-store" }).then((response) => {
    if (!response.ok) return undefined;
    return caches.open(FALLBACK).then((cache) => cache.put(FALLBACK_URL, response));
  });
}

function keepUntil(response) {
  const value = Number(response.headers.get("X-Offline-Keep"));
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function inScope(url) {
  return url.origin === self.location.origin && url.href.startsWith(self.registration.scope);
}

// A copy is kept only of a page the server marked, and only of the final answer (a redirect to another page,
// e.g. a receptionist's staff card, never carries the mark). `response` is the worker's own (a clone).
function remember(url, response) {
  return caches.open(PAGES).then((cache) => {
    if (!forgotten && response.ok && !response.redirected && keepUntil(response) > Date.now() / 1000) {
      return cache.put(url, response);
    }
    return cache.delete(url);
  });
}

function storedPage(url) {
  return caches.open(PAGES).then((cache) => cache.match(url).then((response) => {
    if (!response) return null;
    if (keepUntil(response) <= Date.now() / 1000) return cache.delete(url).then(() => null);
    return response;
  }));
}

function offlinePage() {
  return caches.open(FALLBACK).then((cache) => cache.match(FALLBACK_URL)).then((response) =>
    response || new Response("<!doctype html><meta charset=utf-8><title>offline</title><p>offline</p>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }));
}

// Network first: a fresh page whenever there is a signal; the stored copy when there is none, or when the
// network has not answered in NETWORK_WAIT_MS (a congested cell), the network's answer still replacing it.
function navigate(event) {
  const request = event.request;
  let saved = Promise.resolve();
  const network = fetch(request).then((response) => {
    saved = remember(request.url, response.clone()).catch(() => undefined);
    return response;
  });
  // Registered now, while the event is live: the copy is stored even when the kept one was answered first.
  event.waitUntil(network.then(() => saved, () => undefined));
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS)).then(() => storedPage(request.url));
  const fromStore = () => storedPage(request.url).then((stored) => stored || offlinePage());
  return new Promise((resolve, reject) => {
    let done = false;
    const settle = (response) => { if (!done && response) { done = true; resolve(response); } };
    network.then(settle, () => fromStore().then(settle, reject));
    slow.then(settle, () => undefined);
  });
}

function staticFile(request) {
  return caches.open(STATIC).then((cache) => {
    const fromNetwork = () => fetch(request).then((response) => {
      if (response.ok && !forgotten) cache.put(request, response.clone());
      return response;
    });
    // Hashed names never change: the stored copy first. Unhashed names (DEBUG, tests): network first.
    if (VERSIONED.test(new URL(request.url).pathname)) {
      return cache.match(request).then((stored) => stored || fromNetwork());
    }
    return fromNetwork().catch(() => cache.match(request).then((stored) => stored || Response.error()));
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || forgotten) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (inScope(url)) event.respondWith(navigate(event));
    return;
  }
  if (url.pathname.startsWith("/static/")) event.respondWith(staticFile(request));
});

// The page asks for its copy (the first visit was answered before this worker ran) and its static files.
function keepPage(data) {
  const work = [];
  if (data.page) {
    const url = new URL(data.page, self.location.origin);
    if (inScope(url)) {
      work.push(fetch(url.href, { credentials: "same-origin" }).then((response) => remember(url.href, response)));
    }
  }
  const files = (data.files || []).map((href) => new URL(href, self.location.origin))
    .filter((url) => url.origin === self.location.origin && url.pathname.startsWith("/static/"));
  work.push(caches.open(STATIC).then((cache) => Promise.all(files.map((url) =>
    cache.match(url.href).then((stored) => stored || cache.add(url.href))))));
  return Promise.all(work.map((p) => p.catch(() => undefined)));
}

function clearAll() {
  forgotten = true;
  return caches.keys().then((names) => Promise.all(names.filter((name) => name.startsWith(PREFIX))
    .map((name) => caches.delete(name))));
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (result) => { if (event.ports && event.ports[0]) event.ports[0].postMessage(result); };
  if (data.type === "keep") {
    event.waitUntil(keepPage(data).then(() => reply({ type: "kept" })));
  } else if (data.type === "clear") {
    event.waitUntil(clearAll().then(() => reply({ type: "cleared" })));
  }
});
