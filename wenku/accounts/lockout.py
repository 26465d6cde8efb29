"""The answer given while django-axes holds an account or address locked out.

AxesMiddleware calls lockout_response (settings.AXES_LOCKOUT_CALLABLE) for any
request AxesBackend flagged: the API gets JSON, the web login its own page again.
"""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def lockout_minutes(request: HttpRequest | None = None) -> int:
    """Minutes a lockout lasts after the last failed attempt."""
    cool_off = get_cool_off(request)
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0


def lockout_message(request: HttpRequest | None = None) -> str:
    """The bilingual refusal, saying when to try again."""
    minutes = lockout_minutes(request)
    return (
        f"登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试。"
        f" / Too many failed logins: locked, try again in {minutes} minutes."
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    message = lockout_message(request)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"message": message}, status=429)
    else:
        response = render(
            request,
            "accounts/login.html",
            {"form": AuthenticationForm(request), "lockout_message": message},
            status=429,
        )
    response["Retry-After"] = str(lockout_minutes(request) * 60)
    return response
