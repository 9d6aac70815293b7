// The dashboard's charts, drawn with the vendored Chart.js (static/vendor/chartjs) from the tables right
// below them: each <canvas data-chart="line|bar" data-table="ID"> reads the table's header cells marked
// data-series (their text is the series' label, already in the panel's language) and the cells' raw
// data-value numbers. Nothing is embedded as script, so the panel's strict Content-Security-Policy holds.
// Series differ by dash pattern, point shape and fill as well as colour, so the charts read without colour.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;  // the tables still carry every number
  }
  var STYLES = {
    positive: {color: "#1f7a3d", dash: [], point: "circle"},
    neutral: {color: "#8a5a00", dash: [8, 4], point: "triangle"},
    negative: {color: "#b42318", dash: [2, 3], point: "rectRot", width: 3},
    rating: {color: "#2455c3", dash: [12, 4, 2, 4], point: "star"},
    current: {color: "#b42318", fill: true},
    previous: {color: "#5d6677", fill: false}
  };

  function readTable(table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var series = [];
    heads.forEach(function (th, column) {
      if (th.hasAttribute("data-series")) {
        series.push({key: th.getAttribute("data-series"), label: th.textContent.trim(), column: column,
                     axis: th.getAttribute("data-axis") || "count", values: []});
      }
    });
    var labels = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var cells = row.children;
      labels.push(cells[0].textContent.trim());
      series.forEach(function (s) {
        var raw = cells[s.column] ? cells[s.column].getAttribute("data-value") : "";
        s.values.push(raw === "" || raw === null ? null : Number(raw));
      });
    });
    return {labels: labels, series: series};
  }

  function lineDataset(s) {
    var style = STYLES[s.key] || {color: "#1d2330", dash: [], point: "circle"};
    return {label: s.label, data: s.values, borderColor: style.color, backgroundColor: style.color,
            borderDash: style.dash, borderWidth: style.width || 2, pointStyle: style.point, pointRadius: 5,
            spanGaps: true, yAxisID: s.axis === "rating" ? "rating" : "y"};
  }

  function barDataset(s) {
    var style = STYLES[s.key] || {color: "#1d2330", fill: true};
    // This period solid, the previous one as an outline only: the difference shows in black and white too.
    return {label: s.label, data: s.values, borderColor: style.color, borderWidth: 2,
            backgroundColor: style.fill ? style.color : "rgba(0, 0, 0, 0)",
            borderDash: style.fill ? [] : [4, 3], pointStyle: style.fill ? "rect" : "rectRounded"};
  }

  function draw(canvas) {
    var table = document.getElementById(canvas.getAttribute("data-table"));
    if (!table) {
      return;
    }
    var data = readTable(table);
    var line = canvas.getAttribute("data-chart") === "line";
    var scales = line ? {
      y: {beginAtZero: true, ticks: {precision: 0}},
      rating: {position: "right", min: 0, max: 5, grid: {drawOnChartArea: false}}
    } : {x: {beginAtZero: true, ticks: {precision: 0}}};
    var chart = new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: {labels: data.labels, datasets: data.series.map(line ? lineDataset : barDataset)},
      options: {
        indexAxis: line ? "x" : "y", responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {legend: {labels: {usePointStyle: true}}},
        scales: scales
      }
    });
    canvas.setAttribute("data-drawn", String(chart.data.datasets.length));
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
}());
