"""The document page (every element of the seed), page images, favorites and ratings.

The page shows the first page of its comments (``community.selectors``: views read
other apps as they read moderation's; documents' models, services and access never
import community)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenku.community.selectors import comment_page
from wenku.core import pagecache
from wenku.core.pagecache.member import member_response
from wenku.core.selectors import site_settings_get
from wenku.documents.access import (
    DocumentAccess,
    Hidden,
    document_get_for_user,
    document_lookup,
)
from wenku.documents.models import Document, Favorite, Page, Rating
from wenku.documents.presentation import human_size, lead_sentence, text_chunks
from wenku.documents.selectors import cluster_of, readable_text
from wenku.documents.services import (
    DocumentRejected,
    document_favorite_toggle,
    document_rate,
    document_record_view,
)
from wenku.moderation.selectors import takedown_case
from wenku.moderation.services import counter_notice_case
from wenku.notifications.selectors import unread_count
from wenku.search import public as search
from wenku.storage import stored_file_response

FIRST_BATCH = 1  # pages shown before 点击查看更多 (the rest load on demand)
BATCH = 3  # pages added per click
VISIBLE_CHUNKS = 3  # text chunks shown before 展开阅读全文


def _related(document: Document) -> tuple[list[Document], list[str]]:
    return (
        list(search.related_documents(document, limit=8)),
        list(search.related_searches(document, limit=8)),
    )


def _pages_context(
    document: Document, access: DocumentAccess, start: int, stop: int
) -> list[dict[str, Any]]:
    """The page images from start to stop, each with its text for assistive
    technology (a visually hidden block beside the image) when the reader may
    read that page."""
    pages = Page.objects.filter(document=document, number__gte=start, number__lte=stop)
    return [
        {
            "number": p.number,
            "width": p.width or 1000,
            "height": p.height or 1414,
            "text": p.text if access.may_view_page(p.number) else "",
        }
        for p in pages.order_by("number")
    ]


def _outline(document: Document, readable: int) -> list[dict[str, Any]]:
    """The 目录: each entry links to its page when the reader may read it."""
    return [
        {"level": level, "title": title, "page": page, "readable": page <= readable}
        for level, title, page in document.outline
    ]


def _removed(request: HttpRequest, document: Document) -> HttpResponse:
    """The page of a document taken down after a complaint (410, not a bare 404):
    its uploader sees the reason and how to answer."""
    uploader = request.user.is_authenticated and document.uploader_id == request.user.pk
    case = takedown_case(document)
    return render(
        request,
        "documents/removed.html",
        {
            "document": document,
            "case": case,
            "uploader": uploader,
            "may_answer": uploader and counter_notice_case(document) is not None,
        },
        status=410,
    )


def _as_public(request: HttpRequest, access: DocumentAccess) -> bool:
    """A member who reads this document as anonymous visitors do."""
    return (
        request.user.is_authenticated
        and access.public
        and not (access.full_text or access.edit or access.review)
        and access.readable_pages == access.public_pages
    )


def _member_fragments(
    request: HttpRequest, document: Document, access: DocumentAccess
) -> dict[str, str]:
    """The member's own parts of the document page, rendered without the page."""
    user = request.user
    tags = (pagecache.member_tag(user.pk),)
    memo = pagecache.memo

    def own() -> tuple[bool, int | None]:
        rating = (
            Rating.objects.filter(user=user, document=document)
            .values_list("stars", flat=True)
            .first()
            if access.rate
            else None
        )
        return Favorite.objects.filter(user=user, document=document).exists(), rating

    is_favorite, my_rating = memo.remember(
        ("own", user.pk, document.pk, access.rate), tags, own
    )
    context = {
        "user": user,
        "document": document,
        "access": access,
        "csrf_token": get_token(request),
        "unread_notifications": memo.remember(
            ("unread", user.pk), tags, lambda: unread_count(user)
        ),
        "messages": get_messages(request),
        "is_favorite": is_favorite,
        "my_rating": my_rating,
        # The same comments as the kept page (under the document's tag), with
        # this member's reply forms and delete buttons.
        "comments": memo.remember(
            ("comments", document.pk),
            (pagecache.document_tag(document.pk),),
            lambda: comment_page(document=document),
        ),
    }
    return {
        name: render_to_string(template, context)
        for name, template in (
            ("nav", "includes/user_nav.html"),
            ("messages", "includes/messages.html"),
            ("favorite", "documents/_favorite.html"),
            ("rate", "documents/_rate.html"),
            ("comments", "community/_comments.html"),
        )
    }


