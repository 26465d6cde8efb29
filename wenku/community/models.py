"""What members keep about each other and about their reading: follows and the page
each member last read in each document."""

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
