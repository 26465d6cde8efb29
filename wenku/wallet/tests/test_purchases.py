import pytest
from django.db import transaction

from wenku.documents.access import document_access
from wenku.documents.models import DocumentStatus
from wenku.wallet.models import (
    AuditLog,
    Purchase,
    PurchaseStatus,
    Transfer,
    TransferKind,
    WalletRules,
)
from wenku.wallet.selectors import (
    commission_for,
    earnings_by_document,
    rules_get,
    user_is_entitled,
    wallet_balance,
)
from wenku.wallet.services import (
    IdempotencyConflict,
    InsufficientBalance,
    WalletError,
    purchase_create,
    purchase_refund,
)

pytestmark = pytest.mark.django_db


def test_purchase_moves_price_to_uploader_and_entitles(
    make_user, fund, priced_document, ledger_ok
):
    buyer, uploader = make_user(), make_user()
    document = priced_document(uploader=uploader, price=12)
    fund(buyer, 20)
    assert not document_access(user=buyer, document=document).full_text
    result = purchase_create(buyer=buyer, document=document, idempotency_key="k1")
    assert result.charged is True
    assert result.balance == 8
    assert wallet_balance(user=buyer) == 8
    assert wallet_balance(user=uploader) == 12
    assert user_is_entitled(user=buyer, document=document)
    assert document_access(user=buyer, document=document).full_text
    assert AuditLog.objects.filter(action="purchase", actor=buyer).count() == 1
    ledger_ok()


def test_commission_goes_to_platform_revenue(
    make_user, fund, priced_document, ledger_ok
):
    WalletRules.objects.update_or_create(
        pk=rules_get().pk, defaults={"commission_percent": 30}
    )
    buyer, uploader = make_user(), make_user()
    document = priced_document(uploader=uploader, price=15)
    fund(buyer, 15)
    result = purchase_create(buyer=buyer, document=document, idempotency_key="k1")
    assert result.purchase.commission == 4  # 15 * 30% = 4.5, rounded down
    assert wallet_balance(user=uploader) == 11
    assert wallet_balance(user=buyer) == 0
    ledger_ok()


def test_commission_rounds_down():
    assert commission_for(price=10, percent=0) == 0
    assert commission_for(price=10, percent=15) == 1
    assert commission_for(price=99, percent=100) == 99


def test_second_purchase_of_owned_document_charges_nothing(
    make_user, fund, priced_document
):
    buyer = make_user()
    document = priced_document(price=5)
    fund(buyer, 20)
    purchase_create(buyer=buyer, document=document, idempotency_key="a")
    again = purchase_create(buyer=buyer, document=document, idempotency_key="b")
    assert again.charged is False
    assert wallet_balance(user=buyer) == 15
    assert Purchase.objects.count() == 1


def test_replayed_key_returns_first_result(make_user, fund, priced_document):
    buyer = make_user()
    document = priced_document(price=5)
    fund(buyer, 20)
    first = purchase_create(buyer=buyer, document=document, idempotency_key="same")
    fund(buyer, 100)
    replay = purchase_create(buyer=buyer, document=document, idempotency_key="same")
    assert replay.purchase.pk == first.purchase.pk
    assert replay.balance == first.balance == 15
    assert replay.charged is False
    assert wallet_balance(user=buyer) == 115


def test_replayed_key_for_other_document_is_a_conflict(
    make_user, fund, priced_document
):
    buyer = make_user()
    one, two = priced_document(price=5), priced_document(price=5)
    fund(buyer, 20)
    purchase_create(buyer=buyer, document=one, idempotency_key="same")
    with pytest.raises(IdempotencyConflict):
        purchase_create(buyer=buyer, document=two, idempotency_key="same")
    assert wallet_balance(user=buyer) == 15


def test_insufficient_balance_says_how_to_recharge(make_user, fund, priced_document):
    buyer = make_user()
    document = priced_document(price=50)
    fund(buyer, 20)
    with pytest.raises(InsufficientBalance) as info:
        purchase_create(buyer=buyer, document=document, idempotency_key="k")
    assert "积分不足：需要 50 积分，当前余额 20 积分，请先充值" in info.value.message
    assert "/me/wallet/recharge/" in info.value.message
    assert wallet_balance(user=buyer) == 20
    assert not Purchase.objects.exists()


@pytest.mark.parametrize(
    ("setup", "code", "text"),
    [
        ("own", "own_document", "这是您自己上传的文档"),
        ("free", "free_document", "免费文档无需购买"),
        ("unpublished", "not_published", "未发布或已下架"),
        ("taken_down", "not_published", "未发布或已下架"),
    ],
)
def test_purchase_refusals(make_user, fund, priced_document, setup, code, text):
    buyer = make_user()
    fund(buyer, 100)
    if setup == "own":
        document = priced_document(uploader=buyer, price=5)
    elif setup == "free":
        document = priced_document(price=0)
    elif setup == "unpublished":
        document = priced_document(price=5, status=DocumentStatus.PROCESSING)
    else:
        document = priced_document(price=5, status=DocumentStatus.TAKEN_DOWN)
    with pytest.raises(WalletError) as info:
        purchase_create(buyer=buyer, document=document, idempotency_key="k")
    assert info.value.code == code
    assert text in info.value.message
    assert " / " in info.value.message  # Chinese first, then English
    assert wallet_balance(user=buyer) == 100