def detail(request: HttpRequest, number: int) -> HttpResponse:
    if request.user.is_authenticated:
        remembered, seen = document_lookup(
            number=number, user=request.user, remembered=True
        )
        if remembered is not None and _as_public(request, seen):
            cached = member_response(
                request, lambda: _member_fragments(request, remembered, seen)
            )
            if cached is not None:
                return cached
    document, access = document_lookup(number=number, user=request.user)
    if document is not None and access.hidden == Hidden.TAKEN_DOWN:
        return _removed(request, document)
    if document is None or not access.view:
        raise Http404(_("文档不存在或已删除"))
    site = site_settings_get().displayed()  # the lead names it in the reader's language
    readable = access.readable_pages
    shown = min(FIRST_BATCH, readable)
    chunks = text_chunks(readable_text(document=document, access=access))
    related_docs, related_terms = _related(document) if access.public else ([], [])
    cluster = cluster_of(document)
    if access.public:
        document_record_view(document=document)
        similar = cluster.members if cluster else []
        pagecache.mark(
            request,
            tags=[
                pagecache.document_tag(d.pk)
                for d in (document, *related_docs, *similar)
            ],
            on_hit=(("view", document.pk),),
        )
    user = request.user
    context = {
        "document": document,
        "access": access,
        "breadcrumb": document.category.ancestors() if document.category else [],
        "size_text": human_size(document.size),
        "lead": lead_sentence(
            display_title=document.display_title,
            page_count=document.page_count,
            site_name=site.site_name,
        ),
        "readable": readable,
        "pages": _pages_context(document, access, 1, shown),
        "outline": _outline(document, readable),
        "shown": shown,
        "remaining_readable": readable - shown,
        "locked_pages": max(document.page_count - readable, 0),
        "chunks": chunks,
        "visible_chunks": VISIBLE_CHUNKS,
        "related_docs": related_docs,
        "related_terms": related_terms,
        "cluster": cluster,
        "is_favorite": user.is_authenticated
        and Favorite.objects.filter(user=user, document=document).exists(),
        "my_rating": (
            Rating.objects.filter(user=user, document=document)
            .values_list("stars", flat=True)
            .first()
            if user.is_authenticated
            else None
        ),
        "comments": comment_page(document=document),
        "canonical": request.build_absolute_uri(document.get_absolute_url()),
        "back_url": document.category.get_absolute_url() if document.category else "/",
    }
    return render(request, "documents/detail.html", context)


def more_pages(request: HttpRequest, number: int) -> HttpResponse:
    """HTML for the next batch of pages (点击查看更多), never past what the user may read."""
    document, access = document_get_for_user(number=number, user=request.user)
    readable = access.readable_pages
    try:
        start = max(int(request.GET.get("start", "1")), 1)
        count = min(max(int(request.GET.get("count", str(BATCH))), 1), 20)
    except ValueError:
        return JsonResponse({"message": _("参数无效 / Invalid parameters")}, status=400)
    stop = min(start + count - 1, readable)
    pages = _pages_context(document, access, start, stop) if start <= stop else []
    response = render(
        request,
        "documents/_pages.html",
        {"document": document, "pages": pages},
    )
    response["X-Next-Start"] = str(stop + 1)
    response["X-Readable"] = str(readable)
    return response


def page_image(request: HttpRequest, number: int, page: int) -> HttpResponse:
    """A page image; pages past the reader's limit are 403."""
    document, access = document_get_for_user(number=number, user=request.user)
    if not access.may_view_page(page):
        return HttpResponseForbidden(
            _("该页需购买后查看 / Buy the document to view this page")
        )
    row = Page.objects.filter(document=document, number=page).first()
    if row is None or not row.image:
        raise Http404(_("页面不存在"))
    public = page <= access.public_pages
    cache_control = "public, max-age=86400" if public else "private, max-age=3600"
    if public and not request.user.is_authenticated:
        # The same image for every anonymous reader: kept by the page cache (and
        # by nginx's cache in front); pages a member bought go through X-Accel.
        pagecache.mark(request, tags=(pagecache.document_tag(document.pk),))
        return stored_file_response(
            row.image.name,
            content_type="image/webp",
            cache_control=cache_control,
            in_memory=True,
        )
    return stored_file_response(
        row.image.name, content_type="image/webp", cache_control=cache_control
    )


def cover(request: HttpRequest, number: int) -> HttpResponse:
    document, _access = document_get_for_user(number=number, user=request.user)
    if not document.cover:
        raise Http404(_("没有封面"))
    return stored_file_response(
        document.cover.name,
        content_type="image/webp",
        cache_control="public, max-age=86400",
    )


def status(request: HttpRequest, number: int) -> JsonResponse:
    """Conversion progress for the upload page (uploader and staff only for unpublished)."""
    document, _access = document_get_for_user(number=number, user=request.user)
    return JsonResponse(document_status_payload(document))


def document_status_payload(document: Document) -> dict[str, Any]:
    return {
        "number": document.number,
        "status": document.status,
        "status_label": document.get_status_display(),
        "stage": document.progress_stage,
        "current": document.progress_current,
        "total": document.progress_total,
        "pages": document.page_count,
        "reason": document.failure_reason_shown,
        "url": document.get_absolute_url(),
    }


@login_required
@require_POST
def favorite(request: HttpRequest, number: int) -> HttpResponse:
    document, access = document_get_for_user(number=number, user=request.user)
    if not access.favorite:
        raise Http404(_("文档不存在或已删除"))
    now_favorite = document_favorite_toggle(user=request.user, document=document)
    messages.success(request, _("已收藏") if now_favorite else _("已取消收藏"))
    return redirect(document.get_absolute_url())


@login_required
@require_POST
def rate(request: HttpRequest, number: int) -> HttpResponse:
    document, _access = document_get_for_user(number=number, user=request.user)
    try:
        stars = int(request.POST.get("stars", ""))
    except ValueError:
        stars = 0  # not a number: the service refuses it like any other bad rating
    try:
        document_rate(user=request.user, document=document, stars=stars)
    except DocumentRejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("感谢评分！"))
    return redirect(document.get_absolute_url())
