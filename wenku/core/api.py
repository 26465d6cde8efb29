"""API: categories."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from wenku.core.models import Category

router = Router(tags=["categories"])


class CategoryOut(Schema):
    id: int
    name: str
    slug: str
    parent: str | None
    position: int


@router.get("/categories", response=list[CategoryOut])
def categories(request: HttpRequest):
    rows = Category.objects.select_related("parent").order_by(
        "parent_id", "position", "id"
    )
    return [
        {
            "id": c.pk,
            "name": c.name,
            "slug": c.slug,
            "parent": c.parent.slug if c.parent else None,
            "position": c.position,
        }
        for c in rows
    ]
