// Document reader: more pages in place, zoom that keeps every part of a page within
// reach, fit to width, full screen, keyboard and swipe paging, go to page, the
// reading position kept per member, expand text, in-document search.
// Works without it: the first pages are plain HTML.
(function () {
  "use strict";
  const doc = document.querySelector("article.doc");
  if (!doc) return;
  const number = doc.dataset.number;
  const readable = parseInt(doc.dataset.readable, 10) || 0;
  const total = parseInt(doc.dataset.total, 10) || readable;
  const reader = doc.querySelector("[data-reader]");
  const bar = doc.querySelector(".reader-bar");
  const pagesBox = doc.querySelector("[data-pages]");
  const moreBtn = doc.querySelector("[data-more]");
  const paywall = doc.querySelector("[data-paywall]");
  const pageLabel = doc.querySelector("[data-page-label]");
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

  const isFull = () => reader && reader.classList.contains("is-full");
  // The element that scrolls vertically: the window, or the pages box in full screen.
  function viewTop() { return isFull() ? pagesBox.getBoundingClientRect().top : 0; }
  function viewHeight() { return isFull() ? pagesBox.clientHeight : window.innerHeight; }

  function figure(page) { return document.getElementById(`page-${page}`); }
  function goTo(page, opts) {
    page = Math.max(1, Math.min(page, readable));
    const step = () => figure(page) ? Promise.resolve() : loadMore(Math.max(page - next + 1, 1)).then(() => (figure(page) || next > readable) ? null : step());
    return step().then(() => {
      const el = figure(page);
      if (el) el.scrollIntoView({behavior: (opts && opts.instant) ? "auto" : "smooth", block: "start", inline: "nearest"});
      return el ? page : null;
    });
  }
  function currentPage() {
    const figs = pagesBox.querySelectorAll("figure.page");
    const line = viewTop() + viewHeight() / 3;
    let best = 1;
    figs.forEach((f) => { if (f.getBoundingClientRect().top < line) best = parseInt(f.dataset.page, 10); });
    return best;
  }
  function showPage() { if (pageLabel) pageLabel.textContent = `${currentPage()} / ${total}`; }

  doc.querySelectorAll("[data-prev]").forEach((b) => b.addEventListener("click", () => goTo(currentPage() - 1)));
  doc.querySelectorAll("[data-next]").forEach((b) => b.addEventListener("click", () => goTo(currentPage() + 1)));
  // 目录: an entry jumps to its chapter's page, loading the pages before it first.
  doc.querySelectorAll("[data-goto-page]").forEach((a) => a.addEventListener("click", (e) => { e.preventDefault(); goTo(parseInt(a.dataset.gotoPage, 10)); }));
  const gotoForm = doc.querySelector("[data-goto]");
  if (gotoForm) gotoForm.addEventListener("submit", (e) => { e.preventDefault(); const v = parseInt(gotoForm.page.value, 10); if (v) goTo(v); });

  // Keep the sticky toolbar from covering the top of the page scrolled to.
  function barHeight() { if (bar) doc.style.setProperty("--bar-h", `${isFull() ? 0 : bar.offsetHeight}px`); }
  barHeight();
  window.addEventListener("resize", barHeight);

  // Zoom scales the page width; the pages box scrolls both ways when a page is wider
  // than it, and the page under the reader's eye stays in view.
  const STEPS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3];
  let zoom = 1;
  const zoomLabel = doc.querySelector("[data-zoom-level]");
  function setZoom(value) {
    const page = currentPage();
    const fig = figure(page);
    const before = fig ? (viewTop() - fig.getBoundingClientRect().top) / fig.offsetHeight : 0;
    const xRatio = pagesBox.scrollWidth > pagesBox.clientWidth ? (pagesBox.scrollLeft + pagesBox.clientWidth / 2) / pagesBox.scrollWidth : 0.5;
    zoom = Math.max(STEPS[0], Math.min(STEPS[STEPS.length - 1], value));
    pagesBox.style.setProperty("--zoom", String(zoom));
    if (zoomLabel) zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
    if (fig) {
      const delta = fig.getBoundingClientRect().top + before * fig.offsetHeight - viewTop();
      if (isFull()) pagesBox.scrollTop += delta; else window.scrollBy(0, delta);
    }
    pagesBox.scrollLeft = Math.max(0, xRatio * pagesBox.scrollWidth - pagesBox.clientWidth / 2);
    doc.dataset.zoom = String(zoom);
  }
  function zoomStep(direction) {
    const i = direction > 0 ? STEPS.findIndex((s) => s > zoom + 0.001) : STEPS.length - 1 - [...STEPS].reverse().findIndex((s) => s < zoom - 0.001);
    if (i >= 0 && i < STEPS.length) setZoom(STEPS[i]);
  }
  doc.querySelectorAll("[data-zoom]").forEach((b) => b.addEventListener("click", () => zoomStep(parseInt(b.dataset.zoom, 10))));
  function fitWidth() {
    const base = Math.min(820, pagesBox.clientWidth);
    setZoom(base ? pagesBox.clientWidth / base : 1);
  }
  const fitBtn = doc.querySelector("[data-fit]");
  if (fitBtn) fitBtn.addEventListener("click", fitWidth);

  // Full screen: the Fullscreen API where there is one; a fixed overlay either way.
  const fullBtn = doc.querySelector("[data-fullscreen]");
  let keepPage = 0; // the page to show again once the window has its new size
  function setFull(on) {
    if (!reader) return;
    keepPage = currentPage();
    reader.classList.toggle("is-full", on);
    document.body.classList.toggle("reader-open", on);
    if (fullBtn) fullBtn.setAttribute("aria-pressed", String(on));
    // The keyboard's focus follows the reader into full screen (the page behind it
    // is covered), and back to the button that opened it.
    if (on && !reader.contains(document.activeElement)) pagesBox.focus({preventScroll: true});
    if (!on && reader.contains(document.activeElement) && fullBtn) fullBtn.focus({preventScroll: true});
    barHeight();
    goTo(keepPage, {instant: true});
  }
  function toggleFull() {
    const on = !isFull();
    if (on && reader.requestFullscreen) reader.requestFullscreen().catch(() => null);
    if (!on && document.fullscreenElement) document.exitFullscreen().catch(() => null);
    setFull(on);
  }
  if (fullBtn) fullBtn.addEventListener("click", toggleFull);
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement && isFull()) { setFull(false); return; }
    // Entering or leaving changes the window's size and the browser restores its
    // own scroll position: go back to the page that was being read.
    if (keepPage) requestAnimationFrame(() => goTo(keepPage, {instant: true}));
  });

  const overflowsSideways = () => pagesBox.scrollWidth > pagesBox.clientWidth + 2;
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea, select, [contenteditable]") && e.key !== "Escape") return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const sideways = e.key === "ArrowRight" || e.key === "ArrowLeft";
    if (sideways && overflowsSideways()) {
      // The arrows pan a zoomed page: natively when the pages box has the focus,
      // by hand from anywhere else on the page (the toolbar's buttons, say).
      if (!pagesBox.contains(e.target)) { e.preventDefault(); pagesBox.scrollBy({left: e.key === "ArrowRight" ? 80 : -80}); }
      return;
    }
    if (e.key === "ArrowRight" || e.key === "PageDown" || e.key === "j") { e.preventDefault(); goTo(currentPage() + 1); }
    else if (e.key === "ArrowLeft" || e.key === "PageUp" || e.key === "k") { e.preventDefault(); goTo(currentPage() - 1); }
    else if (e.key === "+" || e.key === "=") zoomStep(1);
    else if (e.key === "-") zoomStep(-1);
    else if (e.key === "0") fitWidth();
    else if (e.key === "f") toggleFull();
    else if (e.key === "Escape" && isFull()) toggleFull();
  });

  // Swipe left or right to turn the page, unless a zoomed page needs the gesture to pan.
  let touch = null;
  pagesBox.addEventListener("touchstart", (e) => { touch = e.touches.length === 1 ? {x: e.touches[0].clientX, y: e.touches[0].clientY} : null; }, {passive: true});
  pagesBox.addEventListener("touchend", (e) => {
    if (!touch || overflowsSideways()) { touch = null; return; }
    const dx = e.changedTouches[0].clientX - touch.x;
    const dy = e.changedTouches[0].clientY - touch.y;
    touch = null;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) goTo(currentPage() + (dx < 0 ? 1 : -1));
  }, {passive: true});

  // The reading position, kept per member and document on the server.
  const positionUrl = `/documents/${number}/position.json`;
  let saved = 0;
  let saveTimer = null;
  let restoring = true;
  function csrf() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return m ? decodeURIComponent(m[1]) : (field ? field.value : "");
  }
  function savePosition(keepalive) {
    const page = currentPage();
    if (!doc.dataset.member || restoring || page === saved) return;
    saved = page;
    fetch(positionUrl, {method: "POST", credentials: "same-origin", keepalive: !!keepalive, headers: {"X-CSRFToken": csrf(), "Content-Type": "application/x-www-form-urlencoded"}, body: `page=${page}`}).catch(() => { saved = 0; });
  }
  function onScroll() {
    showPage();
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => savePosition(false), 700);
  }
  window.addEventListener("scroll", onScroll, {passive: true});
  pagesBox.addEventListener("scroll", onScroll, {passive: true});
  window.addEventListener("pagehide", () => savePosition(true));
  fetch(positionUrl, {credentials: "same-origin"})
    .then((r) => (r.ok ? r.json() : {}))
    .then((data) => {
      if (data.member) doc.dataset.member = "1";
      saved = data.page || 0;
      if (data.page > 1 && !location.hash) {
        return goTo(data.page, {instant: true}).then((page) => {
          const note = doc.querySelector("[data-resume-note]");
          if (page && note && note.dataset.text) { note.textContent = note.dataset.text.replace("{page}", page); note.hidden = false; }
          doc.dataset.restored = String(page || "");
        });
      }
      return null;
    })
    .catch(() => null)
    .finally(() => { restoring = false; showPage(); });

  const uploaded = doc.querySelector("[data-uploaded-note]");
  if (uploaded && location.hash === "#uploaded") uploaded.hidden = false;

  const expand = doc.querySelector("[data-expand]");
  if (expand) expand.addEventListener("click", () => { doc.querySelectorAll("[data-chunks] p[hidden]").forEach((p) => { p.hidden = false; }); expand.hidden = true; });

  const back = doc.querySelector("[data-back]");
  if (back) back.addEventListener("click", (e) => { if (document.referrer && new URL(document.referrer).origin === location.origin) { e.preventDefault(); history.back(); } });

  const copy = doc.querySelector("[data-copy]");
  if (copy) copy.addEventListener("click", () => {
    const input = doc.querySelector(copy.dataset.copy);
    input.select();
    if (navigator.clipboard) navigator.clipboard.writeText(input.value).catch(() => document.execCommand("copy"));
    else document.execCommand("copy");
    copy.textContent = copy.dataset.done || copy.textContent;
  });

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
        if (!hits.length) { results.textContent = results.dataset.none; return; }
        hits.forEach((h) => {
          const a = document.createElement(h.viewable ? "a" : "span");
          a.textContent = results.dataset.hit.replace("{page}", h.page).replace("{count}", h.count);
          if (h.viewable) { a.href = `#page-${h.page}`; a.addEventListener("click", (ev) => { ev.preventDefault(); goTo(h.page); }); }
          else a.className = "locked";
          results.appendChild(a);
        });
      })
      .catch(() => { results.textContent = results.dataset.failed; });
  });
})();
