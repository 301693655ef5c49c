// The 驾驶舱: reads the figures the server put in #dashboard-data (JSON, not executed,
// so the CSP allows it) and draws the weekly trend and the sub-org ranking with ECharts.
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("dashboard-data");
    if (!node || !window.echarts) { return; }
    var data = JSON.parse(node.textContent);
    var trend = echarts.init(document.getElementById("trend-chart"));
    trend.setOption({
      title: { text: "近" + data.trend.weeks.length + "周趋势", left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 48, right: 16, top: 36, bottom: 48 },
      xAxis: { type: "category", data: data.trend.weeks },
      yAxis: { type: "value" },
      series: data.trend.series.map(function (s) { return { name: s.label, type: "line", data: s.values }; })
    });
    var ranked = data.ranking.slice(0, 15);
    var ranking = echarts.init(document.getElementById("ranking-chart"));
    ranking.setOption({
      title: { text: "下级组织人均活跃度排名", left: "center", textStyle: { fontSize: 14 } },
      tooltip: {},
      grid: { left: 140, right: 24, top: 36, bottom: 24 },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: ranked.map(function (r) { return r.name; }) },
      series: [{ type: "bar", itemStyle: { color: "#c8161d" }, data: ranked.map(function (r) { return r.index; }) }]
    });
    window.addEventListener("resize", function () { trend.resize(); ranking.resize(); });
    document.addEventListener("fullscreenchange", function () { trend.resize(); ranking.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("fullscreen");
    if (button) {
      button.addEventListener("click", function () {
        var cockpit = document.getElementById("cockpit");
        if (document.fullscreenElement) { document.exitFullscreen(); } else if (cockpit.requestFullscreen) { cockpit.requestFullscreen(); }
      });
    }
    draw();
  });
})();
