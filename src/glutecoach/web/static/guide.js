// Guided session you can follow lying on the floor. After one tap on "Start with voice" the
// coach talks you through every set (sound.js), keeps the screen awake, paces reps at the
// prescribed tempo, times holds and rests, and starts the next set after the rest by itself.
// "Set done" (or the space bar) saves the set to /api/sessions/{id}/sets at once, through the
// outbox (offline.js) when the server is away. Without JavaScript the same form posts to
// /today/set. Effort, pain and "felt it in" are never assumed: asked on the first set, then
// filled in from the previous set, visibly. A timed hold logs the seconds really held.
(function () {
  "use strict";
  var root = document.getElementById("guide");
  var form = document.getElementById("g-entry");
  if (!root || !form) { return; }
  var cfg = JSON.parse(root.getAttribute("data-guide"));
  var steps = cfg.steps;
  var LB = 2.20462;
  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    title: $("g-title"), cue: $("g-cue"), phase: $("g-phase"), timer: $("g-timer"),
    pause: $("g-pause"), skip: $("g-skip"), done: $("g-done"), status: $("g-status"),
    reps: $("g-reps"), hold: $("g-hold"), load: $("g-load"), rpe: $("g-rpe"), pain: $("g-pain"),
    finish: $("finish"), start: $("g-start"), sound: $("g-sound"), count: $("g-count"),
    stop: $("g-stop"), figure: $("g-figure"), prefilled: $("g-prefilled")
  };
  var say = window.GCSound ? window.GCSound.say : function () {};
  var clock = window.GCClock(root, ui);
  var current = -1;
  var started = false;
  var saving = false;
  var wakeLock = null;

  $("g-clock").hidden = false;
  ui.start.hidden = false;
  ui.sound.hidden = false;
  $("g-bar").classList.add("pre-start");
  document.body.classList.add("has-actionbar");

  // --- screen wake lock: the phone stays on while you are on the floor --------------------
  function keepAwake() {
    if (!navigator.wakeLock || !navigator.wakeLock.request) {
      document.body.setAttribute("data-wake-lock", "unsupported");
      return;
    }
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      document.body.setAttribute("data-wake-lock", "held");
      lock.addEventListener("release", function () {
        document.body.setAttribute("data-wake-lock", "released");
      });
    }, function () { document.body.setAttribute("data-wake-lock", "refused"); });
  }
  document.addEventListener("visibilitychange", function () {
    if (started && document.visibilityState === "visible" && current >= 0) { keepAwake(); }
  });

  // --- what is shown for a step ----------------------------------------------------------
  function sideWords(step) { return step.side === "both" ? "" : " · " + step.side + " side"; }
  function title(step) { return step.name + sideWords(step) + " · set " + step.set_index + " of " + step.sets; }
  function isHold(step) { return step.reps === null; }
  function showLoad(kg) { return cfg.units === "lb" ? Math.round(kg * LB * 10) / 10 : kg; }
  function showFigure(step) {
    var card = document.querySelector('.card[data-exercise="' + step.exercise_id + '"][data-side="' + step.side + '"] .exercise-figure');
    ui.figure.textContent = "";
    if (card) {
      var copy = card.cloneNode(true);
      copy.removeAttribute("id");
      copy.setAttribute("aria-hidden", "true");
      ui.figure.appendChild(copy);
    }
  }
  function fill(step) {
    ui.title.textContent = title(step);
    ui.cue.textContent = step.cue;
    $("g-exercise").value = step.exercise_id;
    $("g-side").value = step.side;
    $("g-set").value = String(step.set_index);
    $("g-kind").value = isHold(step) ? "hold" : "reps";
    $("f-reps").hidden = isHold(step);
    $("f-hold").hidden = !isHold(step);
    ui.hold.disabled = !isHold(step);
    $("g-reps-plan").textContent = "(plan: " + step.reps + ")";
    $("g-hold-plan").textContent = "(plan: " + step.hold_seconds + ")";
    ui.reps.value = "";
    ui.hold.value = "";
    ui.load.value = String(showLoad(step.load_kg));
    root.setAttribute("data-step", String(current));
    showFigure(step);
    clearErrors();
  }

  // --- the flow of one set: intro, get ready, work, then Set done -------------------------
  function next() {
    current = -1;
    for (var i = 0; i < steps.length; i++) { if (!steps[i].done) { current = i; break; } }
    if (current < 0) { allDone(); return; }
    var step = steps[current];
    fill(step);
    if (!started) {
      clock.show("Ready when you are: tap “Start with voice”, or do the set at your own pace and tap Set done.", "ready");
      ui.timer.textContent = "–";
      return;
    }
    var last = step.set_index === step.sets && step.sets > 1 ? " Last set." : "";
    var side = step.side === "both" ? "" : " " + step.side.charAt(0).toUpperCase() + step.side.slice(1) + " side.";
    say(step.name + "." + side + " Set " + step.set_index + " of " + step.sets + "." + last, "go");
    say(step.cue, null);
    say("Get ready.", null);
    clock.run("Get ready", "get", step.get_ready_seconds, countDown, function () { work(step); });
  }
  function countDown(left) { if (left <= 3) { say(String(left), "tick"); } }
  function work(step) {
    if (isHold(step)) { hold(step); } else { pace(step, 1); }
  }
  function pace(step, rep) {
    var tempo = step.tempo || [2, 1, 2];
    if (rep > step.reps) {
      say(step.reps + " reps done. Tap Set done.", "done");
      enter("Done? Check the numbers and tap Set done");
      return;
    }
    var moves = [["lift", tempo[0], rep + ", lift", "go"], ["hold", tempo[1], "hold", null],
                 ["lower", tempo[2], "lower", "lower"]].filter(function (m) { return m[1] > 0; });
    (function move(k) {
      if (k >= moves.length) {
        if (!(window.GCLive && window.GCLive.counting())) { ui.reps.value = String(rep); }  // else the camera counts
        pace(step, rep + 1);
        return;
      }
      var m = moves[k];
      say(m[2], m[3]);
      clock.run("Rep " + rep + " of " + step.reps + " · " + m[0], "go", m[1], null, function (_, skipped) {
        if (skipped) {
          enter("Paced reps stopped: enter the reps you did and tap Set done");
        } else {
          move(k + 1);
        }
      });
    })(0);
  }
  function hold(step) {
    var seconds = step.hold_seconds;
    say("Hold for " + seconds + " seconds. Go.", "go");
    clock.run("Hold", "hold", seconds, function (left) {
      if (!(window.GCLive && window.GCLive.counting())) { ui.hold.value = String(Math.floor(seconds - left)); }
      if (left === 10 && seconds > 15) { say("10 seconds left.", "tick"); }
      if (left <= 3) { say(String(left), "tick"); }
    }, function (elapsed, skipped) {
      var held = skipped ? Math.floor(elapsed) : seconds;
      if (!(window.GCLive && window.GCLive.counting())) { ui.hold.value = held >= 1 ? String(held) : ""; }
      say("And relax.", "rest");
      enter(held >= 1 ? "Held " + held + " s. Tap Set done" : "Not held yet: enter the seconds you held");
    });
  }
  function enter(text) {
    clock.show(text, "enter");
    ui.timer.textContent = "✓";
  }
  function allDone() {
    clock.stop();
    ui.title.textContent = "All sets done";
    ui.cue.textContent = "";
    ui.figure.textContent = "";
    clock.show("Finish the session to see what changes.", "finished");
    ui.timer.textContent = "✓";
    form.hidden = true;
    $("g-bar").hidden = true;
    document.body.classList.remove("has-actionbar");
    ui.finish.classList.add("primary");
    if (started) { say("All sets done. Well done! Tap Finish session.", "done"); }
    if (wakeLock) { wakeLock.release(); wakeLock = null; }
    ui.finish.focus();
  }

  // --- Set done: check, save (or keep for later), then rest and go on ---------------------
  function clearErrors() {
    ["reps", "hold", "rpe", "pain"].forEach(function (name) { $("e-" + name).textContent = ""; });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
    });
  }
  function problem(name, text) {
    $("e-" + name).textContent = text;
    $("g-" + name).setAttribute("aria-invalid", "true");
    return text;
  }
  function check(step) {
    clearErrors();
    var found = [];
    if (isHold(step)) {
      if (!(Number(ui.hold.value) >= 1)) { found.push(problem("hold", "Enter the seconds you held (at least 1).")); }
    } else if (ui.reps.value === "" || !(Number(ui.reps.value) >= 0)) {
      found.push(problem("reps", "Enter how many reps you did."));
    }
    if (ui.rpe.value === "") { found.push(problem("rpe", "Choose how hard it was, 0 to 10.")); }
    if (ui.pain.value === "") { found.push(problem("pain", "Choose your pain during the set: 0 is none.")); }
    return found;
  }
  function payload(step) {
    var felt = form.querySelector("input[name=felt]:checked");
    var load = Number(ui.load.value) || 0;
    return {
      exercise_id: step.exercise_id, side: step.side, set_index: step.set_index,
      reps: isHold(step) ? 0 : Number(ui.reps.value),
      hold_seconds: isHold(step) ? Number(ui.hold.value) : step.hold_seconds,
      load_kg: Math.round((cfg.units === "lb" ? load / LB : load) * 100) / 100,
      rpe: Number(ui.rpe.value), felt_in: felt ? [felt.value] : [], pain: Number(ui.pain.value),
      form: window.GCLive ? window.GCLive.formFor(step) : null  // measured by the camera (live.js)
    };
  }
  function setDone() {
    if (current < 0 || saving) { return; }
    var step = steps[current];
    var problems = check(step);
    if (problems.length) {
      ui.status.textContent = "Not saved yet: " + problems.join(" ");
      say("Not saved yet. " + problems[0], "stop");
      return;
    }
    saving = true;
    ui.done.setAttribute("aria-disabled", "true");
    ui.status.textContent = "Saving…";
    var body = payload(step);
    window.GCOutbox.send("/api/sessions/" + cfg.session_id + "/sets", body).then(function (res) {
      saving = false;
      ui.done.removeAttribute("aria-disabled");
      if (!res.ok) { ui.status.textContent = "Not saved: " + describe(res.body) + "."; return; }
      saved(step, body, res);
    });
  }
  function saved(step, body, res) {
    step.done = true;
    var count = steps.filter(function (s) { return s.done; }).length;
    document.body.setAttribute("data-saved-sets", String((Number(document.body.getAttribute("data-saved-sets")) || 0) + 1));
    ui.status.textContent = res.queued
      ? "Set kept on this device: glutecoach can't be reached right now. It will be sent when it's back."
      : "Set saved.";
    ui.prefilled.hidden = false;
    if (res.body.stop_exercise || body.pain > cfg.stop_pain) { painStop(step, body.pain); return; }
    ui.count.textContent = String(count);
    var following = upcoming();
    if (following && following.exercise_id === step.exercise_id && following.side !== step.side) {
      say("Switch sides.", "tick");
    }
    rest(step.rest_seconds);
  }
  function upcoming() {
    for (var i = current + 1; i < steps.length; i++) { if (!steps[i].done) { return steps[i]; } }
    return null;
  }
  function rest(seconds) {
    if (!started || !seconds) { next(); return; }
    say("Rest " + seconds + " seconds.", "rest");
    clock.run("Rest", "rest", seconds, function (left) {
      if (left === 10 && seconds > 15) { say("10 seconds.", "tick"); }
      if (left <= 3) { say(String(left), "tick"); }
    }, next);
  }
  function painStop(step, pain) {
    steps.forEach(function (s) {
      if (s.exercise_id === step.exercise_id && s.side === step.side) { s.done = true; }
    });
    ui.count.textContent = String(steps.filter(function (s) { return s.done; }).length);
    clock.stop();
    clock.show("Stopped: pain " + pain + "/10", "pain-stop");
    say("Stop. Pain " + pain + " out of 10 is too much. Stop this exercise for today, " +
        "and choose on the screen what to do next.", "stop");
    var following = upcoming();
    $("g-stop-go").hidden = !following;
    if (following) { $("g-stop-go").textContent = "I feel fine: go on to " + title(following); }
    ui.stop.showModal();
  }
  $("g-stop-go").addEventListener("click", function () { ui.stop.close(); next(); });
  $("g-stop-finish").addEventListener("click", function () {
    var early = document.createElement("input");
    early.type = "hidden"; early.name = "early"; early.value = "yes";
    $("finish-form").appendChild(early);
    $("finish-form").submit();
  });
  ui.stop.addEventListener("cancel", function (e) { e.preventDefault(); });  // choose, not Esc
  function describe(body) {
    if (body && typeof body.detail === "string") { return body.detail; }
    if (body && body.detail && body.detail.length) {
      return body.detail.map(function (e) { return e.loc.slice(1).join(".") + ": " + e.msg; }).join("; ");
    }
    return "the server refused it";
  }

  // --- controls ------------------------------------------------------------------------
  form.addEventListener("submit", function (e) { e.preventDefault(); setDone(); });
  document.addEventListener("keydown", function (e) {
    if (e.key !== " " || e.repeat || ui.stop.open) { return; }
    var tag = (e.target && e.target.tagName) || "";
    if (/^(INPUT|SELECT|TEXTAREA|BUTTON|A|SUMMARY)$/.test(tag)) { return; }  // they use space themselves
    e.preventDefault();
    setDone();
  });
  ui.start.addEventListener("click", function () {
    started = true;
    if (window.GCSound) { window.GCSound.unlock(); }
    keepAwake();
    ui.start.hidden = true;
    $("g-bar").classList.remove("pre-start");
    ui.done.focus();
    next();
  });
  function showMute() {
    var muted = window.GCSound && window.GCSound.muted();
    ui.sound.setAttribute("aria-pressed", muted ? "true" : "false");
  }
  ui.sound.addEventListener("click", function () {
    window.GCSound.setMuted(!window.GCSound.muted());
    showMute();
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-delta]"), function (btn) {
    btn.addEventListener("click", function () {
      var input = $(btn.getAttribute("data-for"));
      input.value = String(Math.max(0, (Number(input.value) || 0) + Number(btn.getAttribute("data-delta"))));
    });
  });
  if (steps.some(function (s) { return s.done; })) { ui.start.textContent = "Continue with voice"; }
  showMute();
  next();
})();
