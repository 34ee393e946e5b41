// wagtail-localize's translation editor writes "<source> to <target> translation" in
// English whatever the admin language (a literal in its bundle, not a catalogue string).
// In the German admin it reads "Übersetzung Deutsch → Englisch".
(function () {
  if (!(document.documentElement.lang || "").startsWith("de")) return;
  var pattern = /^(.+) to (.+) translation$/;
  function fix(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      var match = node.nodeValue.trim().match(pattern);
      if (match) node.nodeValue = "Übersetzung " + match[1] + " → " + match[2];
    }
    root.querySelectorAll && root.querySelectorAll("[title$=' translation']").forEach(function (element) {
      var match = element.title.match(pattern);
      if (match) element.title = "Übersetzung " + match[1] + " → " + match[2];
    });
  }
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (added) {
        if (added.nodeType === 1) fix(added);
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { fix(document.body); });
})();
