// Guided session: get-ready, hold and rest countdowns, per side, with a big "Set done" button.
// Each set is POSTed to /api/sessions/{id}/sets as soon as it is done, so a reload loses
// nothing: the page comes back with the logged sets marked done and resumes at the next one.
// Timers run faster when localStorage "glutecoach.timerSpeed" (or the app's timer_speed) > 1.
(function () {
  "use strict";
  var root = document.getElementById("guide");
  if (!root) { return; }
  var cfg = JSON.parse(root.getAttribute("data-guide"));
  var steps = cfg.steps;
  var LB = 2.20462;
  function speed() {  // read on every tick, so a test can change it mid-session
    var stored = Number(window.localStorage.getItem("glutecoach.timerSpeed"));
    return stored > 0 ? stored : (Number(document.body.getAttribute("data-timer-speed")) || 1);
  }
  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    title: $("g-title"), cue: $("g-cue"), phase: $("g-phase"), timer: $("g-timer"),
    pause: $("g-pause"), skip: $("g-skip"), done: $("g-done"), status: $("g-status"),
    reps: $("g-reps"), load: $("g-load"), rpe: $("g-rpe"), pain: $("g-pain"), finish: $("finish")
  };
  $("g-units").textContent = cfg.units;
  var current = -1;
  var clock = null;

  function countdown(label, seconds, then) {
    stopClock();
    ui.phase.textContent = label;
    root.setAttribute("data-phase", label.split(" ")[0].toLowerCase());
    if (!seconds || seconds <= 0) { ui.timer.textContent = "–"; then(); return; }
    clock = { left: seconds, paused: false, then: then };
    ui.pause.textContent = "Pause";
    ui.timer.textContent = String(Math.ceil(seconds));
    clock.handle = window.setInterval(function () {
      if (clock.paused) { return; }
      clock.left -= 0.1 * speed();
      ui.timer.textContent = String(Math.max(0, Math.ceil(clock.left)));
      if (clock.left <= 0) { endClock(); }
    }, 100);
  }
  function stopClock() {
    if (clock) { window.clearInterval(clock.handle); }
    clock = null;
  }
  function endClock() {
    var then = clock ? clock.then : null;
    stopClock();
    if (navigator.vibrate) { navigator.vibrate(200); }
    if (then) { then(); }
  }
  ui.pause.addEventListener("click", function () {
    if (!clock) { return; }
    clock.paused = !clock.paused;
    ui.pause.textContent = clock.paused ? "Resume" : "Pause";
    ui.phase.setAttribute("data-paused", clock.paused ? "yes" : "no");
  });
  ui.skip.addEventListener("click", function () { if (clock) { endClock(); } });
  Array.prototype.forEach.call(document.querySelectorAll("[data-step]"), function (btn) {
    btn.addEventListener("click", function () {
      var input = $(btn.getAttribute("data-for"));
      input.value = String(Math.max(0, (Number(input.value) || 0) + Number(btn.getAttribute("data-step"))));
    });
  });

  function label(step) {
    var side = step.side === "both" ? "" : " · " + step.side + " side";
    return step.name + side + " · set " + step.set_index + " of " + step.sets;
  }
  function showLoad(kg) { return cfg.units === "lb" ? Math.round(kg * LB * 10) / 10 : kg; }

  function next() {
    current = -1;
    for (var i = 0; i < steps.length; i++) { if (!steps[i].done) { current = i; break; } }
    if (current < 0) { allDone(); return; }
    var step = steps[current];
    ui.title.textContent = label(step);
    ui.cue.textContent = step.cue;
    ui.reps.value = step.reps === null ? "0" : String(step.reps);
    ui.load.value = String(showLoad(step.load_kg));
    ui.done.disabled = false;
    root.setAttribute("data-step", String(current));
    countdown("Get ready", step.get_ready_seconds, function () { work(step); });
  }
  function work(step) {
    if (step.reps === null && step.hold_seconds) {
      countdown("Hold", step.hold_seconds, function () {
        ui.phase.textContent = "Done? Tap Set done";
        root.setAttribute("data-phase", "enter");
      });
      return;
    }
    var hold = step.hold_seconds ? ", hold " + step.hold_seconds + " s at the top" : "";
    ui.phase.textContent = "Go: " + step.reps + " reps" + hold + ", then tap Set done";
    ui.timer.textContent = "GO";
    root.setAttribute("data-phase", "go");
  }
  function allDone() {
    stopClock();
    ui.title.textContent = "All sets done";
    ui.cue.textContent = "";
    ui.phase.textContent = "Finish the session to see what changes.";
    ui.timer.textContent = "✓";
    ui.done.disabled = true;
    root.setAttribute("data-phase", "finished");
    ui.finish.classList.add("primary");
    ui.finish.focus();
  }
  function payload(step) {
    var felt = document.querySelector("input[name=felt]:checked");
    var load = Number(ui.load.value) || 0;
    return {
      exercise_id: step.exercise_id, side: step.side, set_index: step.set_index,
      reps: Number(ui.reps.value) || 0, hold_seconds: step.hold_seconds,
      load_kg: Math.round((cfg.units === "lb" ? load / LB : load) * 100) / 100,
      rpe: Number(ui.rpe.value), felt_in: felt ? [felt.value] : [], pain: Number(ui.pain.value)
    };
  }
  ui.done.addEventListener("click", function () {
    if (current < 0) { return; }
    var step = steps[current];
    stopClock();
    ui.done.disabled = true;
    ui.status.textContent = "Saving…";
    fetch("/api/sessions/" + cfg.session_id + "/sets", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Idempotency-Key": setKey(step) },
      body: JSON.stringify(payload(step))
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      if (!res.ok) { throw new Error(describe(res.body)); }
      step.done = true;
      var saved = document.body.getAttribute("data-saved-sets");
      document.body.setAttribute("data-saved-sets", String((Number(saved) || 0) + 1));
      ui.status.textContent = "Set saved.";
      if (res.body.stop_exercise) {
        steps.forEach(function (s) {
          if (s.exercise_id === step.exercise_id && s.side === step.side) { s.done = true; }
        });
        ui.status.textContent = "Set saved. Pain above " + cfg.stop_pain +
          "/10 is the high-risk zone: stop this exercise for today. The plan will ease off.";
      }
      ui.pain.value = "0";
      countdown("Rest", res.body.stop_exercise ? 0 : step.rest_seconds, next);
    }).catch(function (err) {
      ui.status.textContent = "Not saved: " + err.message + ". Check the values and tap Set done again.";
      ui.done.disabled = false;
    });
  });
  // One key per set, kept across "tap Set done again": a retry never stores the set twice.
  function setKey(step) {
    if (!step.key) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      step.key = Array.prototype.map.call(bytes, function (b) {
        return (b + 256).toString(16).slice(1);
      }).join("");
    }
    return step.key;
  }
  function describe(body) {
    if (body && typeof body.detail === "string") { return body.detail; }
    if (body && body.detail && body.detail.length) {
      return body.detail.map(function (e) { return e.loc.slice(1).join(".") + ": " + e.msg; }).join("; ");
    }
    return "the server refused it";
  }
  next();
})();
