// Clinic forms: each <form data-clinic-form="/api/..."> is sent as JSON (the API's only body
// type, which also keeps other sites from posting it). An invite token is read from the
// link's fragment (never sent in a URL) and removed from the address bar.
(function () {
  "use strict";
  var token = window.location.hash.slice(1);
  if (token) { window.history.replaceState(null, "", window.location.pathname); }
  document.querySelectorAll("form[data-clinic-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = {};
      // an empty optional field is left out (the API's default), not sent as ""
      new FormData(form).forEach(function (value, key) { if (value !== "") { body[key] = value; } });
      if (form.hasAttribute("data-token-from-hash")) { body.token = token; }
      var error = document.getElementById("form-error");
      fetch(form.getAttribute("data-clinic-form"), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(body)
      }).then(function (reply) {
        return reply.json().then(function (data) { return { ok: reply.ok, data: data }; });
      }).then(function (answer) {
        if (!answer.ok) {
          var detail = answer.data.detail;
          error.textContent = typeof detail === "string" ? detail : "Please check the form: " + JSON.stringify(detail);
          error.hidden = false;
          return;
        }
        if (form.hasAttribute("data-reload")) { window.location.reload(); return; }
        var next = answer.data.role === "clinician" ? form.getAttribute("data-next-clinician") : form.getAttribute("data-next-patient");
        window.location.assign(next || "/");
      });
    });
  });
})();
// The clip upload: the file itself is the request body.
(function () {
  "use strict";
  var form = document.querySelector("form[data-clinic-upload]");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = document.getElementById("clip").files[0];
    var error = document.getElementById("form-error");
    if (!file) { return; }
    var dot = file.name.lastIndexOf(".");
    var suffix = dot >= 0 ? file.name.slice(dot) : ".mp4";
    var url = "/clinic/reviews?exercise=" + encodeURIComponent(document.getElementById("exercise").value) +
      "&suffix=" + encodeURIComponent(suffix);
    // a video's own type, else octet-stream: the server takes clips only as one of these
    var type = /^video\//.test(file.type) ? file.type : "application/octet-stream";
    fetch(url, { method: "POST", credentials: "same-origin", body: file,
                 headers: { "Content-Type": type } })
      .then(function (reply) { return reply.json().then(function (data) { return { ok: reply.ok, data: data }; }); })
      .then(function (answer) {
        if (!answer.ok) { error.textContent = answer.data.detail; error.hidden = false; return; }
        window.location.reload();
      });
  });
})();
// A patient's setting (equipment, doses): PUT the JSON value to .../settings/NAME.
(function () {
  "use strict";
  var form = document.querySelector("form[data-clinic-setting]");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var error = document.getElementById("form-error");
    var value;
    try { value = JSON.parse(document.getElementById("setting-value").value); }
    catch (e) { error.textContent = "The value is not JSON (put text in double quotes)."; error.hidden = false; return; }
    var url = form.getAttribute("data-clinic-setting") + encodeURIComponent(document.getElementById("setting-name").value);
    fetch(url, { method: "PUT", credentials: "same-origin", headers: { "Content-Type": "application/json" },
                 body: JSON.stringify({ value: value }) })
      .then(function (reply) { return reply.json().then(function (data) { return { ok: reply.ok, data: data }; }); })
      .then(function (answer) {
        if (!answer.ok) {
          var detail = answer.data.detail;
          error.textContent = typeof detail === "string" ? detail : JSON.stringify(detail);
          error.hidden = false;
          return;
        }
        window.location.reload();
      });
  });
})();
