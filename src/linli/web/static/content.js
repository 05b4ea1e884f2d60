/* A post's page reports how long it was visible when the member leaves it (or hides the tab). */
(function () {
  "use strict";
  var el = document.querySelector("[data-dwell-url]");
  if (!el) { return; }
  var url = el.getAttribute("data-dwell-url");
  var shownSince = document.visibilityState === "visible" ? Date.now() : null;
  var visibleMs = 0;

  function pause() {
    if (shownSince !== null) { visibleMs += Date.now() - shownSince; shownSince = null; }
  }

  function report() {
    pause();
    if (visibleMs < 300) { return; }
    var body = new FormData();
    body.append("ms", String(Math.round(visibleMs)));
    visibleMs = 0;
    try {
      fetch(url, { method: "POST", body: body, keepalive: true, credentials: "same-origin" });
    } catch (e) { /* leaving anyway */ }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { report(); } else if (shownSince === null) { shownSince = Date.now(); }
  });
  window.addEventListener("pagehide", report);
})();
