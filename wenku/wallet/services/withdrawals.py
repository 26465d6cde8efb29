"""Cash-out: request (points move to the hold account), then an admin pays or
rejects (points move to payouts, or back to the member)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from wenku.wallet.ledger import (
    Leg,
    WalletError,
    accounts_lock,
    member_account,
    platform_account,
    transfer_post,
)
from wenku.wallet.models import AccountKind, TransferKind, Withdrawal, WithdrawalStatus
from wenku.wallet.selectors import rules_get, withdrawable_points
from wenku.wallet.services.audit import audit_write

PAYEE_MAX = 200


def withdrawal_request(*, user: Any, points: int, payee: str) -> Withdrawal:
    """Ask to cash out earned points; they are held until an admin decides."""
    rules = rules_get()
    payee = (payee or "").strip()
    if type(points) is not int or points < rules.withdrawal_min_points:
        raise WalletError(
            f"提现积分不能少于 {rules.withdrawal_min_points} / "
            f"Withdraw at least {rules.withdrawal_min_points} points",
            code="below_minimum",
        )
    if not payee:
        raise WalletError("请填写收款账户 / Payee account is required", code="payee")
    if len(payee) > PAYEE_MAX or "\x00" in payee:
        raise WalletError(
            f"收款账户须为不超过 {PAYEE_MAX} 个字符的文字 / The payee account must be "
            f"text of at most {PAYEE_MAX} characters",
            code="payee",
        )
    wallet = member_account(user)
    hold = platform_account(AccountKind.WITHDRAWAL_HOLD)
    with transaction.atomic():
        locked = accounts_lock([wallet, hold])
        available = withdrawable_points(account=locked[wallet.pk])
        if points > available:
            raise WalletError(
                f"可提现积分为 {available}（仅出售文档所得可提现） / Only {available} "
                "points (earned from sales) can be withdrawn",
                code="not_withdrawable",
            )
        import uuid

        transfer = transfer_post(
            kind=TransferKind.WITHDRAWAL_HOLD,
            idempotency_key=f"withdrawal_hold:{uuid.uuid4().hex}",
            legs=[Leg(wallet, -points), Leg(hold, points)],
            locked=locked,
            created_by=user,
        )
        withdrawal = Withdrawal.objects.create(
            user=user, points=points, payee=payee, hold_transfer=transfer
        )
        audit_write(
            action="withdrawal_request",
            actor=user,
            subject_user=user,
            transfer=transfer,
            withdrawal=withdrawal.pk,
            points=points,
        )
    return withdrawal


def _decide(*, withdrawal: Withdrawal, by: Any, note: str, approve: bool) -> Withdrawal:
    hold = platform_account(AccountKind.WITHDRAWAL_HOLD)
    target = (
        platform_account(AccountKind.PAYOUTS)
        if approve
        else member_account(withdrawal.user)
    )
    with transaction.atomic():
        locked = accounts_lock([hold, target])
        current = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
        if current.status != WithdrawalStatus.PENDING:
            raise WalletError(
                f"该提现申请已处理（{current.get_status_display()}） / "
                "This request was already decided",
                code="decided",
            )
        kind = (
            TransferKind.WITHDRAWAL_PAID
            if approve
            else TransferKind.WITHDRAWAL_RELEASED
        )
        transfer = transfer_post(
            kind=kind,
            idempotency_key=f"{kind}:{current.pk}",
            legs=[Leg(hold, -current.points), Leg(target, current.points)],
            locked=locked,
            memo=note,
            created_by=by,
        )
        current.status = WithdrawalStatus.PAID if approve else WithdrawalStatus.REJECTED
        current.decision_transfer = transfer
        current.decided_by = by
        current.decided_at = timezone.now()
        current.note = (note or "")[:300]
        current.save(
            update_fields=[
                "status",
                "decision_transfer",
                "decided_by",
                "decided_at",
                "note",
            ]
        )
        audit_write(
            action="withdrawal_approve" if approve else "withdrawal_reject",
            actor=by,
            subject_user=current.user,
            transfer=transfer,
            withdrawal=current.pk,
            points=current.points,
            note=note,
        )
    return current


def withdrawal_approve(
    *, withdrawal: Withdrawal, by: Any, note: str = ""
) -> Withdrawal:
    """Mark a withdrawal paid out: the held points leave for the payouts account."""
    return _decide(withdrawal=withdrawal, by=by, note=note, approve=True)


def withdrawal_reject(*, withdrawal: Withdrawal, by: Any, note: str = "") -> Withdrawal:
    """Reject a withdrawal: the held points go back to the member."""
    return _decide(withdrawal=withdrawal, by=by, note=note, approve=False)
