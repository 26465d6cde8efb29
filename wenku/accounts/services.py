"""Writes on members."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from wenku.accounts.models import ApiToken, User
from wenku.accounts.signup_hooks import run_signup_hooks


def user_create(
    *, username: str, password: str, display_name: str = "", is_staff: bool = False
) -> User:
    """Create a member (validates the password; raises ValidationError)."""
    candidate = User(username=username, display_name=display_name)
    validate_password(password, user=candidate)
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            display_name=display_name,
            is_staff=is_staff,
            is_superuser=is_staff,
        )
        run_signup_hooks(user)
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
