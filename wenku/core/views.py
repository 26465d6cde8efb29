"""Home page, category pages, health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

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
    return render(request, "core/home.html", context)


def category(request: HttpRequest, slug: str) -> HttpResponse:
    node = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    context = {"category": node, "breadcrumb": node.ancestors()}
    context.update(paginate_listing(category_descendant_ids(node), request.GET))
    return render(request, "core/category.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True, "database": connection.vendor})
