// The embed builder: after each change, ask the server for the page with the new
// choices and swap in its result (previews and snippets), so the snippets are written
// in one place only (templates/embed_builder.html). Without JS, the form's button does it.
(function () {
  "use strict";
  var form = document.getElementById("embed-form");
  if (!form || !window.fetch || !window.DOMParser) return;
  var pending = 0;

  function query() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim()) pairs.push([name, value]);
    });
    return new URLSearchParams(pairs).toString();
  }

  function update() {
    if (!form.checkValidity()) return;
    var url = form.getAttribute("action") + (query() ? "?" + query() : "");
    var mine = ++pending;
    fetch(url).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html === null || mine !== pending) return;
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("embed-result");
      var old = document.getElementById("embed-result");
      if (!fresh || !old) return;
      old.replaceWith(document.importNode(fresh, true));
      showCopyButtons();
      history.replaceState(null, "", url);
    });
  }

  function showCopyButtons() {
    var buttons = document.querySelectorAll("button.copy");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = !navigator.clipboard && !document.queryCommandSupported;
  }

  var timer = 0;
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 250); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(update, 50); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.copy");
    if (!button) return;
    var box = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    function done() { status.textContent = status.getAttribute("data-copied"); }
    box.select();
    if (navigator.clipboard) navigator.clipboard.writeText(box.value).then(done, function () {
      if (document.execCommand("copy")) done();
    });
    else if (document.execCommand("copy")) done();
  });
  showCopyButtons();
})();
