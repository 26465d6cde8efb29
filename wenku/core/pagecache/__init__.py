"""The render cache for anonymous pages.

Views that render a page the same for every anonymous visitor call ``mark()`` with
the tags the page depends on (``site`` is always one); the middleware stores the
response in this process with the tags' versions, and answers the next anonymous
request for the same key from memory — before Django, through ``wsgi.wrap`` — while
every version is unchanged and the entry is younger than ``PAGE_CACHE_SECONDS``.
Writes call ``invalidate()`` with the tags they change (model signals and the
document queryset do it for every document write, see ``signals``), which bumps the
versions after the transaction commits. See docs/deployment.md.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date

from wenku.core.pagecache.keys import request_key
from wenku.core.pagecache.memo import Memo
from wenku.core.pagecache.memo import member_tag as member_tag
from wenku.core.pagecache.store import Entry, Key, PageStore
from wenku.core.pagecache.versions import (
    LocalVersions,
    SharedVersions,
    Versions,
    slot_of,
)

SITE = "site"  # site settings, categories: every page
DOCUMENTS = "documents"  # any document: listings and search
EPOCH_SLOT = (
    0  # moved on by every invalidation (see ``versions`` and ``store_response``)
)
KEY_META = "wenku.pagecache.key"
EPOCH_META = "wenku.pagecache.epoch"
_MARK = "_wenku_pagecache"
VALIDATORS = ("etag", "cache-control", "vary", "last-modified")
_SKIP_HEADERS = {"set-cookie", "content-length", "date"}

store = PageStore(settings.PAGE_CACHE_BYTES)
# name -> callable(argument, environ), run for every hit served from memory: a view
# count, a search in the query log.
HIT_HOOKS: dict[str, Callable[[Any, dict[str, Any]], None]] = {}
_versions: list[Versions] = []


def document_tag(pk: int) -> str:
    return f"doc:{pk}"


def versions() -> Versions:
    if not _versions:
        if settings.PAGE_CACHE_VERSIONS == "local":
            _versions.append(LocalVersions(settings.DATA_DIR / "pagecache.stamps"))
        else:
            _versions.append(SharedVersions())
    return _versions[0]


# A member's own small answers (unread count, favourite, rating) under tag versions.
memo = Memo(versions)


def _slots(tags: Iterable[str]) -> tuple[int, ...]:
    return tuple(sorted({slot_of(tag) for tag in (SITE, *tags)}))


def invalidate(*tags: str) -> None:
    """After the current transaction commits, pages depending on any tag are stale."""
    if not settings.PAGE_CACHE:
        return
    slots = tuple(sorted({slot_of(tag) for tag in tags}))
    # Each bump moves the epoch on: a render that began before it and depends on one
    # of these tags is not stored. Bumped now (this process reads its own writes at
    # once) and again after the commit, when other processes can read them: a render
    # in between stores what the second bump voids.
    bump = versions().bump
    bump(slots)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: bump(slots))


def connect(model: type, tags_of: Callable[[Any], Iterable[str]]) -> None:
    """Saving or deleting a ``model`` row invalidates ``tags_of(row)``."""

    def changed(sender: type, instance: Any, **kwargs: Any) -> None:
        invalidate(*tags_of(instance))

    post_save.connect(changed, sender=model, weak=False)
    post_delete.connect(changed, sender=model, weak=False)


def mark(
    request: HttpRequest,
    *,
    tags: Iterable[str] = (),
    on_hit: Iterable[tuple[str, Any]] = (),
) -> None:
    """This response is the same for every anonymous visitor with this key."""
    setattr(request, _MARK, (tuple(tags), tuple(on_hit)))


def lookup(key: Key, environ: dict[str, Any], *, hit: bool = True) -> Entry | None:
    """The fresh entry of this key; ``hit``: run its hooks (a view counted)."""
    entry = store.get(key)
    if entry is None:
        return None
    if versions().read(entry.slots) != entry.versions:
        store.discard(key)
        return None
    for name, argument in entry.on_hit if hit else ():
        HIT_HOOKS[name](argument, environ)
    return entry


def not_modified(entry: Entry, environ: dict[str, Any]) -> bool:
    """A revalidation the cached entry answers with 304 (ETag first, then date)."""
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match:
        return entry.etag in {m.strip() for m in match.split(",")}
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    return bool(since) and since == entry.last_modified


def begin(meta: dict[str, Any]) -> Key | None:
    """Called as a request enters Django: its key (None: not cacheable), and the
    epoch it started under."""
    if not settings.PAGE_CACHE:
        return None
    key = meta.get(KEY_META) or request_key(meta)
    if key is not None:
        meta[KEY_META] = key
        meta.setdefault(EPOCH_META, versions().read((EPOCH_SLOT,))[0])
    return key


def store_response(
    request: HttpRequest, response: HttpResponse, key: Key
) -> Entry | None:
    """Keep a marked anonymous response; the entry, or None when it may not be kept
    (not marked, not 200, sets a cookie, streamed, or the site changed meanwhile)."""
    marked = getattr(request, _MARK, None)
    if marked is None or response.status_code != 200 or response.cookies:
        return None
    if response.streaming:
        return None
    tags, on_hit = marked
    slots = _slots(tags)
    found = versions().read(slots)
    # A change to any of these tags committed while rendering bumped it after the
    # epoch this request began under: the page may hold the old state.
    if versions().overtaken(found, request.META.get(EPOCH_META, -1)):
        return None
    body = response.content
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    response["ETag"] = etag
    last_modified = http_date()
    response["Last-Modified"] = last_modified
    response.setdefault("Cache-Control", "max-age=0, must-revalidate")
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in _SKIP_HEADERS
    ]
    headers.append(("Content-Length", str(len(body))))
    entry = Entry(
        status=f"{response.status_code} {response.reason_phrase}",
        headers=headers,
        body=body,
        etag=etag,
        last_modified=last_modified,
        slots=slots,
        versions=found,
        expires=time.monotonic() + settings.PAGE_CACHE_SECONDS,
        on_hit=on_hit,
    )
    store.put(key, entry)
    return entry


def response_from(entry: Entry, meta: dict[str, Any]) -> HttpResponse:
    """The Django response for a hit (the middleware's answer under the test client
    or a server without the WSGI wrapper)."""
    if not_modified(entry, meta):
        response = HttpResponse(status=304)
        for name, value in entry.headers:
            if name.lower() in VALIDATORS:
                response[name] = value
        return response
    response = HttpResponse(entry.body)
    for name, value in entry.headers:
        response[name] = value
    return response
