"""Members who see what anonymous visitors see (no purchase, not the uploader, not
staff) get the cached anonymous page with their own parts spliced in between
``<!--wk:name-->`` and ``<!--/wk:name-->`` markers: header links, messages, the
favourite and rating forms. When no fresh anonymous page is kept in this process,
the page is rendered once as an anonymous visitor would ask for it — the same bytes,
through the same middleware, so it is stored for everyone — and then spliced.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.http import HttpRequest, HttpResponse

from wenku.core import pagecache
from wenku.core.pagecache.keys import key_for
from wenku.core.pagecache.store import Entry, Key

_handler: list[WSGIHandler] = []
_KEPT_HEADERS = ("content-type", "content-language")


def _anonymous_render(request: HttpRequest, key: Key) -> Entry | None:
    """Ask Django for this page as an anonymous visitor in this member's language."""
    language = request.LANGUAGE_CODE
    meta = {
        name: value
        for name, value in request.META.items()
        if name.isupper() and name not in ("HTTP_COOKIE", "HTTP_AUTHORIZATION")
    }
    meta.update(
        {
            "REQUEST_METHOD": "GET",
            "HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}={language}",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": request.META.get("wsgi.url_scheme", "http"),
            "wsgi.errors": request.META.get("wsgi.errors"),
        }
    )
    meta.pop("CONTENT_LENGTH", None)
    if not _handler:
        _handler.append(WSGIHandler())
    # get_response, not __call__: no request_started/finished signals, so this
    # request's database connection stays as it is.
    _handler[0].get_response(WSGIRequest(meta))
    return pagecache.lookup(key, meta, hit=False)


def member_response(
    request: HttpRequest, fragments: Callable[[], dict[str, str]]
) -> HttpResponse | None:
    """The anonymous page with this member's parts, or None when the page cannot be
    kept (cache off, or the anonymous render was not stored)."""
    if not settings.PAGE_CACHE:
        return None
    key = key_for(request.META, request.LANGUAGE_CODE)
    entry = pagecache.lookup(key, request.META) or _anonymous_render(request, key)
    if entry is None:
        return None
    text = entry.body.decode()
    for name, html in fragments().items():
        start, end = f"<!--wk:{name}-->", f"<!--/wk:{name}-->"
        head = text.index(start) + len(start)
        text = text[:head] + html + text[text.index(end, head) :]
    response = HttpResponse(text)
    for name, value in entry.headers:
        if name.lower() in _KEPT_HEADERS:
            response[name] = value
    response["Cache-Control"] = "private, no-cache"
    return response
