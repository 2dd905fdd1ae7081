// Centrifuge's keyring: the edit keys of the scenarios this browser made, and the ids of those
// it opened by a share link, kept in the browser's local storage (the component is served from
// the app's own origin) and reported to the app. A Streamlit component (protocol v1, no build).
// It reports only when what it holds changes, so it never causes a rerun loop.
"use strict";

(function () {
  const STORE = "centrifuge.scenarios.v1";
  const MAX = 500;
  const SHAPE = /^[A-Za-z0-9_-]{1,64}$/;
  let lastSent = null;

  function send(type, extra) {
    window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, extra), "*");
  }

  function read() {
    let held = { keys: {}, links: [] };
    try {
      const raw = JSON.parse(window.localStorage.getItem(STORE) || "{}");
      if (raw && typeof raw.keys === "object") { held.keys = raw.keys; }
      if (raw && Array.isArray(raw.links)) { held.links = raw.links; }
    } catch (e) { /* unreadable or blocked storage: start empty */ }
    const keys = {};
    for (const [id, key] of Object.entries(held.keys)) {
      if (SHAPE.test(id) && typeof key === "string" && SHAPE.test(key)) { keys[id] = key; }
    }
    const links = held.links.filter(function (id) { return typeof id === "string" && SHAPE.test(id); });
    return { keys: keys, links: links };
  }

  function merge(held, args) {
    const keys = Object.assign({}, held.keys);
    for (const [id, key] of Object.entries(args.add || {})) {
      if (SHAPE.test(id) && SHAPE.test(key)) { keys[id] = key; }
    }
    const links = held.links.slice();
    for (const id of args.link || []) {
      if (SHAPE.test(id) && !links.includes(id)) { links.push(id); }
    }
    return { keys: keys, links: links.slice(-MAX) };
  }

  // Whether the app already knows everything held here.
  function known(held, told) {
    if (!told) { return false; }
    const keys = new Set(told.keys || []);
    const links = new Set(told.links || []);
    return Object.keys(held.keys).every(function (id) { return keys.has(id); }) &&
      held.links.every(function (id) { return links.has(id); });
  }

  function render(args) {
    const held = merge(read(), args || {});
    const text = JSON.stringify(held);
    try { window.localStorage.setItem(STORE, text); } catch (e) { /* private mode: session only */ }
    if (text !== lastSent) {
      lastSent = text;
      if (!known(held, args && args.known)) {
        send("streamlit:setComponentValue", { value: held, dataType: "json" });
      }
    }
  }

  window.addEventListener("message", function (event) {
    const data = event.data;
    if (data && data.type === "streamlit:render") { render(data.args); }
  });
  send("streamlit:componentReady", { apiVersion: 1 });
  send("streamlit:setFrameHeight", { height: 0 });
})();
