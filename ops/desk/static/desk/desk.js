// 受付スキャン: each code the camera reads (or a number typed) goes to the server, which answers the desk's
// state; this script only draws it. Taps after the scans: a leader (when not the proposed one) and 送り出す.
(function () {
  "use strict";
  var root = document.getElementById("desk");
  if (!root) { return; }
  var words = JSON.parse(document.getElementById("desk-words").textContent);
  var state = JSON.parse(document.getElementById("desk-state").textContent);
  var csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;
  var $ = function (id) { return document.getElementById(id); };
  var busy = Promise.resolve();

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)[ds]/g, function (_m, key) { return String(values[key]); });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function post(url, body) {
    // One request at a time, in scan order: a second code waits for the first answer.
    busy = busy.then(function () {
      return fetch(url, {method: "POST", credentials: "same-origin",
                         headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
                         body: JSON.stringify(body || {})})
        .then(function (r) { return r.json().then(function (data) { return {status: r.status, data: data}; }); })
        .then(function (answer) { show(answer.data); return answer; })
        .catch(function () { show({error: words.failed}); });
    });
    return busy;
  }

  function show(data) {
    $("desk-error").textContent = data.error || "";
    $("desk-message").textContent = data.error ? "" : (data.message || "");
    if (data.state) { state = data.state; draw(); }
    if (data.sent) { sent(data.sent); }
  }

  function draw() {
    var need = state.need;
    $("desk-need").textContent = need ? need.label + "（" + need.work.join("・") + "）" : words.no_need;
    $("desk-heads").textContent = need
      ? fmt(words.heads, {n: state.heads, needed: need.people_needed, already: need.already})
      : fmt(words.heads_only, {n: state.heads});
    var list = $("desk-members");
    list.textContent = "";
    if (!state.members.length) { list.appendChild(el("li", "desk-empty", words.no_members)); }
    state.members.forEach(function (m) {
      var li = el("li", m.leader ? "desk-member is-leader" : "desk-member");
      li.dataset.attendance = m.id;
      var who = el("span", "desk-name", m.name);
      li.appendChild(who);
      if (m.leader) { li.appendChild(el("span", "badge leader", words.leader)); }
      var facts = [m.age].concat(m.skills);
      if (m.group) { facts.push(m.group); }
      if (m.heads > 1) { facts.push(fmt(words.people, {n: m.heads})); }
      li.appendChild(el("span", "desk-facts", facts.join("・")));
      var tools = el("span", "desk-member-actions");
      if (!m.leader) {
        var lead = el("button", "leader-btn", words.make_leader);
        lead.type = "button";
        lead.addEventListener("click", function () { post(root.dataset.leaderUrl, {attendance: m.id}); });
        tools.appendChild(lead);
      }
      var drop = el("button", "link remove-btn", words.remove);
      drop.type = "button";
      drop.addEventListener("click", function () { post(root.dataset.removeUrl, {attendance: m.id}); });
      tools.appendChild(drop);
      li.appendChild(tools);
      list.appendChild(li);
    });
    var groups = $("desk-groups");
    groups.textContent = "";
    state.groups.forEach(function (g) {
      var li = el("li", "desk-group", g.name + "：" + g.words + " ");
      var add = el("button", "group-btn", words.add_group);
      add.type = "button";
      add.addEventListener("click", function () { post(root.dataset.scanUrl, {group: g.id}); });
      li.appendChild(add);
      groups.appendChild(li);
    });
    $("desk-warning").textContent = state.warning || "";
    $("desk-send").disabled = !state.ready;
  }

  function sent(info) {
    $("desk-sent").hidden = false;
    $("desk-sent-title").textContent = info.team;
    $("desk-sent-detail").textContent = fmt(words.sent_detail, {need: info.need, people: info.people,
                                                                leader: info.leader, time: info.return_at});
    $("desk-sent-qr").innerHTML = info.slip_qr;  // segno's SVG from our server: paths only, no text
    $("desk-sent-link").href = info.slip_url;
  }

  function read(text) {
    $("desk-sent").hidden = true;
    return post(root.dataset.scanUrl, {code: text});
  }

  $("desk-type").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("desk-code");
    if (input.value.trim()) { read(input.value.trim()); }
    input.value = "";
  });
  $("desk-send").addEventListener("click", function () {
    $("desk-send").disabled = true;
    post(root.dataset.sendUrl, {members: state.members.map(function (m) { return m.id; })});
  });
  $("desk-clear").addEventListener("click", function () { post(root.dataset.clearUrl); });
  $("desk-next").addEventListener("click", function () { $("desk-sent").hidden = true; });

  draw();
  if (window.DeskScanner && navigator.mediaDevices) {
    var scanner = window.DeskScanner.start($("desk-video"), read, {decoder: root.dataset.decoder});
    scanner.ready.then(function (how) {
      $("camera-state").textContent = how === "native" ? words.camera_native : words.camera_jsqr;
      root.dataset.camera = how;
    }, function () {
      $("camera-state").textContent = words.camera_none;
      root.dataset.camera = "none";
    });
  } else {
    $("camera-state").textContent = words.camera_none;
    root.dataset.camera = "none";
  }
}());
