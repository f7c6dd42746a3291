// The settlement report's month-by-month chart: received as a line, finished on time, late and
// open overdue as stacked bars, the digitization rate on its own axis. Data from #trend-data.
(function () {
  "use strict";
  var canvas = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var lang = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  var colours = ["#0b4f9c", "#2e7d32", "#b3261e", "#c78a00"];
  var datasets = data.series.map(function (series, index) {
    return {
      type: index === 0 ? "line" : "bar",
      label: series.label,
      data: series.values,
      backgroundColor: colours[index],
      borderColor: colours[index],
      stack: index === 0 ? undefined : "handled",
      yAxisID: "count",
      order: index === 0 ? 0 : 1
    };
  });
  datasets.push({
    type: "line",
    label: data.rate.label,
    data: data.rate.values,
    borderColor: "#6a1b9a",
    backgroundColor: "#6a1b9a",
    borderDash: [6, 4],
    yAxisID: "rate",
    order: 0
  });
  new Chart(canvas, {
    data: { labels: data.labels, datasets: datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: lang,
      interaction: { mode: "index", intersect: false },
      scales: {
        count: { position: "left", beginAtZero: true, stacked: true },
        rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } },
        x: { stacked: true }
      }
    }
  });
})();
