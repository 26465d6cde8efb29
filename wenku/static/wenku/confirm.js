// <form data-confirm="question">: ask before submitting (the site's CSP allows no
// inline handlers, so this replaces onsubmit="return confirm(...)").
(function () {
  "use strict";
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();
