// Register the service worker (sw.js), so the app opens while the server is briefly away.
// Moving exercise figures get a "Pause movement" button (WCAG 2.2.2: moving content can be
// paused); the choice is remembered on this device. People who asked their system for reduced
// motion see the figures still (start pose, end pose drawn faintly) until they press Play.
(function () {
  "use strict";
  var KEY = "glutecoach.figures-paused";

  function storedChoice() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function remember(paused) {
    try { window.localStorage.setItem(KEY, paused ? "1" : "0"); } catch (e) { /* private mode */ }
  }
  function prefersStill() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }
  var choice = storedChoice();
  var paused = choice === null ? prefersStill() : choice === "1";

  function hold(svg) {
    if (!svg.pauseAnimations) { return; }
    if (paused) { svg.pauseAnimations(); } else { svg.unpauseAnimations(); }
  }
  function label(button) {
    button.textContent = paused ? "Play movement" : "Pause movement";
    button.setAttribute("aria-pressed", paused ? "true" : "false");
  }
  function applyAll() {
    Array.prototype.forEach.call(document.querySelectorAll("svg.figure"), hold);
    Array.prototype.forEach.call(document.querySelectorAll("button.figure-toggle"), label);
  }
  function addToggle(figure) {
    if (figure.closest("[aria-hidden='true']")) {
      // a copy shown beside the guide is hidden from assistive technology: no control in it
      Array.prototype.forEach.call(figure.querySelectorAll("button.figure-toggle"), function (b) { b.remove(); });
      return;
    }
    if (figure.querySelector("button.figure-toggle") || !figure.querySelector("svg.figure animate")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "figure-toggle";
    label(button);
    figure.appendChild(button);
  }
  function prepare(root) {
    if (root.matches && root.matches("figure.exercise-figure")) { addToggle(root); }
    if (root.querySelectorAll) {
      Array.prototype.forEach.call(root.querySelectorAll("figure.exercise-figure"), addToggle);
      Array.prototype.forEach.call(root.querySelectorAll("svg.figure"), hold);
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.figure-toggle") : null;
    if (!button) { return; }
    paused = !paused;
    remember(paused);
    applyAll();
  });
  document.addEventListener("DOMContentLoaded", function () {
    prepare(document);
    // figures copied in later (the guided set shows each step's figure) follow the same choice
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        Array.prototype.forEach.call(change.addedNodes, function (node) {
          if (node.nodeType === 1) { prepare(node); }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });

  if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      document.documentElement.setAttribute("data-sw", "registered");
    }, function () { document.documentElement.setAttribute("data-sw", "failed"); });
  });
})();
