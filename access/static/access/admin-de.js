// Fixes for admin markup we do not own (Wagtail, wagtail-localize), loaded on every admin page.
(function () {
  var german = (document.documentElement.lang || "").startsWith("de");

  // wagtail-localize's translation editor writes "<source> to <target> translation" in
  // English whatever the admin language (a literal in its bundle, not a catalogue string).
  var pattern = /^(.+) to (.+) translation$/;
  function germanTranslationHeader(root) {
    if (!german) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      var text = node.nodeValue.trim();
      var match = text.match(pattern);
      if (match) node.nodeValue = "Übersetzung " + match[1] + " → " + match[2];
      else if (text === "More actions") node.nodeValue = "Weitere Aktionen"; // its action menu's screen-reader text
    }
    root.querySelectorAll("[title$=' translation']").forEach(function (element) {
      var match = element.title.match(pattern);
      if (match) element.title = "Übersetzung " + match[1] + " → " + match[2];
    });
  }

  // Inputs without a label: items of a list block (e.g. the guiding questions) and the
  // selection checkboxes of the submissions list. They get an accessible name.
  function hasName(input) {
    return (input.labels && input.labels.length) || input.getAttribute("aria-label") || input.getAttribute("aria-labelledby");
  }
  function labelInputs(root) {
    root.querySelectorAll("input[id], textarea[id]").forEach(function (input) {
      var match = input.id.match(/^(.*)-(\d+)-value$/);
      if (!match || hasName(input)) return;
      var list = document.getElementById(match[1] + "-label") || document.querySelector("label[for='" + match[1] + "']");
      var name = list ? list.textContent.replace("*", "").trim() : german ? "Eintrag" : "Item";
      input.setAttribute("aria-label", name + " " + (parseInt(match[2], 10) + 1));
    });
    root.querySelectorAll("input[data-action~='w-bulk#toggleAll']").forEach(function (input) {
      if (!hasName(input)) input.setAttribute("aria-label", german ? "Alle auswählen" : "Select all");
    });
    root.querySelectorAll("input.select-submission").forEach(function (input) {
      if (!hasName(input)) input.setAttribute("aria-label", german ? "Einsendung auswählen" : "Select submission");
    });
  }

  function fix(root) {
    germanTranslationHeader(root);
    labelInputs(root);
  }
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (added) {
        if (added.nodeType === 1) fix(added);
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () {
    fix(document.body);
  });
})();
