"""Production safety: refuse to run with settings unsafe for the public internet."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def production_settings_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.PRODUCTION:
        return []
    errors: list[Error] = []
    if settings.DEBUG:
        errors.append(Error("WENKU_DEBUG must be off in production.", id="wenku.E001"))
    if not settings.SECRET_KEY_FROM_ENV:
        errors.append(
            Error("Set WENKU_SECRET_KEY explicitly in production.", id="wenku.E002")
        )
    if set(settings.ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]", "*"}:
        errors.append(
            Error(
                "Set WENKU_ALLOWED_HOSTS to the public host name(s).", id="wenku.E003"
            )
        )
    return errors
