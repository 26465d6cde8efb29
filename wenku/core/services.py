"""Writes on site-wide data: the category tree."""

from __future__ import annotations

from django.db import transaction

from wenku.core.demo_content import CATEGORY_TREE
from wenku.core.models import Category


def category_tree_seed() -> None:
    """Create the demo category tree (idempotent: existing slugs are kept; a seeded
    category the admin has not renamed gets its English name when it has none)."""
    with transaction.atomic():
        for root_pos, (name, name_en, slug, children) in enumerate(CATEGORY_TREE):
            root, _ = Category.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "name_en": name_en, "position": root_pos},
            )
            Category.objects.filter(pk=root.pk, name=name, name_en="").update(
                name_en=name_en
            )
            for pos, (child_name, child_en, child_slug) in enumerate(children):
                child, _ = Category.objects.get_or_create(
                    slug=child_slug,
                    defaults={
                        "name": child_name,
                        "name_en": child_en,
                        "parent": root,
                        "position": pos,
                    },
                )
                Category.objects.filter(
                    pk=child.pk, name=child_name, name_en=""
                ).update(name_en=child_en)
