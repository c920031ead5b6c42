// glutecoach's service worker: pages and files come from the server when it answers
// (network first, so nothing stale is shown), and from this browser's cache when the server
// is briefly away; a page never visited shows /offline. Only GETs: logging a set is a POST,
// kept in the page's outbox (offline.js) until the server is back.
"use strict";
var CACHE = "glutecoach-v2";
var PRECACHE = [
  "/offline", "/static/app.css", "/static/sound.js", "/static/offline.js", "/static/pwa.js",
  "/static/guide-clock.js", "/static/guide.js", "/static/icons/icon-192.png", "/favicon.ico"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(PRECACHE); })
    .then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/api/") === 0 || url.pathname === "/sw.js") { return; }
  // a review video (ranges, large, private) is never kept in this browser's cache
  if (/\/reviews\/\d+\/video$/.test(url.pathname)) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }, function () {
    // ignoreSearch: a page names its files with a content version (?v=...); offline, any kept copy will do
    return caches.match(request, { ignoreSearch: true }).then(function (hit) {
      if (hit) { return hit; }
      return request.mode === "navigate" ? caches.match("/offline") : Response.error();
    });
  }));
});
