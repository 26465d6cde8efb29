"""Writes on site-wide data: the category tree."""

from __future__ import annotations

from django.db import transaction

from wenku.core.demo_content import CATEGORY_TREE
from wenku.core.models import Category


def category_tree_seed() -> None:
    """Create the demo category tree (idempotent: existing slugs are kept)."""
    with transaction.atomic():
        for root_pos, (name, slug, children) in enumerate(CATEGORY_TREE):
            root, _ = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "position": root_pos}
            )
            for pos, (child_name, child_slug) in enumerate(children):
                Category.objects.get_or_create(
                    slug=child_slug,
                    defaults={"name": child_name, "parent": root, "position": pos},
                )
