// Enhances the projects filter: the CSS in the page already filters without
// JavaScript; this adds a spoken count, an empty-state message and filters
// that survive a reload or a shared link (?interest=...&setting=...).
(function () {
  "use strict";
  var form = document.querySelector(".filters");
  var status = document.querySelector(".filter-status");
  if (!form || !status) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".project-list .card"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var attrs = { interest: "data-interests", setting: "data-setting", standard: "data-standards" };

  function matches(card, name, value) {
    if (!value) return true;
    var have = (card.getAttribute(attrs[name]) || "").split(/\s+/);
    return have.indexOf(value) !== -1;
  }

  function update(push) {
    var shown = 0;
    var params = new URLSearchParams();
    selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
    cards.forEach(function (card) {
      var ok = selects.every(function (s) { return matches(card, s.name, s.value); });
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    status.textContent = status.getAttribute("data-template")
      .replace("{shown}", shown).replace("{total}", cards.length);
    if (push && window.history && window.history.replaceState) {
      var query = params.toString();
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    }
  }

  var initial = new URLSearchParams(window.location.search);
  selects.forEach(function (s) {
    var wanted = initial.get(s.name);
    if (wanted && s.querySelector('option[value="' + CSS.escape(wanted) + '"]')) s.value = wanted;
    s.addEventListener("change", function () { update(true); });
  });
  update(false);
})();
