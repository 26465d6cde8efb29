"""Fixtures for wallet tests: funded members and priced documents."""

from __future__ import annotations

import pytest


@pytest.fixture
def fund():
    """Give a member points through the admin-grant path (promotions → wallet)."""
    from wenku.wallet.services import wallet_grant

    def _fund(user, amount: int) -> None:
        wallet_grant(user=user, amount=amount, reason="测试充值")

    return _fund


@pytest.fixture
def priced_document(make_document):
    """A published document with a price and a real original in default_storage."""

    def _make(*, uploader=None, price: int = 10, **extra):
        return make_document(uploader=uploader, price=price, pages=["第一页"], **extra)

    return _make


@pytest.fixture
def ledger_ok():
    """Call after a test's money moves: the ledger must balance."""
    from wenku.wallet.selectors import ledger_problems

    def _check() -> None:
        assert ledger_problems() == []

    return _check


@pytest.fixture
def quick_document(db):
    """A published document with an original file but no page images (fast)."""
    import itertools

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from wenku.documents.models import Document, DocumentStatus
    from wenku.documents.numbers import new_document_number

    counter = itertools.count(1)

    def _make(*, uploader, price: int = 10, original: bytes = b"original"):
        number = new_document_number()
        name = default_storage.save(
            f"originals/test/{number}.pdf", ContentFile(original)
        )
        return Document.objects.create(
            number=number,
            title=f"文档{next(counter)}",
            uploader=uploader,
            original=name,
            original_name=f"{number}.pdf",
            file_type="pdf",
            sha256=f"{number:064d}",
            size=len(original),
            price=price,
            status=DocumentStatus.PUBLISHED,
            published_at=timezone.now(),
        )

    return _make
