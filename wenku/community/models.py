"""What members keep about each other and about their reading: follows, the page
each member last read in each document, and comments (with replies) on documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    """A member following an uploader: the uploader's new documents reach their feed."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following"
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("关注")
        verbose_name_plural = _("关注")
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "uploader"], name="follow_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("uploader")),
                name="follow_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.uploader_id}"


class ReadingPosition(models.Model):
    """The page a member last read in a document (one row per member and document)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reading_positions",
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="+"
    )
    page = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document"], name="reading_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.document_id}#{self.page}"


COMMENT_MAX = 500  # characters of a comment's text, after stripping


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", _("显示")
    HIDDEN = "hidden", _("已被隐藏")  # by a moderator, on a report
    DELETED = "deleted", _("已删除")  # by its author


class Comment(models.Model):
    """A member's comment on a document, or a reply in a comment's thread.

    Threads are one level deep: ``parent`` is always a top comment; a reply to a
    reply joins the same thread and names whom it answers in ``reply_to``.
    Hidden and deleted comments keep their row (reports and the audit trail point
    at it) and leave the page.
    """

    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("文档"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评论人"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属评论"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    reply_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复对象"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("内容"), max_length=COMMENT_MAX)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.VISIBLE,
    )
    created_at = models.DateTimeField(_("发表时间"), auto_now_add=True)
    changed_at = models.DateTimeField(null=True, blank=True)  # hidden or deleted

    class Meta:
        verbose_name = _("评论")
        verbose_name_plural = _("评论")
        indexes = [
            # A document's threads newest first, and each thread's replies.
            models.Index(
                fields=["document", "parent", "-created_at"], name="comment_threads"
            ),
            models.Index(fields=["parent", "created_at"], name="comment_replies"),
            # A member's latest comment (the repeat check).
            models.Index(fields=["author", "-created_at"], name="comment_author"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.document_id}"

    @property
    def visible(self) -> bool:
        return self.status == CommentStatus.VISIBLE
