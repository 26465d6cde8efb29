"""Reads of notifications: always one member's own."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from wenku.notifications.models import Notification

PAGE_SIZE = 20


def _inbox(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    """How many unread notifications a member has (0 for a visitor; one COUNT)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at=None).count()


def notifications_for(
    user: Any, *, limit: int = PAGE_SIZE, offset: int = 0
) -> list[Notification]:
    """A member's notifications, newest first, ``limit`` from ``offset``."""
    return list(_inbox(user)[offset : offset + limit])


def notifications_page(user: Any, *, page: str | int | None) -> Page:
    """One page of a member's notifications for the 消息 page (a bad number: the
    nearest page)."""
    return Paginator(_inbox(user), PAGE_SIZE).get_page(page)
