"""Reads on wallets, entitlements, rules and the ledger's own health."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from wenku.documents.models import Document
from wenku.wallet.models import (
    Account,
    AccountKind,
    Entry,
    FreeDownload,
    Purchase,
    PurchaseStatus,
    RechargeOrder,
    Transfer,
    TransferKind,
    WalletRules,
    Withdrawal,
)


def rules_get() -> WalletRules:
    """The single WalletRules row, created with defaults on first use."""
    rules = WalletRules.objects.order_by("pk").first()
    if rules is None:
        rules = WalletRules.objects.create()
    return rules


@dataclass(frozen=True)
class PriceBounds:
    minimum: int
    maximum: int

    def allows(self, price: int) -> bool:
        """0 (free) or a price within the bounds."""
        return price == 0 or self.minimum <= price <= self.maximum


def price_bounds() -> PriceBounds:
    """Lowest and highest price (points) an uploader may set; 0 always means free."""
    rules = rules_get()
    return PriceBounds(minimum=rules.price_min, maximum=rules.price_max)


def commission_for(*, price: int, percent: int) -> int:
    """The platform's cut of a sale, rounded down (the uploader keeps the remainder)."""
    return price * percent // 100


def user_is_entitled(*, user: Any, document: Any) -> bool:
    """True when the member holds a paid (not refunded) purchase of the document."""
    return document is not None and document.pk in entitled_document_ids(
        user=user, document_ids=[document.pk]
    )


def entitled_document_ids(*, user: Any, document_ids: list[int]) -> set[int]:
    """Which of these documents the member holds a paid purchase of (one query).

    A fact for ``wenku.documents.access``, which decides what an entitlement allows.
    """
    if not getattr(user, "is_authenticated", False) or not document_ids:
        return set()
    return set(
        Purchase.objects.filter(
            buyer_id=user.pk, document_id__in=document_ids, status=PurchaseStatus.PAID
        ).values_list("document_id", flat=True)
    )


def wallet_balance(*, user: Any) -> int:
    """The member's current balance in points (0 before the wallet exists)."""
    value = (
        Account.objects.filter(user_id=user.pk, kind=AccountKind.MEMBER)
        .values_list("balance", flat=True)
        .first()
    )
    return int(value or 0)


def member_entries(*, user: Any) -> QuerySet[Entry]:
    """The member's ledger entries, newest first, ready for `entry_description`."""
    return (
        Entry.objects.filter(account__user_id=user.pk, account__kind=AccountKind.MEMBER)
        .select_related("transfer", "transfer__document")
        .order_by("-id")
    )


def entry_description(entry: Entry) -> str:
    """A sentence a member understands, from their side of the transfer."""
    transfer: Transfer = entry.transfer
    document = transfer.document
    title = f"《{document.display_title}》" if document is not None else ""
    kind = transfer.kind
    if kind == TransferKind.PURCHASE:
        return f"购买{title}" if entry.amount < 0 else f"出售{title}收入"
    if kind == TransferKind.REFUND:
        return f"退款{title}" if entry.amount > 0 else f"退款扣回{title}收入"
    if kind == TransferKind.RECHARGE:
        return f"充值（{transfer.memo}）" if transfer.memo else "充值"
    if kind == TransferKind.UPLOAD_REWARD:
        return f"上传奖励{title}"
    if kind == TransferKind.UPLOAD_REWARD_REVERSAL:
        return f"撤销上传奖励{title}（文档已删除）"
    if kind == TransferKind.GRANT:
        return f"管理员调整：{transfer.memo}" if transfer.memo else "管理员调整"
    if kind == TransferKind.WITHDRAWAL_HOLD:
        return "提现申请（积分冻结）"
    if kind == TransferKind.WITHDRAWAL_RELEASED:
        return "提现被拒绝，积分退回"
    return str(transfer.get_kind_display())


