/*
 * Autocomplete for the header search field (WAI-ARIA 1.2 combobox with a listbox popup).
 *
 * Progressive enhancement: without this script the field is a plain GET search form.
 * The script turns the input into a combobox, asks the form's data-suggest-url for
 * page titles as the visitor types, and lets them pick one with the mouse or with
 * ArrowDown/ArrowUp + Enter; Escape closes the list, Enter without a choice searches.
 */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY_MS = 150;

  function init(form) {
    var input = form.querySelector('input[name="q"]');
    var url = form.getAttribute("data-suggest-url");
    if (!input || !url) return;

    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.getAttribute("data-suggest-label") || "");
    list.hidden = true;
    // Under the input itself (its wrapper is the positioned box), not under the label.
    (input.parentNode === form ? form : input.parentNode).appendChild(list);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = "";

    function close() {
      // The live region must not keep announcing a list that is gone.
      status.textContent = "";
      list.hidden = true;
      list.innerHTML = "";
      options = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function setActive(index) {
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(option) {
      window.location.assign(option.getAttribute("data-url"));
    }

    function render(results) {
      close();
      results.forEach(function (result, index) {
        var item = document.createElement("li");
        item.id = listId + "-" + index;
        item.className = "search-suggestions__option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-url", result.url);
        var title = document.createElement("span");
        title.textContent = result.title;
        var kind = document.createElement("span");
        kind.className = "search-suggestions__kind";
        kind.textContent = result.kind;
        item.appendChild(title);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(kind);
        // mousedown, not click: the input's blur would close the list before the click lands.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          go(item);
        });
        list.appendChild(item);
        options.push(item);
      });
      if (options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      var template = options.length === 1 ? form.getAttribute("data-suggest-one") : form.getAttribute("data-suggest-many");
      status.textContent = options.length && template ? template.replace("{count}", options.length) : "";
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (controller) controller.abort();
      if (query.length < MIN_LENGTH) {
        close();
        status.textContent = "";
        return;
      }
      controller = window.AbortController ? new AbortController() : null;
      var target = url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(target, { headers: { Accept: "application/json" }, signal: controller && controller.signal })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (input.value.trim() === query) render(data.results || []);
        })
        .catch(function () {
          /* Aborted or offline: the form still works without suggestions. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        if (!options.length) return;
        event.preventDefault();
        setActive(active + 1 >= options.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!options.length) return;
        event.preventDefault();
        setActive(active - 1 < 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (active >= 0 && options[active]) {
          event.preventDefault();
          go(options[active]);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
  }

  document.querySelectorAll("form[data-suggest-url]").forEach(init);
})();
