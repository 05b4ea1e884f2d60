/* linli member app: live countdowns, the copy-link button, and no double submits. */
(function () {
  "use strict";

  // The server's clock at render time: countdowns follow it, whatever the phone's clock says.
  var serverNow = Number(document.body.getAttribute("data-server-now")) || Date.now();
  var skew = serverNow - Date.now();

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function text(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var days = Math.floor(s / 86400);
    s -= days * 86400;
    var clock = pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s % 3600 / 60)) + ":" + pad(s % 60);
    return days ? days + "天 " + clock : clock;
  }

  function startCountdowns() {
    var els = Array.prototype.slice.call(document.querySelectorAll("[data-countdown-to]"));
    if (!els.length) { return; }
    var live = els.map(function (el) {
      var to = Number(el.getAttribute("data-countdown-to"));
      return { el: el, to: to, wasRunning: to - (Date.now() + skew) > 0, done: false };
    });
    function tick() {
      var now = Date.now() + skew;
      live.forEach(function (c) {
        if (c.done) { return; }
        var left = c.to - now;
        if (left > 0) { c.el.textContent = text(left); return; }
        c.done = true;
        c.el.textContent = c.el.getAttribute("data-done-text") || "00:00:00";
        // the sale started or ended while the page was open: show its new state (once, never in a loop)
        if (c.wasRunning && c.el.hasAttribute("data-reload")) {
          window.setTimeout(function () { window.location.reload(); }, 1200);
        }
      });
    }
    tick();
    window.setInterval(tick, 250);
  }

  function copy(button) {
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) { return; }
    var done = function () {
      var before = button.textContent;
      button.textContent = button.getAttribute("data-copied-text") || "已复制";
      window.setTimeout(function () { button.textContent = before; }, 2000);
    };
    var fallback = function () {
      field.focus();
      field.select();
      try { document.execCommand("copy"); } catch (e) { /* the link stays selected to copy by hand */ }
      done();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-copy]");
    if (button) { e.preventDefault(); copy(button); }
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute("data-once")) { return; }
    if (form.getAttribute("data-sent")) { e.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.setAttribute("data-label", button.textContent);
      window.setTimeout(function () { button.disabled = true; button.textContent = "处理中…"; }, 0);
    }
  });

  // Back from the next page (bfcache): forms may be used again.
  window.addEventListener("pageshow", function (e) {
    if (!e.persisted) { return; }
    var forms = document.querySelectorAll("form[data-sent]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].removeAttribute("data-sent");
      var button = forms[i].querySelector("button[data-label]");
      if (button) { button.disabled = false; button.textContent = button.getAttribute("data-label"); }
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startCountdowns);
  } else {
    startCountdowns();
  }
})();
