"""Recharging through a payment provider: create the order, credit it on a
verified notice (exactly once)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from wenku.wallet.ledger import (
    Leg,
    WalletError,
    accounts_lock,
    member_wallet,
    platform_account,
    transfer_post,
)
from wenku.wallet.models import (
    AccountKind,
    NotificationOutcome,
    PaymentNotification,
    RechargeOrder,
    RechargeStatus,
    TransferKind,
)
from wenku.wallet.payments import NoticeRejected, provider_get
from wenku.wallet.selectors import rules_get
from wenku.wallet.services.audit import audit_write

logger = logging.getLogger(__name__)


def recharge_points(*, yuan: int) -> int:
    """The points `yuan` yuan buy at the rules' exchange rate; WalletError when the
    amount is outside the rules (the recharge page asks this as the amount is typed,
    and every order is checked by it)."""
    rules = rules_get()
    if type(yuan) is not int or not (
        rules.recharge_min_yuan <= yuan <= rules.recharge_max_yuan
    ):
        raise WalletError(
            f"充值金额须为 {rules.recharge_min_yuan}–{rules.recharge_max_yuan} 元的整数 / "
            f"Recharge {rules.recharge_min_yuan}–{rules.recharge_max_yuan} yuan",
            code="bad_amount",
        )
    return yuan * rules.points_per_yuan


def recharge_order_create(*, user: Any, yuan: int, provider: str) -> RechargeOrder:
    """Open a pending recharge order of `yuan` yuan at the rules' exchange rate."""
    points = recharge_points(yuan=yuan)
    if provider_get(provider) is None:
        raise WalletError("充值暂不可用 / Recharge is unavailable", code="no_provider")
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    return RechargeOrder.objects.create(
        out_trade_no=f"WK{stamp}{secrets.token_hex(6).upper()}",
        user=user,
        provider=provider,
        amount_fen=yuan * 100,
        points=points,
    )


def recharge_order_cancel(*, user: Any, out_trade_no: str) -> RechargeOrder:
    """Cancel a member's own pending recharge order (an audit row records it).

    A payment the provider confirms afterwards is still credited: the money arrived.
    """
    with transaction.atomic():
        order = (
            RechargeOrder.objects.select_for_update()
            .filter(out_trade_no=out_trade_no, user_id=user.pk)
            .first()
        )
        if order is None:
            raise WalletError("充值订单不存在 / No such recharge order", code="missing")
        if order.status == RechargeStatus.PAID:
            raise WalletError(
                "该订单已到账，不能取消 / This order is already paid",
                code="already_paid",
            )
        if order.status == RechargeStatus.PENDING:
            order.status = RechargeStatus.CANCELLED
            order.save(update_fields=["status"])
            audit_write(
                action="recharge_cancel",
                actor=user,
                subject_user=user,
                out_trade_no=order.out_trade_no,
                amount_fen=order.amount_fen,
                points=order.points,
            )
    return order


def _record(
    *,
    provider: str,
    outcome: str,
    out_trade_no: str,
    notify_id: str,
    body: str,
    ip: str,
) -> None:
    PaymentNotification.objects.create(
        provider=provider[:30],
        outcome=outcome,
        out_trade_no=out_trade_no[:40],
        notify_id=notify_id[:80],
        body=body[:4000],
        remote_addr=ip[:64],
    )


def payment_notice_handle(
    *, provider_name: str, data: Mapping[str, str], body: str, ip: str = ""
) -> tuple[bool, str]:
    """Verify and apply one asynchronous payment notice; every notice is logged.

    Returns (accepted, outcome). Accepted notices (credited or a duplicate of one
    already credited) should be acknowledged so the provider stops retrying.
    """
    provider = provider_get(provider_name)
    if provider is None:
        logger.warning("payment notice for unknown provider %r", provider_name)
        return False, NotificationOutcome.MALFORMED
    try:
        notice = provider.verify(data)
    except NoticeRejected as exc:
        logger.warning(
            "payment notice rejected (%s: %s) order=%s ip=%s",
            exc.outcome,
            exc.detail,
            exc.out_trade_no,
            ip,
        )
        _record(
            provider=provider_name,
            outcome=exc.outcome,
            out_trade_no=exc.out_trade_no,
            notify_id=str(data.get("notify_id", "")),
            body=body,
            ip=ip,
        )
        return False, exc.outcome
    outcome = _credit(provider_name=provider_name, notice=notice)
    _record(
        provider=provider_name,
        outcome=outcome,
        out_trade_no=notice.out_trade_no,
        notify_id=notice.notify_id,
        body=body,
        ip=ip,
    )
    accepted = outcome in (NotificationOutcome.CREDITED, NotificationOutcome.DUPLICATE)
    if not accepted:
        logger.warning(
            "payment notice refused (%s) order=%s ip=%s",
            outcome,
            notice.out_trade_no,
            ip,
        )
    return accepted, outcome


def _credit(*, provider_name: str, notice: Any) -> str:
    order = RechargeOrder.objects.filter(out_trade_no=notice.out_trade_no).first()
    if order is None:
        return NotificationOutcome.UNKNOWN_ORDER
    if (
        order.provider != provider_name
        or order.amount_fen != notice.amount_fen
        or not notice.paid
    ):
        return NotificationOutcome.MISMATCH
    seen = PaymentNotification.objects.filter(
        provider=provider_name,
        notify_id=notice.notify_id,
        outcome__in=[NotificationOutcome.CREDITED, NotificationOutcome.DUPLICATE],
    ).exists()
    provider = provider_get(provider_name)
    wallet = member_wallet(order.user)
    target = (
        wallet.paid if provider is not None and provider.real_money else wallet.bonus
    )
    clearing = platform_account(AccountKind.CLEARING)
    with transaction.atomic():
        locked = accounts_lock([target, clearing])
        order = RechargeOrder.objects.select_for_update().get(pk=order.pk)
        if order.status == RechargeStatus.PAID or seen:
            return NotificationOutcome.DUPLICATE
        transfer = transfer_post(
            kind=TransferKind.RECHARGE,
            idempotency_key=f"recharge:{order.out_trade_no}",
            legs=[Leg(clearing, -order.points), Leg(target, order.points)],
            locked=locked,
            memo=f"{order.amount_yuan} 元，订单 {order.out_trade_no}",
        )
        order.status = RechargeStatus.PAID
        order.paid_at = timezone.now()
        order.provider_trade_no = notice.provider_trade_no
        order.transfer = transfer
        order.save(update_fields=["status", "paid_at", "provider_trade_no", "transfer"])
        audit_write(
            action="recharge",
            subject_user=order.user,
            transfer=transfer,
            out_trade_no=order.out_trade_no,
            amount_fen=order.amount_fen,
            points=order.points,
            points_kind=target.kind,
            provider_trade_no=notice.provider_trade_no,
        )
    return NotificationOutcome.CREDITED
