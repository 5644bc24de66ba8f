/* "Open now" in the visitor's browser, from open periods the server computed with the
 * opening-hours library (canal/hours.py): pages are cached and exported, so the clock
 * must be read here. Times are Beijing time; the periods carry their +08:00 offset, so
 * comparing instants is enough, and the clock text is read straight from them.
 */
(function () {
  "use strict";
  var DAY_MS = 86400000;
  var BEIJING_MS = 8 * 3600000;

  function beijingDate(ms) {
    return new Date(ms + BEIJING_MS).toISOString().slice(0, 10);
  }

  function clock(iso, closing) {
    var text = iso.slice(11, 16);
    return closing && text === "00:00" ? "24:00" : text;
  }

  // The same words as canal.hours.now_words, for the moment `ms`.
  function describe(windows, labels, ms) {
    var today = beijingDate(ms);
    var tomorrow = beijingDate(ms + DAY_MS);
    for (var i = 0; i < windows.length; i++) {
      var w = windows[i];
      if (Date.parse(w.end) <= ms) continue;
      if (Date.parse(w.start) <= ms) {
        if (w.entry && Date.parse(w.entry) <= ms) {
          return { open: false, text: labels.entryClosed.replace("{time}", clock(w.end, true)) };
        }
        return { open: true, text: labels.openUntil.replace("{time}", clock(w.end, true)) };
      }
      var day = w.start.slice(0, 10);
      var label = day === today ? labels.closedToday : day === tomorrow ? labels.closedTomorrow : labels.closedDay;
      return { open: false, text: label.replace("{time}", clock(w.start)).replace("{day}", w.weekday || "") };
    }
    return { open: false, text: labels.closed };
  }

  window.canalHours = { describe: describe };

  function refresh() {
    document.querySelectorAll("[data-hours]").forEach(function (node) {
      var data;
      try { data = JSON.parse(node.getAttribute("data-hours")); } catch (e) { return; }
      var found = describe(data.windows || [], data.labels, Date.now());
      node.textContent = found.text;
      node.classList.toggle("is-open", found.open);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
  window.setInterval(refresh, 60000);
})();
