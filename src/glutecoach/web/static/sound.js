// Voice and tones for the guided session, so it can be followed lying on the floor.
// Speech is the browser's own speechSynthesis (works offline); when speech is switched off
// in Settings, or the browser has none, short Web Audio tones mark the same moments.
// Preferences live in this browser: localStorage "glutecoach.sound" = {mode, volume, rate},
// mode "voice" | "tones" | "off"; "glutecoach.muted" = "1" mutes everything for now.
(function () {
  "use strict";
  var KEY = "glutecoach.sound";
  var MUTED = "glutecoach.muted";
  var MODES = ["voice", "tones", "off"];
  // [frequency Hz, seconds] notes per kind of moment
  var TONES = {
    tick: [[880, 0.12]],
    go: [[660, 0.12], [990, 0.25]],
    lower: [[520, 0.2]],
    rest: [[523, 0.3], [392, 0.3]],
    done: [[660, 0.15], [880, 0.15], [1100, 0.3]],
    stop: [[440, 0.3], [330, 0.3], [440, 0.3], [330, 0.5]]
  };
  var audio = null;

  function number(value, low, high, fallback) {
    var n = Number(value);
    return isFinite(n) && n >= low && n <= high ? n : fallback;
  }
  function load() {
    var raw = {};
    try { raw = JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; } catch (e) { raw = {}; }
    return {
      mode: MODES.indexOf(raw.mode) >= 0 ? raw.mode : "voice",
      volume: number(raw.volume, 0, 1, 1),
      rate: number(raw.rate, 0.5, 2, 1)
    };
  }
  function save(prefs) { window.localStorage.setItem(KEY, JSON.stringify(prefs)); }
  function muted() { return window.localStorage.getItem(MUTED) === "1"; }
  function setMuted(on) {
    window.localStorage.setItem(MUTED, on ? "1" : "0");
    if (on) { hush(); }
  }
  function context() {  // created on a tap ("Start with voice"), as browsers require
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) { return null; }
    if (!audio) { audio = new Ctx(); }
    if (audio.state === "suspended") { audio.resume(); }
    return audio;
  }
  function tone(kind, prefs) {
    var ctx = context();
    if (!ctx) { return; }
    var at = ctx.currentTime;
    (TONES[kind] || TONES.tick).forEach(function (note) {
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = note[0];
      gain.gain.value = 0.3 * prefs.volume;
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(at);
      osc.stop(at + note[1]);
      at += note[1] + 0.05;
    });
  }
  function canSpeak() { return Boolean(window.speechSynthesis && window.SpeechSynthesisUtterance); }
  // Say `text`; `kind` is the tone played instead when speech is off (null: no tone).
  function say(text, kind) {
    var prefs = load();
    if (muted() || prefs.mode === "off") { return; }
    if (prefs.mode === "voice" && canSpeak()) {
      var utterance = new window.SpeechSynthesisUtterance(text);
      utterance.volume = prefs.volume;
      utterance.rate = prefs.rate;
      utterance.lang = document.documentElement.lang || "en";
      window.speechSynthesis.speak(utterance);
    } else if (kind) {
      tone(kind, prefs);
    }
  }
  function hush() { if (canSpeak()) { window.speechSynthesis.cancel(); } }
  window.GCSound = {
    load: load, save: save, say: say, hush: hush, unlock: context,
    muted: muted, setMuted: setMuted, modes: MODES,
    test: function () { say("This is how the coach sounds.", "done"); }
  };
})();
