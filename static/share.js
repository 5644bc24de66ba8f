// Share buttons (templates/_share.html) and the in-app browser note of the subscribe page
// (templates/subscribe.html). A file, not an inline script, for the strict CSP; no
// third-party code.
(function () {
  "use strict";
  if (window.canalShareReady) return;  // the script tag may appear twice on a page
  window.canalShareReady = true;

  // Share: the system's share sheet where the browser has the Web Share API; otherwise
  // the <details> opens as it does without JavaScript: the address to copy and its QR code.
  function initShare(details) {
    var summary = details.querySelector("summary");
    summary.addEventListener("click", function (event) {
      if (details.open || typeof navigator.share !== "function") return;
      var data = { title: details.dataset.shareTitle, text: details.dataset.shareText,
                   url: details.dataset.shareUrl };
      if (navigator.canShare && !navigator.canShare(data)) return;
      event.preventDefault();
      navigator.share(data).catch(function (error) {
        // The visitor closing the sheet is not a failure; anything else falls back.
        if (!error || error.name !== "AbortError") details.open = true;
      });
    });
  }

  // In-app browsers: the same pattern as canal/useragent.py, read from the page.
  function initInApp(guide) {
    var pattern = guide.dataset.inAppPattern;
    if (pattern && new RegExp(pattern, "i").test(navigator.userAgent)) {
      guide.hidden = false;
      document.documentElement.classList.add("in-app-browser");
    }
  }

  function init() {
    document.querySelectorAll("details.share[data-share-url]").forEach(initShare);
    document.querySelectorAll("[data-in-app-pattern]").forEach(initInApp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
