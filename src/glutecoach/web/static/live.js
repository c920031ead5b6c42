// The camera coach inside the guided session. "Use camera" starts the webcam; each frame (a
// 640x480 JPEG) goes over a WebSocket to glutecoach on this computer (web/live.py), which runs
// the same pose model and analyzers as `glutecoach vision`, and answers with the placement
// guide, the rep count, the hold timer (running only in position), at most one form cue and the
// skeleton. The next frame is sent when the answer arrives, so a slow machine analyses fewer
// frames rather than falling behind. The counted reps / held seconds fill the set form (the
// person checks or corrects them, then taps Set done) and the form summary goes with the set
// (guide.js asks GCLive.formFor). "Camera off" stops the tracks and closes the socket: nothing
// keeps running. Nothing is recorded here; live-record.js records a set for review when the
// person ticks "Record this set for review" (it hears "gc-camera" events on the panel).
(function () {
  "use strict";
  var panel = document.getElementById("live");
  var root = document.getElementById("guide");
  if (!panel || !root) { return; }
  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    use: $("l-use"), off: $("l-off"), on: $("l-on"), advice: $("l-advice"), place: $("l-place"),
    view: $("l-view"), video: $("l-video"), overlay: $("l-overlay"), numbers: $("l-numbers"),
    reps: $("l-reps"), hold: $("l-hold"), cue: $("l-cue"), note: $("l-note")
  };
  var BONES = [[11, 12], [11, 13], [13, 15], [12, 14], [14, 16], [11, 23], [12, 24], [23, 24],
    [23, 25], [25, 27], [24, 26], [26, 28], [27, 29], [29, 31], [27, 31], [28, 30], [30, 32], [28, 32]];
  var PLACE_SPOKEN_EVERY_MS = 8000;
  var media = null;        // the camera's MediaStream
  var sock = null;         // the WebSocket for the current set
  var setKey = "";         // exercise|side|set the socket measures
  var latest = null;       // {key, form} from the last state
  var waiting = false;     // a frame is on its way: send the next when it is answered
  var replaying = false;   // a recorded landmark sequence is being played (tests, demos)
  var t0 = 0;
  var lastPlace = "";
  var lastPlaceSpoken = -PLACE_SPOKEN_EVERY_MS;
  var cues = 0;
  var answered = 0;        // states received on this socket
  var recordOnly = false;  // the camera only records for review (no camera coach here)
  var grab = document.createElement("canvas");
  grab.width = 640; grab.height = 480;

  panel.hidden = false;

  function say(text, kind) { if (window.GCSound) { window.GCSound.say(text, kind); } }
  function step() {
    return { exercise_id: $("g-exercise").value, side: $("g-side").value, set_index: $("g-set").value };
  }
  function keyOf(s) { return s.exercise_id + "|" + s.side + "|" + s.set_index; }
  function isHold() { return $("g-kind").value === "hold"; }
  function mark(name, value) { panel.setAttribute("data-" + name, String(value)); }

  // --- camera on / off -----------------------------------------------------------------------
  function cameraOn() {
    ui.use.disabled = true;
    if (window.GCSound) { window.GCSound.unlock(); }
    fetch("/api/live/status", { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (status) {
        recordOnly = !status.available && recordingElsewhere();
        if (!status.available && !recordOnly) { unavailable(status.message); return null; }
        if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
          unavailable("This browser gives the camera only to secure pages: open glutecoach at " +
            "http://127.0.0.1 on this computer, or over https from a phone (glutecoach serve --https).");
          return null;
        }
        var wanted = { video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: "environment" }, audio: false };
        return navigator.mediaDevices.getUserMedia(wanted).then(started);
      })
      .catch(function (err) {
        unavailable("The camera could not start (" + (err && err.name ? err.name : err) +
          "). Allow the camera for this page, or log the set by hand.");
      });
  }
  // In clinic mode the clinic's server may not run the camera coach; the camera can still record
  // a set for the clinician's review (live-record.js): the camera then only records.
  function recordingElsewhere() {
    return panel.getAttribute("data-review-local") === "no" && typeof window.MediaRecorder === "function";
  }
  function started(stream) {
    media = stream;
    ui.video.srcObject = stream;
    ui.view.hidden = false; ui.numbers.hidden = false; ui.on.hidden = false;
    ui.use.hidden = true; ui.off.hidden = false;
    mark("camera", "on");
    document.body.setAttribute("data-camera", "on");
    panel.dispatchEvent(new CustomEvent("gc-camera", { detail: { on: true } }));
    if (recordOnly) {
      mark("socket", "none");
      ui.numbers.hidden = true;
      ui.place.textContent = "The camera coach does not count or correct here; the camera can record " +
        "this set for your clinician: tick \u201cRecord this set for review\u201d.";
      return;
    }
    connect();
  }
  function unavailable(message) {
    ui.place.textContent = message;
    mark("camera", "unavailable");
    stopEverything();
  }
  function stopEverything() {
    if (sock) { var s = sock; sock = null; s.close(); }
    if (media) { media.getTracks().forEach(function (track) { track.stop(); }); media = null; }
    ui.video.srcObject = null;
    ui.view.hidden = true; ui.numbers.hidden = true; ui.on.hidden = true;
    ui.use.hidden = false; ui.use.disabled = false; ui.off.hidden = true;
    waiting = false; replaying = false; recordOnly = false;
    if (panel.getAttribute("data-camera") === "on") { mark("camera", "off"); }
    document.body.setAttribute("data-camera", "off");
    panel.dispatchEvent(new CustomEvent("gc-camera", { detail: { on: false } }));
    clearOverlay();
  }

  // --- one socket per set ----------------------------------------------------------------------
  function connect() {
    if (recordOnly) { return; }
    if (sock) { var old = sock; sock = null; old.close(); }
    var s = step();
    setKey = keyOf(s);
    latest = null; waiting = false; cues = 0; answered = 0; written = { reps: "", hold: "" }; t0 = performance.now();
    ui.reps.textContent = "0"; ui.hold.textContent = "0.0 s"; ui.cue.textContent = ""; ui.note.hidden = true;
    mark("reps", 0); mark("cues", 0);
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/live/ws");
    ws.binaryType = "arraybuffer";
    sock = ws;
    ws.onopen = function () {
      ws.send(JSON.stringify({ type: "start", exercise_id: s.exercise_id, side: s.side }));
    };
    ws.onmessage = function (e) { if (ws === sock) { handle(JSON.parse(e.data)); } };
    ws.onclose = function () {
      if (ws !== sock) { return; }
      sock = null;
      mark("socket", "closed");
      if (replayNext) { replayNext(); }  // ends a replay whose socket went away
    };
  }
  function handle(msg) {
    if (msg.type === "ready") {
      ui.advice.textContent = "Where the camera goes: " + msg.camera_advice;
      mark("socket", "ready");
      if (replayNext) { replayNext(); } else { pump(); }
    } else if (msg.type === "unavailable") {
      unavailable(msg.message);
    } else if (msg.type === "error") {
      ui.note.hidden = false; ui.note.textContent = msg.message;
      waiting = false;
      if (replayNext) { replayNext(); } else { window.setTimeout(pump, 200); }
    } else if (msg.type === "state") {
      waiting = false;
      show(msg);
      if (replayNext) { replayNext(); } else { pump(); }
    }
  }

  // --- frames: grab, send, wait for the answer -------------------------------------------------
  function pump() {
    if (!sock || sock.readyState !== 1 || waiting || !media || replaying) { return; }
    if (ui.video.readyState < 2) { window.setTimeout(pump, 100); return; }
    waiting = true;
    var target = sock;  // the frame belongs to this set's socket, and to no later one
    var t = (performance.now() - t0) / 1000;
    grab.getContext("2d").drawImage(ui.video, 0, 0, grab.width, grab.height);
    grab.toBlob(function (blob) {
      if (!blob || sock !== target || replaying) { if (sock === target) { waiting = false; } return; }
      blob.arrayBuffer().then(function (jpeg) {
        var out = new Uint8Array(8 + jpeg.byteLength);
        new DataView(out.buffer).setFloat64(0, t, true);
        out.set(new Uint8Array(jpeg), 8);
        if (sock === target && target.readyState === 1 && !replaying) { target.send(out.buffer); }
        else if (sock === target) { waiting = false; }
      });
    }, "image/jpeg", 0.7);
  }

  // A recorded landmark sequence ([{t, landmarks}]) played through the same socket, one frame
  // per answer: how the tests (and demos) drive the coach without a person in front of it.
  var replayNext = null;
  // It starts the set's measurement afresh (a new socket), as the camera does for each set,
  // unless ``more`` is true: then the frames go on in the same set (times must keep rising).
  function replay(frames, more) {
    return new Promise(function (resolve) {
      var i = 0;
      replaying = true;
      replayNext = function () {
        if (!sock || i >= frames.length) { replayNext = null; replaying = false; resolve(i); return; }
        var f = frames[i++];
        sock.send(JSON.stringify({ type: "landmarks", t: f.t, landmarks: f.landmarks }));
      };
      if (more && sock && sock.readyState === 1) { replayNext(); } else { connect(); }
    });
  }

  // --- what the page shows ---------------------------------------------------------------------
  function show(state) {
    answered += 1;
    mark("answered", answered);
    var place = state.placement;
    ui.place.textContent = place.message;
    mark("person", place.person ? "yes" : "no");
    mark("placement", place.ok ? "ok" : "adjust");
    if (!place.ok && !place.checking && place.message !== lastPlace &&
        performance.now() - lastPlaceSpoken > PLACE_SPOKEN_EVERY_MS) {
      say(place.message.split(". ")[0].replace(/\.$/, "") + ".", "tick");  // its first sentence
      lastPlaceSpoken = performance.now();
    }
    lastPlace = place.message;
    ui.reps.textContent = String(state.reps);
    ui.hold.textContent = state.hold_s.toFixed(1) + " s";
    mark("reps", state.reps);
    mark("in-position", state.in_position ? "yes" : "no");
    mark("best-hold", state.best_hold_s);
    if (state.cue) {
      cues += 1;
      mark("cues", cues);
      ui.cue.textContent = state.cue;
      say(state.cue, "tick");
    }
    latest = { key: setKey, form: state.form };
    fillSetLog(state);
    drawSkeleton(state.skeleton);
  }
  // The camera's numbers go into the set form, but never over a number the person typed:
  // a field that no longer holds what the camera last wrote (nor is empty) was corrected.
  var written = { reps: "", hold: "" };
  function fillSetLog(state) {
    var good = state.form ? state.form.good_form_reps : 0;
    var name = isHold() ? "hold" : "reps";
    var field = $("g-" + name);
    var value = isHold() ? (state.best_hold_s >= 1 ? String(Math.floor(state.best_hold_s)) : "")
                         : (state.reps > 0 ? String(state.reps) : "");
    if (!value) { return; }
    var corrected = field.value !== "" && field.value !== written[name];
    if (!corrected) { field.value = value; written[name] = value; }
    ui.note.hidden = false;
    var measured = isHold()
      ? "Timed by the camera while you were in position: " + value + " s."
      : "Counted by the camera: " + value + " reps, " + good + " with good form.";
    ui.note.textContent = corrected
      ? measured + " You changed it to " + field.value + ": that is what will be saved."
      : measured + " Correct the number if it is wrong, then tap Set done.";
  }
  function clearOverlay() {
    var ctx = ui.overlay.getContext("2d");
    ctx.clearRect(0, 0, ui.overlay.width, ui.overlay.height);
  }
  function drawSkeleton(points) {
    var w = ui.video.clientWidth || 640, h = ui.video.clientHeight || 480;
    if (ui.overlay.width !== w) { ui.overlay.width = w; }
    if (ui.overlay.height !== h) { ui.overlay.height = h; }
    clearOverlay();
    if (!points || !points.length) { return; }
    var ctx = ui.overlay.getContext("2d");
    var seen = function (p) { return p && p[2] >= 0.5 && p[0] >= 0 && p[1] >= 0; };
    ctx.lineWidth = 4; ctx.strokeStyle = "#f28c28"; ctx.fillStyle = "#ffffff";
    BONES.forEach(function (bone) {
      var a = points[bone[0]], b = points[bone[1]];
      if (!seen(a) || !seen(b)) { return; }
      ctx.beginPath(); ctx.moveTo(a[0] * w, a[1] * h); ctx.lineTo(b[0] * w, b[1] * h); ctx.stroke();
    });
    points.forEach(function (p) {
      if (seen(p)) { ctx.beginPath(); ctx.arc(p[0] * w, p[1] * h, 4, 0, 2 * Math.PI); ctx.fill(); }
    });
  }

  // --- the next set gets its own measurement ---------------------------------------------------
  new MutationObserver(function () {
    if (media && keyOf(step()) !== setKey) { connect(); }
  }).observe(root, { attributes: true, attributeFilter: ["data-step"] });
  new MutationObserver(function () { if (media) { connect(); } })
    .observe(document.body, { attributes: true, attributeFilter: ["data-saved-sets"] });

  // the browser may pause a muted video (another sound starts, the tab was hidden): the camera
  // coach needs fresh frames, so it keeps playing while the camera is on
  ui.video.addEventListener("pause", function () { if (media) { ui.video.play().catch(function () {}); } });
  ui.use.addEventListener("click", cameraOn);
  ui.off.addEventListener("click", function () { stopEverything(); ui.place.textContent = "Camera off."; ui.use.focus(); });
  window.addEventListener("pagehide", stopEverything);

  window.GCLive = {
    formFor: function (s) { return latest && latest.key === keyOf(s) ? latest.form : null; },
    // the camera counts this set: the paced guide leaves the reps field to it
    counting: function () { return Boolean(media && sock && setKey === keyOf(step())); },
    replay: replay,
    stream: function () { return media; },
    running: function () {
      return { tracks: media ? media.getTracks().filter(function (t) { return t.readyState === "live"; }).length : 0,
               socket: sock ? sock.readyState : null };
    }
  };
})();
