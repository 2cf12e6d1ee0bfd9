// The council's embed: <script src="https://<our site>/static/boards/embed.js" data-centre="<slug>" async></script>
// puts the centre's widget (/p/<slug>/widget/, ops/boards/widget.py) in an iframe right after the script tag.
//   data-centre  the centre's slug (required)
//   data-lang    "en" for the English widget (Japanese otherwise)
//   data-height  a fixed height in pixels (the widget scrolls inside); without it the iframe takes the widget's
//                own height, which the widget posts ({type: "dvc-widget-height", height}) and this script
//                accepts only from that iframe on our origin
//   data-poll    seconds between the widget's updates (30 unless said; the widget never goes under 2)
// Our origin is the script's own (document.currentScript.src). It runs under a strict page CSP (script-src and
// frame-src our origin, style-src 'none'): no inline script, no style attribute written as text; sizes are
// set through the CSSOM (element.style), which style-src does not govern.
(function () {
  "use strict";
  const MIN_HEIGHT = 80;
  const MAX_HEIGHT = 6000;
  const START_HEIGHT = 480;

  function ourScripts() {
    if (document.currentScript) return [document.currentScript];
    // Loaded some other way (a tag manager): every embed tag not yet done.
    return Array.prototype.slice.call(document.querySelectorAll("script[data-centre][src]"))
      .filter(function (s) { return /\/boards\/embed(\.[0-9a-f]+)?\.js(\?|#|$)/.test(s.src) && !s.hasAttribute("data-dvc-embedded"); });
  }

  function pixels(value) {
    const n = parseInt(value, 10);
    return isFinite(n) ? Math.min(Math.max(n, MIN_HEIGHT), MAX_HEIGHT) : null;
  }

  function embed(script) {
    script.setAttribute("data-dvc-embedded", "");
    const slug = script.getAttribute("data-centre") || "";
    if (!/^[-a-zA-Z0-9_]+$/.test(slug)) {
      if (window.console) window.console.error("embed.js: data-centre must be the centre's id (its slug), e.g. data-centre=\"demo\"");
      return;
    }
    const origin = new URL(script.src, document.baseURI).origin;
    const lang = script.getAttribute("data-lang");
    const poll = script.getAttribute("data-poll");
    const fixed = pixels(script.getAttribute("data-height"));
    const url = new URL("/p/" + encodeURIComponent(slug) + "/widget/", origin);
    if (lang) url.searchParams.set("lang", lang);
    if (poll) url.searchParams.set("poll", poll);

    const frame = document.createElement("iframe");
    frame.src = url.href;
    // Replaced by the widget's own title (in its language) once it reports.
    frame.title = script.getAttribute("data-title") || (lang === "en" ? "Volunteer centre information" : "災害ボランティアセンターの情報");
    frame.loading = "lazy";
    frame.width = "100%";
    frame.height = String(fixed || START_HEIGHT);
    frame.style.width = "100%";
    frame.style.maxWidth = "100%";
    frame.style.height = (fixed || START_HEIGHT) + "px";
    frame.style.border = "0";
    frame.style.display = "block";
    frame.className = "dvc-widget";
    script.parentNode.insertBefore(frame, script.nextSibling);
    if (fixed) return;

    window.addEventListener("message", function (event) {
      if (event.origin !== origin || event.source !== frame.contentWindow) return;
      const data = event.data;
      if (!data || typeof data !== "object" || data.type !== "dvc-widget-height") return;
      const height = pixels(Math.ceil(Number(data.height)));
      if (height === null) return;
      frame.height = String(height);
      frame.style.height = height + "px";
      if (typeof data.title === "string" && data.title) frame.title = data.title.slice(0, 200);
    });
  }

  ourScripts().forEach(embed);
})();
