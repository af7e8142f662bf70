/* Staff console: small enhancements; every page works without them.
   - the programme switcher opens the chosen programme at once;
   - the issue form shows only the fields of the chosen way of giving recipients;
   - the achievement form refreshes its badge preview as staff type, and opens the guidance of the chosen
     tier or category;
   - "select all" checkboxes in lists. */
(function () {
  "use strict";

  var switcher = document.querySelector("[data-switcher] select");
  if (switcher) {
    switcher.addEventListener("change", function () {
      if (switcher.value) {
        window.location.href = "/staff/p/" + encodeURIComponent(switcher.value) + "/";
      }
    });
  }

  var issue = document.querySelector(".issue-form");
  if (issue) {
    var groups = {
      one: ["name", "email", "language", "organisation"],
      list: ["recipients", "language", "organisation"],
      csv: ["file"]
    };
    var all = ["name", "email", "language", "organisation", "recipients", "file"];
    var showMode = function () {
      var checked = issue.querySelector("input[name=mode]:checked");
      var mode = checked ? checked.value : "one";
      all.forEach(function (name) {
        var field = document.getElementById("field-" + name);
        if (field) {
          field.hidden = groups[mode].indexOf(name) === -1;
        }
      });
    };
    issue.querySelectorAll("input[name=mode]").forEach(function (radio) {
      radio.addEventListener("change", showMode);
    });
    showMode();
  }

  var design = document.querySelector("[data-badge-preview]");
  if (design) {
    var image = document.querySelector("[data-badge-image]");
    var status = document.querySelector("[data-badge-status]");
    var timer = null;
    var value = function (name) {
      var field = design.querySelector("[name=" + name + "]");
      return field ? field.value : "";
    };
    var refresh = function () {
      var kind = value("kind");
      document.querySelectorAll("[data-guidance]").forEach(function (item) {
        item.open = item.getAttribute("data-guidance") === kind;
      });
      if (!kind) {
        return;
      }
      var query = new URLSearchParams({ kind: kind, name: value("name"), level: value("level"), issuer: value("issuer") });
      image.src = design.getAttribute("data-badge-preview") + "?" + query.toString();
    };
    image.addEventListener("error", function () {
      if (status) {
        status.textContent = status.getAttribute("data-error") || "—";
      }
    });
    design.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    });
    design.addEventListener("change", refresh);
  }

  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    var name = box.getAttribute("data-select-all");
    box.addEventListener("change", function () {
      box.form.querySelectorAll("input[type=checkbox][name=" + name + "]").forEach(function (item) {
        item.checked = box.checked;
      });
    });
  });

  var counts = document.querySelector("[data-event-counts]");
  if (counts && window.fetch) {
    var poll = function () {
      if (document.hidden) {
        window.setTimeout(poll, 15000);
        return;
      }
      fetch(counts.getAttribute("data-event-counts"), { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          (data ? data.events : []).forEach(function (event) {
            var confirmed = counts.querySelector("[data-confirmed='" + event.id + "']");
            var pending = counts.querySelector("[data-pending='" + event.id + "']");
            if (confirmed) { confirmed.textContent = event.confirmed; }
            if (pending) { pending.textContent = event.pending; }
          });
        })
        .catch(function () { /* offline: keep the figures shown */ })
        .then(function () { window.setTimeout(poll, 15000); });
    };
    window.setTimeout(poll, 15000);
  }
})();
