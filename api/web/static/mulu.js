// mulu 目录 — the one script of the web pages: search suggestions for the query box (progressive:
// every page works without it). No external code, no inline scripts (the CSP forbids them).
"use strict";
(function () {
  var box = document.querySelector("input[data-suggest]");
  if (!box || !window.fetch) { return; }
  var list = document.getElementById(box.getAttribute("list"));
  var timer = null, last = "";
  box.addEventListener("input", function () {
    var q = box.value.trim();
    if (timer) { clearTimeout(timer); }
    if (!q || q === last) { return; }
    timer = setTimeout(function () {
      last = q;
      fetch(box.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (body) {
          var items = body.suggestions || body.data || [];
          while (list.firstChild) { list.removeChild(list.firstChild); }
          items.slice(0, 10).forEach(function (s) {
            var opt = document.createElement("option");
            opt.value = typeof s === "string" ? s : (s.text || s.name || "");
            list.appendChild(opt);
          });
        })
        .catch(function () { /* suggestions are a convenience; the search still works */ });
    }, 180);
  });
})();
