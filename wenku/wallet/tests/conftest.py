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


class RealMoneyProvider:
    """The sandbox's signing and notices, for a provider real money stands behind:
    the recharge path of a production provider (Alipay, WeChat Pay) with the
    network hop left out. Registered only inside tests."""

    name = "test-real"
    label = "测试（真实付款）"
    ack_body = "success"
    real_money = True

    def pay_url(self, order, *, request):
        raise NotImplementedError

    def verify(self, data):
        from wenku.wallet.payments.sandbox import SandboxProvider

        return SandboxProvider().verify(data)


@pytest.fixture
def fund_paid(db, monkeypatch):
    """Recharge a member with real money: ``yuan`` becomes paid points through the
    real order → signed notice → credit path (10 points a yuan by default)."""
    from urllib.parse import urlencode

    from wenku.wallet.payments import registry
    from wenku.wallet.payments.sandbox import notice_build
    from wenku.wallet.services import payment_notice_handle, recharge_order_create

    monkeypatch.setitem(registry.PROVIDERS, RealMoneyProvider.name, RealMoneyProvider)

    def _fund(user, yuan: int) -> None:
        order = recharge_order_create(user=user, yuan=yuan, provider="test-real")
        data = notice_build(
            out_trade_no=order.out_trade_no, amount_fen=order.amount_fen
        )
        accepted, outcome = payment_notice_handle(
            provider_name="test-real", data=data, body=urlencode(data)
        )
        assert (accepted, outcome) == (True, "credited")

    return _fund


@pytest.fixture
def sandbox_payments(settings):
    """Turn the sandbox provider on (it is off unless configured)."""
    settings.WALLET_PAYMENT_PROVIDER = "sandbox"


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
