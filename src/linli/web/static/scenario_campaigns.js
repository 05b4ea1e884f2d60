/* 场景活动: the A/B results chart (conversion rate per arm) and the pilot review chart (pilot vs the rest),
   from the data embedded in the page. */
(function () {
  "use strict";

  var FONT = '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';

  function bars(el, categories, series, unit) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
    chart.setOption({
      textStyle: { fontFamily: FONT },
      color: ["#3b82f6", "#14a06c", "#f59e0b"],
      grid: { left: 56, right: 24, top: 40, bottom: 40 },
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: categories, axisLabel: { color: "#6b7280" } },
      yAxis: { type: "value", axisLabel: { color: "#6b7280", formatter: "{value}" + unit },
               splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: series
    });
    el.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function data(el, attr) {
    var source = document.getElementById(el.getAttribute(attr));
    return source ? JSON.parse(source.textContent) : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    var i, els = document.querySelectorAll("[data-experiment-chart]");
    for (i = 0; i < els.length; i++) {
      var d = data(els[i], "data-experiment-chart");
      if (d) { bars(els[i], d.arms, [{ name: "转化率", type: "bar", data: d.rates, barMaxWidth: 56 }], "%"); }
    }
    els = document.querySelectorAll("[data-pilot-chart]");
    for (i = 0; i < els.length; i++) {
      var p = data(els[i], "data-pilot-chart");
      if (p) {
        bars(els[i], p.groups, [{ name: "参与率", type: "bar", data: p.participation, barMaxWidth: 56 },
                                 { name: "人均下单×100", type: "bar", data: p.orders, barMaxWidth: 56 }], "");
      }
    }
  });
})();
