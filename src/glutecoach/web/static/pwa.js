// Register the service worker (sw.js), so the app opens while the server is briefly away.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      document.documentElement.setAttribute("data-sw", "registered");
    }, function () { document.documentElement.setAttribute("data-sw", "failed"); });
  });
})();
