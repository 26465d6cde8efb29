"""The address a request came from, in one place.

REMOTE_ADDR, unless the request came through a proxy listed in
WENKU_TRUSTED_PROXIES: then X-Forwarded-For is read from the right (each proxy
appends the address it saw) and the first entry no trusted proxy wrote is the
client. Entries left of it are whatever the client sent and are never believed.
Rate limits, the sign-up bonus and free-download caps and the login lockout all ask
here.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:443"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind trusted proxies the right-most
    X-Forwarded-For entry that is not one of them ("" when nothing is known)."""
    return client_ip_from(request.META)


def client_ip_from(meta: Mapping[str, Any]) -> str:
    """``client_ip`` from the WSGI environ alone (a page served before Django)."""
    remote = _parse(meta.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return ""
    if not _trusted(remote):
        return str(remote)
    hops = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
    found = remote
    for entry in reversed(hops):
        address = _parse(entry)
        if address is None:
            # A trusted proxy passed on garbage: trust stops at that proxy.
            break
        found = address
        if not _trusted(address):
            break
    return str(found)


def visitor_hash(request: HttpRequest) -> str:
    """A stable, unreadable name for who is asking: the member, else the address.

    Keyed with the secret key, so a stored value cannot be turned back into an
    address by hashing every address there is.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return _keyed(f"member:{user.pk}")
    return anonymous_visitor_hash(request.META)


def anonymous_visitor_hash(meta: Mapping[str, Any]) -> str:
    """``visitor_hash`` of an anonymous visitor, from the WSGI environ."""
    return _keyed(f"ip:{client_ip_from(meta)}")


def _keyed(who: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), who.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
