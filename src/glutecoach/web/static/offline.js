// Sets that cannot reach the server (laptop asleep, server restarting) are kept in this
// browser's outbox and sent when it answers again, in order, each with its own
// Idempotency-Key header so a server that honours it stores a retried set exactly once.
// Runs on every page, so a queued set is sent from whichever page is open next.
(function () {
  "use strict";
  var KEY = "glutecoach.outbox";
  var REFUSED = "glutecoach.outbox.refused";
  var RETRY_MS = 3000;
  var timer = null;
  var flushing = null;

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "[]") || []; } catch (e) { return []; }
  }
  function write(key, items) { window.localStorage.setItem(key, JSON.stringify(items)); }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function post(item) {
    return window.fetch(item.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Idempotency-Key": item.key },
      body: JSON.stringify(item.body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        return { ok: r.ok, status: r.status, body: body, queued: false };
      });
    });
  }
  function unreachable(res) { return res.status >= 502 && res.status <= 504; }
  function announce() {
    var pending = read(KEY).length;
    document.documentElement.setAttribute("data-outbox", String(pending));
    var note = document.getElementById("outbox-note");
    if (note) {
      note.hidden = pending === 0;
      note.textContent = pending ? pending + (pending === 1 ? " set is" : " sets are") +
        " kept on this device until glutecoach answers again: they will be sent then." : "";
    }
    if (pending && !timer) { timer = window.setInterval(flush, RETRY_MS); }
    if (!pending && timer) { window.clearInterval(timer); timer = null; }
  }
  // Send one set now; when the server can't be reached it goes to the outbox instead.
  function send(url, body) {
    var item = { url: url, body: body, key: newKey() };
    var waiting = read(KEY).length > 0;  // keep the order: queued sets go first
    if (waiting) { return queue(item); }
    return post(item).then(function (res) {
      return unreachable(res) ? queue(item) : res;
    }, function () { return queue(item); });
  }
  function queue(item) {
    var items = read(KEY);
    items.push(item);
    write(KEY, items);
    announce();
    flush();
    return { ok: true, queued: true, status: 0, body: {} };
  }
  function flush() {
    if (flushing) { return flushing; }
    flushing = next().then(function () { flushing = null; announce(); });
    return flushing;
  }
  function next() {
    var items = read(KEY);
    if (!items.length) { return Promise.resolve(); }
    return post(items[0]).then(function (res) {
      if (unreachable(res)) { return; }
      var rest = read(KEY).filter(function (it) { return it.key !== items[0].key; });
      if (!res.ok) {  // refused (the session was finished meanwhile): keep it, say so
        var refused = read(REFUSED);
        refused.push({ item: items[0], detail: res.body && res.body.detail });
        write(REFUSED, refused);
      }
      write(KEY, rest);
      document.dispatchEvent(new CustomEvent("gc-outbox-sent", { detail: res }));
      return next();
    }, function () { /* still unreachable: try again later */ });
  }
  window.addEventListener("online", flush);
  window.GCOutbox = { send: send, flush: flush, pending: function () { return read(KEY).length; } };
  announce();
  flush();
})();
