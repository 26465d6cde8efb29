"""The points ledger (accounts, transfers, entries) and what hangs off it.

Double entry: every movement is one Transfer with two or more Entries whose amounts
sum to zero. Account.balance is a cached sum of its entries, updated with F() under
row locks (see wenku.wallet.ledger). Transfers and entries are never edited; a
correction is a new, compensating transfer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenku.wallet.payment_models import (
    NotificationOutcome,
    PaymentNotification,
    RechargeOrder,
    RechargeStatus,
)

# Re-exported: the rest of the project imports every wallet model from here.
__all__ = [
    "NotificationOutcome",
    "PaymentNotification",
    "RechargeOrder",
    "RechargeStatus",
]


class AccountKind(models.TextChoices):
    # A member's wallet is four accounts. Their sum is the balance a member spends;
    # only income that has left its hold can be withdrawn (see docs/wallet.md).
    MEMBER = "member", _("赠送积分")  # sign-up, check-in, rewards, grants, sandbox
    MEMBER_PAID = "member_paid", _("充值积分")  # bought with real money
    MEMBER_HELD = "member_held", _("待结算收入")  # sales paid with paid points, on hold
    MEMBER_INCOME = "member_income", _("可提现收入")  # sales income past its hold
    REVENUE = "revenue", _("平台收入")
    PROMOTIONS = "promotions", _("平台赠送")
    CLEARING = "clearing", _("支付清算")
    WITHDRAWAL_HOLD = "withdrawal_hold", _("提现冻结")
    PAYOUTS = "payouts", _("已提现")


# The accounts of one member's wallet, in the order purchases spend them.
MEMBER_KINDS = (
    AccountKind.MEMBER,
    AccountKind.MEMBER_PAID,
    AccountKind.MEMBER_HELD,
    AccountKind.MEMBER_INCOME,
)
# Accounts that never go below zero.
NON_NEGATIVE_KINDS = (*MEMBER_KINDS, AccountKind.WITHDRAWAL_HOLD)
# Accounts holding points that real money stands behind: only these may pay income.
PAID_SIDE_KINDS = (
    AccountKind.MEMBER_PAID,
    AccountKind.MEMBER_HELD,
    AccountKind.MEMBER_INCOME,
    AccountKind.WITHDRAWAL_HOLD,
    AccountKind.CLEARING,
    AccountKind.REVENUE,
)
INCOME_KINDS = (AccountKind.MEMBER_HELD, AccountKind.MEMBER_INCOME)


class Account(models.Model):
    """One balance: a member's wallet (user set) or a platform account (user null)."""

    kind = models.CharField(_("类型"), max_length=20, choices=AccountKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wallet_accounts",
    )
    balance = models.BigIntegerField(_("余额"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = _("账户")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(user__isnull=False),
                name="wallet_account_one_per_member",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(user__isnull=True),
                name="wallet_account_one_per_platform_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[str(kind) for kind in MEMBER_KINDS])
                | Q(user__isnull=False),
                name="wallet_member_account_has_user",
            ),
            # The last line of defence: a member wallet can never go below zero.
            models.CheckConstraint(
                condition=~Q(kind__in=[str(kind) for kind in NON_NEGATIVE_KINDS])
                | Q(balance__gte=0),
                name="wallet_member_balance_not_negative",
            ),
        ]

    def __str__(self) -> str:
        if self.user_id:
            return f"{self.get_kind_display()} #{self.user_id}"
        return str(self.get_kind_display())


class TransferKind(models.TextChoices):
    SIGNUP_BONUS = "signup_bonus", _("注册奖励")
    CHECKIN = "checkin", _("每日签到")
    UPLOAD_REWARD = "upload_reward", _("上传奖励")
    UPLOAD_REWARD_REVERSAL = "upload_reward_reversal", _("撤销上传奖励")
    RECHARGE = "recharge", _("充值")
    PURCHASE = "purchase", _("购买")
    REFUND = "refund", _("退款")
    GRANT = "grant", _("管理员调整")
    WITHDRAWAL_HOLD = "withdrawal_hold", _("提现冻结")
    WITHDRAWAL_PAID = "withdrawal_paid", _("提现已支付")
    WITHDRAWAL_RELEASED = "withdrawal_released", _("提现被拒退回")
    INCOME_RELEASE = "income_release", _("收入结算")
    DEBT_RECOVERY = "debt_recovery", _("扣回退款垫付")
    RECLASSIFY = "reclassify", _("积分分类")


