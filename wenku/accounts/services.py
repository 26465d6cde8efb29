"""Writes on members."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wenku.accounts.models import ApiToken, User
from wenku.accounts.signup_hooks import run_signup_hooks

# Hashing a password costs time and memory per character: refuse a huge one early.
PASSWORD_MAX = 4096
_LAST_USED_GRANULARITY = timedelta(minutes=1)


def _username_taken() -> ValidationError:
    message = User._meta.get_field("username").error_messages["unique"]
    return ValidationError({"username": [ValidationError(message, code="unique")]})


def _registration_errors(
    *, username: str, password: str, display_name: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    # The model's own rules (required, 150 characters, letters, digits and @.+-_)
    # and the sign-up form's case-insensitive uniqueness.
    try:
        User._meta.get_field("username").clean(username, None)
    except ValidationError as exc:
        errors["username"] = exc.messages
    else:
        if User.objects.filter(username__iexact=username).exists():
            errors["username"] = _username_taken().messages
    try:
        User._meta.get_field("display_name").clean(display_name, None)
        if "\x00" in display_name:
            raise ValidationError(
                "昵称不能包含空字符 / No NUL characters in the nickname"
            )
    except ValidationError as exc:
        errors["display_name"] = exc.messages
    if not password:
        errors["password"] = ["请设置密码 / Choose a password"]
    elif len(password) > PASSWORD_MAX:
        errors["password"] = [
            f"密码不能超过 {PASSWORD_MAX} 个字符 / The password must be at most "
            f"{PASSWORD_MAX} characters"
        ]
    else:
        try:
            validate_password(
                password, user=User(username=username, display_name=display_name)
            )
        except ValidationError as exc:
            errors["password"] = exc.messages
    return errors


def user_create(
    *,
    username: str,
    password: str,
    display_name: str = "",
    is_staff: bool = False,
    ip: str | None = None,
) -> User:
    """Create a member if the name, nickname and password pass every rule; else a
    ValidationError keyed by argument (username, display_name, password). ``ip`` is
    the address they signed up from (sign-up hooks cap rewards per address)."""
    username = User.normalize_username((username or "").strip())
    display_name = (display_name or "").strip()
    password = password or ""
    errors = _registration_errors(
        username=username, password=password, display_name=display_name
    )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username,
                password=password,
                display_name=display_name,
                is_staff=is_staff,
                is_superuser=is_staff,
            )
            run_signup_hooks(user, ip=ip)
    except IntegrityError:
        if User.objects.filter(username__iexact=username).exists():
            raise _username_taken() from None  # registered a moment earlier
        raise
    return user


def _token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    """Issue a new bearer token for the user; returns the secret (shown once) and
    the stored row, which expires WENKU_API_TOKEN_DAYS from now."""
    secret = secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        key_hash=_token_digest(secret),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    return secret, row


def api_token_create(*, user: User) -> str:
    """Issue a new bearer token for the user; returns the secret once."""
    return api_token_issue(user=user)[0]


def api_token_use(*, secret: str) -> ApiToken | None:
    """The live token with this secret, its last use stamped; None if unknown,
    expired or its member is inactive."""
    if not secret or len(secret) > 200:
        return None
    now = timezone.now()
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_token_digest(secret), expires_at__gt=now)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    # One write a minute at most, not one per API call.
    if row.last_used_at is None or now - row.last_used_at > _LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Delete one of the member's tokens; False if it is not theirs or is gone."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


def api_token_revoke_all(*, user: User) -> int:
    """Delete every token of the member (after a password change); returns how many."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def user_update_profile(*, user: User, display_name: str, bio: str, email: str) -> User:
    """Save the editable profile fields."""
    user.display_name = display_name
    user.bio = bio
    user.email = email
    user.save(update_fields=["display_name", "bio", "email"])
    return user
