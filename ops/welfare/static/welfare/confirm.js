/* A form with data-confirm asks before it is sent (withdrawing a consent, closing a case). Without script the
   button's own words and the note beside it say what it does; the server decides either way. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
