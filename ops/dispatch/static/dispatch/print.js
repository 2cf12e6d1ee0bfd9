// The printable slip's print button (inline handlers are not allowed by the CSP).
(function () {
  "use strict";
  const button = document.getElementById("print-slip");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
