"""Writes on members."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from wenku.accounts.models import ApiToken, User
from wenku.accounts.signup_hooks import run_signup_hooks

# Hashing a password costs time and memory per character: refuse a huge one early.
PASSWORD_MAX = 4096


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
    *, username: str, password: str, display_name: str = "", is_staff: bool = False
) -> User:
    """Create a member if the name, nickname and password pass every rule; else a
    ValidationError keyed by argument (username, display_name, password)."""
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
            run_signup_hooks(user)
    except IntegrityError:
        if User.objects.filter(username__iexact=username).exists():
            raise _username_taken() from None  # registered a moment earlier
        raise
    return user


def api_token_create(*, user: User) -> str:
    """Issue a new bearer token for the user; returns the secret once."""
    secret = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, key_hash=hashlib.sha256(secret.encode()).hexdigest()
    )
    return secret


def user_update_profile(*, user: User, display_name: str, bio: str, email: str) -> User:
    """Save the editable profile fields."""
    user.display_name = display_name
    user.bio = bio
    user.email = email
    user.save(update_fields=["display_name", "bio", "email"])
    return user
