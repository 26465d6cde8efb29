"""Reads for site settings and categories."""

from __future__ import annotations

from django.db.models import Prefetch

from wenku.core.models import Category, SiteSettings


def site_settings_get() -> SiteSettings:
    """The single SiteSettings row, created with defaults on first use."""
    settings_row = SiteSettings.objects.order_by("pk").first()
    if settings_row is None:
        settings_row = SiteSettings.objects.create()
    return settings_row


def category_roots() -> list[Category]:
    """Top-level categories with their ordered children, for navigation."""
    children = Prefetch(
        "children", queryset=Category.objects.order_by("position", "id")
    )
    return list(Category.objects.filter(parent=None).prefetch_related(children))


def category_descendant_ids(category: Category) -> list[int]:
    """Ids of the category and every category below it."""
    ids = [category.pk]
    frontier = [category.pk]
    while frontier:
        frontier = list(
            Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = [pk for pk in frontier if pk not in ids]
        ids.extend(frontier)
    return ids
