// The Settings page's "Voice and sound" form: mode, volume and voice speed for the guided
// session, saved in this browser (see sound.js).
(function () {
  "use strict";
  var form = document.getElementById("sound-form");
  if (!form || !window.GCSound) { return; }
  var mode = document.getElementById("sound-mode");
  var volume = document.getElementById("sound-volume");
  var rate = document.getElementById("sound-rate");
  var saved = document.getElementById("sound-saved");
  var prefs = window.GCSound.load();
  mode.value = prefs.mode;
  volume.value = String(Math.round(prefs.volume * 100));
  rate.value = String(prefs.rate);
  if (!rate.value) { rate.value = "1"; }
  form.hidden = false;
  function current() {
    return { mode: mode.value, volume: Number(volume.value) / 100, rate: Number(rate.value) };
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    window.GCSound.save(current());
    saved.textContent = "Sound settings saved on this device.";
  });
  document.getElementById("sound-test").addEventListener("click", function () {
    window.GCSound.save(current());
    window.GCSound.unlock();
    window.GCSound.test();
    saved.textContent = "Sound settings saved on this device.";
  });
})();
