"""Reads on wallets, entitlements, rules and the ledger's own health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wenku.documents.models import Document
from wenku.wallet.models import (
    INCOME_KINDS,
    MEMBER_KINDS,
    NON_NEGATIVE_KINDS,
    PAID_SIDE_KINDS,
    Account,
    AccountKind,
    DownloadKind,
    DownloadRecord,
    Entry,
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


def downloaded_free_document_ids(*, user: Any, document_ids: list[int]) -> set[int]:
    """Which of these documents the member has downloaded free of charge (one query).

    A fact for ``wenku.documents.access`` (who may rate a free document).
    """
    if not getattr(user, "is_authenticated", False) or not document_ids:
        return set()
    return set(
        DownloadRecord.objects.filter(
            user_id=user.pk, document_id__in=document_ids, kind=DownloadKind.FREE
        ).values_list("document_id", flat=True)
    )


def member_downloads(*, user: Any) -> QuerySet[DownloadRecord]:
    """A member's download history, free and paid, newest first (one row per
    document and day)."""
    return (
        DownloadRecord.objects.filter(user_id=user.pk)
        .select_related("document")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class WalletSummary:
    """A member's points by kind (see AccountKind and docs/wallet.md)."""

    bonus: int  # 赠送积分: spendable, never withdrawable
    recharged: int  # 充值积分: bought with real money, spendable
    held: int  # sales income still in its hold (the refund window)
    income: int  # sales income past its hold
    debt: int  # refund shortfalls the platform covered, not yet recovered

    @property
    def balance(self) -> int:
        return self.bonus + self.recharged + self.held + self.income

    @property
    def paid(self) -> int:
        """Points real money stands behind: recharged points and sales income."""
        return self.recharged + self.held + self.income

    @property
    def withdrawable(self) -> int:
        return max(0, self.income - self.debt)


