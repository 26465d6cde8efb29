"""消息中心 (/notifications/): a member's notifications, newest first; mark read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenku.notifications.selectors import notifications_page, unread_count
from wenku.notifications.services import notifications_mark_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/list.html",
        {
            "page": notifications_page(request.user, page=request.GET.get("page")),
            "unread": unread_count(request.user),
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """One notification (``id``) or, without one, all of them."""
    raw = request.POST.get("id", "")
    if raw and not (raw.isascii() and raw.isdigit() and len(raw) < 19):
        return redirect("notifications:list")
    notifications_mark_read(user=request.user, ids=[int(raw)] if raw else None)
    page = request.POST.get("page", "")
    if page.isascii() and page.isdigit() and len(page) < 7:
        return redirect(f"{reverse('notifications:list')}?page={page}")
    return redirect("notifications:list")
