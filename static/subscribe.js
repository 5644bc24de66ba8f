// Copy buttons of the subscribe box (templates/_subscribe.html). A separate file, not an
// inline script, so the site can run under a strict Content-Security-Policy.
(function () {
  "use strict";
  if (window.canalSubscribeReady) return;  // the box may appear, with its script tag, twice
  window.canalSubscribeReady = true;

  function legacyCopy(input) {
    input.focus();
    input.select();
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  function copy(button) {
    var input = document.getElementById(button.dataset.copyTarget);
    var status = button.parentNode.querySelector(".copy-status");
    var say = function (ok) { status.textContent = ok ? button.dataset.copied : button.dataset.failed; };
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { say(true); },
        function () { say(legacyCopy(input)); });
    } else {
      say(legacyCopy(input));
    }
  }

  function init() {
    document.querySelectorAll("button.copy-url[data-copy-target]").forEach(function (button) {
      button.hidden = false;  // without JavaScript the address can still be selected by hand
      button.addEventListener("click", function () { copy(button); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