def seller_debt(*, user_id: Any) -> int:
    """What the member owes the platform: refund shortfalls it covered, minus what
    was recovered since."""
    covered = (
        Purchase.objects.filter(seller_id=user_id).aggregate(s=Sum("refund_shortfall"))[
            "s"
        ]
        or 0
    )
    recovered = (
        Entry.objects.filter(
            account__user_id=user_id,
            account__kind__in=MEMBER_KINDS,
            transfer__kind=TransferKind.DEBT_RECOVERY,
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    return max(0, int(covered) + int(recovered))


def summary_from_balances(balances: dict[str, int], *, debt: int) -> WalletSummary:
    return WalletSummary(
        bonus=balances.get(AccountKind.MEMBER, 0),
        recharged=balances.get(AccountKind.MEMBER_PAID, 0),
        held=balances.get(AccountKind.MEMBER_HELD, 0),
        income=balances.get(AccountKind.MEMBER_INCOME, 0),
        debt=debt,
    )


def wallet_summary(*, user: Any) -> WalletSummary:
    """The member's points by kind, from the accounts' balances (two queries)."""
    balances = dict(
        Account.objects.filter(user_id=user.pk, kind__in=MEMBER_KINDS).values_list(
            "kind", "balance"
        )
    )
    return summary_from_balances(balances, debt=seller_debt(user_id=user.pk))


def wallet_balance(*, user: Any) -> int:
    """The member's spendable balance in points, all kinds (0 before the wallet exists)."""
    value = Account.objects.filter(user_id=user.pk, kind__in=MEMBER_KINDS).aggregate(
        s=Sum("balance")
    )["s"]
    return int(value or 0)


def member_entries(*, user: Any) -> QuerySet[Entry]:
    """The member's ledger entries on every account of their wallet, newest first,
    ready for `entry_description`."""
    return (
        Entry.objects.filter(account__user_id=user.pk, account__kind__in=MEMBER_KINDS)
        .select_related("transfer", "transfer__document", "account")
        .order_by("-id")
    )


@dataclass(frozen=True)
class StatementRow:
    """One movement as the member sees it: the transfer's net on their wallet."""

    transfer: Transfer
    net: int
    parts: list[tuple[str, int]]  # (account kind label, amount) per account touched
    description: str


def member_statement(*, user: Any, transfers: list[Transfer]) -> list[StatementRow]:
    """Statement rows for these transfers (one page of `member_transfers`)."""
    entries = Entry.objects.filter(
        transfer__in=transfers, account__user_id=user.pk, account__kind__in=MEMBER_KINDS
    ).select_related("account", "transfer", "transfer__document")
    by_transfer: dict[int, list[Entry]] = {}
    for entry in entries:
        by_transfer.setdefault(entry.transfer_id, []).append(entry)
    rows = []
    for transfer in transfers:
        legs = sorted(by_transfer.get(transfer.pk, []), key=lambda e: e.account.kind)
        if not legs:
            continue
        net = sum(entry.amount for entry in legs)
        rows.append(
            StatementRow(
                transfer=transfer,
                net=net,
                parts=[
                    (entry.account.get_kind_display(), entry.amount) for entry in legs
                ],
                description=entry_description(max(legs, key=lambda e: abs(e.amount))),
            )
        )
    return rows


def member_transfers(*, user: Any) -> QuerySet[Transfer]:
    """Transfers touching the member's wallet, newest first."""
    return (
        Transfer.objects.filter(
            entries__account__user_id=user.pk,
            entries__account__kind__in=MEMBER_KINDS,
        )
        .distinct()
        .select_related("document")
        .order_by("-id")
    )


def entry_description(entry: Entry) -> str:
    """A sentence a member understands, from their side of the transfer."""
    transfer: Transfer = entry.transfer
    document = transfer.document
    # In the reader's language; a transfer whose document row is gone names it so.
    title = {
        "title": document.display_title if document is not None else _("已删除的文档")
    }
    memo = {"memo": transfer.memo}
    kind = transfer.kind
    if kind == TransferKind.PURCHASE:
        if entry.amount < 0:
            return _("购买《%(title)s》") % title
        return _("出售《%(title)s》收入") % title
    if kind == TransferKind.REFUND:
        if entry.amount > 0:
            return _("退款《%(title)s》") % title
        return _("退款扣回《%(title)s》收入") % title
    if kind == TransferKind.RECHARGE:
        return _("充值（%(memo)s）") % memo if transfer.memo else _("充值")
    if kind == TransferKind.UPLOAD_REWARD:
        return _("上传奖励《%(title)s》") % title
    if kind == TransferKind.UPLOAD_REWARD_REVERSAL:
        return _("撤销上传奖励《%(title)s》（文档已下架）") % title
    if kind == TransferKind.GRANT:
        return _("管理员调整：%(memo)s") % memo if transfer.memo else _("管理员调整")
    if kind == TransferKind.WITHDRAWAL_HOLD:
        return _("提现申请（积分冻结）")
    if kind == TransferKind.WITHDRAWAL_RELEASED:
        return _("提现被拒绝，积分退回")
    if kind == TransferKind.INCOME_RELEASE:
        return _("出售《%(title)s》收入已结算，可提现") % title
    if kind == TransferKind.DEBT_RECOVERY:
        return _("扣回平台垫付的退款")
    return str(transfer.get_kind_display())


def withdrawable_points(*, user: Any) -> int:
    """Points the member may cash out: sales income past its hold, less what they
    owe the platform. Bonuses, rewards and recharges are spendable, never cashed."""
    return wallet_summary(user=user).withdrawable


def income_due(*, now: Any, hold_days: int, user_id: Any = None) -> QuerySet[Purchase]:
    """Paid purchases whose income has served its hold and is not yet released."""
    due = Purchase.objects.filter(
        status=PurchaseStatus.PAID,
        income_released_at__isnull=True,
        created_at__lte=now - timedelta(days=hold_days),
    )
    if user_id is not None:
        due = due.filter(seller_id=user_id)
    return due.order_by("pk")


def earnings_by_document(*, user: Any) -> list[dict[str, Any]]:
    """Per document: copies sold, refunds, net points earned (sales minus refunds)."""
    rows = (
        Entry.objects.filter(
            account__user_id=user.pk,
            account__kind__in=MEMBER_KINDS,
            transfer__kind__in=[TransferKind.PURCHASE, TransferKind.REFUND],
            transfer__document__uploader_id=user.pk,
        )
        .values("transfer__document_id")
        .annotate(
            net=Sum("amount"),
            sold=Count(
                "transfer_id",
                distinct=True,
                filter=Q(transfer__kind=TransferKind.PURCHASE),
            ),
            refunded=Count(
                "transfer_id",
                distinct=True,
                filter=Q(transfer__kind=TransferKind.REFUND),
            ),
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
    free = DownloadRecord.objects.filter(day=day, kind=DownloadKind.FREE)
    used_by_user = free.filter(user_id=user.pk).count()
    if used_by_user >= rules.free_downloads_per_member:
        return False
    if ip:
        used_by_ip = free.filter(ip=ip).count()
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
        if account.kind in NON_NEGATIVE_KINDS and account.balance < 0:
            problems.append(f"account {account.pk} is negative: {account.balance}")
    problems.extend(_income_from_bonus())
    return problems


def _income_from_bonus() -> list[str]:
    """Transfers that credited sales income with more than the paid points they
    took: bonus points turned withdrawable. Only a reclassification may do that."""
    rows = (
        Entry.objects.exclude(transfer__kind=TransferKind.RECLASSIFY)
        .values("transfer_id")
        .annotate(
            into_income=Sum(
                "amount", filter=Q(account__kind__in=INCOME_KINDS, amount__gt=0)
            ),
            from_paid=Sum(
                "amount", filter=Q(account__kind__in=PAID_SIDE_KINDS, amount__lt=0)
            ),
        )
        .filter(into_income__gt=0)
    )
    return [
        f"transfer {row['transfer_id']} pays {row['into_income']} income from "
        f"only {-(row['from_paid'] or 0)} paid points"
        for row in rows
        if row["into_income"] > -(row["from_paid"] or 0)
    ]
