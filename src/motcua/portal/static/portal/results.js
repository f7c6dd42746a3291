// Charts of the public results page: the index by month, the ranking, the latest signed report.
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  var lang = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  var base = { responsive: true, maintainAspectRatio: false, animation: false, locale: lang };
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var trend = read("index-trend-data");
  if (trend) {
    new Chart(document.getElementById("index-trend"), {
      type: "line",
      data: { labels: trend.labels, datasets: [
        { label: trend.names[0], data: trend.total, borderColor: "#0b4f9c", backgroundColor: "#0b4f9c" },
        { label: trend.names[1], data: trend.percent, borderColor: "#6a1b9a", backgroundColor: "#6a1b9a", borderDash: [6, 4] }
      ] },
      options: Object.assign({ scales: { y: { min: 0, max: 100 } } }, base)
    });
  }
  var ranking = read("ranking-data");
  if (ranking) {
    new Chart(document.getElementById("ranking-chart"), {
      type: "bar",
      data: { labels: ranking.labels, datasets: [{ label: ranking.name, data: ranking.total, backgroundColor: "#0b4f9c" }] },
      options: Object.assign({ indexAxis: "y", scales: { x: { min: 0, max: 100 } } }, base)
    });
  }
  var report = read("report-data");
  if (report) {
    new Chart(document.getElementById("report-chart"), {
      type: "bar",
      data: { labels: report.labels, datasets: [{ data: report.values,
        backgroundColor: ["#1b5e20", "#2e7d32", "#b3261e", "#0b4f9c", "#8a5a00"] }] },
      options: Object.assign({ plugins: { legend: { display: false } } }, base)
    });
  }
})();
