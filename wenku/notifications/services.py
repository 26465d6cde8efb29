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
    *,
    user: Any,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    params: dict[str, Any] | None = None,
) -> Notification | None:
    """Tell a member something; ``None`` for no member (a visitor without an account).

    ``title`` and ``body`` are message ids (Chinese source text marked with
    ``gettext_noop``) with ``%(name)s`` places filled from ``params``; what a member
    wrote (a title, a reason) goes in ``params``, never in the ids. The row keeps
    both, so each reader sees the message in their own language.
    """
    if user is None or getattr(user, "pk", None) is None:
        return None
    values = {key: str(value) for key, value in (params or {}).items()}
    return Notification.objects.create(
        user_id=user.pk,
        kind=kind[:40],
        title=(title % values if values else title)[:TITLE_MAX],
        body=(body % values if values and body else body)[:BODY_MAX],
        link=_relative_link(link),
        message={"title": title, "body": body, "params": values},
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
