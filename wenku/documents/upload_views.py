"""Upload page: one or many files, live progress per file (upload %, then conversion)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from wenku.conversion import registry
from wenku.core.selectors import site_settings_get
from wenku.documents.forms import UploadForm, form_add_rejection
from wenku.documents.services import UploadRejected, document_upload


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _one_file(
    request: HttpRequest, upload: Any, meta: dict[str, Any], multi: bool
) -> dict[str, Any]:
    path, is_temp = _as_path(upload)
    try:
        document = document_upload(
            uploader=request.user,
            file_name=upload.name,
            path=path,
            title=None if multi else meta["title"],
            category=meta["category"],
            tags=meta["tags"],
            description=meta["description"],
            price=meta["price"],
            free_pages=meta["free_pages"],
            copyright_declared=meta["agree"],
        )
    except UploadRejected as exc:
        if exc.field is not None:
            raise  # about the form's details, the same for every file: see upload()
        return {
            "ok": False,
            "file": upload.name,
            "code": exc.code,
            "message": exc.message,
            "existing_url": exc.existing.get_absolute_url() if exc.existing else None,
            "retry_after": exc.retry_after,
        }
    finally:
        if is_temp:
            path.unlink(missing_ok=True)
    return {
        "ok": True,
        "file": upload.name,
        "number": document.number,
        "title": document.display_title,
        "url": document.get_absolute_url(),
        "status_url": f"/documents/{document.number}/status.json",
    }


def _as_path(upload: Any) -> tuple[Path, bool]:
    """The uploaded file on disk, and whether we made a temp copy to remove afterwards."""
    if hasattr(upload, "temporary_file_path"):
        return Path(upload.temporary_file_path()), False
    handle = tempfile.NamedTemporaryFile(prefix="wenku-up-", delete=False)  # noqa: SIM115
    with handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return Path(handle.name), True


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    initial = {"free_pages": site_settings_get().default_free_pages, "price": 0}
    if request.method != "POST":
        return render(
            request, "documents/upload.html", _context(UploadForm(initial=initial))
        )
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, form, code="invalid")
    files = form.cleaned_data["files"]
    try:
        results = [
            _one_file(request, f, form.cleaned_data, len(files) > 1) for f in files
        ]
    except UploadRejected as exc:
        # The service checks the details before any file, so nothing was written.
        form_add_rejection(form, exc)
        return _refused(request, form, code=exc.code, message=exc.message)
    status = 200 if all(r["ok"] for r in results) else 400
    # Past the daily upload quota: 429, and when the quota resets.
    retry_after = max((r.get("retry_after") or 0 for r in results), default=0)
    if retry_after:
        status = 429
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {"ok": status == 200, "results": results}, status=status
        )
    else:
        response = render(
            request,
            "documents/upload.html",
            _context(UploadForm(initial=initial), results=results),
            status=status,
        )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _refused(
    request: HttpRequest, form: UploadForm, *, code: str, message: str = ""
) -> HttpResponse:
    """The form again with its errors (400); JSON for the upload script."""
    if not _wants_json(request):
        return render(request, "documents/upload.html", _context(form), status=400)
    errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
    return JsonResponse(
        {
            "ok": False,
            "code": code,
            "message": message or next(iter(errors.values()))[0],
            "errors": errors,
        },
        status=400,
    )


def _script_texts() -> dict[str, Any]:
    """What upload.js says, in the reader's language ({name} marks a value)."""
    return {
        "stages": {
            "queued": _("排队中"),
            "converting": _("转换中"),
            "rendering": _("生成页面"),
            "ocr": _("文字识别"),
            "indexing": _("建立索引"),
        },
        "converting": _("转换中"),
        "page_of": _("第 {current}/{total} 页"),
        "published": _("已发布（{pages} 页）"),
        "in_review": _("审核中"),
        "view": _("查看文档"),
        "failed": _("失败：{reason}"),
        "too_big": _("文件超过 {mb} MB 上限"),
        "uploading": _("上传中 {percent}%"),
        "upload_failed_status": _("上传失败（{status}）"),
        "upload_failed": _("上传失败"),
        "existing": _("查看已有文档"),
        "waiting": _("已上传，等待转换"),
        "network": _("网络错误，请重试"),
        "agree": _("请勾选版权声明 / Please confirm the copyright declaration"),
    }


def _context(
    form: UploadForm, results: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "form": form,
        "results": results or [],
        "max_mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024),
        "accept": registry.accept_attribute(),
        "script_texts": _script_texts(),
    }