def test_changed_price_is_refused(make_user, fund, priced_document):
    buyer = make_user()
    document = priced_document(price=5)
    fund(buyer, 100)
    with pytest.raises(WalletError, match="价格已变为 5"):
        purchase_create(
            buyer=buyer, document=document, idempotency_key="k", expected_price=3
        )


def test_failure_after_debit_rolls_everything_back(
    make_user, fund, priced_document, monkeypatch, ledger_ok
):
    buyer, uploader = make_user(), make_user()
    document = priced_document(uploader=uploader, price=5)
    fund(buyer, 20)

    def boom(*args, **kwargs):
        raise RuntimeError("injected after the debit")

    monkeypatch.setattr(Purchase.objects, "create", boom)
    with pytest.raises(RuntimeError):
        purchase_create(buyer=buyer, document=document, idempotency_key="k")
    assert wallet_balance(user=buyer) == 20
    assert wallet_balance(user=uploader) == 0
    assert not Transfer.objects.filter(kind=TransferKind.PURCHASE).exists()
    ledger_ok()


def test_refund_returns_points_and_revokes_entitlement(
    make_user, fund, priced_document, ledger_ok
):
    admin, buyer, uploader = make_user(is_staff=True), make_user(), make_user()
    document = priced_document(uploader=uploader, price=8)
    fund(buyer, 8)
    purchase = purchase_create(
        buyer=buyer, document=document, idempotency_key="k"
    ).purchase
    refunded = purchase_refund(purchase=purchase, by=admin, reason="文档侵权")
    assert refunded.status == PurchaseStatus.REFUNDED
    assert wallet_balance(user=buyer) == 8
    assert wallet_balance(user=uploader) == 0
    assert not user_is_entitled(user=buyer, document=document)
    assert AuditLog.objects.filter(action="refund", actor=admin).count() == 1
    # refunding twice is a no-op; the original entries are untouched
    purchase_refund(purchase=purchase, by=admin, reason="again")
    assert wallet_balance(user=buyer) == 8
    assert Transfer.objects.filter(kind=TransferKind.REFUND).count() == 1
    assert earnings_by_document(user=uploader)[0]["net"] == 0
    # the buyer may buy again after a refund
    purchase_create(buyer=buyer, document=document, idempotency_key="k2")
    assert user_is_entitled(user=buyer, document=document)
    ledger_ok()


def test_refund_refused_when_uploader_spent_the_points(
    make_user, fund, priced_document, ledger_ok
):
    admin, buyer, uploader = make_user(is_staff=True), make_user(), make_user()
    document = priced_document(uploader=uploader, price=10)
    other = priced_document(price=7)
    fund(buyer, 10)
    purchase = purchase_create(
        buyer=buyer, document=document, idempotency_key="k"
    ).purchase
    purchase_create(buyer=uploader, document=other, idempotency_key="spend")
    assert wallet_balance(user=uploader) == 3
    with pytest.raises(WalletError) as info:
        purchase_refund(purchase=purchase, by=admin, reason="x")
    assert "上传者余额不足（现有 3 积分，需退回 10 积分）" in info.value.message
    assert user_is_entitled(user=buyer, document=document)
    # the admin may choose to have the platform cover the difference
    purchase_refund(
        purchase=purchase, by=admin, reason="x", platform_covers_shortfall=True
    )
    assert wallet_balance(user=buyer) == 10
    assert wallet_balance(user=uploader) == 0
    log = AuditLog.objects.get(action="refund")
    assert log.details["platform_covered"] == 7
    ledger_ok()


def test_refund_with_commission_takes_commission_back_from_revenue(
    make_user, fund, priced_document, ledger_ok
):
    WalletRules.objects.update_or_create(
        pk=rules_get().pk, defaults={"commission_percent": 20}
    )
    buyer, uploader = make_user(), make_user()
    document = priced_document(uploader=uploader, price=10)
    fund(buyer, 10)
    purchase = purchase_create(
        buyer=buyer, document=document, idempotency_key="k"
    ).purchase
    purchase_refund(purchase=purchase, by=None, reason="x")
    assert wallet_balance(user=buyer) == 10
    assert wallet_balance(user=uploader) == 0
    ledger_ok()


def test_one_paid_purchase_per_document_in_database(make_user, fund, priced_document):
    from django.db import IntegrityError

    buyer = make_user()
    document = priced_document(price=5)
    fund(buyer, 20)
    first = purchase_create(
        buyer=buyer, document=document, idempotency_key="k"
    ).purchase
    with pytest.raises(IntegrityError), transaction.atomic():
        Purchase.objects.create(
            buyer=buyer,
            document=document,
            seller=document.uploader,
            price=5,
            idempotency_key="manual",
            transfer=first.transfer,
        )
