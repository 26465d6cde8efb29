"""In-site notifications (站内消息): what a decision about a member's document or
complaint tells them, shown under 消息 in the header."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 200
BODY_MAX = 2000
LINK_MAX = 300


class Notification(models.Model):
    """One message to one member; unread until ``read_at`` is set."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # A short slug saying what happened: complaint_received, takedown, refund,
    # counter_notice, restore, strike, review_approved, review_rejected, ...
    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("标题"), max_length=TITLE_MAX)
    body = models.TextField(_("内容"), max_length=BODY_MAX, blank=True, default="")
    link = models.CharField(_("链接"), max_length=LINK_MAX, blank=True, default="")
    # What ``notify`` was given: the title's and body's message ids (the Chinese
    # source) and their values, so a page shows them in its reader's language;
    # title and body hold the Chinese words as written then.
    message = models.JSONField(_("消息模板"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        indexes = [
            # The header's unread count and the inbox, newest first.
            models.Index(
                fields=["user", "read_at", "-created_at"], name="notification_inbox"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def title_shown(self) -> str:
        """The title in the active language."""
        return self._shown("title", self.title, TITLE_MAX)

    @property
    def body_shown(self) -> str:
        """The body in the active language."""
        return self._shown("body", self.body, BODY_MAX)

    def _shown(self, part: str, stored: str, limit: int) -> str:
        source = self.message.get(part) if isinstance(self.message, dict) else None
        if not source:
            return stored  # written before messages were kept, or nothing to say
        params = self.message.get("params") or {}
        try:
            return (gettext(source) % params if params else gettext(source))[:limit]
        except (KeyError, TypeError, ValueError):
            return stored
