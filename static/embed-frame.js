// Inside the frame: tell the host page how tall the list is, so its resize script
// (static/embed-resize.js) can fit the frame. Only a height is sent, nothing a visitor
// typed, so "*" as the target is harmless; the host checks the message's origin.
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "canal-embed:height", height: height }, "*");
  }
  window.addEventListener("load", send);
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.body);
  else window.addEventListener("resize", send);
})();
