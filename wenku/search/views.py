"""Search pages: /search?q=… and the click-through that feeds the query log."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from wenku.conversion import registry
from wenku.core import pagecache
from wenku.core.clientip import visitor_hash
from wenku.core.errors import PageOutOfRange
from wenku.core.listing import PAGE_RANGE_LABELS, PAGE_RANGES, page_number
from wenku.core.selectors import category_roots
from wenku.documents.access import public_documents
from wenku.search import selectors, services

# Translated where shown ({% translate label %}); gettext_noop puts them in the catalogue.
SORT_LABELS = (
    ("relevance", gettext_noop("相关度")),
    ("newest", gettext_noop("最新")),
    ("downloads", gettext_noop("下载最多")),
)
PRICE_LABELS = (("free", gettext_noop("免费")), ("paid", gettext_noop("付费")))
PARAMS = ("q", "category", "format", "pages", "price", "sort")


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    roots = category_roots()
    """The search results page, with filters, sort and pagination as links."""
    params = {name: request.GET.get(name, "")[:200] for name in PARAMS}
    group = registry.group_for(params["format"])
    if group:  # "docx", as search used to offer, is the Word group now
        params["format"] = group.key
    query = params["q"].strip()
    # The same page-count buckets as the home and category listings; anything else
    # is no filter.
    pages_min, pages_max = PAGE_RANGES.get(params["pages"], (None, None))
    found = selectors.search(
        query,
        user=request.user,
        page=page_number(request.GET.get("page")),
        category=params["category"] or None,
        file_type=params["format"] or None,
        pages_min=pages_min,
        pages_max=pages_max,
        price=params["price"] or None,
        sort=params["sort"] or "relevance",
    )

    def link(**changes: str) -> str:
        merged = {**params, **changes}
        return "?" + urlencode({k: v for k, v in merged.items() if v})

    last = max(found.page_count, 1)
    if found.page > last:
        # A results page past the last one: "no results on this page" and a link to
        # the last (a branded 404), not "找到 19" over an empty list.
        raise PageOutOfRange(
            last_page=last, last_page_url=link(page=str(last)), query=query
        )
    logged = bool(found.total and found.page == 1)
    if logged:
        services.query_log_record(query, visitor=visitor_hash(request))
    if not request.user.is_authenticated:
        pagecache.mark(
            request,
            tags=(pagecache.DOCUMENTS,),
            on_hit=(("search", query),) if logged else (),
        )

    context = {
        "query": query,
        "found": found,
        "params": params,
        "category_roots": roots,
        "formats": [
            (group.key, group.label, link(format=group.key))
            for group in registry.GROUPS
        ],
        "page_ranges": [
            (v, label, link(pages=v)) for v, label in PAGE_RANGE_LABELS.items()
        ],
        "sorts": [(v, label, link(sort=v)) for v, label in SORT_LABELS],
        "prices": [(v, label, link(price=v)) for v, label in PRICE_LABELS],
        "clear": {name: link(**{name: ""}) for name in PARAMS},
        "pages": [
            (number, link(page=str(number)))
            for number in range(
                max(1, found.page - 4), min(found.page_count, found.page + 4) + 1
            )
        ],
        "prev_link": link(page=str(found.page - 1)) if found.page > 1 else "",
        "next_link": link(page=str(found.page + 1))
        if found.page < found.page_count
        else "",
        "click_base": "/search/click?" + urlencode({"q": query}),
    }
    context["category_links"] = [
        (
            root,
            link(category=root.slug),
            [(child, link(category=child.slug)) for child in root.children.all()],
        )
        for root in roots
    ]
    response = render(request, "search/results.html", context)
    if not found.total:
        response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def click(request: HttpRequest) -> HttpResponse:
    """Count which document a query led to, then go to it."""
    number = request.GET.get("doc", "")
    is_number = number.isascii() and number.isdigit() and len(number) <= 18
    document = public_documents().filter(number=number).first() if is_number else None
    if document is None:
        return HttpResponseRedirect(
            "/search?" + urlencode({"q": request.GET.get("q", "")})
        )
    services.log_query(request.GET.get("q", ""), clicked_document=document)
    return HttpResponseRedirect(document.get_absolute_url())
