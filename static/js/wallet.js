/* Wallet page helpers: copy buttons (with a spoken confirmation) and share analytics beacons.
   Everything works without this file: the text to copy is visible and selectable, share links are plain
   links to /share/<id>/<channel>/ which record the share and redirect. */
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  var article = document.querySelector("[data-share-base]");

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function beacon(channel) {
    if (!article || !channel) return;
    var url = article.getAttribute("data-share-base").replace(/link\/$/, channel + "/");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url, body);
    } else {
      fetch(url, { method: "POST", body: body, credentials: "same-origin" });
    }
  }

  function announce(text, button) {
    var feedback = button && button.parentNode.querySelector(".copy-feedback");
    if (feedback) {  /* visible next to the button, and spoken (role=status, aria-live) */
      feedback.textContent = "";
      window.setTimeout(function () { feedback.textContent = "✓ " + text; }, 50);
      window.clearTimeout(feedback._timer);
      feedback._timer = window.setTimeout(function () { feedback.textContent = ""; }, 5000);
      return;
    }
    if (!status) {
      status = document.createElement("div");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      document.body.appendChild(status);
    }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.querySelector(button.getAttribute("data-copy"));
      if (!source) return;
      var text = source.value || source.textContent;
      var done = function () {
        var original = button.getAttribute("data-label") || button.textContent;
        button.setAttribute("data-label", original);
        announce(button.getAttribute("data-copied") || "Copied", button);
        beacon(button.getAttribute("data-share-channel"));
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { source.select(); });
      } else {
        source.focus();
        source.select();
        try { document.execCommand("copy"); done(); } catch (e) { /* selected: the user can copy */ }
      }
    });
  });

  /* Native sharing (phones, some desktops): the "Share…" button appears only where navigator.share exists. */
  document.querySelectorAll("button.share-native").forEach(function (button) {
    var data = {
      title: button.getAttribute("data-share-title") || document.title,
      text: button.getAttribute("data-share-text") || "",
      url: button.getAttribute("data-share-url") || window.location.href
    };
    if (!navigator.share || (navigator.canShare && !navigator.canShare(data))) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share(data).then(function () { beacon("link"); }, function () { /* cancelled */ });
    });
  });

  /* After a refused form, move focus to its error summary so keyboard and screen reader users land there. */
  var errors = document.querySelector(".form-errors");
  if (errors) { errors.focus(); }
})();
