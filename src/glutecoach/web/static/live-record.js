// "Record this set for review" in the camera coach (templates/_live.html). Only while the box
// is ticked and the camera is on, MediaRecorder records the camera's own stream (WebM, in the
// browser's memory) for the current set; a red "Recording this set" indicator shows meanwhile.
// When the set is saved (Set done), the clip is sent to the panel's data-review-upload: at home
// to this computer's glutecoach (/reviews: analysed here, the annotated video on the person's
// own record), in clinic mode to the clinic (/clinic/reviews: the clinician's review queue).
// Unticking the box, Camera off, leaving the page or moving to another set without saving
// discards the clip in progress: nothing is sent that the person did not finish.
(function () {
  "use strict";
  var panel = document.getElementById("live");
  var root = document.getElementById("guide");
  if (!panel || !root) { return; }
  var $ = function (id) { return document.getElementById(id); };
  var box = $("l-record"), boxRow = $("l-record-box"), indicator = $("l-rec"), note = $("l-review");
  var uploadUrl = panel.getAttribute("data-review-upload") || "/api/reviews";
  var local = panel.getAttribute("data-review-local") === "yes";
  var recorder = null;    // the MediaRecorder of the set being recorded
  var forSet = null;      // {exercise_id, key} of that set
  var uploads = 0;
  var canRecord = typeof window.MediaRecorder === "function";

  function mark(name, value) { panel.setAttribute("data-" + name, String(value)); }
  function tell(text) { note.textContent = text; note.hidden = !text; }
  function currentSet() {
    var exercise = $("g-exercise").value;
    return { exercise_id: exercise, key: exercise + "|" + $("g-side").value + "|" + $("g-set").value };
  }
  function mimeType() {
    var wanted = ["video/webm;codecs=vp8", "video/webm;codecs=vp9", "video/webm"];
    for (var i = 0; i < wanted.length; i++) {
      if (MediaRecorder.isTypeSupported(wanted[i])) { return wanted[i]; }
    }
    return "";
  }
  function showIndicator(on) {
    indicator.hidden = !on;
    mark("recording", on ? "yes" : "no");
  }

  function start() {
    var stream = window.GCLive && window.GCLive.stream();
    if (!box.checked || !stream || recorder) { return; }
    var chunks = [];
    var type = mimeType();
    var options = { videoBitsPerSecond: 1500000 };
    if (type) { options.mimeType = type; }
    var made = new MediaRecorder(stream, options);
    made.ondataavailable = function (e) { if (e.data && e.data.size) { chunks.push(e.data); } };
    made.onstop = function () {
      if (made.keep) { send(new Blob(chunks, { type: "video/webm" }), made.set); }
      chunks = [];
    };
    made.set = currentSet();
    made.keep = false;
    recorder = made;
    forSet = made.set;
    made.start(1000);
    showIndicator(true);
  }
  function stop(keep) {
    if (!recorder) { return; }
    var done = recorder;
    recorder = null; forSet = null;
    done.keep = keep;
    if (done.state !== "inactive") { done.stop(); }
    showIndicator(false);
  }

  function send(blob, set) {
    if (!blob.size) { return; }
    tell("Sending the recorded set for review…");
    mark("review", "sending");
    var url = uploadUrl + "?exercise=" + encodeURIComponent(set.exercise_id) + "&suffix=.webm";
    fetch(url, { method: "POST", credentials: "same-origin", body: blob,
                 headers: { "Content-Type": "video/webm" } })
      .then(function (reply) { return reply.json().then(function (data) { return { ok: reply.ok, data: data }; }); })
      .then(function (answer) {
        if (!answer.ok) {
          tell("The recorded set was not sent for review: " + answer.data.detail);
          mark("review", "refused");
          return;
        }
        uploads += 1;
        mark("uploads", uploads);
        mark("review", "sent");
        tell(local
          ? "Set recorded: glutecoach is analysing it on this computer. "
          : "Set recorded and sent to your clinician's review queue. ");
        var link = document.createElement("a");
        link.href = answer.data.url || "/reviews";
        link.textContent = "See the review";
        link.id = "l-review-link";
        note.appendChild(link);
      })
      .catch(function () {
        tell("The recorded set could not be sent (no connection): record the next one, or send a clip later.");
        mark("review", "failed");
      });
  }

  // the set's end: Set done saved it (observed before the step changes, so it is this set's)
  new MutationObserver(function () { stop(true); start(); })
    .observe(document.body, { attributes: true, attributeFilter: ["data-saved-sets"] });
  // another set on screen without a save: that clip is not this set's, start afresh
  new MutationObserver(function () {
    if (recorder && forSet && forSet.key !== currentSet().key) { stop(false); }
    start();
  }).observe(root, { attributes: true, attributeFilter: ["data-step"] });

  panel.addEventListener("gc-camera", function (event) {
    boxRow.hidden = !(event.detail.on && canRecord);
    if (event.detail.on) { start(); } else { stop(false); }
  });
  box.addEventListener("change", function () {
    if (box.checked) {
      tell("This set will be recorded until you tap Set done, then sent for review.");
      start();
    } else {
      stop(false);
      tell("Not recording: nothing of this set was kept.");
    }
  });
  window.addEventListener("pagehide", function () { stop(false); });
  mark("recording", "no");
})();
