"""Buying a document and refunding a purchase."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from wenku.documents.access import Buy, document_access
from wenku.documents.models import Document
from wenku.wallet.ledger import (
    IdempotencyConflict,
    InsufficientBalance,
    Leg,
    MemberWallet,
    WalletError,
    accounts_lock,
    draw,
    member_wallet,
    platform_account,
    transfer_post,
    wallet_total,
)
from wenku.wallet.models import (
    AccountKind,
    Purchase,
    PurchaseStatus,
    TransferKind,
    Withdrawal,
    WithdrawalStatus,
)
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
    url = reverse("wallet:recharge")
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


@dataclass(frozen=True)
class _SaleSplit:
    debits: list[Leg]  # from the buyer's accounts, bonus first
    bonus_points: int  # paid with the buyer's bonus points
    seller_bonus: int  # arrives as the seller's bonus points
    seller_income: int  # arrives as the seller's income (withdrawable after hold)


def _split_sale(
    *, wallet: MemberWallet, locked: dict[int, Any], price: int, commission: int
) -> _SaleSplit:
    """Which of the buyer's points pay, and what each becomes for the seller.

    The seller's income is only ever the paid points the buyer spent: what was paid
    with bonus points arrives as bonus. The commission comes out of the bonus part
    first, so the platform never takes a cut of real money while fake points remain.
    """
    taken: dict[int, int] = {}
    debits = draw(wallet.spending_order(), price, locked, taken)
    bonus_points = taken.get(wallet.bonus.pk, 0)
    paid_points = price - bonus_points
    commission_from_bonus = min(commission, bonus_points)
    return _SaleSplit(
        debits=debits,
        bonus_points=bonus_points,
        seller_bonus=bonus_points - commission_from_bonus,
        seller_income=paid_points - (commission - commission_from_bonus),
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
    hold_days = rules_get().income_hold_days
    wallet = member_wallet(buyer)
    seller = member_wallet(document.uploader)
    revenue = platform_account(AccountKind.REVENUE)
    try:
        with transaction.atomic():
            # The buyer's row locks serialise every purchase by this member, so the
            # checks below see all of their earlier, committed purchases.
            locked = accounts_lock([*wallet.accounts, *seller.accounts, revenue])
            existing = Purchase.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return _replay(existing, document)
            owned = Purchase.objects.filter(
                buyer_id=buyer.pk, document_id=document.pk, status=PurchaseStatus.PAID
            ).first()
            balance = wallet_total(wallet, locked)
            if owned is not None:
                return PurchaseResult(purchase=owned, balance=balance, charged=False)
            if balance < price:
                raise _insufficient(price=price, balance=balance)
            split = _split_sale(
                wallet=wallet, locked=locked, price=price, commission=commission
            )
            income_account = seller.held if hold_days else seller.income
            legs = [
                *split.debits,
                Leg(seller.bonus, split.seller_bonus),
                Leg(income_account, split.seller_income),
                Leg(revenue, commission),
            ]
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
                bonus_points=split.bonus_points,
                seller_income=split.seller_income,
                income_released_at=None if hold_days else timezone.now(),
                idempotency_key=key,
                buyer_balance_after=wallet_total(wallet, locked),
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
                bonus_points=split.bonus_points,
                seller_income=split.seller_income,
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


def _pending_withdrawals(user_id: Any) -> int:
    return int(
        Withdrawal.objects.filter(
            user_id=user_id, status=WithdrawalStatus.PENDING
        ).aggregate(s=Sum("points"))["s"]
        or 0
    )


def purchase_refund(
    *,
    purchase: Purchase,
    by: Any,
    reason: str,
    platform_covers_shortfall: bool = False,
) -> Purchase:
    """Refund a purchase with a compensating transfer and revoke the entitlement.

    The buyer gets back bonus points as bonus and paid points as paid. The
    uploader's share comes back out of the uploader's wallet: income still on hold
    first, then withdrawable income, then the rest of the wallet. If the uploader
    no longer holds the share, the refund is refused, unless the admin chooses
    `platform_covers_shortfall`: the platform revenue account pays the difference,
    which the uploader then owes (their withdrawals are refused until it is
    recovered). A member wallet never goes negative. Refunding twice is a no-op.
    """
    reason = (reason or "").strip() or "管理员退款"
    wallet = member_wallet(purchase.buyer)
    seller = member_wallet(purchase.seller)
    revenue = platform_account(AccountKind.REVENUE)
    with transaction.atomic():
        locked = accounts_lock([*wallet.accounts, *seller.accounts, revenue])
        current = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if current.status == PurchaseStatus.REFUNDED:
            return current
        share = current.seller_share
        taken: dict[int, int] = {}
        seller_legs = [
            *draw(
                [seller.held, seller.income, seller.paid, seller.bonus],
                current.seller_income,
                locked,
                taken,
            ),
            *draw(
                [seller.bonus, seller.paid, seller.held, seller.income],
                current.seller_bonus,
                locked,
                taken,
            ),
        ]
        from_seller = sum(taken.values())
        shortfall = share - from_seller
        if shortfall and not platform_covers_shortfall:
            pending = _pending_withdrawals(current.seller_id)
            waiting = f"；其待审核提现 {pending} 积分，可先驳回提现" if pending else ""
            raise WalletError(
                f"上传者余额不足（现有 {from_seller} 积分，需退回 {share} 积分）"
                f"{waiting}，无法退款；可选择“退款（差额由平台垫付）” / The "
                f"uploader has only {from_seller} of the {share} points to return"
                f"{f' ({pending} waiting in a withdrawal request)' if pending else ''}"
                "; refuse, or refund with the platform covering the difference",
                code="seller_short",
            )
        transfer = transfer_post(
            kind=TransferKind.REFUND,
            idempotency_key=f"refund:{current.pk}",
            legs=[
                Leg(wallet.bonus, current.bonus_points),
                Leg(wallet.paid, current.price - current.bonus_points),
                *seller_legs,
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
        current.refund_shortfall = shortfall
        current.save(
            update_fields=[
                "status",
                "refund_transfer",
                "refunded_at",
                "refund_shortfall",
            ]
        )
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
