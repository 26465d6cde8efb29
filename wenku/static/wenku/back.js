// Error pages: 返回上一页 goes back in the browser's history, offered only when the
// page before was one of this site's (a page opened from outside has none to go to).
(function () {
  "use strict";
  const wrap = document.querySelector("[data-back-wrap]");
  const button = document.querySelector("[data-history-back]");
  const cameFromHere = document.referrer.startsWith(`${window.location.origin}/`);
  if (!wrap || !button || !cameFromHere) return;
  wrap.hidden = false;
  button.addEventListener("click", () => window.history.back());
})();
