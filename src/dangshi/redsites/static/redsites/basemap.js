// The base map shared by the red-sites map page and the 驾驶舱 (reports): a Leaflet map on
// the configured tile source or, with none set, on a plain background with the bundled
// district outline (no tile server: closed government networks). `pos(lng, lat, props)`
// gives the LatLng to draw a site at: WGS-84, or its GCJ-02 twin (props.gcj02) when the
// tiles are Chinese (AutoNavi, Tencent).
window.redsitesBasemap = async function (el, config, options) {
  const L = window.L;
  const gcj = config.tile_datum === "gcj02";
  const pos = (lng, lat, props) => (gcj && props && props.gcj02 ? [props.gcj02[1], props.gcj02[0]] : [lat, lng]);
  const map = L.map(el, Object.assign({ zoomControl: true, minZoom: 8, maxZoom: 18, attributionControl: Boolean(config.tile_url) }, options || {}));
  map.setView([30.59, 114.035], 11);
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { maxZoom: 18, attribution: config.tile_attribution || "" }).addTo(map);
  }
  let outline = null;
  try {
    const shape = await (await fetch(el.dataset.outline)).json();
    outline = L.geoJSON(shape, {
      coordsToLatLng: (c) => L.latLng(pos(c[0], c[1], null)),
      style: { color: "#b71c1c", weight: 2, fillColor: "#fff8f0", fillOpacity: config.tile_url ? 0.1 : 0.9 },
      interactive: false,
    }).addTo(map);
    map.fitBounds(outline.getBounds(), { padding: [10, 10] });
  } catch (e) { /* the outline is decoration; the sites still show */ }
  return { map, pos, outline };
};
