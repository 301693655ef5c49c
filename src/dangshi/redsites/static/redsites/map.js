// 红色资源地图: every site on a Leaflet map, clustered, filtered by kind and level;
// a site card on click; a teaching route drawn as a line. The base map (basemap.js) shows
// the bundled district outline on a plain background when no tile source is set.
document.addEventListener("DOMContentLoaded", async () => {
  const L = window.L;
  const config = JSON.parse(document.getElementById("redsites-config").textContent);
  const el = document.getElementById("redsites-map");
  const card = document.getElementById("site-card");
  const form = document.getElementById("map-filters");
  const count = document.getElementById("map-count");
  // The base map (tiles or the offline outline, and the datum) is basemap.js, shared with the 驾驶舱.
  const { map, pos } = await window.redsitesBasemap(el, config);

  const clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
  map.addLayer(clusters);
  let features = [];
  try {
    features = (await (await fetch(config.sites_url, { credentials: "same-origin" })).json()).features || [];
  } catch (e) { count.textContent = "资源点加载失败"; }

  function escape(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  function showCard(p) {
    const href = config.site_url.replace("/0/", "/" + p.id + "/");
    card.innerHTML =
      '<button class="close" type="button" aria-label="关闭">×</button>' +
      "<h2>" + escape(p.name) + "</h2>" +
      '<p><span class="tag">' + escape(p.kind_label) + '</span><span class="tag">' + escape(p.level_label) + "</span>" +
      (p.is_demo ? '<span class="tag demo">演示数据</span>' : "") + "</p>" +
      '<p class="muted">' + escape(p.address) + "<br>开放时间:" + escape(p.opening_hours || "—") + "</p>" +
      '<p><a class="button" href="' + href + '">详情与打卡</a></p>';
    card.hidden = false;
    card.querySelector(".close").addEventListener("click", () => { card.hidden = true; });
  }

  function render() {
    const kind = form.kind.value;
    const level = form.level.value;
    clusters.clearLayers();
    const markers = [];
    for (const f of features) {
      const p = f.properties;
      if ((kind && p.kind !== kind) || (level && p.level !== level)) continue;
      const [lng, lat] = f.geometry.coordinates;
      const icon = L.divIcon({
        className: "", iconSize: [26, 26], iconAnchor: [13, 26],
        html: '<div class="redsite-pin k-' + escape(p.kind) + '"><span>★</span></div>',
      });
      const marker = L.marker(pos(lng, lat, p), { icon, title: p.name, alt: p.name });
      marker.on("click", () => showCard(p));
      markers.push(marker);
    }
    clusters.addLayers(markers);
    count.textContent = "共 " + markers.length + " 处";
    el.dataset.markers = String(markers.length);
  }

  let routeLayer = null;
  let routes = null;
  async function drawRoute() {
    if (routeLayer) { map.removeLayer(routeLayer); routeLayer = null; }
    const id = Number(form.route.value);
    if (!id) return;
    routes = routes || (await (await fetch(config.routes_url, { credentials: "same-origin" })).json());
    const route = routes.find((r) => r.id === id);
    if (!route) return;
    const points = route.stops.map((s) => {
      const f = features.find((x) => x.properties.id === s.site_id);
      return pos(s.lng, s.lat, f && f.properties);
    });
    routeLayer = L.layerGroup([
      L.polyline(points, { color: route.is_bus ? "#d4a017" : "#b71c1c", weight: 5, opacity: 0.85, className: "route-line" }),
      ...points.map((p, i) => L.circleMarker(p, { radius: 9, color: "#fff", weight: 2, fillColor: "#8e1212", fillOpacity: 1 })
        .bindTooltip(String(i + 1) + ". " + route.stops[i].site_name, { permanent: false })),
    ]).addTo(map);
    map.fitBounds(L.latLngBounds(points), { padding: [40, 40] });
  }

  form.addEventListener("change", (e) => { if (e.target.name === "route") drawRoute(); else render(); });
  form.addEventListener("submit", (e) => e.preventDefault());
  render();
  el.classList.add("ready");
});
