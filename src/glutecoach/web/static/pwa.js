// Register the service worker (sw.js), so the app opens while the server is briefly away.
// The moving exercise figures hold still (start pose, end pose drawn faintly) for people
// who asked their system for reduced motion.
(function () {
  "use strict";
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    document.addEventListener("DOMContentLoaded", function () {
      Array.prototype.forEach.call(document.querySelectorAll("svg.figure"), function (svg) {
        if (svg.pauseAnimations) { svg.pauseAnimations(); }
      });
    });
  }
  if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      document.documentElement.setAttribute("data-sw", "registered");
    }, function () { document.documentElement.setAttribute("data-sw", "failed"); });
  });
})();
