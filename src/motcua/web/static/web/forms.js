// Small helps for forms; every form works the same without them (the server decides).
(function () {
  "use strict";

  // A form sent once: the first click sends it, the buttons are then disabled. The button's own
  // name and value still go with the form (a disabled button would not send them).
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      var button = event.submitter;
      if (button && button.name) {
        var carried = document.createElement("input");
        carried.type = "hidden";
        carried.name = button.name;
        carried.value = button.value;
        carried.dataset.carried = "1";
        form.appendChild(carried);
      }
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
          b.disabled = true;
        });
      }, 0);
    });
  });
  // Coming back with the browser's Back button shows the form usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("input[type=hidden][data-carried]").forEach(function (i) { i.remove(); });
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = false;
      });
    });
  });

  // A search box that narrows a list of options as one types, with or without diacritics.
  function fold(text) {
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  document.querySelectorAll("input[data-filter]").forEach(function (box) {
    var select = document.getElementById(box.dataset.filter);
    if (!select) return;
    var button = box.parentElement.querySelector("[data-filter-button]");
    if (button) button.hidden = true;
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(select.options, function (option) {
        var name = fold(option.text);
        option.hidden = option.value !== "" && !option.selected &&
          !words.every(function (w) { return name.indexOf(w) >= 0; });
      });
    });
  });

  // A page that comes back with problems takes the reader to their list.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
