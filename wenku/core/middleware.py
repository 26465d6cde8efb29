"""Chinese first: the language comes from the visitor's choice, not the browser's default."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def chinese_first(get_response: Callable[[HttpRequest], HttpResponse]):
    """Drop Accept-Language so LocaleMiddleware uses the language cookie or zh-hans.

    A 文库 is read in Chinese; an English browser still gets Chinese until the visitor
    picks English with the language switch (which sets the cookie).
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware
