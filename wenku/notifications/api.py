"""API routes of notifications: a member's own, with their bearer token."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from wenku.accounts.api_auth import bearer
from wenku.notifications.models import Notification
from wenku.notifications.selectors import notifications_for, unread_count
from wenku.notifications.services import MARK_MAX, notifications_mark_read

router = Router(tags=["notifications"], auth=bearer)

NotificationId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _member(request: HttpRequest) -> Any:
    """The member the bearer token authenticated (django-ninja sets request.auth)."""
    return cast(Any, request).auth


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read: bool


class NotificationsOut(Schema):
    unread: int
    items: list[NotificationOut]


class PageIn(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class ReadIn(Schema):
    ids: list[NotificationId] | None = Field(None, max_length=MARK_MAX)


class ReadOut(Schema):
    marked: int


def _item(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title_shown,
        "body": notification.body_shown,
        "link": notification.link,
        "created_at": notification.created_at,
        "read": notification.is_read,
    }


@router.get(
    "/notifications", response=NotificationsOut, summary="我的消息 / My notifications"
)
def notification_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    member = _member(request)
    rows = notifications_for(member, limit=page.limit, offset=page.offset)
    return {"unread": unread_count(member), "items": [_item(n) for n in rows]}


@router.post("/notifications/read", response=ReadOut, summary="标为已读 / Mark read")
def notification_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    """``{"ids": [...]}`` marks those (only the member's own); ``{}`` marks all."""
    marked = notifications_mark_read(user=_member(request), ids=payload.ids)
    return {"marked": marked}
