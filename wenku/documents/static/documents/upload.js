// Upload with live progress per file: upload %, then conversion stage and page i/n.
(function () {
  "use strict";
  const form = document.querySelector("form[data-upload]");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  const list = document.querySelector("[data-progress]");
  const maxBytes = parseInt(form.dataset.max, 10) * 1024 * 1024;
  // The words, in the reader's language, from the page (upload_views._script_texts).
  const T = JSON.parse(document.getElementById("upload-texts").textContent);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, name) => String(values[name]));

  function row(name) {
    const li = document.createElement("li");
    li.innerHTML = '<span class="name"></span> <progress max="100" value="0"></progress> <span class="state"></span>';
    li.querySelector(".name").textContent = name;
    list.appendChild(li);
    return li;
  }
  function say(li, text, cls) { li.querySelector(".state").textContent = text; if (cls) li.className = cls; }
  function link(li, href, text) { const a = document.createElement("a"); a.href = href; a.textContent = text; li.querySelector(".state").append(" ", a); }

  // One file sent on its own: once it publishes, the uploader lands on its page
  // (which offers to upload more); several files each keep their row and link.
  function poll(li, statusUrl, land) {
    fetch(statusUrl, {credentials: "same-origin"}).then((r) => r.json()).then((s) => {
      const bar = li.querySelector("progress");
      if (s.status === "processing") {
        const stage = T.stages[s.stage] || s.stage || T.converting;
        const pages = s.total ? ` ${fill(T.page_of, s)}` : "";
        say(li, `${stage}${pages}`);
        bar.removeAttribute("value");
        if (s.total) bar.value = Math.round((100 * s.current) / s.total);
        setTimeout(() => poll(li, statusUrl, land), 500);
      } else if (s.status === "published" || s.status === "in_review") {
        bar.value = 100;
        say(li, s.status === "published" ? fill(T.published, s) : T.in_review, "ok");
        link(li, s.url, T.view);
        li.dataset.done = s.status;
        if (land && s.status === "published") window.location.assign(`${s.url}#uploaded`);
      } else {
        say(li, fill(T.failed, {reason: s.reason || s.status_label}), "err");
        li.dataset.done = "failed";
      }
    }).catch(() => setTimeout(() => poll(li, statusUrl, land), 1500));
  }

  function sendOne(file, fields, land) {
    const li = row(file.name);
    if (file.size > maxBytes) { say(li, fill(T.too_big, {mb: form.dataset.max}), "err"); return; }
    const data = new FormData();
    fields.forEach(([k, v]) => data.append(k, v));
    data.append("files", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || location.href);
    xhr.setRequestHeader("X-Requested-With", "fetch");
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) { const p = Math.round((100 * e.loaded) / e.total); li.querySelector("progress").value = p; say(li, fill(T.uploading, {percent: p})); } };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { say(li, fill(T.upload_failed_status, {status: xhr.status}), "err"); return; }
      const r = (body.results && body.results[0]) || body;
      if (!r.ok) { say(li, r.message || T.upload_failed, "err"); if (r.existing_url) link(li, r.existing_url, T.existing); return; }
      say(li, T.waiting);
      poll(li, r.status_url, land);
    };
    xhr.onerror = () => say(li, T.network, "err");
    xhr.send(data);
  }

  form.addEventListener("submit", (e) => {
    const input = form.querySelector('input[type="file"]');
    if (!input.files.length) return; // let the server explain what is missing
    e.preventDefault();
    form.querySelectorAll(".field-errors.client").forEach((n) => n.remove());
    if (!form.querySelector('input[name="agree"]').checked) {
      const err = document.createElement("div");
      err.className = "field-errors client";
      err.textContent = T.agree;
      form.querySelector('input[name="agree"]').closest(".field").appendChild(err);
      return;
    }
    const fields = [];
    const many = input.files.length > 1; // several files: each keeps its own file name as title
    new FormData(form).forEach((v, k) => { if (k !== "files" && !(many && k === "title")) fields.push([k, v]); });
    Array.from(input.files).forEach((f) => sendOne(f, fields, !many));
    input.value = "";
  });
})();