def _earned_q() -> Q:
    return (
        Q(transfer__kind=TransferKind.PURCHASE, amount__gt=0)
        | Q(transfer__kind=TransferKind.REFUND, amount__lt=0)
        | Q(
            transfer__kind__in=[
                TransferKind.WITHDRAWAL_HOLD,
                TransferKind.WITHDRAWAL_RELEASED,
            ]
        )
    )


def withdrawable_points(*, account: Account) -> int:
    """Points the member may cash out: sales income not yet withdrawn, capped by
    the balance. Bonuses, rewards and recharges are spendable but not withdrawable."""
    earned = (
        Entry.objects.filter(_earned_q(), account=account).aggregate(s=Sum("amount"))[
            "s"
        ]
        or 0
    )
    return max(0, min(int(earned), account.balance))


def earnings_by_document(*, user: Any) -> list[dict[str, Any]]:
    """Per document: copies sold, refunds, net points earned (sales minus refunds)."""
    rows = (
        Entry.objects.filter(
            account__user_id=user.pk,
            account__kind=AccountKind.MEMBER,
            transfer__kind__in=[TransferKind.PURCHASE, TransferKind.REFUND],
            transfer__document__uploader_id=user.pk,
        )
        .values("transfer__document_id")
        .annotate(
            net=Sum("amount"),
            sold=Count("id", filter=Q(transfer__kind=TransferKind.PURCHASE)),
            refunded=Count("id", filter=Q(transfer__kind=TransferKind.REFUND)),
        )
        .order_by("-net")
    )
    docs = Document.objects.in_bulk([row["transfer__document_id"] for row in rows])
    return [
        {
            "document": docs[row["transfer__document_id"]],
            "net": int(row["net"] or 0),
            "sold": row["sold"],
            "refunded": row["refunded"],
        }
        for row in rows
    ]


def member_purchases(*, user: Any) -> QuerySet[Purchase]:
    return Purchase.objects.filter(buyer_id=user.pk).select_related("document")


def member_recharges(*, user: Any) -> QuerySet[RechargeOrder]:
    return RechargeOrder.objects.filter(user_id=user.pk)


def member_withdrawals(*, user: Any) -> QuerySet[Withdrawal]:
    return Withdrawal.objects.filter(user_id=user.pk)


def checked_in_today(*, user: Any) -> bool:
    day = timezone.localdate().isoformat()
    return Transfer.objects.filter(idempotency_key=f"checkin:{user.pk}:{day}").exists()


def download_allowed_free(user: Any, ip: str | None) -> bool:
    """Whether the member (and their IP) still has free downloads left today."""
    rules = rules_get()
    day = timezone.localdate()
    used_by_user = FreeDownload.objects.filter(day=day, user_id=user.pk).count()
    if used_by_user >= rules.free_downloads_per_member:
        return False
    if ip:
        used_by_ip = FreeDownload.objects.filter(day=day, ip=ip).count()
        if used_by_ip >= rules.free_downloads_per_ip:
            return False
    return True


def ledger_problems() -> list[str]:
    """Everything wrong with the ledger (empty when healthy): unbalanced transfers,
    cached balances that differ from their entries, negative member wallets."""
    problems: list[str] = []
    total = Entry.objects.aggregate(s=Sum("amount"))["s"] or 0
    if total != 0:
        problems.append(f"entries sum to {total}, not 0")
    unbalanced = (
        Entry.objects.values("transfer_id")
        .annotate(s=Sum("amount"))
        .exclude(s=0)
        .values_list("transfer_id", flat=True)
    )
    problems.extend(f"transfer {pk} does not sum to 0" for pk in unbalanced)
    sums = dict(
        Entry.objects.values("account_id")
        .annotate(s=Sum("amount"))
        .values_list("account_id", "s")
    )
    for account in Account.objects.all():
        expected = int(sums.get(account.pk) or 0)
        if account.balance != expected:
            problems.append(
                f"account {account.pk} balance {account.balance} != entries {expected}"
            )
        if (
            account.kind in (AccountKind.MEMBER, AccountKind.WITHDRAWAL_HOLD)
            and account.balance < 0
        ):
            problems.append(f"account {account.pk} is negative: {account.balance}")
    return problems
