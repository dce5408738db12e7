"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  // Consent: a ticked or cleared box takes effect at once (without the script, "Save my choices" does it).
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") { form.requestSubmit ? form.requestSubmit() : form.submit(); }
    });
  });
  // Deletion: the button waits for the confirming word (the server checks it too).
  document.querySelectorAll("form[data-confirm-word]").forEach(function (form) {
    var word = form.getAttribute("data-confirm-word");
    var input = form.querySelector("input[name=confirm]");
    var button = form.querySelector("button[type=submit]");
    var update = function () { button.disabled = input.value.trim().toLowerCase() !== word; };
    input.addEventListener("input", update);
    update();
  });
});
