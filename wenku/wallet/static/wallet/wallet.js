// Wallet pages: the points a recharge amount buys, shown as it is typed and then
// confirmed by the server (the rule every order is checked by), and the download
// that starts by itself right after a purchase.
(function () {
  "use strict";
  const input = document.querySelector("[data-points-rate]");
  const output = document.querySelector("[data-points-for]");
  if (input && output) {
    const rate = parseInt(input.dataset.pointsRate, 10) || 0;
    const say = (points) => output.dataset.template.replace("{points}", String(points));
    let timer = 0;
    let asked = 0;
    const ask = () => {
      const number = ++asked;
      const url = `${input.dataset.quote}?yuan=${encodeURIComponent(input.value)}`;
      fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then((r) => r.json())
        .then((body) => {
          if (number !== asked) return; // a later amount was typed meanwhile
          output.textContent = body.points !== undefined ? say(body.points) : body.message;
          output.dataset.checked = input.value;
        })
        .catch(() => {}); // offline: the figure typed stays; the order is checked anyway
    };
    const show = () => {
      const yuan = Number(input.value);
      const ok = input.value !== "" && Number.isInteger(yuan) && yuan >= Number(input.min) && yuan <= Number(input.max);
      output.textContent = ok ? say(yuan * rate) : output.dataset.invalid;
      delete output.dataset.checked;
      window.clearTimeout(timer);
      if (input.dataset.quote) timer = window.setTimeout(ask, 250);
    };
    input.addEventListener("input", show);
  }
  const start = document.querySelector("[data-autostart]");
  if (start) window.setTimeout(() => { window.location.href = start.href; }, 300);
})();
