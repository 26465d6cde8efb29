"""Signed, expiring download links bound to one member, and the file response.

No ORM writes here: views call the services to count downloads.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from wenku.conversion import registry
from wenku.documents.access import Buy, DocumentAccess, Download
from wenku.wallet.models import DownloadKind

SALT = "wenku.wallet.download"


def download_kind(access: DocumentAccess) -> DownloadKind:
    """What the download history says of a download this access allows."""
    if access.download == Download.FREE:
        return DownloadKind.FREE
    if access.buy == Buy.ENTITLED:
        return DownloadKind.BOUGHT
    if access.buy == Buy.OWN:
        return DownloadKind.OWN
    return DownloadKind.STAFF


def link_ttl() -> int:
    return int(getattr(settings, "WALLET_DOWNLOAD_LINK_TTL", 300))


def download_token(*, user_id: int, number: int) -> str:
    """A signed, timestamped token naming the member and the document."""
    signer = signing.TimestampSigner(salt=SALT)
    return signer.sign_object({"u": user_id, "d": number}, compress=False)


def download_url(*, user_id: int, number: int) -> str:
    """Path of the signed file URL for this member and document."""
    token = download_token(user_id=user_id, number=number)
    return reverse("wallet:file", kwargs={"number": number, "token": token})


class LinkRefused(Exception):
    """A signed link that is tampered, expired, or someone else's."""

    def __init__(self, message: str, *, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class LinkClaims:
    user_id: int
    number: int


def link_verify(*, token: str, number: int, user: Any) -> LinkClaims:
    """Check signature, age, document and member; raise LinkRefused otherwise."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        claims = signer.unsign_object(token, max_age=link_ttl())
    except signing.SignatureExpired as exc:
        raise LinkRefused(
            "下载链接已过期，请回到文档页重新下载 / This download link has expired"
        ) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkRefused("下载链接无效 / This download link is invalid") from exc
    if not isinstance(claims, dict) or claims.get("d") != number:
        raise LinkRefused("下载链接无效 / This download link is invalid")
    if not getattr(user, "is_authenticated", False):
        raise LinkRefused("请先登录后再下载 / Please log in to download")
    if claims.get("u") != user.pk:
        raise LinkRefused(
            "此下载链接属于其他会员，不能使用 / This download link belongs to "
            "another member"
        )
    return LinkClaims(user_id=user.pk, number=number)


def _ascii_fallback(name: str, *, number: int, extension: str) -> str:
    suffix = f".{extension}"
    stem = name[: -len(suffix)] if name.lower().endswith(suffix.lower()) else name
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = "".join(
        ch for ch in folded if ch.isprintable() and ch not in '"\\/;:*?<>|%'
    ).strip(" ._-")
    return f"{cleaned or f'wenku-{number}'}{suffix}"


def content_disposition(*, name: str, number: int, extension: str) -> str:
    """RFC 6266 attachment with an ASCII fallback and an RFC 5987 UTF-8 name."""
    name = "".join(ch for ch in name if ch.isprintable()) or f"wenku-{number}"
    fallback = _ascii_fallback(name, number=number, extension=extension)
    encoded = quote(name, safe="!#$&+-.^_`|~")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def file_response(*, document: Any) -> HttpResponse | FileResponse:
    """Serve the original: X-Accel-Redirect, S3 presigned redirect, or streamed."""
    name = document.original.name
    disposition = content_disposition(
        name=document.display_title,
        number=document.number,
        extension=document.file_type,
    )
    content_type = registry.mime_type(document.file_type)
    prefix = getattr(settings, "X_ACCEL_REDIRECT_PREFIX", "")
    response: HttpResponse | FileResponse
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    elif getattr(settings, "STORAGE_BACKEND", "local") == "s3":
        s3_storage: Any = default_storage  # S3Storage.url takes parameters and expire
        url = s3_storage.url(
            name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
            expire=link_ttl(),
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(
            default_storage.open(name, "rb"), content_type=content_type
        )
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
