"""Every filter, query parameter and number in a path, with hostile values: never a
500 (SQLite integers stop at 2**63-1), always a sensible 2xx/3xx/4xx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

HOSTILE = [
    "9223372036854775808",  # 2**63: one past SQLite's largest integer
    "9223372036854775807",
    str(10**30),
    "-9223372036854775809",
    "-1",
    "0",
    "1",
    "abc",
    "１２",  # fullwidth digits: str.isdigit() and int() accept them
    "٣",  # Arabic-Indic three
    "²",  # isdigit() but not int()
    "",
    "1e309",
    "1.5",
    "NaN",
    " 7 ",
    "5-",
    "-5",
    "9223372036854775808-",
    "-9223372036854775808",
    "1-9223372036854775808",
    "x" * 5000,
    "9" * 5000,
    "\x00",
]
HUGE_NUMBERS = ["9223372036854775808", str(10**30), "9" * 40, "0", "00000001"]
# Every query parameter a page reads (test_every_read_parameter_is_fuzzed keeps
# this list honest against the code).
PAGE_PARAMS = [
    "q",
    "page",
    "pages",
    "sort",
    "category",
    "format",
    "price",
    "doc",
    "start",
    "count",
    "next",
    "language",
    "p",
    "bought",
    "kind",
    "status",
    "document",
    "yuan",
]
SENSIBLE = {200, 301, 302, 304, 400, 401, 403, 404, 405, 409, 410, 422, 429}


def test_every_read_parameter_is_fuzzed():
    root = Path(__file__).resolve().parents[2]
    read: set[str] = set()
    for source in root.rglob("*.py"):
        if "/tests/" in str(source) or "/migrations/" in str(source):
            continue
        text = source.read_text()
        read.update(re.findall(r"(?:GET|query)\.get\(\s*\"(\w+)\"", text))
    read.update(("pages", "page", "sort", "category", "format", "price"))  # PARAMS
    assert read <= set(PAGE_PARAMS), read - set(PAGE_PARAMS)


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    found: list[str] = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("admin/", "api/", "i18n/")):
                continue
            found.extend(_patterns(entry, route))
        elif isinstance(entry, URLPattern):
            found.append(route)
    return found


def _paths(route: str, number: int) -> list[str]:
    """The route with every converter filled: a real document number and huge ones."""
    fill = {"slug": "jiaoyu", "str": "x", "section": "documents", "provider": "sandbox"}

    def with_number(value: str) -> str:
        def one(match: re.Match[str]) -> str:
            converter, name = match.group(1) or "str", match.group(2)
            if converter in {"int", "number"}:
                return value
            return fill.get(name, fill.get(converter, "x"))

        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", one, route)

    paths = [with_number(str(number))]
    if "<int:" in route or "<number:" in route:
        paths += [with_number(value) for value in HUGE_NUMBERS]
    return paths


def _check(client: Client, method: str, path: str, **params) -> None:
    response = getattr(client, method)(path, params)
    assert response.status_code in SENSIBLE, (
        method,
        path,
        {k: v[:30] for k, v in params.items()},
        response.status_code,
    )


@pytest.fixture
def site(make_user, make_document, categories):
    from wenku.core.models import Category

    member = make_user("fuzzer")
    child = Category.objects.filter(parent__isnull=False).first()
    own = make_document(uploader=member, category=child)
    make_document(price=5, category=child)
    return member, own


# The parameters each route reads, sent one at a time so no other one masks them.
ROUTE_PARAMS = {
    "": ["page", "pages", "sort", "format"],
    "c/<slug:slug>/": ["page", "pages", "sort", "format"],
    "search": ["q", "page", "pages", "sort", "category", "format", "price"],
    "search/click": ["q", "doc"],
    "documents/<int:number>/pages/": ["start", "count"],
    "me/": ["page"],
    "me/favorites/": ["page"],
    "me/wallet/": ["page"],
    "me/wallet/earnings/": ["page"],
    "me/wallet/orders/": ["page"],
    "me/wallet/recharge/": ["next"],
    "me/wallet/recharge/quote.json": ["yuan"],
    "sitemap-<section>.xml": ["p"],
    "accounts/login/": ["next"],
    "lang/": ["language", "next"],
    "accounts/register/": ["next"],
    "moderation/": ["kind", "status", "page"],
    "transparency/": ["page"],
    "complaints/new/": ["document"],
    "notifications/": ["page"],
}


@pytest.mark.django_db
def test_pages_survive_hostile_parameters_and_numbers(site):
    member, own = site
    routes = _patterns(get_resolver())
    assert set(ROUTE_PARAMS) <= set(routes), set(ROUTE_PARAMS) - set(routes)
    moderator = type(member).objects.create_user("fuzz-moderator", is_staff=True)
    for who in (None, member, moderator):
        client = Client()
        if who is not None:
            client.force_login(who)
        for route in routes:
            real, *huge = _paths(route, own.number)
            for path in huge:
                _check(client, "get", path)
            for value in HOSTILE:
                _check(client, "get", real, **dict.fromkeys(PAGE_PARAMS, value))
            for name in ROUTE_PARAMS.get(route, []):
                for value in HOSTILE:
                    _check(client, "get", real, **{name: value})


def _api_operations(client: Client) -> list[tuple[str, str, list[dict]]]:
    schema = client.get("/api/openapi.json").json()
    return [
        (method, path, operation.get("parameters", []))
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


@pytest.mark.django_db
def test_api_survives_hostile_parameters_and_numbers(site):
    from wenku.accounts.services import api_token_create

    member, own = site
    token = api_token_create(user=member)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    operations = _api_operations(client)
    assert ("get", "/api/search", []) not in operations  # it has parameters
    for method, path, parameters in operations:
        numbers = [own.number, *HUGE_NUMBERS] if "{" in path else [own.number]
        for number in numbers:
            url = re.sub(r"\{\w+\}", str(number), path)
            if method != "get":
                if number == own.number:
                    continue  # writes: only the numbers no row can have
                response = getattr(client, method)(
                    url, {}, content_type="application/json"
                )
                assert response.status_code in SENSIBLE, (
                    method,
                    url,
                    response.status_code,
                )
                continue
            _check(client, "get", url)
            for parameter in parameters:
                if parameter["in"] != "query":
                    continue
                for value in HOSTILE:
                    _check(client, "get", url, **{parameter["name"]: value})
