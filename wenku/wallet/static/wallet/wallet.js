// Wallet pages: the points a recharge amount buys, shown as it is typed, and the
// download that starts by itself right after a purchase.
(function () {
  "use strict";
  const input = document.querySelector("[data-points-rate]");
  const output = document.querySelector("[data-points-for]");
  if (input && output) {
    const rate = parseInt(input.dataset.pointsRate, 10) || 0;
    const show = () => {
      const yuan = Number(input.value);
      const ok = Number.isInteger(yuan) && yuan >= Number(input.min) && yuan <= Number(input.max);
      output.textContent = ok ? output.dataset.template.replace("{points}", String(yuan * rate)) : output.dataset.invalid;
    };
    input.addEventListener("input", show);
    show();
  }
  const start = document.querySelector("[data-autostart]");
  if (start) window.setTimeout(() => { window.location.href = start.href; }, 300);
})();
