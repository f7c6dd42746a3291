// PAR charts: the ranking coloured by group, a unit's areas against the average, its history.
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
  var ranking = read("par-ranking-data");
  if (ranking) {
    new Chart(document.getElementById("par-ranking"), {
      type: "bar",
      data: { labels: ranking.labels, datasets: [{ label: ranking.name, data: ranking.values, backgroundColor: ranking.colours }] },
      options: Object.assign({ indexAxis: "y", scales: { x: { min: 0, max: 100 } },
        plugins: { legend: { labels: { generateLabels: function () {
          return ranking.groups.map(function (g) { return { text: g.code, fillStyle: g.colour, strokeStyle: g.colour }; });
        } } } } }, base)
    });
  }
  var radar = read("par-radar-data");
  if (radar) {
    new Chart(document.getElementById("par-radar"), {
      type: "radar",
      data: { labels: radar.labels, datasets: [
        { label: radar.names[0], data: radar.unit, borderColor: "#0b4f9c", backgroundColor: "rgba(11,79,156,0.2)" },
        { label: radar.names[1], data: radar.average, borderColor: "#8a5a00", backgroundColor: "rgba(138,90,0,0.1)" }
      ] },
      options: Object.assign({ scales: { r: { min: 0, max: 100 } } }, base)
    });
  }
  var history = read("par-history-data");
  if (history) {
    new Chart(document.getElementById("par-history"), {
      type: "line",
      data: { labels: history.labels, datasets: [{ label: history.name, data: history.points, borderColor: "#0b4f9c",
        backgroundColor: "#0b4f9c" }] },
      options: base
    });
  }
})();
