"""Home page, category pages, health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from wenku.core.models import Category
from wenku.core.selectors import category_descendant_ids


def _document_lists(category_ids: list[int] | None) -> dict[str, object]:
    try:
        from wenku.documents.selectors import document_list_public
    except ImportError:
        return {"newest": [], "popular": []}
    return {
        "newest": document_list_public(category_ids=category_ids, sort="newest")[:12],
        "popular": document_list_public(category_ids=category_ids, sort="downloads")[
            :12
        ],
    }


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", _document_lists(None))


def category(request: HttpRequest, slug: str) -> HttpResponse:
    node = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    context = {"category": node, "breadcrumb": node.ancestors()}
    context.update(_document_lists(category_descendant_ids(node)))
    return render(request, "core/category.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True, "database": connection.vendor})
