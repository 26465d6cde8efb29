"""Home page, category pages, health check."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme

from wenku.core import pagecache
from wenku.core.listing import paginate_listing
from wenku.core.models import Category
from wenku.core.selectors import category_descendant_ids
from wenku.documents.selectors import document_list_public


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "newest": document_list_public(sort="newest")[:12],
        "popular": document_list_public(sort="downloads")[:12],
    }
    if request.GET:
        context.update(paginate_listing(None, request.GET))
    pagecache.mark(request, tags=(pagecache.DOCUMENTS,))
    return render(request, "core/home.html", context)


def category(request: HttpRequest, slug: str) -> HttpResponse:
    node = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    context = {"category": node, "breadcrumb": node.ancestors()}
    context.update(paginate_listing(category_descendant_ids(node), request.GET))
    pagecache.mark(request, tags=(pagecache.DOCUMENTS,))
    return render(request, "core/category.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True, "database": connection.vendor})


def language(request: HttpRequest) -> HttpResponse:
    """The language switch: a cookie and back to the page. A GET, so the pages that
    carry the switch hold no CSRF token and stay the same for every visitor (the
    page cache keeps them); changing a display preference needs no protection."""
    code = request.GET.get("language", "")
    target = request.GET.get("next", "") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response
