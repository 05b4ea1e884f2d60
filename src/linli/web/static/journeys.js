/* 自动化SOP: the per-step funnel chart (entered, completed, converted) from the data embedded in the page. */
(function () {
  "use strict";

  var FONT = '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';

  function funnelChart(el) {
    var source = document.getElementById(el.getAttribute("data-funnel-chart"));
    if (!source || el.getAttribute("data-ready")) { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
    chart.setOption({
      textStyle: { fontFamily: FONT },
      color: ["#3b82f6", "#14a06c", "#f59e0b"],
      grid: { left: 48, right: 24, top: 40, bottom: 72 },
      legend: { top: 0, data: ["进入", "完成", "转化"] },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: data.steps,
               axisLabel: { color: "#6b7280", interval: 0, width: 110, overflow: "truncate" } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#6b7280" },
               splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: [
        { name: "进入", type: "bar", data: data.entered },
        { name: "完成", type: "bar", data: data.completed },
        { name: "转化", type: "bar", data: data.converted }
      ]
    });
    el.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    var els = document.querySelectorAll("[data-funnel-chart]");
    for (var i = 0; i < els.length; i++) { funnelChart(els[i]); }
  });
})();