class Transfer(models.Model):
    """One movement of points; its entries sum to zero. Append-only."""

    kind = models.CharField(_("类型"), max_length=30, choices=TransferKind.choices)
    idempotency_key = models.CharField(_("幂等键"), max_length=200, unique=True)
    memo = models.CharField(_("说明"), max_length=300, blank=True, default="")
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("文档"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("转账")
        verbose_name_plural = _("转账")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Entry(models.Model):
    """One leg of a transfer on one account. Append-only (a DB trigger refuses edits)."""

    transfer = models.ForeignKey(
        Transfer, on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries"
    )
    amount = models.BigIntegerField(_("金额"))
    balance_after = models.BigIntegerField(_("变动后余额"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("分录")
        verbose_name_plural = _("分录")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0), name="wallet_entry_amount_not_zero"
            ),
        ]
        indexes = [models.Index(fields=["account", "-id"], name="wallet_entry_acct")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount:+d}"


class WalletRules(models.Model):
    """Earning and spending rules, one row edited in the admin (see `rules_get`)."""

    signup_bonus = models.PositiveIntegerField(_("注册奖励积分"), default=10)
    checkin_points = models.PositiveIntegerField(_("每日签到积分"), default=2)
    upload_reward = models.PositiveIntegerField(_("上传发布奖励积分"), default=5)
    upload_reward_reversal_days = models.PositiveIntegerField(
        _("删除文档撤销奖励期限（天）"),
        default=30,
        help_text=_("上传者在发布后这么多天内删除文档，则收回上传奖励。"),
    )
    price_min = models.PositiveIntegerField(_("最低售价（积分）"), default=1)
    price_max = models.PositiveIntegerField(_("最高售价（积分）"), default=500)
    commission_percent = models.PositiveIntegerField(
        _("平台佣金（%）"), default=0, help_text=_("0 表示售价全部归上传者。")
    )
    free_downloads_per_member = models.PositiveIntegerField(
        _("每位会员每日免费下载次数"), default=20
    )
    free_downloads_per_ip = models.PositiveIntegerField(
        _("每个 IP 每日免费下载次数"), default=50
    )
    points_per_yuan = models.PositiveIntegerField(_("每元兑换积分"), default=10)
    recharge_min_yuan = models.PositiveIntegerField(_("最低充值（元）"), default=1)
    recharge_max_yuan = models.PositiveIntegerField(_("最高充值（元）"), default=5000)
    withdrawal_min_points = models.PositiveIntegerField(_("最低提现积分"), default=100)
    income_hold_days = models.PositiveIntegerField(
        _("收入结算期（天）"),
        default=7,
        help_text=_("出售所得在这么多天后才可提现（退款期）；0 表示立即可提现。"),
    )
    signup_bonus_per_ip_per_day = models.PositiveIntegerField(
        _("每个 IP 每日注册奖励次数"),
        default=3,
        help_text=_("同一 IP 当天超过这个数的新账户不再获得注册奖励。"),
    )
    upload_rewards_per_day = models.PositiveIntegerField(
        _("每位会员每日上传奖励次数"),
        default=5,
        help_text=_("当天超过这个数的发布不再获得上传奖励。"),
    )

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_percent__lte=100),
                name="wallet_rules_commission_le_100",
            ),
            models.CheckConstraint(
                condition=Q(price_min__gte=1) & Q(price_max__gte=models.F("price_min")),
                name="wallet_rules_price_bounds",
            ),
            models.CheckConstraint(
                condition=Q(points_per_yuan__gte=1), name="wallet_rules_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(_("积分规则"))


class PurchaseStatus(models.TextChoices):
    PAID = "paid", _("已购买")
    REFUNDED = "refunded", _("已退款")


class Purchase(models.Model):
    """A bought document: while paid, it is the buyer's permanent entitlement."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("买家"),
        on_delete=models.PROTECT,
        related_name="purchases",
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("文档"),
        on_delete=models.PROTECT,
        related_name="purchases",
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("卖家"),
        on_delete=models.PROTECT,
        related_name="sales",
    )
    price = models.PositiveIntegerField(_("价格"))
    commission = models.PositiveIntegerField(_("平台佣金"), default=0)
    bonus_points = models.PositiveIntegerField(
        _("其中赠送积分"), default=0, help_text=_("买家用赠送积分支付的部分。")
    )
    seller_income = models.PositiveIntegerField(
        _("卖家收入（可提现部分）"),
        default=0,
        help_text=_("买家用充值积分支付、扣除佣金后计入卖家待结算收入的积分。"),
    )
    income_released_at = models.DateTimeField(_("收入结算时间"), null=True, blank=True)
    refund_shortfall = models.PositiveIntegerField(
        _("退款时平台垫付"), default=0, help_text=_("卖家欠平台的积分。")
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=PurchaseStatus.choices,
        default=PurchaseStatus.PAID,
    )
    idempotency_key = models.CharField(max_length=250, unique=True)
    buyer_balance_after = models.BigIntegerField(default=0)
    transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, related_name="purchase"
    )
    refund_transfer = models.OneToOneField(
        Transfer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunded_purchase",
    )
    created_at = models.DateTimeField(_("购买时间"), auto_now_add=True)
    refunded_at = models.DateTimeField(_("退款时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("购买订单")
        verbose_name_plural = _("购买订单")
        ordering = ["-id"]
        constraints = [
            # One live entitlement per member and document: a concurrent second
            # purchase fails here even if both passed the service's checks.
            models.UniqueConstraint(
                fields=["buyer", "document"],
                condition=Q(status="paid"),
                name="wallet_one_paid_purchase_per_document",
            ),
            models.CheckConstraint(
                condition=Q(commission__lte=models.F("price")),
                name="wallet_purchase_commission_le_price",
            ),
            models.CheckConstraint(
                condition=Q(bonus_points__lte=models.F("price"))
                & Q(seller_income__lte=models.F("price") - models.F("bonus_points")),
                name="wallet_purchase_income_from_paid_points",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.buyer_id}→{self.document_id}"

    @property
    def seller_share(self) -> int:
        return self.price - self.commission

    @property
    def seller_bonus(self) -> int:
        """What the seller received as bonus points (the buyer paid it with bonus)."""
        return self.seller_share - self.seller_income


class WithdrawalStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    PAID = "paid", _("已打款")
    REJECTED = "rejected", _("已拒绝")


class Withdrawal(models.Model):
    """A cash-out request: points wait in the hold account until an admin decides."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员"),
        on_delete=models.PROTECT,
        related_name="withdrawals",
    )
    points = models.PositiveIntegerField(_("积分"))
    payee = models.CharField(_("收款账户"), max_length=200)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=WithdrawalStatus.choices,
        default=WithdrawalStatus.PENDING,
    )
    hold_transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, related_name="withdrawal_held"
    )
    decision_transfer = models.OneToOneField(
        Transfer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="withdrawal_decided",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("备注"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提现申请")
        verbose_name_plural = _("提现申请")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0), name="wallet_withdrawal_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.user_id} {self.points}"


class DownloadKind(models.TextChoices):
    """How a member came to download a document (what the access policy allowed)."""

    FREE = "free", _("免费下载")  # counted against the daily free limits
    BOUGHT = "bought", _("已购买")
    OWN = "own", _("本人上传")
    STAFF = "staff", _("管理员")


class DownloadRecord(models.Model):
    """A member's download of a document: their download history (one row per
    document and day); free ones are also what the daily free limits count."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(
        _("方式"),
        max_length=10,
        choices=DownloadKind.choices,
        default=DownloadKind.FREE,
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("下载记录")
        verbose_name_plural = _("下载记录")
        constraints = [
            # Downloading the same document again the same day costs no quota and
            # adds no line to the history.
            models.UniqueConstraint(
                fields=["user", "document", "day"], name="wallet_free_download_daily"
            ),
        ]
        indexes = [
            models.Index(fields=["day", "user"], name="wallet_free_dl_user"),
            models.Index(fields=["day", "ip"], name="wallet_free_dl_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.document_id} {self.day} {self.kind}"


class AuditLog(models.Model):
    """Who did what to money, written in the same transaction as the change."""

    action = models.CharField(_("操作"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("涉及会员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transfer = models.ForeignKey(
        Transfer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    details = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资金审计日志")
        verbose_name_plural = _("资金审计日志")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"
