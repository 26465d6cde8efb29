"""The page cache inside Django: answer hits, store marked anonymous responses."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from wenku.core import pagecache


def page_cache(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        key = pagecache.begin(request.META)
        if key is None:
            return get_response(request)
        entry = pagecache.lookup(key, request.META)
        if entry is None:
            with pagecache.store.one_render(key) as first:
                if not first:  # another request rendered it meanwhile
                    entry = pagecache.lookup(key, request.META)
                if entry is None:
                    response = get_response(request)
                    entry = pagecache.store_response(request, response, key)
                    if entry is None:
                        return response
        return pagecache.response_from(entry, request.META)

    return middleware
