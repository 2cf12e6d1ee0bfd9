/* 協力団体のページ: how many photos are chosen (and too many, before sending), and one tap sends a form once. */
(function () {
  "use strict";
  document.querySelectorAll("fieldset.photos").forEach(function (box) {
    var inputs = box.querySelectorAll("input[type=file]");
    var note = box.querySelector(".photo-count");
    function count() {
      var n = 0;
      inputs.forEach(function (input) { n += input.files ? input.files.length : 0; });
      var max = Number(inputs[0].dataset.max || 6);
      note.textContent = n > max ? note.dataset.tooMany : (n ? note.dataset.template.replace("%(n)s", n) : "");
      note.classList.toggle("error", n > max);
    }
    inputs.forEach(function (input) { input.addEventListener("change", count); });
  });
  document.querySelectorAll("form.once").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
})();
