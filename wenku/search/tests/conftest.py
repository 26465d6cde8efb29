"""Fixtures for search tests: published documents created with the ORM and indexed."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from conftest import shared_file

_numbers = itertools.count(20_000_001)


@pytest.fixture
def publish(db, make_user):
    """Create a published document with per-page text and index it, like publishing."""
    from wenku.documents.models import Document, DocumentStatus, Page
    from wenku.search import public as search

    owner = make_user("uploader")

    def _publish(
        title: str,
        pages: list[str],
        *,
        description: str = "",
        tags: str = "",
        keywords: list[str] | None = None,
        category=None,
        file_type: str = "docx",
        price: int = 0,
        free_pages: int = 5,
        downloads: int = 0,
        age_days: int = 0,
        sha256: str | None = None,
        uploader=None,
    ) -> Document:
        number = next(_numbers)
        with transaction.atomic():
            document = Document.objects.create(
                number=number,
                title=title,
                description=description,
                tags=tags,
                keywords=keywords or [],
                category=category,
                uploader=uploader or owner,
                original=f"originals/test/{number}.{file_type}",
                original_name=f"{title}.{file_type}",
                file_type=file_type,
                sha256=sha256 or f"{number:064d}",
                size=1000,
                price=price,
                free_pages=free_pages,
                status=DocumentStatus.PUBLISHED,
                page_count=len(pages),
                rendered_pages=len(pages),
                text="\n".join(pages),
                downloads=downloads,
                published_at=timezone.now() - timedelta(days=age_days),
            )
            Page.objects.bulk_create(
                Page(document=document, number=i, text=text)
                for i, text in enumerate(pages, start=1)
            )
            search.index_document(document, refresh_related=False)
        return document

    return _publish


def split_pages(text: str, count: int) -> list[str]:
    """Split text into `count` pages at sentence ends, roughly equal in length."""
    sentences = re.split(r"(?<=[。！？\n])", text)
    target = len(text) / count
    pages: list[str] = [""]
    for sentence in sentences:
        if len(pages[-1]) >= target and len(pages) < count:
            pages.append("")
        pages[-1] += sentence
    return pages


@pytest.fixture
def speech_text() -> str:
    """The seed page's education speech (skips when ../shared is absent)."""
    return shared_file("seed/speech.txt").read_text(encoding="utf-8")
