"""Rate limits: fixed-window counters in Django's cache, answered with 429.

Each limit is a name in settings.RATE_LIMITS (COUNT requests per SECONDS, from
WENKU_RATE_LIMIT_*), counted per caller: an address (`by_ip`) or a member, else
the address (`by_member_or_ip`). Counting is one `cache.add` (create the window's
counter at 0, a no-op when it exists) and one `cache.incr`, as django-ratelimit
does: atomic on Redis and local memory; the database cache reads and writes, so
concurrent requests at the edge of a window may pass by the number in flight.
Windows are staggered per caller so they do not all reset at once. The counter
key holds a hash of the caller, never an address.

WENKU_RATE_LIMITS=off (settings.RATE_LIMITS_ENABLED) switches every limit here and
the daily upload quota off, for load tests run from one address; the login lockout
(django-axes) stays on.
"""

from __future__ import annotations

import functools
import hashlib
import math
import time
import zlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language

from wenku.core.bilingual import in_reader_language
from wenku.core.clientip import client_ip

KEY_PREFIX = "ratelimit"


def by_ip(request: HttpRequest) -> str:
    """Count per client address."""
    return f"ip:{client_ip(request)}"


def by_member_or_ip(request: HttpRequest) -> str:
    """Count per member (an API bearer or a signed-in session), else per address."""
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"member:{user.pk}"
    return by_ip(request)


def rate_limit_hit(name: str, caller: str) -> int | None:
    """Count one request of `caller` against the limit `name`: None while within
    it, else the seconds until its window ends (the Retry-After)."""
    if not settings.RATE_LIMITS_ENABLED:
        return None
    count, period = settings.RATE_LIMITS[name]
    digest = hashlib.sha256(caller.encode()).hexdigest()[:32]
    now = time.time()
    offset = zlib.crc32(digest.encode()) % period
    window = math.floor((now - offset) / period)
    ends = (window + 1) * period + offset
    key = f"{KEY_PREFIX}:{name}:{digest}:{window}"
    timeout = max(1, math.ceil(ends - now))
    cache.add(key, 0, timeout)
    try:
        used = cache.incr(key)
    except ValueError:  # the counter expired between add and incr: a new window
        cache.add(key, 1, timeout)
        used = 1
    if used > count:
        return timeout
    return None


def wait_text(seconds: int) -> tuple[str, str]:
    """How long to wait, in Chinese and in English."""
    if seconds < 60:
        return f"{seconds} 秒", f"{seconds} seconds"
    if seconds < 3600:
        minutes = math.ceil(seconds / 60)
        return f"{minutes} 分钟", f"{minutes} minutes"
    hours = math.ceil(seconds / 3600)
    return f"{hours} 小时", f"{hours} hours"


def rate_limit_message(retry_after: int) -> str:
    """The bilingual refusal, saying when to try again."""
    chinese, english = wait_text(retry_after)
    return (
        f"操作过于频繁，请 {chinese}后再试。"
        f" / Too many requests: try again in {english}."
    )


def rate_limited_response(
    request: HttpRequest, retry_after: int, message: str | None = None
) -> HttpResponse:
    """429 with Retry-After: `{"message"}` for the API, a page for the site."""
    text = message or rate_limit_message(retry_after)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"message": text}, status=429)
    else:
        # English pages say it in English alone, as the gettext messages do; the
        # API and Chinese pages keep both languages.
        if (get_language() or "").startswith("en"):
            text = in_reader_language(text)
        response = render(request, "429.html", {"message": text}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit_check(
    request: HttpRequest,
    name: str,
    key: Callable[[HttpRequest], str] = by_ip,
) -> HttpResponse | None:
    """Count this request against `name`; the 429 answer when over it, else None.

    For views that count only some requests (after their own checks); otherwise
    decorate with `rate_limit`.
    """
    retry_after = rate_limit_hit(name, key(request))
    if retry_after is None:
        return None
    return rate_limited_response(request, retry_after)


def rate_limit(
    name: str,
    *,
    key: Callable[[HttpRequest], str] = by_ip,
    methods: tuple[str, ...] = ("POST",),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a view or an API operation: requests with one of `methods` count
    against the limit `name`, and past it get 429 before the view runs."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method in methods:
                refused = rate_limit_check(request, name, key)
                if refused is not None:
                    return refused
            return view(request, *args, **kwargs)

        return limited

    return decorate
