// A form review's page (templates/review.html): a fault's or a rep's time seeks the annotated
// video there and plays it; while the clip is being analysed the page reloads itself.
(function () {
  "use strict";
  var section = document.getElementById("review");
  if (!section) { return; }
  var status = section.getAttribute("data-status");
  if (status === "queued" || status === "running") {
    window.setTimeout(function () { window.location.reload(); }, 2000);
    return;
  }
  var video = document.getElementById("r-video");
  if (!video) { return; }
  section.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-seek]");
    if (!link) { return; }
    event.preventDefault();
    var t = parseFloat(link.getAttribute("data-seek"));
    if (!isFinite(t)) { return; }
    var go = function () { video.currentTime = t; video.play().catch(function () {}); };
    if (video.readyState >= 1) { go(); } else { video.addEventListener("loadedmetadata", go, { once: true }); }
    video.focus();
  });
})();
