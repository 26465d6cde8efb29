"""Things other apps do when a member signs up: the dotted paths in
settings.SIGNUP_HOOKS (explicit, no signals), run inside the sign-up transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

from wenku.accounts.models import User


def run_signup_hooks(user: User, *, ip: str | None = None) -> None:
    """Call every hook with the new member and the address they signed up from."""
    for path in settings.SIGNUP_HOOKS:
        hook: Callable[..., None] = import_string(path)
        hook(user, ip=ip)
