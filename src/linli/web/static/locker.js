/* 智能柜: the occupancy chart (free / occupied / out of order compartments per locker), stacked bars from the
   data embedded in the page. */
(function () {
  "use strict";

  var FONT = '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    var el = document.querySelector("[data-locker-chart]");
    var source = el && document.getElementById(el.getAttribute("data-locker-chart"));
    if (!source) { return; }
    var d = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
    function bar(name, data) { return { name: name, type: "bar", stack: "boxes", data: data, barMaxWidth: 48 }; }
    chart.setOption({
      textStyle: { fontFamily: FONT },
      color: ["#14a06c", "#3b82f6", "#ef4444"],
      grid: { left: 48, right: 24, top: 40, bottom: 40 },
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: d.lockers, axisLabel: { color: "#6b7280" } },
      yAxis: { type: "value", name: "格口", axisLabel: { color: "#6b7280" },
               splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: [bar("空闲", d.free), bar("占用", d.occupied), bar("故障", d.broken)]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
