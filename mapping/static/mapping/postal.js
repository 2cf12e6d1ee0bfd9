// 郵便番号 -> the address's start (都道府県 市区町村 町域) on the intake card and the public request form: when seven
// digits are typed, ask mapping:postal (Japan Post's data on our server, offline) and fill the address field if
// it is empty or still holds what an earlier code filled. A code shared by several towns fills the city and
// offers the towns in a list. Without this script the address is typed by hand.
(function () {
  "use strict";
  var code = document.querySelector("input.postal-code");
  var status = document.getElementById("postal-status");
  if (!code || !status || !window.fetch) return;
  var address = code.form && code.form.elements.address;
  if (!address) return;
  var towns = document.getElementById("postal-towns");
  var filled = "";  // what this script last put in the address
  var asked = "";

  function digits(text) {
    return text.normalize("NFKC").replace(/[〒\s\-ー－]/g, "");
  }

  function offer(area) {
    towns.textContent = "";
    area.towns.forEach(function (town) {
      var option = document.createElement("option");
      option.value = area.address + town;
      towns.appendChild(option);
    });
    if (area.towns.length) address.setAttribute("list", "postal-towns");
  }

  function show(area) {
    var current = address.value.trim();
    if (current && current !== filled) { status.textContent = status.dataset.kept; return; }
    address.value = filled = area.address;
    offer(area);
    status.textContent = area.towns.length ? status.dataset.many : status.dataset.filled;
    if (document.activeElement === code) {
      address.focus();
      address.setSelectionRange(address.value.length, address.value.length);
    }
  }

  code.addEventListener("input", function () {
    var value = digits(code.value);
    if (!/^\d{7}$/.test(value) || value === asked) return;
    asked = value;
    fetch(status.dataset.url.replace("0000000", value), {headers: {Accept: "application/json"},
                                                          credentials: "same-origin"})
      .then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      })
      .then(function (answer) {
        if (value !== digits(code.value)) return;  // typed on since
        if (answer.ok) show(answer.body); else status.textContent = answer.body.error || "";
      })
      .catch(function () { asked = ""; });  // offline: the address is typed by hand
  });
})();
