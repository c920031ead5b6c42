// The progress charts, drawn with the bundled plotly.min.js (served by the app; offline).
// A range selector (4 weeks, 3 months, 1 year, all) picks the series the server grouped by
// day, week or month; every chart has its numbers as a table, the text alternative.
(function () {
  "use strict";
  var CHARTS = ["pain", "adherence", "reps", "holds", "load", "timeline"];
  var AXES = {
    pain: { title: { text: "pain, 0 to 10" }, range: [0, 10.5] },
    adherence: { title: { text: "sessions" }, rangemode: "tozero" },
    reps: { title: { text: "reps per set" }, rangemode: "tozero" },
    holds: { title: { text: "seconds held" }, rangemode: "tozero" },
    load: { title: { text: "load" }, rangemode: "tozero" },
    timeline: { title: { text: "phase" }, tickvals: [1, 2], range: [0.5, 2.5] },
    desk: { title: { text: "hours sitting / breaks" }, rangemode: "tozero" }
  };
  var data = null;
  var bucket = "per day";
  var config = { responsive: true, displaylogo: false, displayModeBar: false };

  function layout(name, traces) {
    var y = Object.assign({}, AXES[name]);
    if (name === "load") { y.title = { text: "load (" + data.units + ")" }; }

    var result = {
      margin: { t: 10, r: 20, b: 50, l: 55 }, legend: { orientation: "h", y: -0.3 },
      barmode: "group", yaxis: y, xaxis: dateAxis(traces), height: 320
    };
    if (name === "desk") {
      result.yaxis2 = { title: { text: "breaks / minutes" }, overlaying: "y", side: "right" };
    }
    return result;
  }
  function dateAxis(traces) {  // a single day gets a week around it instead of milliseconds
    var days = [];
    traces.forEach(function (t) { days = days.concat(t.x || []); });
    var axis = { type: "date", tickformat: bucket === "per day" ? "%d %b %Y" : "%b %Y", nticks: 6 };
    if (days.length) {
      days.sort();
      var first = new Date(days[0]), last = new Date(days[days.length - 1]);
      if (last - first < 7 * 86400000) {
        axis.range = [new Date(first.getTime() - 3 * 86400000).toISOString().slice(0, 10),
                      new Date(last.getTime() + 4 * 86400000).toISOString().slice(0, 10)];
      }
    }
    return axis;
  }
  function table(traces, unit) {
    var holder = document.createElement("div");
    if (!traces.length) { holder.textContent = "Nothing logged in this range yet."; return holder; }
    var rows = {};
    traces.forEach(function (t, col) {
      (t.x || []).forEach(function (x, i) { (rows[x] = rows[x] || [])[col] = t.y[i]; });
    });
    var tbl = document.createElement("table");
    var caption = document.createElement("caption");
    caption.textContent = unit;
    tbl.appendChild(caption);
    var head = tbl.insertRow();
    ["Date"].concat(traces.map(function (t) { return t.name; })).forEach(function (text) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      head.appendChild(th);
    });
    Object.keys(rows).sort().forEach(function (x) {
      var row = tbl.insertRow();
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = x;
      row.appendChild(th);
      traces.forEach(function (t, col) {
        var v = rows[x][col];
        row.insertCell().textContent = v === undefined ? "–" : String(v);
      });
    });
    holder.appendChild(tbl);
    return holder;
  }
  function draw(name, traces, unit) {
    var el = document.getElementById("chart-" + name);
    if (!el) { return; }
    var block = document.getElementById("block-" + name);
    if (block) { block.hidden = name !== "pain" && name !== "adherence" && !traces.length; }
    window.Plotly.react(el, traces, layout(name, traces), config);
    el.setAttribute("data-traces", String(traces.length));
    var holder = document.getElementById("table-" + name);
    if (holder) { holder.textContent = ""; holder.appendChild(table(traces, unit)); }
  }
  function show(key) {
    var range = data.ranges[key] || data.ranges[data["default"]];
    bucket = range.bucket;
    CHARTS.forEach(function (name) { draw(name, range[name] || [], range.bucket); });
    document.getElementById("range-note").textContent =
      "Last " + range.label.toLowerCase() + ": points are the " + range.bucket + ".";
    document.body.setAttribute("data-range", key);
  }
  function init() {
    var holder = document.getElementById("chart-data");
    if (!holder || !window.Plotly) { return; }
    data = JSON.parse(holder.textContent);
    var ranges = document.getElementById("ranges");
    ranges.hidden = false;
    ranges.addEventListener("change", function (e) { if (e.target.name === "range") { show(e.target.value); } });
    var checked = ranges.querySelector("input:checked");
    show(checked ? checked.value : data["default"]);
    if (data.desk && data.desk.length) { draw("desk", data.desk, "per day"); }
    document.body.setAttribute("data-charts", "ready");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
