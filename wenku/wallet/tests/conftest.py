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
