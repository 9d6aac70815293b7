// The reply composer's live 5P check: while the agent types, post the text to the check URL and show the
// answer (an HTML fragment rendered by the panel) in place of the last one. Without this file the "Check"
// button does the same with a page load. Loaded as a file: the panel's Content-Security-Policy allows no
// inline script.
(function () {
  "use strict";
  var WAIT_MS = 600;

  function attach(form) {
    var url = form.getAttribute("data-check-url");
    var text = form.querySelector("textarea[name=text]");
    var language = form.querySelector("select[name=language]");
    var result = form.querySelector(".five-p-result");
    if (!url || !text || !result) {
      return;
    }
    var timer = null;
    var latest = 0;

    function check() {
      var body = new FormData();
      body.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
      body.append("text", text.value);
      body.append("language", language ? language.value : "");
      var ticket = ++latest;
      fetch(url, {method: "POST", body: body, credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html !== null && ticket === latest) {  // an older answer arriving late must not win
            result.innerHTML = html;
            form.setAttribute("data-checked", String(ticket));
          }
        })
        .catch(function () { /* offline: the Check button still works */ });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, WAIT_MS);
    }

    text.addEventListener("input", later);
    if (language) {
      language.addEventListener("change", check);
    }
  }

  document.querySelectorAll("form.composer[data-check-url]").forEach(attach);
})();
