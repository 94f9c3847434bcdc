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
        if (state) { state.textContent = "live " + new Date().toLocaleTimeString(); state.className = "ok"; }
      })
      .catch(function (error) {
        if (state) { state.textContent = "refresh failed: " + error.message; state.className = "error"; }
      })
      .finally(function () { setTimeout(refresh, interval); });
  }

  setTimeout(refresh, interval);
})();
