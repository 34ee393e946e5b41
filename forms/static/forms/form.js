/*
 * Forms: move the focus to the error summary, and never lose what the visitor typed.
 *
 * On submit, the form's fields are copied to sessionStorage (this tab only, gone when the
 * tab closes). When the same form is shown again with empty fields — the server could not
 * store the post (503), the connection dropped, the visitor came back — they are filled in
 * again. The thank-you page (data-form-sent) removes the copy. CSRF token, honeypot,
 * reCAPTCHA token, passwords and files are never copied.
 */
(function () {
  "use strict";
  if (window.vsopForms) { return; }
  window.vsopForms = true;

  var PREFIX = "vsop-form:";
  var SKIPPED = { password: true, file: true, submit: true, button: true, reset: true, image: true };
  var SKIPPED_NAMES = { csrfmiddlewaretoken: true, homepage_url: true, "g-recaptcha-response": true, captcha: true };

  function storage() {
    try { return window.sessionStorage; } catch (error) { return null; }
  }

  function keyOf(form) { return PREFIX + (form.getAttribute("data-form-key") || form.getAttribute("action") || location.pathname); }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && !SKIPPED[element.type] && !SKIPPED_NAMES[element.name] && element.type !== "hidden";
    });
  }

  function save(form) {
    var store = storage();
    if (!store) { return; }
    var values = {};
    fieldsOf(form).forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) { (values[element.name] = values[element.name] || []).push(element.value); }
      } else if (element.tagName === "SELECT" && element.multiple) {
        values[element.name] = Array.prototype.filter.call(element.options, function (option) { return option.selected; })
          .map(function (option) { return option.value; });
      } else {
        values[element.name] = element.value;
      }
    });
    try { store.setItem(keyOf(form), JSON.stringify(values)); } catch (error) { /* storage full or off */ }
  }

  function isEmpty(form) {
    return fieldsOf(form).every(function (element) {
      if (element.type === "checkbox" || element.type === "radio") { return !element.checked; }
      if (element.tagName === "SELECT") { return element.selectedIndex <= 0; }
      return !element.value;
    });
  }

  function restore(form) {
    var store = storage();
    var saved = store && store.getItem(keyOf(form));
    if (!saved || !isEmpty(form)) { return; }
    var values;
    try { values = JSON.parse(saved); } catch (error) { return; }
    fieldsOf(form).forEach(function (element) {
      if (!Object.prototype.hasOwnProperty.call(values, element.name)) { return; }
      var value = values[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = Array.isArray(value) && value.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT" && element.multiple) {
        Array.prototype.forEach.call(element.options, function (option) { option.selected = value.indexOf(option.value) !== -1; });
      } else if (typeof value === "string") {
        element.value = value;
      }
    });
    form.setAttribute("data-form-restored", "");
  }

  // GOV.UK pattern: a link in the error summary focuses its field and scrolls so that the
  // whole field — label or legend, help and error — is in view, not just the input.
  function jumpToField(event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) { return; }
    var field = input.closest(".form__field");
    event.preventDefault();
    (field || input).scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
    if (history.replaceState) { history.replaceState(null, "", "#" + input.id); }
  }

  function init() {
    var store = storage();
    document.querySelectorAll("[data-form-sent]").forEach(function (element) {
      if (store) { store.removeItem(PREFIX + element.getAttribute("data-form-sent")); }
    });
    document.querySelectorAll("form[data-form-key]").forEach(function (form) {
      restore(form);
      form.addEventListener("submit", function () { save(form); });
    });
    var summary = document.querySelector(".error-summary[tabindex='-1']");
    if (summary) {
      summary.focus();
      summary.addEventListener("click", jumpToField);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
