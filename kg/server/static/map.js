// The offline map: world-atlas's country outlines drawn with d3-geo, no tiles. Two uses:
// #map (the /map page): the events at their places, sized by their toll, filtered by date and type;
// .place-map (a place's page): the place's point on the region around it.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const COLOURS = { Killed: "#c0262d", Injured: "#e07b00", Hostage: "#6a3d9a", Captured: "#1f5fbf" };
  const OTHER = "#3b7d6e";

  function el(name, attributes, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (parent) parent.appendChild(node);
    return node;
  }

  async function world() {
    const atlas = await (await fetch("static/vendor/countries-110m.json")).json();
    return topojson.feature(atlas, atlas.objects.countries);
  }

  function outline(svg, projection, countries) {
    const path = d3.geoPath(projection);
    el("path", { d: path({ type: "Sphere" }), class: "sphere" }, svg);
    el("path", { d: path(d3.geoGraticule10()), class: "graticule" }, svg);
    const land = el("g", { class: "countries" }, svg);
    for (const feature of countries.features) el("path", { d: path(feature) }, land).appendChild(
      Object.assign(document.createElementNS(SVG, "title"), { textContent: feature.properties.name }));
  }

  function radius(toll) {
    return Math.min(3 + 2.2 * Math.sqrt(toll), 40);
  }

  function tollOf(event, type) {
    const tolls = event.tolls || {};
    if (type) return tolls[type] || 0;
    return Math.max(0, ...Object.values(tolls));
  }

  async function eventsMap(root) {
    const data = JSON.parse(document.getElementById("map-data").textContent);
    const svg = root.querySelector("svg");
    const width = 960, height = 500;
    const projection = d3.geoNaturalEarth1().fitExtent([[4, 4], [width - 4, height - 4]], { type: "Sphere" });
    outline(svg, projection, await world());
    const marks = el("g", { class: "marks" }, svg);
    const from = document.getElementById("map-from"), to = document.getElementById("map-to");
    const type = document.getElementById("map-type"), shown = document.getElementById("map-shown");
    function draw() {
      marks.replaceChildren();
      const picked = data.events.filter((e) =>
        (!from.value || (e.date && e.date >= from.value)) && (!to.value || (e.date && e.date <= to.value)) &&
        (!type.value || tollOf(e, type.value) > 0));
      // events at one spot are spread on a small ring around it, so that every one can be reached
      const spots = new Map();
      for (const e of picked) {
        const [x, y] = projection([e.lon, e.lat]);
        const key = Math.round(x) + "," + Math.round(y);
        if (!spots.has(key)) spots.set(key, []);
        spots.get(key).push([e, x, y]);
      }
      const placed = [];
      for (const group of spots.values()) {
        const ring = group.length > 1 ? Math.max(...group.map(([e]) => radius(tollOf(e, type.value)))) : 0;
        group.forEach(([e, x, y], i) => {
          const angle = -Math.PI / 2 + (2 * Math.PI * i) / group.length;
          placed.push([e, x + ring * Math.cos(angle), y + ring * Math.sin(angle)]);
        });
      }
      placed.sort(([a], [b]) => tollOf(b, type.value) - tollOf(a, type.value));  // the small ones on top
      for (const [e, x, y] of placed) {
        const toll = tollOf(e, type.value);
        const link = el("a", { href: "event?iri=" + encodeURIComponent(e.iri), class: "mark" }, marks);
        const main = type.value || (e.tolls && e.tolls.Killed ? "Killed" : Object.keys(e.tolls || {})[0]);
        el("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: radius(toll).toFixed(1),
                       fill: COLOURS[main] || OTHER, "data-iri": e.iri }, link);
        const tolls = Object.entries(e.tolls || {}).map(([k, v]) => k + " " + v).join(", ");
        link.firstChild.appendChild(Object.assign(document.createElementNS(SVG, "title"),
          { textContent: e.label + (tolls ? " — " + tolls : "") }));
      }
      shown.textContent = picked.length + " of " + data.events.length + " events with a place on the map";
    }
    for (const input of [from, to, type]) input.addEventListener("input", draw);
    draw();
    root.dataset.ready = "true";
  }

  async function placeMap(root) {
    const [lon, lat] = root.dataset.point.split(" ").map(Number);
    const svg = root.querySelector("svg");
    const width = 420, height = 260;
    const box = { type: "MultiPoint", coordinates: [[lon - 9, lat - 5], [lon + 9, lat + 5]] };
    const projection = d3.geoMercator().fitExtent([[0, 0], [width, height]], box);
    outline(svg, projection, await world());
    const [x, y] = projection([lon, lat]);
    el("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 6, class: "place-point" }, svg);
    root.dataset.ready = "true";
  }

  const map = document.getElementById("map");
  if (map) eventsMap(map);
  for (const place of document.querySelectorAll(".place-map")) placeMap(place);
})();
