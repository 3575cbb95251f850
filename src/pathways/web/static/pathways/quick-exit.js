// "Leave this page quickly" (includes/quick_exit.html). The link alone already goes to an everyday page; here
// the page is *replaced* in the browser's history instead, so the Back button cannot bring it back, and it is
// hidden at once, before the next page has arrived. Escape pressed three times within two seconds does the same,
// for people who use a keyboard.
(function () {
  "use strict";
  var link = document.querySelector("a[data-quick-exit]");
  if (!link) return;
  var ESCAPES_NEEDED = 3;
  var WITHIN_MS = 2000;
  var escapes = [];

  function leave() {
    document.documentElement.hidden = true;
    window.location.replace(link.href);
  }

  link.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    escapes = escapes.filter(function (at) { return now - at < WITHIN_MS; });
    escapes.push(now);
    if (escapes.length >= ESCAPES_NEEDED) leave();
  });
})();
