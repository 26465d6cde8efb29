"""API routes for documents: upload, metadata, status, favorite, rate."""

from __future__ import annotations

from pathlib import Path

from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from wenku.accounts.api_auth import bearer, optional_bearer_user
from wenku.core.models import Category
from wenku.core.ratelimit import rate_limited_response
from wenku.documents.access import DocumentAccess, document_get_for_user
from wenku.documents.models import Document
from wenku.documents.selectors import cluster_of
from wenku.documents.services import (
    DocumentRejected,
    UploadRejected,
    document_favorite_toggle,
    document_rate,
    document_unlist,
    document_upload,
)

router = Router(tags=["documents"])


class Message(Schema):
    message: str


class DuplicateMessage(Schema):
    message: str
    duplicate_of: int | None = (
        None  # the document holding it, when the asker may see it
    )


class UploadOut(Schema):
    number: int
    status: str
    url: str


class ClusterOut(Schema):
    original: int
    size: int


class DocumentOut(Schema):
    number: int
    title: str
    display_title: str
    file_type: str
    status: str
    reason: str
    stage: str
    progress_current: int
    progress_total: int
    pages: int
    free_pages: int
    readable_pages: int
    price: int
    size: int
    category: str | None
    uploader: str
    views: int
    downloads: int
    rating: float
    created_at: str
    url: str
    # Near-copies (docs/moderation.md): the original's number and how many
    # published versions there are with this one; null when it has none.
    cluster: ClusterOut | None


# Only types here: the limits are the upload service's, so the API and the web form
# refuse the same input with the same message.
class UploadMeta(Schema):
    title: str = Field(default="", description="at most 200 characters")
    category: str = Field(default="", max_length=60, description="category slug")
    tags: str = Field(default="", description="comma-separated, 200 characters in all")
    description: str = Field(default="", description="at most 2000 characters")
    price: int = Field(default=0, description="0 (free) or within the site's bounds")
    free_pages: int | None = Field(default=None, description="1-1000")
    agree: bool = Field(
        default=False,
        description="true: the uploader declares the document their own work or "
        "licensed, infringing no one's copyright (required)",
    )


class RateIn(Schema):
    stars: int = Field(description="1-5")


class FavoriteOut(Schema):
    favorite: bool


def _document_out(document: Document, access: DocumentAccess) -> dict:
    return {
        "number": document.number,
        "title": document.title,
        "display_title": document.display_title,
        "file_type": document.file_type,
        "status": document.status,
        "reason": document.failure_reason,
        "stage": document.progress_stage,
        "progress_current": document.progress_current,
        "progress_total": document.progress_total,
        "pages": document.page_count,
        "free_pages": document.free_pages,
        "readable_pages": access.readable_pages,
        "price": document.price,
        "size": document.size,
        "category": document.category.slug if document.category else None,
        "uploader": document.uploader.public_name,
        "views": document.views,
        "downloads": document.downloads,
        "rating": document.rating,
        "created_at": document.created_at.isoformat(),
        "url": document.get_absolute_url(),
        "cluster": _cluster_out(document),
    }


def _cluster_out(document: Document) -> dict | None:
    cluster = cluster_of(document, shown=1)
    if cluster is None:
        return None
    return {"original": cluster.original.number, "size": cluster.size}


@router.post(
    "/documents",
    auth=bearer,
    response={
        201: UploadOut,
        400: Message,
        403: Message,
        409: DuplicateMessage,
        413: Message,
        429: Message,
    },
)
def upload(request: HttpRequest, file: File[UploadedFile], meta: Form[UploadMeta]):
    category = None
    if meta.category:
        category = Category.objects.filter(slug=meta.category).first()
        if category is None:
            raise HttpError(400, f"分类不存在 / Unknown category: {meta.category}")
    # A large upload is already on disk: hand the service its path, not the bytes.
    on_disk = getattr(file, "temporary_file_path", None)
    try:
        document = document_upload(
            uploader=request.auth,
            file_name=file.name or "upload",
            path=Path(on_disk()) if on_disk else None,
            data=None if on_disk else file.read(),
            title=meta.title or None,
            category=category,
            tags=meta.tags,
            description=meta.description,
            price=meta.price,
            free_pages=meta.free_pages,
            copyright_declared=meta.agree,
        )
    except UploadRejected as exc:
        if exc.retry_after is not None:  # the daily upload quota
            return rate_limited_response(request, exc.retry_after, exc.message)
        if exc.code == "duplicate":
            existing = exc.existing
            return Status(
                409,
                {
                    "message": f"{exc.message}: {existing.get_absolute_url()}"
                    if existing
                    else exc.message,
                    "duplicate_of": existing.number if existing else None,
                },
            )
        status = {"too_large": 413, "banned": 409, "suspended": 403}.get(exc.code, 400)
        raise HttpError(status, exc.message) from exc
    return Status(
        201,
        {
            "number": document.number,
            "status": document.status,
            "url": document.get_absolute_url(),
        },
    )


@router.get("/documents/{number}", response={200: DocumentOut, 404: Message})
def get_document(request: HttpRequest, number: int):
    try:
        document, access = document_get_for_user(
            number=number, user=optional_bearer_user(request)
        )
    except Http404 as exc:
        raise HttpError(404, "文档不存在 / Document not found") from exc
    return _document_out(document, access)


def _member_document(
    request: HttpRequest, number: int
) -> tuple[Document, DocumentAccess]:
    """The document and the bearer's access to it; 404 when they may not see it."""
    try:
        return document_get_for_user(number=number, user=request.auth)
    except Http404 as exc:
        raise HttpError(404, "文档不存在 / Document not found") from exc


@router.post(
    "/documents/{number}/favorite",
    auth=bearer,
    response={200: FavoriteOut, 404: Message},
)
def favorite(request: HttpRequest, number: int):
    document, access = _member_document(request, number)
    if not access.favorite:
        raise HttpError(404, "文档不存在 / Document not found")
    return {"favorite": document_favorite_toggle(user=request.auth, document=document)}


@router.post(
    "/documents/{number}/rate",
    auth=bearer,
    response={200: DocumentOut, 400: Message, 404: Message},
)
def rate(request: HttpRequest, number: int, payload: RateIn):
    document, access = _member_document(request, number)
    try:
        document = document_rate(
            user=request.auth, document=document, stars=payload.stars
        )
    except DocumentRejected as exc:
        raise HttpError(400, exc.message) from exc
    return _document_out(document, access)


@router.delete(
    "/documents/{number}",
    auth=bearer,
    response={200: DocumentOut, 400: Message, 404: Message},
    summary="Unlist my document: gone from the site and search; buyers keep it",
)
def unlist(request: HttpRequest, number: int):
    document, access = _member_document(request, number)
    if not access.edit:
        # The same answer as for a missing document: others' documents are not
        # ours to withdraw, and saying so would tell what exists.
        raise HttpError(404, "文档不存在 / Document not found")
    try:
        document = document_unlist(document=document, by=request.auth)
    except DocumentRejected as exc:
        raise HttpError(400, exc.message) from exc
    document, access = document_get_for_user(number=number, user=request.auth)
    return _document_out(document, access)
