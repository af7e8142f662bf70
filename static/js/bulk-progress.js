/* Live progress of a bulk issue job (staff console): polls the job's progress JSON and updates the
   <progress> element and its aria-live text. No dependencies; without JavaScript the page says to refresh. */
(function () {
  "use strict";
  var root = document.querySelector("[data-bulk-progress-url]");
  if (!root || root.getAttribute("data-bulk-finished") === "true" || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-bulk-progress-url");
  var bar = root.querySelector("progress");
  var status = root.querySelector("[data-bulk-status]");
  var done = root.querySelector("[data-bulk-done]");
  var delay = 1000;

  function show(data) {
    bar.max = Math.max(data.total, 1);
    bar.value = data.processed;
    bar.textContent = data.percent + "%";
    if (status.textContent !== data.message) {
      status.textContent = data.message; /* aria-live: announced only when it changes */
    }
    if (data.finished && done) {
      done.hidden = false;
    }
    return data.finished;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        delay = 1000;
        if (!show(data)) {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000); /* server busy or offline: back off, keep trying */
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
