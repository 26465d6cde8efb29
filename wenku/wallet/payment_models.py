"""Recharges through a payment provider and the notices providers send.

Part of the wallet app's models (re-exported by wenku.wallet.models); the ledger rows
a credited order points to are referred to by name, so this module needs no other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RechargeStatus(models.TextChoices):
    PENDING = "pending", _("待支付")
    PAID = "paid", _("已到账")
    # The member gave up before paying; a payment that still arrives is credited.
    CANCELLED = "cancelled", _("已取消")


class RechargeOrder(models.Model):
    """A recharge through a payment provider; credited once, on a verified notice."""

    out_trade_no = models.CharField(_("订单号"), max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员"),
        on_delete=models.PROTECT,
        related_name="recharge_orders",
    )
    provider = models.CharField(_("支付渠道"), max_length=30)
    amount_fen = models.PositiveIntegerField(_("金额（分）"))
    points = models.PositiveIntegerField(_("积分"))
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=RechargeStatus.choices,
        default=RechargeStatus.PENDING,
    )
    provider_trade_no = models.CharField(
        _("渠道交易号"), max_length=64, blank=True, default=""
    )
    transfer = models.OneToOneField(
        "wallet.Transfer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recharge_order",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    paid_at = models.DateTimeField(_("到账时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("充值订单")
        verbose_name_plural = _("充值订单")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_fen__gt=0) & Q(points__gt=0),
                name="wallet_recharge_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.out_trade_no

    @property
    def amount_yuan(self) -> str:
        return f"{self.amount_fen // 100}.{self.amount_fen % 100:02d}"


class NotificationOutcome(models.TextChoices):
    CREDITED = "credited", _("已入账")
    DUPLICATE = "duplicate", _("重复通知（未重复入账）")
    BAD_SIGNATURE = "bad_signature", _("签名无效")
    UNKNOWN_ORDER = "unknown_order", _("订单不存在")
    MISMATCH = "mismatch", _("金额或渠道不符")
    STALE = "stale", _("过期或重放")
    MALFORMED = "malformed", _("格式错误")


class PaymentNotification(models.Model):
    """Every asynchronous payment notice received, with what we did about it."""

    provider = models.CharField(max_length=30)
    notify_id = models.CharField(max_length=80, blank=True, default="")
    out_trade_no = models.CharField(max_length=40, blank=True, default="")
    outcome = models.CharField(max_length=20, choices=NotificationOutcome.choices)
    body = models.TextField(blank=True, default="")
    remote_addr = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("支付通知")
        verbose_name_plural = _("支付通知")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.provider} {self.out_trade_no} {self.outcome}"
