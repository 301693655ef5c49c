// The "most visited" bar chart on the console stats page (data from a json_script tag).
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("most-visited-chart");
  const data = JSON.parse(document.getElementById("redsites-chart").textContent);
  if (!el || !window.echarts || !data.sites.length) return;
  const chart = window.echarts.init(el);
  chart.setOption({
    grid: { left: 160, right: 24, top: 8, bottom: 24 },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.sites.slice().reverse() },
    series: [{ type: "bar", data: data.values.slice().reverse(), itemStyle: { color: "#b71c1c" } }],
  });
});
