"""sitemap.xml (published documents only, paginated) and robots.txt."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse

from wenku.core.models import Category
from wenku.documents.access import public_documents
from wenku.documents.models import Document


class DocumentSitemap(Sitemap):
    limit = 5000
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return public_documents().only("number", "updated_at").order_by("pk")

    def lastmod(self, item: Document):
        return item.updated_at


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Category.objects.order_by("pk")


SITEMAPS = {"documents": DocumentSitemap, "categories": CategorySitemap}


def sitemap_index(request: HttpRequest) -> HttpResponse:
    return sitemap_views.index(
        request, SITEMAPS, sitemap_url_name="documents:sitemap_section"
    )


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /me/",
        "Disallow: /upload/",
        "Disallow: /accounts/",
        "Disallow: /documents/*/download/",
        "Disallow: /documents/*/buy/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
