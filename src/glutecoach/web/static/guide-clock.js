// The guided session's clock: one countdown at a time, shown big, pausable and skippable.
// `run(label, phase, seconds, onSecond, onEnd)` calls onSecond(secondsLeft) as each whole
// second is reached and onEnd(elapsedSeconds, skipped) at zero or when skipped.
// Timers run faster when localStorage "glutecoach.timerSpeed" (or the app's timer_speed) > 1.
(function () {
  "use strict";
  var TICK_MS = 100;
  function speed() {  // read on every tick, so a test can change it mid-session
    var stored = Number(window.localStorage.getItem("glutecoach.timerSpeed"));
    return stored > 0 ? stored : (Number(document.body.getAttribute("data-timer-speed")) || 1);
  }
  window.GCClock = function (root, ui) {
    var clock = null;
    function show(label, phase) {
      ui.phase.textContent = label;
      root.setAttribute("data-phase", phase);
    }
    function stop() {
      if (clock) { window.clearInterval(clock.handle); }
      clock = null;
    }
    function finish(skipped) {
      if (!clock) { return; }
      var done = clock;
      stop();
      done.onEnd(Math.max(0, done.total - Math.max(0, done.left)), skipped);
    }
    function run(label, phase, seconds, onSecond, onEnd) {
      stop();
      show(label, phase);
      if (!seconds || seconds <= 0) { ui.timer.textContent = "–"; onEnd(0, false); return; }
      clock = { left: seconds, total: seconds, paused: false, onEnd: onEnd, shown: Math.ceil(seconds) };
      ui.pause.textContent = "Pause";
      ui.timer.textContent = String(clock.shown);
      clock.handle = window.setInterval(function () {
        if (!clock || clock.paused) { return; }
        clock.left -= (TICK_MS / 1000) * speed();
        var whole = Math.max(0, Math.ceil(clock.left));
        if (whole !== clock.shown) {
          clock.shown = whole;
          ui.timer.textContent = String(whole);
          if (whole > 0 && onSecond) { onSecond(whole); }
        }
        if (clock && clock.left <= 0) { finish(false); }
      }, TICK_MS);
    }
    function togglePause() {
      if (!clock) { return false; }
      clock.paused = !clock.paused;
      ui.pause.textContent = clock.paused ? "Resume" : "Pause";
      ui.phase.setAttribute("data-paused", clock.paused ? "yes" : "no");
      return clock.paused;
    }
    function elapsed() { return clock ? clock.total - Math.max(0, clock.left) : 0; }
    ui.pause.addEventListener("click", togglePause);
    ui.skip.addEventListener("click", function () { finish(true); });
    return { run: run, stop: stop, show: show, elapsed: elapsed, running: function () { return Boolean(clock); } };
  };
})();
