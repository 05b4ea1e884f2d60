/* linli console, campaign pages: confirm before closing, and the live group-buy progress map
   (communities as points over longitude/latitude, sized and coloured by how many members joined). */
(function () {
  "use strict";

  var FONT = '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';
  var REFRESH_MS = 15000;

  function bounds(values) {
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    var pad = Math.max((hi - lo) * 0.15, 0.01), step = 0.005;  // whole steps: the axis ends on round labels
    return { min: +(Math.floor((lo - pad) / step) * step).toFixed(3),
             max: +(Math.ceil((hi + pad) / step) * step).toFixed(3) };
  }

  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  // the tooltip is HTML: every value from the data (a community's name is typed by an operator) goes in as text
  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  function size(members, most) {
    return 12 + 40 * Math.sqrt(members / Math.max(most, 1));
  }

  function option(data) {
    var points = data.points || [];
    var most = points.reduce(function (m, p) { return Math.max(m, p[2]); }, 1);
    var x = points.length ? bounds(points.map(function (p) { return p[0]; })) : { min: null, max: null };
    var y = points.length ? bounds(points.map(function (p) { return p[1]; })) : { min: null, max: null };
    return {
      textStyle: { fontFamily: FONT },
      grid: { left: 64, right: 96, top: 24, bottom: 40 },
      tooltip: {
        formatter: function (p) {
          return esc(p.value[3]) + "<br>参团 " + esc(p.value[2]) + " 人<br><span style=\"color:#6b7280\">" +
            esc(p.value[0].toFixed(3)) + "°E, " + esc(p.value[1].toFixed(3)) + "°N</span>";
        }
      },
      visualMap: {
        type: "continuous", dimension: 2, min: 0, max: most, right: 8, top: "middle", itemHeight: 120,
        text: ["多", "少"], calculable: false, inRange: { color: ["#fde68a", "#f59e0b", "#dc2626"] }
      },
      xAxis: { type: "value", name: "经度", nameLocation: "middle", nameGap: 26, min: x.min, max: x.max,
               axisLabel: { color: "#6b7280", formatter: function (v) { return v.toFixed(3) + "°"; } },
               splitLine: { lineStyle: { color: "#eef0f3" } } },
      yAxis: { type: "value", name: "纬度", nameLocation: "middle", nameGap: 48, min: y.min, max: y.max,
               axisLabel: { color: "#6b7280", formatter: function (v) { return v.toFixed(3) + "°"; } },
               splitLine: { lineStyle: { color: "#eef0f3" } } },
      graphic: points.length ? [] : [{ type: "text", left: "center", top: "middle",
                                       style: { text: "还没有人参团", fill: "#9ca3af", fontSize: 14 } }],
      series: [{
        name: "参团人数", type: "effectScatter", data: points,
        symbolSize: function (v) { return size(v[2], most); },
        rippleEffect: { scale: 2.2, brushType: "stroke" },
        label: { show: true, position: "right", color: "#374151",
                 formatter: function (p) { return p.value[3] + " " + p.value[2] + "人"; } },
        itemStyle: { shadowBlur: 6, shadowColor: "rgba(0,0,0,.15)" }
      }]
    };
  }

  function summary(data) {
    var els = document.querySelectorAll("[data-map]");
    for (var i = 0; i < els.length; i++) {
      var key = els[i].getAttribute("data-map");
      if (data[key] !== undefined) { els[i].textContent = data[key]; }
    }
  }

  function progressChart(el) {
    var source = document.getElementById(el.getAttribute("data-progress-chart"));
    if (!source || el.getAttribute("data-ready")) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    // "rendered", not "finished": the ripples animate for as long as the page is open
    chart.on("rendered", function () {
      if (!el.getAttribute("data-rendered")) { el.setAttribute("data-rendered", "1"); }
    });
    chart.setOption(option(JSON.parse(source.textContent)));
    el.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
    var url = el.getAttribute("data-progress-url");
    if (url && window.fetch) {
      window.setInterval(function () {
        if (document.hidden) { return; }
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (data && data.points) { chart.setOption(option(data), { replaceMerge: ["series", "graphic"] }); summary(data); }
          })
          .catch(function () { /* try again at the next tick */ });
      }, REFRESH_MS);
    }
  }

  document.addEventListener("submit", function (e) {
    var message = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { e.preventDefault(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    var els = document.querySelectorAll("[data-progress-chart]");
    for (var i = 0; i < els.length; i++) { progressChart(els[i]); }
  });
})();
