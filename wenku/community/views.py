"""Uploader profiles (/u/<public id>/), follow/unfollow, the followed feed in the
member center, the reader's position endpoint, and comments: their pages
(/documents/<n>/comments/), posting and replying there, deleting one's own."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wenku.community import selectors
from wenku.community.models import COMMENT_MAX
from wenku.community.services import (
    CommunityRejected,
    comment_create,
    comment_delete,
    follow_set,
    reading_position_save,
)
from wenku.core import pagecache
from wenku.core.errors import PageOutOfRange
from wenku.core.listing import listing_page, page_number
from wenku.core.ratelimit import by_member_or_ip, rate_limit_check
from wenku.documents.access import DocumentAccess, document_get_for_user
from wenku.documents.models import Document

PAGE_SIZE = 20
QR_BORDER = 2


def _page_link(number: int) -> str:
    return f"?page={number}"


def tag(request: HttpRequest, tag: str) -> HttpResponse:
    """Published documents with one tag (tags typed at upload, linked from pages)."""
    name = tag.strip()
    if not name or len(name) > selectors.TAG_MAX or "," in name:
        raise Http404(_("标签不存在 / No such tag"))
    page = listing_page(
        Paginator(selectors.tag_documents(tag=name), PAGE_SIZE),
        request.GET.get("page"),
        link=_page_link,
    )
    return render(request, "community/tag.html", {"tag": name, "page": page})


def share_qr(request: HttpRequest, number: int) -> HttpResponse:
    """The document page's address as a QR code, drawn here as SVG (no other site)."""
    document, access = document_get_for_user(number=number, user=request.user)
    address = request.build_absolute_uri(document.get_absolute_url())
    out = io.BytesIO()
    segno.make(address, error="m").save(
        out, kind="svg", scale=4, border=QR_BORDER, dark="#111", light="#fff"
    )
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = (
        "public, max-age=86400" if access.public else "private, max-age=3600"
    )
    return response


def profile(request: HttpRequest, public_id: int) -> HttpResponse:
    uploader = selectors.profile_get(public_id=public_id)
    page = listing_page(
        Paginator(selectors.profile_documents(user=uploader), PAGE_SIZE),
        request.GET.get("page"),
        link=_page_link,
    )
    return render(
        request,
        "community/profile.html",
        {
            "uploader": uploader,
            "counts": selectors.profile_counts(user=uploader),
            "page": page,
            "following": selectors.is_following(
                follower=request.user, uploader=uploader
            ),
            "own": request.user.is_authenticated and request.user.pk == uploader.pk,
        },
    )


@login_required
@require_POST
def follow(request: HttpRequest, public_id: int) -> HttpResponse:
    uploader = selectors.profile_get(public_id=public_id)
    wanted = request.POST.get("follow") != "0"
    try:
        now = follow_set(follower=request.user, uploader=uploader, follow=wanted)
    except CommunityRejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已关注") if now else _("已取消关注"))
    return redirect("community:profile", public_id=uploader.public_id)


@login_required
def feed(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.followed_feed(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "community/feed.html",
        {
            "page": page,
            "uploaders": selectors.followed_uploaders(user=request.user)[:50],
            "tab": "following",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def position(request: HttpRequest, number: int) -> JsonResponse:
    """GET: the page this member last read (null for visitors); POST page=N keeps it."""
    document, _access = document_get_for_user(number=number, user=request.user)
    member = request.user.is_authenticated
    if request.method == "GET":
        page = selectors.reading_position_get(user=request.user, document=document)
        return JsonResponse({"member": member, "page": page})
    if not member:
        return JsonResponse(
            {"message": _("请先登录 / Please log in first")}, status=403
        )
    raw = request.POST.get("page", "")
    page_number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 0
    try:
        saved = reading_position_save(
            user=request.user, document=document, page=page_number
        )
    except CommunityRejected as exc:
        return JsonResponse({"message": exc.message}, status=400)
    return JsonResponse({"member": True, "page": saved})


COMMENT_RATE_LIMITS = ("comment", "comment_day")  # per member: a minute, a day


def _comments_response(
    request: HttpRequest,
    document: Document,
    access: DocumentAccess,
    *,
    page: int = 1,
    form: dict[str, object] | None = None,
    status: int = 200,
) -> HttpResponse:
    comments = selectors.comment_page(document=document, page=page)
    if comments.number != page:
        raise PageOutOfRange(
            last_page=comments.pages,
            last_page_url=f"?page={comments.pages}",
        )
    return render(
        request,
        "community/comments.html",
        {
            "document": document,
            "access": access,
            "comments": comments,
            "comment_form": form or {},
            "canonical": request.build_absolute_uri(request.path),
        },
        status=status,
    )


def _parent_id(raw: str) -> int | None:
    """The comment a reply answers: an id, or 0 (answers nothing that exists)."""
    if not raw:
        return None
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else 0


@require_http_methods(["GET", "HEAD", "POST"])
def comments(request: HttpRequest, number: int) -> HttpResponse:
    """GET: a page of the document's comments (newest threads first). POST body=…
    (and parent=<id> for a reply): a member's comment, back to the document page."""
    document, access = document_get_for_user(number=number, user=request.user)
    if request.method != "POST":
        if access.public and not request.user.is_authenticated:
            pagecache.mark(request, tags=[pagecache.document_tag(document.pk)])
        return _comments_response(
            request, document, access, page=page_number(request.GET.get("page"))
        )
    if not request.user.is_authenticated:
        return redirect_to_login(f"{document.get_absolute_url()}#comments")
    for rule in COMMENT_RATE_LIMITS:
        refused = rate_limit_check(request, rule, by_member_or_ip)
        if refused is not None:
            return refused
    body = request.POST.get("body", "")
    parent_id = _parent_id(request.POST.get("parent", ""))
    try:
        comment = comment_create(
            author=request.user, document=document, body=body, parent_id=parent_id
        )
    except CommunityRejected as exc:
        form = {
            "error": exc.message,
            "body": body[: COMMENT_MAX * 2],
            "parent": selectors.comment_visible(pk=parent_id, document=document)
            if parent_id
            else None,
        }
        return _comments_response(request, document, access, form=form, status=400)
    messages.success(request, _("回复已发表") if comment.parent_id else _("评论已发表"))
    return redirect(f"{document.get_absolute_url()}#comment-{comment.pk}")


@login_required
@require_POST
def comment_delete_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The author deletes their comment; back to the document's comments."""
    comment = selectors.comment_get_for_user(pk=comment_id, user=request.user)
    try:
        comment_delete(comment=comment, by=request.user)
    except CommunityRejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("评论已删除"))
    return redirect(f"{comment.document.get_absolute_url()}#comments")
