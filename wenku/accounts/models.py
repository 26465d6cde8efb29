"""Members."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

PUBLIC_ID_MIN = 100_000_000
PUBLIC_ID_MAX = 999_999_999


def new_public_id() -> int:
    """A random 9-digit member number for public links (/u/<id>/), never the key."""
    return PUBLIC_ID_MIN + secrets.randbelow(PUBLIC_ID_MAX - PUBLIC_ID_MIN)


class User(AbstractUser):
    public_id = models.PositiveBigIntegerField(
        _("会员编号"), unique=True, default=new_public_id, editable=False
    )
    display_name = models.CharField(_("昵称"), max_length=40, blank=True, default="")
    bio = models.CharField(_("简介"), max_length=300, blank=True, default="")

    class Meta(AbstractUser.Meta):
        verbose_name = _("会员")  # type: ignore[assignment]
        verbose_name_plural = _("会员")  # type: ignore[assignment]
        swappable = "AUTH_USER_MODEL"

    @property
    def public_name(self) -> str:
        """The name as shown on public pages: masked, like 一***."""
        return mask_name(self.display_name or self.username)


def mask_name(name: str) -> str:
    """Keep the first character and hide the rest: '一二三' → '一***'."""
    name = (name or "").strip()
    if not name:
        return "***"
    return f"{name[0]}***"


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"token for {self.user_id}"
