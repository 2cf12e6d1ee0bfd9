/* The need page's offer form (ops/partners/templates/partners/_need_panel.html): when the work to offer changes,
   the organisations able to do it move to the top of the list (the server sorts the same way for the first
   specialist work: ops.partners.services.organisations_for). The choice itself is the server's to check. */
(function () {
  "use strict";
  var work = document.getElementById("id_work");
  var orgs = document.getElementById("id_organisation");
  if (!work || !orgs) { return; }
  var original = Array.prototype.slice.call(orgs.options);

  function sort() {
    var chosen = work.options[work.selectedIndex];
    var needed = chosen ? chosen.getAttribute("data-capability") : "";
    var able = function (option) {
      var caps = (option.getAttribute("data-capabilities") || "").split(" ");
      return needed && caps.indexOf(needed) >= 0;
    };
    var blank = original.filter(function (o) { return !o.value; });
    var rest = original.filter(function (o) { return o.value; });
    var ordered = blank.concat(rest.filter(able), rest.filter(function (o) { return !able(o); }));
    ordered.forEach(function (option) { orgs.appendChild(option); });
  }

  work.addEventListener("change", sort);
  sort();
}());
