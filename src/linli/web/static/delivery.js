/* 即时配送: the on-time chart (delivered and on time per day, with the rate) and a batch's route (the warehouse
   and the stops in visiting order, joined by a line), from the JSON embedded in the page. */
(function () {
  "use strict";

  var FONT = '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';

  function data(el, attr) {
    var source = document.getElementById(el.getAttribute(attr));
    return source ? JSON.parse(source.textContent) : null;
  }

  function draw(el, option) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
    option.textStyle = { fontFamily: FONT };
    chart.setOption(option);
    el.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function onTime(el, d) {
    draw(el, {
      color: ["#3b82f6", "#14a06c", "#f59e0b"],
      grid: { left: 48, right: 48, top: 40, bottom: 32 },
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: d.days },
      yAxis: [{ type: "value", name: "单数", minInterval: 1 },
              { type: "value", name: "准时率", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
      series: [{ name: "送达", type: "bar", data: d.delivered, barMaxWidth: 28 },
               { name: "准时送达", type: "bar", data: d.on_time, barMaxWidth: 28 },
               { name: "准时率", type: "line", yAxisIndex: 1, data: d.rate, connectNulls: true }]
    });
  }

  function route(el, d) {
    var points = [[d.warehouse[1], d.warehouse[0], "前置仓"]];
    d.stops.forEach(function (s) { points.push([s.lng, s.lat, s.seq + ". " + s.address]); });
    var line = points.concat([points[0]]);
    draw(el, {
      grid: { left: 64, right: 24, top: 24, bottom: 40 },
      tooltip: { formatter: function (p) { return p.data[2] || ""; } },
      xAxis: { type: "value", name: "经度", scale: true },
      yAxis: { type: "value", name: "纬度", scale: true },
      series: [{ type: "line", data: line, symbol: "none", lineStyle: { color: "#94a3b8", type: "dashed" } },
               { type: "scatter", data: points.slice(0, 1), symbolSize: 18, itemStyle: { color: "#ef4444" } },
               { type: "scatter", data: points.slice(1), symbolSize: 14, itemStyle: { color: "#3b82f6" },
                 label: { show: true, formatter: function (p) { return p.dataIndex + 1; }, color: "#fff",
                          fontSize: 10 } }]
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    var i, els = document.querySelectorAll("[data-ontime-chart]");
    for (i = 0; i < els.length; i++) {
      var d = data(els[i], "data-ontime-chart");
      if (d) { onTime(els[i], d); }
    }
    els = document.querySelectorAll("[data-route-chart]");
    for (i = 0; i < els.length; i++) {
      var r = data(els[i], "data-route-chart");
      if (r) { route(els[i], r); }
    }
  });
}());
