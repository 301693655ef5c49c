// The 驾驶舱: reads the figures the server put in #dashboard-data (JSON, not executed,
// so the CSP allows it) and draws the weekly trend and the sub-org ranking with ECharts,
// and the red sites of the subtree (#dashboard-map) on the red-sites base map (Leaflet,
// redsites/basemap.js: the bundled outline when no tile server is configured).
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

  function escape(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  async function drawSites() {
    var el = document.getElementById("sites-map");
    var node = document.getElementById("dashboard-map");
    if (!el || !node || !window.L || !window.redsitesBasemap) { return; }
    var config = JSON.parse(node.textContent);
    var base = await window.redsitesBasemap(el, config, { minZoom: 3, scrollWheelZoom: false });
    var map = base.map;
    var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    var markers = config.points.map(function (p) {
      var icon = L.divIcon({ className: "", iconSize: [22, 22], iconAnchor: [11, 22],
        html: '<div class="redsite-pin k-' + escape(p.kind) + '"><span>★</span></div>' });
      return L.marker(base.pos(p.lng, p.lat, p), { icon: icon, title: p.name, alt: p.name })
        .bindTooltip(escape(p.name + " · " + (config.kinds[p.kind] || "") + " · " + (config.levels[p.level] || "")));
    });
    clusters.addLayers(markers);
    map.addLayer(clusters);
    // The sites and the district outline in view; again when the wall display resizes it.
    function fit() {
      var bounds = markers.length ? L.latLngBounds(markers.map(function (m) { return m.getLatLng(); })) : null;
      if (base.outline) { bounds = bounds ? bounds.extend(base.outline.getBounds()) : base.outline.getBounds(); }
      if (bounds) { map.fitBounds(bounds, { padding: [16, 16] }); }
    }
    fit();
    document.addEventListener("fullscreenchange", function () { map.invalidateSize(); fit(); });
    el.dataset.markers = String(markers.length);
    el.classList.add("ready");
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
    drawSites();
  });
})();
