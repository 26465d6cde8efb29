"""Writes of notifications. ``notify`` only creates a row, so it runs inside the
caller's transaction: a decision and the message about it commit together."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from wenku.notifications.models import BODY_MAX, LINK_MAX, TITLE_MAX, Notification
from wenku.notifications.signals import unread_changed

MARK_MAX = 500  # ids one call may mark read


def _relative_link(link: str) -> str:
    """Only a path on this site ("/documents/1/"): never another origin."""
    link = (link or "").strip()
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        return ""
    return link[:LINK_MAX]


def notify(
    *, user: Any, kind: str, title: str, body: str = "", link: str = ""
) -> Notification | None:
    """Tell a member something; ``None`` for no member (a visitor without an account)."""
    if user is None or getattr(user, "pk", None) is None:
        return None
    return Notification.objects.create(
        user_id=user.pk,
        kind=kind[:40],
        title=title[:TITLE_MAX],
        body=body[:BODY_MAX],
        link=_relative_link(link),
    )


def notifications_mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    """Mark a member's own unread notifications read (``None``: all of them);
    returns how many changed. Ids of other members' notifications change nothing."""
    unread = Notification.objects.filter(user_id=user.pk, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids)[:MARK_MAX])
    changed = unread.update(read_at=timezone.now())
    if changed:
        unread_changed.send(sender=Notification, user_pk=user.pk)
    return changed
