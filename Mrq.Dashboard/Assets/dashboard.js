// Live refresh: every data-poll-ms, fetch the page's JSON API (data-live-api) and write each [data-live] cell's
// value, found by the JSON path in its attribute. Values are written with textContent, never as markup.
(function () {
  "use strict";
  var body = document.body;
  var api = body.getAttribute("data-live-api");
  var interval = parseInt(body.getAttribute("data-poll-ms") || "0", 10);
  var state = document.getElementById("live-state");
  if (!api || !interval) { return; }

  function lookup(document, path) {
    var node = document;
    for (var i = 0; i < path.length; i++) {
      if (node === null || typeof node !== "object" || !(path[i] in node)) { return undefined; }
      node = node[path[i]];
    }
    return node;
  }

  // The overview's throughput chart: one stacked bar per minute (succeeded below, failed above), drawn as SVG
  // through the DOM (no markup strings, no inline style), redrawn from every poll.
  var SVG = "http://www.w3.org/2000/svg";

  function element(name, attributes, parent) {
    var node = window.document.createElementNS(SVG, name);
    for (var key in attributes) { node.setAttribute(key, String(attributes[key])); }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function clock(iso) { return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); }

  function drawThroughput(series) {
    var figure = window.document.getElementById("throughput");
    if (!figure || !series || !series.points || series.points.length === 0) { return; }
    var points = series.points, width = 720, height = 170, left = 44, top = 12, bottom = 22;
    var peak = 1;
    for (var i = 0; i < points.length; i++) { peak = Math.max(peak, points[i].succeeded + points[i].failed); }
    var slot = (width - left) / Math.max(points.length, 30), scale = (height - top - bottom) / peak;
    var chart = element("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "class": "throughput" });
    element("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, "class": "axis" }, chart);
    element("text", { x: left - 6, y: top + 4, "class": "label", "text-anchor": "end" }, chart).textContent = String(peak);
    element("text", { x: left - 6, y: height - bottom, "class": "label", "text-anchor": "end" }, chart).textContent = "0";
    for (var j = 0; j < points.length; j++) {
      var p = points[j], x = left + j * slot, ok = p.succeeded * scale, bad = p.failed * scale;
      var bar = element("g", { "class": "bar", "data-at": p.at, "data-succeeded": p.succeeded, "data-failed": p.failed }, chart);
      element("rect", { x: x + 1, y: height - bottom - ok, width: Math.max(slot - 2, 1), height: ok, "class": "succeeded" }, bar);
      element("rect", { x: x + 1, y: height - bottom - ok - bad, width: Math.max(slot - 2, 1), height: bad, "class": "failed" }, bar);
      element("title", {}, bar).textContent = clock(p.at) + ": " + p.succeeded + " succeeded, " + p.failed + " failed";
    }
    element("text", { x: left, y: height - 4, "class": "label" }, chart).textContent = clock(points[0].at);
    if (points.length > 1) {
      element("text", { x: left + points.length * slot, y: height - 4, "class": "label", "text-anchor": "end" }, chart).textContent = clock(points[points.length - 1].at);
    }
    var last = points[points.length - 1];
    var caption = window.document.createElement("figcaption");
    caption.textContent = "Jobs ended per minute since " + clock(series.since) + " (this minute: " + last.succeeded +
      " succeeded, " + last.failed + " failed; peak " + peak + "/min). Green: success; red: failed, maxretries, timeout.";
    figure.replaceChildren(chart, caption);
  }

  function refresh() {
    fetch(api, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (document) {
        var cells = window.document.querySelectorAll("[data-live]");
        for (var i = 0; i < cells.length; i++) {
          var value = lookup(document, JSON.parse(cells[i].getAttribute("data-live")));
          if (value === undefined) { continue; }
          var text = value === null ? "" : String(value);
          if (cells[i].textContent !== text) {
            cells[i].textContent = text;
            cells[i].classList.add("changed");
          }
        }
        drawThroughput(document.throughput);
        if (state) { state.textContent = "live " + new Date().toLocaleTimeString(); state.className = "ok"; }
      })
      .catch(function (error) {
        if (state) { state.textContent = "refresh failed: " + error.message; state.className = "error"; }
      })
      .finally(function () { setTimeout(refresh, interval); });
  }

  // A page with a chart polls at once, so the chart is drawn without waiting a whole interval.
  if (window.document.getElementById("throughput")) { refresh(); } else { setTimeout(refresh, interval); }
})();
