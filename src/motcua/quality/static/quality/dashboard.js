// The service index dashboard's charts: points by group (scored, missed, without data) as
// stacked horizontal bars, and the total by month. Data from #group-data and #index-trend-data.
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  var lang = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var groups = read("group-data");
  var groupCanvas = document.getElementById("group-chart");
  if (groups && groupCanvas) {
    var colours = ["#2e7d32", "#b3261e", "#9e9e9e"];
    new Chart(groupCanvas, {
      type: "bar",
      data: {
        labels: groupCanvas.parentElement.clientWidth < 560 ? groups.short : groups.labels,
        datasets: [groups.points, groups.missed, groups.no_data].map(function (values, index) {
          return { label: groups.names[index], data: values, backgroundColor: colours[index], stack: "points" };
        })
      },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false, locale: lang,
        scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } }
      }
    });
  }
  var trend = read("index-trend-data");
  var trendCanvas = document.getElementById("index-trend");
  if (trend && trendCanvas) {
    new Chart(trendCanvas, {
      type: "line",
      data: {
        labels: trend.labels,
        datasets: [
          { label: trend.names[0], data: trend.total, borderColor: "#0b4f9c", backgroundColor: "#0b4f9c", yAxisID: "points" },
          { label: trend.names[1], data: trend.percent, borderColor: "#6a1b9a", backgroundColor: "#6a1b9a",
            borderDash: [6, 4], yAxisID: "percent" }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, locale: lang,
        interaction: { mode: "index", intersect: false },
        scales: {
          points: { position: "left", min: 0, max: 100 },
          percent: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } }
        }
      }
    });
  }
})();
