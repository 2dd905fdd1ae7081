// The Centrifuge area map: a Streamlit component (protocol v1, written by hand: no build step).
//
// The geometry is a static, content-addressed TopoJSON file fetched once per visit (the browser
// caches it); each rerun sends only what changed: colours and labels, the selected area, a focus
// request, outlines. Every string is shown as text (textContent), never as HTML.
"use strict";

(function () {
  const UK = [[49.85, -8.2], [60.9, 1.8]];
  // Opaque fills, so a swatch in the legend is the colour on the map; thin area borders, and
  // thicker ones (an outline layer) round each holder's territory.
  const BASE = { color: "#ffffff", weight: 0.5, opacity: 0.7, fillOpacity: 1 };
  const SELECTED = { color: "#111111", weight: 3.5 };
  const HOVER = { color: "#222222", weight: 2.5 };

  const body = document.body;
  const status = document.getElementById("status");
  const mapDiv = document.getElementById("map");
  let map = null;
  let areas = null; // L.GeoJSON of every area
  let layers = []; // in topology (= frame) order
  let byCode = new Map();
  let geometryUrl = null;
  let loading = null;
  let paint = null;
  let label = "Held by";
  let selected = null;
  let focusToken = null;
  let height = 0;
  const outlines = new Map(); // url -> L.GeoJSON
  let drawing = null;
  let pending = null;
  let openTip = null;

  function send(type, extra) {
    window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, extra), "*");
  }

  function setValue(value) {
    const nonce = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    send("streamlit:setComponentValue", { value: Object.assign({ nonce: nonce }, value), dataType: "json" });
  }

  function setHeight(h) {
    if (h !== height) {
      height = h;
      mapDiv.style.height = h + "px";
      send("streamlit:setFrameHeight", { height: h });
      if (map) { map.invalidateSize(); }
    }
  }

  function say(text) { status.textContent = text || ""; }

  function tooltip(layer) {
    const box = document.createElement("div");
    const props = layer.feature.properties;
    const name = document.createElement("span");
    name.className = "tip-name tip-row";
    name.textContent = props.name;
    const code = document.createElement("span");
    code.className = "tip-row";
    code.textContent = props.code;
    box.append(name, code);
    if (layer.holder) {
      const row = document.createElement("span");
      row.className = "tip-row";
      const key = document.createElement("span");
      key.className = "tip-label";
      key.textContent = label + ": ";
      row.append(key, document.createTextNode(layer.holder));
      box.append(row);
    }
    return box;
  }

  function styleOf(layer) {
    const style = Object.assign({}, BASE, { fillColor: layer.fill || (paint && paint.fallback) || "#d9d9d9" });
    return layer.code === selected ? Object.assign(style, SELECTED) : style;
  }

  function ensureMap() {
    if (map) { return; }
    // keyboard: false — the map's own keys (below) move from area to area instead of panning.
    map = L.map(mapDiv, {
      zoomSnap: 0.25, minZoom: 4, maxZoom: 13, attributionControl: false, keyboard: false,
    });
    enableKeyboard();
    L.control.scale({ imperial: true }).addTo(map);
    // One tooltip at a time, even when a mouseout was lost (a menu closed over the map).
    map.on("tooltipopen", function (event) {
      if (openTip && openTip !== event.tooltip) { map.closeTooltip(openTip); }
      openTip = event.tooltip;
    });
    // The view in the page, for tests and for anyone checking what the map shows.
    map.on("moveend", function () {
      const b = map.getBounds();
      body.dataset.view = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]
        .map(function (v) { return v.toFixed(3); }).join(",");
    });
    map.fitBounds(UK);
  }

  function load(url) {
    if (url === geometryUrl && loading) { return loading; }
    geometryUrl = url;
    say("Loading the map…");
    loading = fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (topo) {
        ensureMap();
        if (areas) { areas.remove(); }
        const object = topo.objects[Object.keys(topo.objects)[0]];
        layers = [];
        byCode = new Map();
        areas = L.geoJSON(topojson.feature(topo, object), {
          smoothFactor: 0.5,
          style: function () { return BASE; },
          onEachFeature: function (feature, layer) {
            layer.code = feature.properties.code;
            layers.push(layer);
            byCode.set(layer.code, layer);
            layer.bindTooltip(tooltip, { sticky: true });
            layer.on("click", function () { setValue({ event: "click", code: layer.code }); });
            layer.on("mouseover", function () { layer.setStyle(HOVER); });
            layer.on("mouseout", function () { layer.setStyle(styleOf(layer)); });
          },
        }).addTo(map);
        layers.forEach(function (layer) {
          const path = layer.getElement();
          if (path) {
            path.setAttribute("data-code", layer.code);
            path.setAttribute("tabindex", "-1"); // one tab stop: the map itself (keys below)
          }
          layer.centre = layer.getBounds().getCenter();
        });
        describeMap();
        say("");
        body.dataset.ready = "1";
      })
      .catch(function (error) {
        say("The map could not be drawn: its boundaries did not load (" + error.message + ").");
        geometryUrl = null;
        loading = null;
        throw error;
      });
    return loading;
  }

  // --- the keyboard: one tab stop, arrow keys from area to area, Enter opens the card ---------
  let cursor = null; // the area the keyboard is on

  function describeMap() {
    mapDiv.setAttribute("role", "application");
    mapDiv.setAttribute("aria-roledescription", "map");
    mapDiv.setAttribute("aria-label",
      "Map of " + layers.length + " areas. Arrow keys move from area to area, Enter opens the " +
      "area's card, plus and minus zoom.");
    document.querySelectorAll(".leaflet-control a").forEach(function (a) { a.setAttribute("tabindex", "-1"); });
    try { // the iframe, as the page's screen reader meets it
      if (window.frameElement) { window.frameElement.title = "Map of " + layers.length + " areas"; }
    } catch (e) { /* another origin: the iframe keeps its own title */ }
  }

  function announce(layer) {
    const words = layer.feature.properties.name + ", " + layer.code +
      (layer.holder ? ". " + label + ": " + layer.holder : "") + ". Enter opens its card.";
    say(words);
  }

  function moveCursor(layer) {
    if (cursor && cursor !== layer) { cursor.setStyle(styleOf(cursor)); cursor.closeTooltip(); }
    cursor = layer;
    layer.setStyle(HOVER);
    layer.bringToFront();
    map.panInside(layer.centre, { padding: [40, 40] });
    layer.openTooltip(layer.centre);
    announce(layer);
  }

  // The nearest area whose centre lies within 60° of the direction pressed.
  function neighbour(from, dx, dy) {
    let best = null;
    let bestScore = Infinity;
    const a = map.latLngToLayerPoint(from.centre);
    layers.forEach(function (layer) {
      if (layer === from) { return; }
      const b = map.latLngToLayerPoint(layer.centre);
      const vx = b.x - a.x;
      const vy = b.y - a.y;
      const along = vx * dx + vy * dy;
      const distance = Math.hypot(vx, vy);
      if (along <= 0 || along < distance * 0.5) { return; }
      const score = distance * (2 - along / distance);
      if (score < bestScore) { bestScore = score; best = layer; }
    });
    return best;
  }

  function enableKeyboard() {
    mapDiv.tabIndex = 0;
    mapDiv.addEventListener("focus", function () {
      if (!cursor && layers.length) {
        const start = byCode.get(selected) || nearestToCentre();
        if (start) { moveCursor(start); }
      } else if (cursor) { announce(cursor); }
    });
    mapDiv.addEventListener("blur", function () {
      if (cursor) { cursor.setStyle(styleOf(cursor)); cursor.closeTooltip(); }
    });
    mapDiv.addEventListener("keydown", function (event) {
      const steps = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      if (steps[event.key] && cursor) {
        const next = neighbour(cursor, steps[event.key][0], steps[event.key][1]);
        if (next) { moveCursor(next); } else { say("No area further that way."); }
        event.preventDefault();
      } else if ((event.key === "Enter" || event.key === " ") && cursor) {
        setValue({ event: "click", code: cursor.code });
        event.preventDefault();
      } else if (event.key === "+" || event.key === "=") {
        map.zoomIn(); event.preventDefault();
      } else if (event.key === "-" || event.key === "_") {
        map.zoomOut(); event.preventDefault();
      }
    });
  }

  function nearestToCentre() {
    const centre = map.getCenter();
    let best = null;
    let bestDistance = Infinity;
    layers.forEach(function (layer) {
      const d = centre.distanceTo(layer.centre);
      if (d < bestDistance) { bestDistance = d; best = layer; }
    });
    return best;
  }

  function applyPaint(next) {
    if (!next || (paint && paint.id === next.id)) { return; }
    paint = next;
    layers.forEach(function (layer, i) {
      const key = paint.keys[paint.of[i]];
      layer.fill = key ? key[0] : paint.fallback;
      layer.holder = key ? key[1] : "";
    });
    body.dataset.painted = paint.id;
    if (openTip && openTip.isOpen()) { openTip.update(); } // its holder may have changed
  }

  function restyle() {
    layers.forEach(function (layer) { layer.setStyle(styleOf(layer)); });
    const chosen = byCode.get(selected);
    if (chosen) { chosen.bringToFront(); }
  }

  function applyFocus(focus) {
    if (!focus || focus.token === focusToken) { return; }
    focusToken = focus.token;
    const bounds = L.latLngBounds([]);
    (focus.codes || []).forEach(function (code) {
      const layer = byCode.get(code);
      if (layer) { bounds.extend(layer.getBounds()); }
    });
    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(focus.margin || 0.1), { maxZoom: 11 });
    } else {
      map.fitBounds(UK);
    }
  }

  function applyOutlines(wanted) {
    const urls = new Set((wanted || []).map(function (o) { return o.url; }));
    outlines.forEach(function (layer, url) {
      if (!urls.has(url)) { layer.remove(); outlines.delete(url); }
    });
    (wanted || []).forEach(function (outline) {
      if (outlines.has(outline.url)) { return; }
      const placeholder = L.layerGroup().addTo(map);
      outlines.set(outline.url, placeholder);
      fetch(outline.url, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (outlines.get(outline.url) !== placeholder) { return; }
          const lines = data.type === "Topology"
            ? topojson.feature(data, data.objects[Object.keys(data.objects)[0]]) : data;
          L.geoJSON(lines, {
            interactive: false,
            style: function () {
              return { color: outline.color || "#1b1b1b", weight: outline.weight || 1.6, opacity: 0.95, fill: false };
            },
          }).addTo(placeholder);
        })
        .catch(function () { say("The " + outline.name + " outlines did not load."); });
    });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }

  function enableDrawing(base) {
    if (drawing) { return; }
    drawing = L.featureGroup().addTo(map);
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = base + "leaflet.draw.css";
    document.head.append(css);
    loadScript(base + "leaflet.draw.js").then(function () {
      map.addControl(new L.Control.Draw({
        draw: { polyline: false, circle: false, marker: false, circlemarker: false, polygon: true, rectangle: true },
        edit: { featureGroup: drawing, edit: false, remove: false },
      }));
      map.on(L.Draw.Event.CREATED, function (event) {
        drawing.clearLayers();
        drawing.addLayer(event.layer);
        setValue({ event: "draw", geometry: event.layer.toGeoJSON().geometry });
      });
    });
  }

  function render(args) {
    setHeight(args.height || 500);
    label = args.label || "Held by";
    load(args.geometry).then(function () {
      applyPaint(args.paint);
      selected = args.selected || null;
      restyle();
      applyFocus(args.focus);
      applyOutlines(args.outlines);
      if (args.draw) { enableDrawing(args.draw); }
    }, function () {});
  }

  window.addEventListener("message", function (event) {
    const data = event.data;
    if (!data || data.type !== "streamlit:render") { return; }
    pending = data.args;
    // Coalesce a burst of renders into one.
    window.setTimeout(function () {
      if (pending) { const args = pending; pending = null; render(args); }
    }, 0);
  });
  send("streamlit:componentReady", { apiVersion: 1 });
})();
