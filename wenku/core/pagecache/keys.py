"""Which requests the page cache may answer, and the key it files them under.

Only anonymous GET and HEAD requests: a session or a pending flash message in the
cookies, or an Authorization header, send the request to Django. The key is the host,
the path with its query string and the visitor's language — everything else a cached
page may depend on is a tag (see ``tags``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from wenku.core.pagecache.store import Key

_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _cookie(header: str, name: str) -> str:
    for part in header.split(";"):
        key, _sep, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


def request_key(environ: Mapping[str, Any]) -> Key | None:
    """The cache key of an anonymous GET/HEAD, or None when Django must answer."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    if "HTTP_AUTHORIZATION" in environ:
        return None
    cookies = environ.get("HTTP_COOKIE", "")
    if cookies and (
        settings.SESSION_COOKIE_NAME + "=" in cookies or "messages=" in cookies
    ):
        return None
    language = _cookie(cookies, settings.LANGUAGE_COOKIE_NAME) if cookies else ""
    if language not in _LANGUAGES:
        language = settings.LANGUAGE_CODE
    return key_for(environ, language)


def key_for(environ: Mapping[str, Any], language: str) -> Key:
    """The key of this URL as an anonymous visitor in ``language`` would ask it."""
    return (
        environ.get("HTTP_HOST", ""),
        environ.get("wsgi.url_scheme", "http")
        + environ.get("HTTP_X_FORWARDED_PROTO", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        language,
    )
