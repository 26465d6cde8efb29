"""API routes for documents: upload, metadata, status, favorite, rate."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from wenku.accounts.api_auth import bearer
from wenku.core.models import Category
from wenku.core.selectors import site_settings_get
from wenku.documents.access import DocumentAccess, document_get_for_user
from wenku.documents.models import Document
from wenku.documents.services import (
    UploadRejected,
    document_favorite_toggle,
    document_rate,
    document_upload,
)
from wenku.wallet.selectors import price_bounds

router = Router(tags=["documents"])


class Message(Schema):
    message: str


class UploadOut(Schema):
    number: int
    status: str
    url: str


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


class UploadMeta(Schema):
    title: str = Field(default="", max_length=200)
    category: str = Field(default="", max_length=60, description="category slug")
    tags: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=2000)
    price: int = Field(default=0, ge=0, le=1_000_000)
    free_pages: int | None = Field(default=None, ge=1, le=1000)


class RateIn(Schema):
    stars: int = Field(ge=1, le=5)


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
    }


@router.post(
    "/documents",
    auth=bearer,
    response={201: UploadOut, 400: Message, 409: Message, 413: Message},
)
def upload(request: HttpRequest, file: File[UploadedFile], meta: Form[UploadMeta]):
    category = None
    if meta.category:
        category = Category.objects.filter(slug=meta.category).first()
        if category is None:
            raise HttpError(400, f"分类不存在 / Unknown category: {meta.category}")
    bounds = price_bounds()
    if not bounds.allows(meta.price):
        raise HttpError(
            400,
            f"价格须为 0 或 {max(bounds.minimum, 1)}–{bounds.maximum} 积分"
            " / Price out of range",
        )
    data = file.read()
    try:
        document = document_upload(
            uploader=request.auth,
            file_name=file.name or "upload",
            data=data,
            title=meta.title or None,
            category=category,
            tags=meta.tags,
            description=meta.description,
            price=meta.price,
            free_pages=meta.free_pages or site_settings_get().default_free_pages,
        )
    except UploadRejected as exc:
        if exc.code == "duplicate" and exc.existing is not None:
            raise HttpError(
                409, f"{exc.message}: {exc.existing.get_absolute_url()}"
            ) from exc
        raise HttpError(413 if exc.code == "too_large" else 400, exc.message) from exc
    return Status(
        201,
        {
            "number": document.number,
            "status": document.status,
            "url": document.get_absolute_url(),
        },
    )


def _optional_user(request: HttpRequest):
    """Bearer token when given (so uploaders see their own unpublished documents)."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = bearer.authenticate(request, header[7:].strip())
        if user is None:
            raise HttpError(401, "Bearer 令牌无效 / Invalid token")
        return user
    return request.user


@router.get("/documents/{number}", response={200: DocumentOut, 404: Message})
def get_document(request: HttpRequest, number: int):
    try:
        document, access = document_get_for_user(
            number=number, user=_optional_user(request)
        )
    except Http404 as exc:
        raise HttpError(404, "文档不存在 / Document not found") from exc
    return _document_out(document, access)


@router.post(
    "/documents/{number}/favorite",
    auth=bearer,
    response={200: FavoriteOut, 404: Message},
)
def favorite(request: HttpRequest, number: int):
    try:
        document, access = document_get_for_user(number=number, user=request.auth)
    except Http404 as exc:
        raise HttpError(404, "文档不存在 / Document not found") from exc
    if not access.favorite:
        raise HttpError(404, "文档不存在 / Document not found")
    return {"favorite": document_favorite_toggle(user=request.auth, document=document)}


@router.post(
    "/documents/{number}/rate", auth=bearer, response={200: DocumentOut, 404: Message}
)
def rate(request: HttpRequest, number: int, payload: RateIn):
    try:
        document, access = document_get_for_user(number=number, user=request.auth)
    except Http404 as exc:
        raise HttpError(404, "文档不存在 / Document not found") from exc
    if not access.rate:
        raise HttpError(404, "文档未发布 / Document not published")
    document = document_rate(user=request.auth, document=document, stars=payload.stars)
    return _document_out(document, access)
