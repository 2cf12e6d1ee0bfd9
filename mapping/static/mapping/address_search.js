// Address search widget (mapping.addresses): type an address, press the button (or Enter), pick a candidate.
// Reusable on any staff page:
//   DVC.addressSearch.attach({ input, button, list, url, onPick(result), csrf?, autoPick? })
// `url` is the centre's /c/<centre>/addresses/search; the address goes in a POST body (never a URL, so never
// an access log). Each result is { lat, lng, label, level, confidence } with the confidence in words; the best
// is picked at once (autoPick, default true) and the others stay listed to choose from. The list element
// carries the words shown: data-text-searching, data-text-none, data-text-error, data-text-online.
(function () {
  "use strict";
  const DVC = (window.DVC = window.DVC || {});

  function csrfToken(opts) {
    if (opts.csrf) return opts.csrf;
    const scope = (opts.input && opts.input.form) || document;
    const hidden = scope.querySelector("input[name=csrfmiddlewaretoken]") ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    if (hidden) return hidden.value;
    const carrier = document.querySelector("[data-csrf]");
    if (carrier) return carrier.dataset.csrf;
    const cookie = document.cookie.split("; ").find(function (c) { return c.indexOf("csrftoken=") === 0; });
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
  }

  function attach(opts) {
    const input = opts.input, button = opts.button, list = opts.list;
    const autoPick = opts.autoPick !== false;
    let latest = 0;

    function note(text, cls) {
      list.textContent = "";
      if (!text) return;
      const li = document.createElement("li");
      li.className = cls || "muted";
      li.textContent = text;
      list.appendChild(li);
    }

    function pick(result, item) {
      list.querySelectorAll("[aria-pressed]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
      if (item) item.setAttribute("aria-pressed", "true");
      if (opts.onPick) opts.onPick(result);
    }

    function render(data) {
      list.textContent = "";
      const results = data.results || [];
      if (!results.length) {
        note(list.dataset.textNone || "", "error");
        return;
      }
      results.forEach(function (r, i) {
        const li = document.createElement("li");
        const choose = document.createElement("button");
        choose.type = "button";
        choose.className = "address-result level-" + r.level;
        choose.setAttribute("aria-pressed", "false");
        const label = document.createElement("span");
        label.className = "address-label";
        label.textContent = r.label;
        const words = document.createElement("span");
        words.className = "address-confidence";
        words.textContent = r.confidence;
        choose.append(label, " ", words);
        choose.addEventListener("click", function () { pick(r, choose); });
        li.appendChild(choose);
        list.appendChild(li);
        if (i === 0 && autoPick) pick(r, choose);
      });
      if (data.source === "online" && list.dataset.textOnline) {
        const li = document.createElement("li");
        li.className = "muted";
        li.textContent = list.dataset.textOnline;
        list.appendChild(li);
      }
    }

    function search() {
      const q = input.value.trim();
      if (!q) { input.focus(); return; }
      const mine = ++latest;
      note(list.dataset.textSearching || "…");
      fetch(opts.url, {
        method: "POST", credentials: "same-origin", body: JSON.stringify({ q: q }),
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken(opts) },
      })
        .then(function (r) {
          return r.json().then(function (body) { return { ok: r.ok, body: body }; });
        })
        .then(function (answer) {
          if (mine !== latest) return;
          if (answer.ok) render(answer.body);
          else note(answer.body.error || list.dataset.textError || "", "error");
        })
        .catch(function () { if (mine === latest) note(list.dataset.textError || "", "error"); });
    }

    button.addEventListener("click", search);
    // Enter in the address box searches instead of submitting the form around it.
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); search(); }
    });
    return { search: search, clear: function () { note(""); } };
  }

  DVC.addressSearch = { attach: attach };
})();
