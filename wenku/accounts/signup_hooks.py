"""Things other apps do when a member signs up (explicit list, no signals)."""

from __future__ import annotations

from collections.abc import Callable

from wenku.accounts.models import User

_HOOKS: list[str] = [
    # dotted paths of callables taking the new user, run inside the sign-up transaction
]


def register_signup_hook(path: str) -> None:
    if path not in _HOOKS:
        _HOOKS.append(path)


def run_signup_hooks(user: User) -> None:
    from django.utils.module_loading import import_string

    for path in _HOOKS:
        hook: Callable[[User], None] = import_string(path)
        hook(user)
