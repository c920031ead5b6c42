// The login page: a QR code printed by `glutecoach serve` opens /login#token=...; the token
// is read from the fragment (never sent to the server in a URL), put into the field, and the
// fragment is removed from the address bar and history entry.
(function () {
  "use strict";
  var hash = window.location.hash.slice(1);
  if (hash.indexOf("token=") !== 0) { return; }
  var field = document.getElementById("token");
  if (field) { field.value = decodeURIComponent(hash.slice("token=".length)); }
  window.history.replaceState(null, "", window.location.pathname);
})();
