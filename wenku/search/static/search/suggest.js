// Suggestions as you type for every <input data-suggest> (the header search box).
(function () {
  "use strict";
  function attach(input) {
    const form = input.form;
    if (!form || input.dataset.suggestReady) return;
    input.dataset.suggestReady = "1";
    const list = document.createElement("ul");
    list.className = "suggest";
    list.hidden = true;
    list.setAttribute("role", "listbox");
    form.appendChild(list);
    let timer = null;
    let lastQuery = "";
    let controller = null;

    function close() { list.hidden = true; list.textContent = ""; }

    function show(items) {
      list.textContent = "";
      items.forEach((text) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.textContent = text;
        a.href = "/search?q=" + encodeURIComponent(text);
        a.setAttribute("role", "option");
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
    }

    function fetchSuggestions() {
      const q = input.value.trim();
      if (q === lastQuery) return;
      lastQuery = q;
      if (!q) { close(); return; }
      if (controller) controller.abort();
      controller = new AbortController();
      fetch("/api/search/suggest?q=" + encodeURIComponent(q), {signal: controller.signal})
        .then((r) => (r.ok ? r.json() : {suggestions: []}))
        .then((data) => { if (input.value.trim() === q) show(data.suggestions || []); })
        .catch(() => {});
    }

    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(fetchSuggestions, 150); });
    input.addEventListener("keydown", (e) => {
      const links = Array.from(list.querySelectorAll("a"));
      const at = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && links.length) { e.preventDefault(); links[0].focus(); }
      if (e.key === "Escape") close();
      if (at >= 0 && e.key === "Enter") return;
    });
    list.addEventListener("keydown", (e) => {
      const links = Array.from(list.querySelectorAll("a"));
      const at = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && at < links.length - 1) { e.preventDefault(); links[at + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
      if (e.key === "Escape") { close(); input.focus(); }
    });
    document.addEventListener("click", (e) => { if (!form.contains(e.target)) close(); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
