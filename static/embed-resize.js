// On the host page: fit our embed frames to their content. Load it from us with
// <script src="…/static/embed-resize.js" async></script>. A message is obeyed only when
// it comes from our origin (where this script was loaded from), from the window of one
// of the page's frames showing us, and has the exact shape {type, height}; anything
// else (another site's frame, the host page itself, a forged shape) is ignored.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL) return;
  var ours = new URL(script.src, location.href).origin;
  var MIN = 40, MAX = 20000;

  function frameOf(source) {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source) return frames[i];
    }
    return null;
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== ours) return;
    var data = event.data;
    if (!data || typeof data !== "object" || Object.keys(data).length !== 2) return;
    if (data.type !== "canal-embed:height" || typeof data.height !== "number") return;
    if (!isFinite(data.height) || data.height < MIN || data.height > MAX) return;
    var frame = frameOf(event.source);
    if (!frame || new URL(frame.src, location.href).origin !== ours) return;
    frame.height = String(Math.ceil(data.height));
  });
})();
