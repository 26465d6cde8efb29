"""The page cache in front of Django: a hit never enters the framework.

``wrap(application)`` answers an anonymous GET/HEAD from this process's memory when
a fresh entry exists (or 304 on revalidation), and hands everything else to Django
with the key already computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings

from wenku.core import pagecache
from wenku.core.pagecache.keys import request_key

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wrap(application: WSGIApp) -> WSGIApp:
    if not settings.PAGE_CACHE:
        return application

    def cached(environ: dict[str, Any], start_response: Callable[..., Any]):
        key = request_key(environ)
        if key is not None:
            entry = pagecache.lookup(key, environ)
            if entry is not None:
                if pagecache.not_modified(entry, environ):
                    start_response(
                        "304 Not Modified",
                        [
                            (n, v)
                            for n, v in entry.headers
                            if n.lower() in pagecache.VALIDATORS
                        ],
                    )
                    return [b""]
                start_response(entry.status, entry.headers)
                return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]
            environ[pagecache.KEY_META] = key
        return application(environ, start_response)

    return cached
