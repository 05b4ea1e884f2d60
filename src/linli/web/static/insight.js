// 邻里洞察: the heatmaps (rows x categories) and the H3 map, from the JSON blocks the page carries.
(function () {
  "use strict";

  function read(el, attr) {
    var source = document.getElementById(el.getAttribute(attr));
    return source ? JSON.parse(source.textContent) : null;
  }

  function fit(el, rows) {
    el.style.height = Math.max(280, 110 + rows * 26) + "px";
  }

  function heatmap(el) {
    var data = read(el, "data-insight-heatmap");
    if (!data) { return; }
    fit(el, data.rows.length);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
    chart.setOption({
      tooltip: {
        formatter: function (p) {
          var v = p.data[2], share = p.data[3];
          var shown = data.money ? "¥" + Number(v).toFixed(2) : v;
          return data.rows[p.data[1]] + " · " + data.columns[p.data[0]] + "<br>" + shown +
            "（占本行 " + (share * 100).toFixed(1) + "%）";
        }
      },
      grid: { left: 110, right: 20, top: 10, bottom: 100 },
      xAxis: { type: "category", data: data.columns, splitArea: { show: true }, axisLabel: { rotate: 30 } },
      yAxis: { type: "category", data: data.rows, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: data.max || 1, dimension: data.by_share ? 3 : 2, calculable: true,
                   formatter: function (v) { return data.by_share ? (v * 100).toFixed(0) + "%" : Math.round(v); }, orient: "horizontal", left: "center", bottom: 0,
                   itemHeight: 120, inRange: { color: ["#f7fbff", "#6baed6", "#08306b"] } },
      series: [{ type: "heatmap", data: data.cells, label: { show: data.rows.length <= 12 && !data.money,
                 fontSize: 10, formatter: function (p) { return p.data[2]; } }, emphasis: { itemStyle: { borderColor: "#333", borderWidth: 1 } } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function geo(el) {
    var data = read(el, "data-insight-geo");
    if (!data) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
    var max = data.cells.reduce(function (m, c) { return Math.max(m, c[2]); }, 0) || 1;
    chart.setOption({
      tooltip: {
        formatter: function (p) {
          return p.data[3] + "<br>" + (p.data[4] || "—") + "<br>销售额 ¥" + Number(p.data[2]).toFixed(2);
        }
      },
      grid: { left: 60, right: 20, top: 10, bottom: 60 },
      xAxis: { type: "value", scale: true, name: "经度", axisLabel: { formatter: function (v) { return v.toFixed(3); } } },
      yAxis: { type: "value", scale: true, name: "纬度", axisLabel: { formatter: function (v) { return v.toFixed(3); } } },
      visualMap: { min: 0, max: max, dimension: 2, calculable: true, orient: "horizontal", left: "center", bottom: 0,
                   itemHeight: 120, inRange: { color: ["#fee8c8", "#fdbb84", "#e34a33"] } },
      series: [{ type: "scatter", data: data.cells,
                 symbolSize: function (v) { return 8 + 22 * Math.sqrt(v[2] / max); } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-insight-heatmap]").forEach(heatmap);
    document.querySelectorAll("[data-insight-geo]").forEach(geo);
  });
})();
