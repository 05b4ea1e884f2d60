/* 投票结果: a bar per option from the JSON the page carries (no inline script). */
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("poll-chart");
    var data = document.getElementById("poll-data");
    if (!holder || !data || !window.echarts) { return; }
    var d = JSON.parse(data.textContent);
    var chart = window.echarts.init(holder);
    chart.setOption({
      grid: { left: 120, right: 30, top: 10, bottom: 30 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: d.labels, inverse: true },
      series: [{ type: "bar", name: "票数", data: d.votes, itemStyle: { color: "#16a34a" }, label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
