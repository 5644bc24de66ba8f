/* The agenda's filters in a static export, where no server reads the query string.
   The page lists every upcoming date with data-* attributes; this hides what does
   not match ?area= &site= &category= &from= &to= &q=, as the server would. */
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var list = function (name) { return params.getAll(name).filter(function (v) { return v !== ""; }); };
  var areas = list("area"), sites = list("site"), categories = list("category");
  // The server answers a malformed date with a 400 page; here it is left out instead.
  var isDay = function (value) { return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : ""; };
  var from = isDay(params.get("from") || ""), to = isDay(params.get("to") || "");
  // As the server: every word of the query, anywhere in the title, description or place.
  var terms = (params.get("q") || "").toLowerCase().split(/\s+/).filter(Boolean);
  var form = document.querySelector("form.filters");

  function check(name, values) {
    if (!form) { return; }
    form.querySelectorAll("[name='" + name + "']").forEach(function (field) {
      if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
      } else {
        field.checked = values.indexOf(field.value) >= 0;
      }
    });
  }

  function matches(item) {
    var d = item.dataset;
    if (areas.length && areas.indexOf(d.area) < 0) { return false; }
    if (sites.length && sites.indexOf(d.site) < 0) { return false; }
    if (categories.length && !d.categories.split(" ").some(function (c) { return categories.indexOf(c) >= 0; })) { return false; }
    if (from && d.last < from) { return false; }
    if (to && d.first > to) { return false; }
    if (!terms.every(function (term) { return d.text.indexOf(term) >= 0; })) { return false; }
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    check("area", areas); check("site", sites); check("category", categories);
    if (form) {
      form.querySelector("[name='from']").value = from;
      form.querySelector("[name='to']").value = to;
      form.querySelector("[name='q']").value = params.get("q") || "";
    }
    if (!(areas.length || sites.length || categories.length || from || to || terms.length)) { return; }
    var shown = 0;
    document.querySelectorAll("li.occurrence[data-first]").forEach(function (item) {
      var keep = matches(item);
      item.hidden = !keep;
      if (keep) { shown += 1; }
    });
    document.querySelectorAll("ul.occurrences").forEach(function (ul) {
      var empty = !ul.querySelector("li.occurrence:not([hidden])");
      ul.hidden = empty;
      var heading = ul.previousElementSibling;
      if (heading && heading.classList.contains("day-heading")) { heading.hidden = empty; }
    });
    // Say what the server would: the heading, the count, nothing found, a way back.
    var heading = document.getElementById("results-heading");
    if (heading && heading.dataset.filtered) { heading.textContent = heading.dataset.filtered; }
    var count = document.querySelector(".results .count");
    if (count && count.dataset.filtered) {
      count.textContent = count.dataset.filtered.replace("{num}", String(shown));
      count.hidden = shown === 0;
    }
    var none = document.getElementById("no-match");
    if (none) { none.hidden = shown > 0; }
    var clear = document.querySelector("form.filters .clear-filters");
    if (clear) { clear.hidden = false; }
    var box = document.querySelector("details.filters-box");
    if (box) { box.open = true; }
    // The other language's agenda gets the same filters.
    var other = document.querySelector("a.lang-switch");
    if (other) { other.href = other.href.split("?")[0] + window.location.search; }
    document.documentElement.dataset.filtered = String(shown);
  });
}());
