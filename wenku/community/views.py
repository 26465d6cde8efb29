"""Uploader profiles (/u/<public id>/), follow/unfollow, the followed feed in the
member center, and the reader's position endpoint."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wenku.community import selectors
from wenku.community.services import (
    CommunityRejected,
    follow_set,
    reading_position_save,
)
from wenku.core.listing import listing_page
from wenku.documents.access import document_get_for_user

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
