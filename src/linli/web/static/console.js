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

  function drawAll(root) {
    var els = root.querySelectorAll("[data-gmv-chart]");
    for (var i = 0; i < els.length; i++) { gmvChart(els[i]); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.echarts) { drawAll(document); }
  });
})();
