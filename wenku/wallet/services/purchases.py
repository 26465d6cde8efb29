"""Buying a document and refunding a purchase."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from wenku.documents.access import Buy, document_access
from wenku.documents.models import Document
from wenku.wallet.ledger import (
    IdempotencyConflict,
    InsufficientBalance,
    Leg,
    WalletError,
    accounts_lock,
    member_account,
    platform_account,
    transfer_post,
)
from wenku.wallet.models import AccountKind, Purchase, PurchaseStatus, TransferKind
from wenku.wallet.selectors import commission_for, rules_get
from wenku.wallet.services.audit import audit_write

# The ledger keys the transfer "purchase:<buyer id>:<key>" in 200 characters.
KEY_MAX = 100


@dataclass(frozen=True)
class PurchaseResult:
    purchase: Purchase
    balance: int
    charged: bool


def _refuse_unless_purchasable(*, buyer: Any, document: Any) -> None:
    buy = document_access(user=buyer, document=document).buy
    if buy in (Buy.UNAVAILABLE, Buy.SIGN_IN):
        raise WalletError(
            "该文档未发布或已下架，无法购买 / This document is not available for sale",
            code="not_published",
        )
    if buy == Buy.OWN:
        raise WalletError(
            "这是您自己上传的文档，无需购买 / You uploaded this document; "
            "no need to buy it",
            code="own_document",
        )
    if buy == Buy.FREE:
        raise WalletError(
            "免费文档无需购买，可直接下载 / This document is free; download it directly",
            code="free_document",
        )


def _insufficient(*, price: int, balance: int) -> InsufficientBalance:
    url = reverse("wallet:home") + "#recharge"
    return InsufficientBalance(
        f"积分不足：需要 {price} 积分，当前余额 {balance} 积分，请先充值（{url}） / "
        f"Not enough points: {price} needed, balance {balance}. Recharge at {url}"
    )


def _replay(existing: Purchase, document: Any) -> PurchaseResult:
    if existing.document_id != document.pk:
        raise IdempotencyConflict(
            "该幂等键已用于另一份文档的购买 / This Idempotency-Key was already used "
            "for a different purchase"
        )
    return PurchaseResult(
        purchase=existing, balance=existing.buyer_balance_after, charged=False
    )


def purchase_create(
    *,
    buyer: Any,
    document: Any,
    idempotency_key: str,
    expected_price: int | None = None,
) -> PurchaseResult:
    """Buy a document: charge the buyer, pay the uploader (minus commission) and
    grant a permanent entitlement, all in one transaction.

    Idempotent on (buyer, idempotency_key): a replay returns the first result and
    charges nothing. Buying a document already owned charges nothing either.
    """
    idempotency_key = (idempotency_key or "").strip()
    if not idempotency_key or len(idempotency_key) > KEY_MAX:
        raise WalletError(
            f"需要 1–{KEY_MAX} 个字符的幂等键 / An idempotency key of 1–{KEY_MAX} "
            "characters is required",
            code="bad_idempotency_key",
        )
    key = f"purchase:{buyer.pk}:{idempotency_key}"
    existing = Purchase.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _replay(existing, document)
    document = Document.objects.select_related("uploader").get(pk=document.pk)
    _refuse_unless_purchasable(buyer=buyer, document=document)
    price = document.price
    if expected_price is not None and expected_price != price:
        raise WalletError(
            f"文档价格已变为 {price} 积分，请确认后再购买 / The price changed to "
            f"{price} points; please confirm again",
            code="price_changed",
        )
    commission = commission_for(price=price, percent=rules_get().commission_percent)
    wallet = member_account(buyer)
    seller_wallet = member_account(document.uploader)
    accounts = [wallet, seller_wallet]
    revenue = platform_account(AccountKind.REVENUE) if commission else None
    if revenue is not None:
        accounts.append(revenue)
    try:
        with transaction.atomic():
            # The buyer's row lock serialises every purchase by this member, so the
            # checks below see all of their earlier, committed purchases.
            locked = accounts_lock(accounts)
            existing = Purchase.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return _replay(existing, document)
            owned = Purchase.objects.filter(
                buyer_id=buyer.pk, document_id=document.pk, status=PurchaseStatus.PAID
            ).first()
            balance = locked[wallet.pk].balance
            if owned is not None:
                return PurchaseResult(purchase=owned, balance=balance, charged=False)
            if balance < price:
                raise _insufficient(price=price, balance=balance)
            legs = [Leg(wallet, -price), Leg(seller_wallet, price - commission)]
            if revenue is not None:
                legs.append(Leg(revenue, commission))
            transfer = transfer_post(
                kind=TransferKind.PURCHASE,
                idempotency_key=key,
                legs=legs,
                locked=locked,
                document=document,
                created_by=buyer,
            )
            purchase = Purchase.objects.create(
                buyer_id=buyer.pk,
                document=document,
                seller_id=document.uploader_id,
                price=price,
                commission=commission,
                idempotency_key=key,
                buyer_balance_after=locked[wallet.pk].balance,
                transfer=transfer,
            )
            audit_write(
                action="purchase",
                actor=buyer,
                subject_user=document.uploader,
                transfer=transfer,
                document_number=document.number,
                price=price,
                commission=commission,
            )
    except IntegrityError:
        # Only reachable if the locks above were bypassed; fall back to the winner.
        existing = Purchase.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _replay(existing, document)
        raise
    return PurchaseResult(
        purchase=purchase, balance=purchase.buyer_balance_after, charged=True
    )


def purchase_refund(
    *,
    purchase: Purchase,
    by: Any,
    reason: str,
    platform_covers_shortfall: bool = False,
) -> Purchase:
    """Refund a purchase with a compensating transfer and revoke the entitlement.

    The uploader's share comes back out of the uploader's wallet. If they have
    already spent it, the refund is refused, unless the admin chooses
    `platform_covers_shortfall`, in which case the platform revenue account pays the
    difference. A member wallet never goes negative. Refunding twice is a no-op.
    """
    reason = (reason or "").strip() or "管理员退款"
    wallet = member_account(purchase.buyer)
    seller_wallet = member_account(purchase.seller)
    revenue = platform_account(AccountKind.REVENUE)
    with transaction.atomic():
        locked = accounts_lock([wallet, seller_wallet, revenue])
        current = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if current.status == PurchaseStatus.REFUNDED:
            return current
        share = current.seller_share
        from_seller = min(share, locked[seller_wallet.pk].balance)
        shortfall = share - from_seller
        if shortfall and not platform_covers_shortfall:
            raise WalletError(
                f"上传者余额不足（现有 {from_seller} 积分，需退回 {share} 积分），"
                "无法退款；可选择“退款（差额由平台垫付）” / The uploader has only "
                f"{from_seller} of the {share} points to return; refuse, or refund "
                "with the platform covering the difference",
                code="seller_short",
            )
        transfer = transfer_post(
            kind=TransferKind.REFUND,
            idempotency_key=f"refund:{current.pk}",
            legs=[
                Leg(wallet, current.price),
                Leg(seller_wallet, -from_seller),
                Leg(revenue, -(current.commission + shortfall)),
            ],
            locked=locked,
            memo=reason,
            document=current.document,
            created_by=by,
        )
        current.status = PurchaseStatus.REFUNDED
        current.refund_transfer = transfer
        current.refunded_at = timezone.now()
        current.save(update_fields=["status", "refund_transfer", "refunded_at"])
        audit_write(
            action="refund",
            actor=by,
            subject_user=current.buyer,
            transfer=transfer,
            purchase=current.pk,
            reason=reason,
            from_seller=from_seller,
            platform_covered=shortfall,
        )
    return current
