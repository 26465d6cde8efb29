// Document reader: more pages in place, zoom, go to page, keyboard navigation,
// expand text, in-document search. Works without it: the first pages are plain HTML.
(function () {
  "use strict";
  const doc = document.querySelector("article.doc");
  if (!doc) return;
  const number = doc.dataset.number;
  const readable = parseInt(doc.dataset.readable, 10) || 0;
  const pagesBox = doc.querySelector("[data-pages]");
  const moreBtn = doc.querySelector("[data-more]");
  const paywall = doc.querySelector("[data-paywall]");
  let next = parseInt(doc.dataset.next, 10) || 1;
  let loading = null;

  function loadMore(count) {
    if (next > readable) return Promise.resolve();
    if (loading) return loading;
    loading = fetch(`/documents/${number}/pages/?start=${next}&count=${count || 3}`, {credentials: "same-origin"})
      .then((r) => { if (!r.ok) throw new Error(r.status); next = parseInt(r.headers.get("X-Next-Start"), 10); return r.text(); })
      .then((html) => {
        pagesBox.insertAdjacentHTML("beforeend", html);
        if (next > readable) { if (moreBtn) moreBtn.parentElement.hidden = true; if (paywall) paywall.hidden = false; }
      })
      .finally(() => { loading = null; });
    return loading;
  }
  if (moreBtn) moreBtn.addEventListener("click", () => loadMore(3));

  function goTo(page) {
    page = Math.max(1, Math.min(page, readable));
    const target = () => document.getElementById(`page-${page}`);
    const step = () => target() ? Promise.resolve() : loadMore(Math.max(page - next + 1, 1)).then(() => (target() || next > readable) ? null : step());
    return step().then(() => { const el = target(); if (el) el.scrollIntoView({behavior: "smooth", block: "start"}); });
  }
  function currentPage() {
    const figs = pagesBox.querySelectorAll("figure.page");
    let best = 1;
    figs.forEach((f) => { if (f.getBoundingClientRect().top < window.innerHeight / 3) best = parseInt(f.dataset.page, 10); });
    return best;
  }
  const gotoForm = doc.querySelector("[data-goto]");
  if (gotoForm) gotoForm.addEventListener("submit", (e) => { e.preventDefault(); const v = parseInt(gotoForm.page.value, 10); if (v) goTo(v); });

  let zoom = 100;
  const zoomLabel = doc.querySelector("[data-zoom-level]");
  doc.querySelectorAll("[data-zoom]").forEach((b) => b.addEventListener("click", () => {
    zoom = Math.max(50, Math.min(200, zoom + 25 * parseInt(b.dataset.zoom, 10)));
    pagesBox.style.setProperty("--zoom", zoom / 100);
    zoomLabel.textContent = `${zoom}%`;
  }));

  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea, select") || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowRight" || e.key === "PageDown" || e.key === "j") { e.preventDefault(); goTo(currentPage() + 1); }
    else if (e.key === "ArrowLeft" || e.key === "PageUp" || e.key === "k") { e.preventDefault(); goTo(currentPage() - 1); }
    else if (e.key === "+" || e.key === "=") doc.querySelector('[data-zoom="1"]').click();
    else if (e.key === "-") doc.querySelector('[data-zoom="-1"]').click();
  });

  const expand = doc.querySelector("[data-expand]");
  if (expand) expand.addEventListener("click", () => { doc.querySelectorAll("[data-chunks] p[hidden]").forEach((p) => { p.hidden = false; }); expand.hidden = true; });

  const back = doc.querySelector("[data-back]");
  if (back) back.addEventListener("click", (e) => { if (document.referrer && new URL(document.referrer).origin === location.origin) { e.preventDefault(); history.back(); } });

  const searchForm = doc.querySelector("[data-docsearch]");
  const results = doc.querySelector("[data-docsearch-results]");
  if (searchForm) searchForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = searchForm.q.value.trim();
    if (!q) return;
    fetch(`/api/documents/${number}/search?q=${encodeURIComponent(q)}`, {credentials: "same-origin"})
      .then((r) => r.json())
      .then((data) => {
        const hits = data.pages || [];
        results.textContent = "";
        if (!hits.length) { results.textContent = "没有找到 / No match"; return; }
        hits.forEach((h) => {
          const a = document.createElement(h.viewable ? "a" : "span");
          a.textContent = `第${h.page}页(${h.count})`;
          if (h.viewable) { a.href = `#page-${h.page}`; a.addEventListener("click", (ev) => { ev.preventDefault(); goTo(h.page); }); }
          else a.className = "locked";
          results.appendChild(a);
        });
      })
      .catch(() => { results.textContent = "搜索失败 / Search failed"; });
  });
})();
