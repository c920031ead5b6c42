// Draw the progress charts with the bundled plotly.min.js (served by the app; works offline).
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("chart-data");
    if (!holder || !window.Plotly) { return; }
    var data = JSON.parse(holder.textContent);
    var config = { responsive: true, displaylogo: false };
    var base = { margin: { t: 10, r: 50, b: 40, l: 50 }, legend: { orientation: "h" } };
    var layouts = {
      pain: Object.assign({}, base, { yaxis: { title: { text: "0-10" }, range: [0, 10] } }),
      adherence: Object.assign({}, base, { barmode: "group", yaxis: { title: { text: "sessions" } } }),
      load: Object.assign({}, base, {
        yaxis: { title: { text: "load" } },
        yaxis2: { title: { text: "reps" }, overlaying: "y", side: "right" }
      }),
      timeline: Object.assign({}, base, { yaxis: { title: { text: "phase" }, tickvals: [1, 2], range: [0.5, 2.5] } }),
      desk: Object.assign({}, base, {
        yaxis: { title: { text: "hours sitting" } },
        yaxis2: { title: { text: "breaks / minutes" }, overlaying: "y", side: "right" }
      })
    };
    Object.keys(layouts).forEach(function (name) {
      var el = document.getElementById("chart-" + name);
      if (el && data[name]) {
        layouts[name].xaxis = name === "adherence"
          ? { type: "category", title: { text: "week starting" } } : dateAxis(data[name]);
        window.Plotly.newPlot(el, data[name], layouts[name], config);
        el.setAttribute("data-traces", String(data[name].length));
      }
    });
    document.body.setAttribute("data-charts", "ready");
  }
  // Dates on the x axis, by day; a single day gets a week around it instead of milliseconds.
  function dateAxis(traces) {
    var days = [];
    traces.forEach(function (t) { days = days.concat(t.x || []); });
    var axis = { type: "date", tickformat: "%d %b %Y" };
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
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
