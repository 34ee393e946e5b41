/*
 * reCAPTCHA v3: fetch a token when the form is sent (Google's api.js is loaded by the
 * widget). Site key and action come from the hidden input's data attributes, so no inline
 * script is needed under the Content-Security-Policy.
 */
(function () {
  "use strict";
  function bind(input) {
    if (!input.form || input.hasAttribute("data-recaptcha-bound")) { return; }
    input.setAttribute("data-recaptcha-bound", "");
    input.form.addEventListener("submit", function (event) {
      if (input.value || !window.grecaptcha) { return; }
      event.preventDefault();
      window.grecaptcha.ready(function () {
        window.grecaptcha.execute(input.getAttribute("data-sitekey"), { action: input.getAttribute("data-recaptcha-action") })
          .then(function (token) {
            input.value = token;
            input.form.submit();
          });
      });
    });
  }
  function init() { document.querySelectorAll("input[data-recaptcha-action]").forEach(bind); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
