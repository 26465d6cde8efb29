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

from wenku.core.selectors import site_settings_get
from wenku.documents.forms import UploadForm
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
        )
    except UploadRejected as exc:
        return {
            "ok": False,
            "file": upload.name,
            "code": exc.code,
            "message": exc.message,
            "existing_url": exc.existing.get_absolute_url() if exc.existing else None,
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
    if (
        request.META.get("CONTENT_LENGTH", "0").isdigit()
        and int(request.META.get("CONTENT_LENGTH", "0"))
        > settings.MAX_UPLOAD_BYTES + 1024 * 1024
    ):
        message = _("文件超过 %(mb)s MB 上限 / File is larger than %(mb)s MB") % {
            "mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)
        }
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "code": "too_large", "message": message}, status=413
            )
        form.add_error(None, message)
        return render(request, "documents/upload.html", _context(form), status=413)
    if not form.is_valid():
        if _wants_json(request):
            errors = {
                field: [str(e) for e in errs] for field, errs in form.errors.items()
            }
            first = next(iter(errors.values()))[0]
            return JsonResponse(
                {"ok": False, "code": "invalid", "message": first, "errors": errors},
                status=400,
            )
        return render(request, "documents/upload.html", _context(form), status=400)
    files = form.cleaned_data["files"]
    results = [_one_file(request, f, form.cleaned_data, len(files) > 1) for f in files]
    if _wants_json(request):
        status = 200 if all(r["ok"] for r in results) else 400
        return JsonResponse({"ok": status == 200, "results": results}, status=status)
    return render(
        request,
        "documents/upload.html",
        _context(UploadForm(initial=initial), results=results),
        status=200 if all(r["ok"] for r in results) else 400,
    )


def _context(
    form: UploadForm, results: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "form": form,
        "results": results or [],
        "max_mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024),
        "accept": ".doc,.docx,.wps,.rtf,.odt,.txt,.xls,.xlsx,.et,.ods,.csv,.ppt,.pptx,.dps,.odp,.pdf",
    }
