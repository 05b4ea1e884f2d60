/* linli operator console: draws the ECharts charts whose data is embedded in the page. */
(function () {
  "use strict";

  var FONT = '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';

  function yuan(fen) {
    return (fen / 100).toFixed(2);
  }

  function gmvChart(el) {
    var source = document.getElementById(el.getAttribute("data-gmv-chart"));
    if (!source || el.getAttribute("data-ready")) { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
    chart.setOption({
      textStyle: { fontFamily: FONT },
      color: ["#14a06c"],
      grid: { left: 64, right: 24, top: 24, bottom: 32 },
      tooltip: {
        trigger: "axis",
        valueFormatter: function (v) { return "¥" + Number(v).toFixed(2); }
      },
      xAxis: { type: "category", boundaryGap: false, data: data.days,
               axisLine: { lineStyle: { color: "#cbd5e1" } }, axisLabel: { color: "#6b7280" } },
      yAxis: { type: "value", axisLabel: { color: "#6b7280", formatter: function (v) { return "¥" + v; } },
               splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: [{
        name: "GMV", type: "line", smooth: 0.3, smoothMonotone: "x", symbolSize: 6,
        data: data.gmv_fen.map(function (f) { return yuan(f); }),
        areaStyle: { color: "rgba(20,160,108,0.12)" }
      }]
    });
    el.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  // 生命周期: one stacked area per stage, members counted at the end of each day
  var STAGE_COLORS = { "new": "#3b82f6", "active": "#14a06c", "silent": "#f59e0b", "dormant": "#9ca3af",
                       "core": "#8b5cf6" };

  function stageChart(el) {
    var source = document.getElementById(el.getAttribute("data-stage-chart"));
    if (!source || el.getAttribute("data-ready")) { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
    chart.setOption({
      textStyle: { fontFamily: FONT },
      color: data.series.map(function (s) { return STAGE_COLORS[s.stage] || "#64748b"; }),
      grid: { left: 48, right: 24, top: 40, bottom: 32 },
      legend: { top: 0, data: data.series.map(function (s) { return s.name; }) },
      tooltip: { trigger: "axis", axisPointer: { type: "line" } },
      xAxis: { type: "category", boundaryGap: false, data: data.days,
               axisLine: { lineStyle: { color: "#cbd5e1" } }, axisLabel: { color: "#6b7280" } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#6b7280" },
               splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", stack: "members", areaStyle: { opacity: 0.55 }, symbol: "none",
                 emphasis: { focus: "series" }, data: s.data };
      })
    });
    el.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    var els = root.querySelectorAll("[data-gmv-chart]");
    for (var i = 0; i < els.length; i++) { gmvChart(els[i]); }
    var stages = root.querySelectorAll("[data-stage-chart]");
    for (var j = 0; j < stages.length; j++) { stageChart(stages[j]); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.echarts) { drawAll(document); }
  });
})();
