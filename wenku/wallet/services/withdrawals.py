"""Cash-out: request (points move to the hold account), then an admin pays or
rejects (points move to payouts, or back to the member)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from wenku.wallet.ledger import (
    Leg,
    WalletError,
    accounts_lock,
    draw,
    member_wallet,
    platform_account,
    transfer_post,
)
from wenku.wallet.models import AccountKind, TransferKind, Withdrawal, WithdrawalStatus
from wenku.wallet.selectors import rules_get, seller_debt, summary_from_balances
from wenku.wallet.services.audit import audit_write
from wenku.wallet.services.income import income_release_due

PAYEE_MAX = 200


def _not_withdrawable(available: int, held: int, debt: int) -> str:
    notes = []
    if held:
        notes.append(f"另有 {held} 积分收入在结算期内")
    if debt:
        notes.append(f"需先扣回平台垫付的退款 {debt} 积分")
    extra = f"；{'，'.join(notes)}" if notes else ""
    return (
        f"可提现积分为 {available}（只有用充值积分购买您文档的收入、过了结算期后"
        f"才可提现，赠送积分不可提现）{extra} / Only {available} points can be "
        "withdrawn: sales income paid with recharged points, after its hold"
    )


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
    income_release_due(user=user)
    wallet = member_wallet(user)
    hold = platform_account(AccountKind.WITHDRAWAL_HOLD)
    with transaction.atomic():
        locked = accounts_lock([*wallet.accounts, hold])
        summary = summary_from_balances(
            {account.kind: locked[account.pk].balance for account in wallet.accounts},
            debt=seller_debt(user_id=user.pk),
        )
        available = summary.withdrawable
        if points > available:
            raise WalletError(
                _not_withdrawable(available, summary.held, summary.debt),
                code="not_withdrawable",
            )
        transfer = transfer_post(
            kind=TransferKind.WITHDRAWAL_HOLD,
            idempotency_key=f"withdrawal_hold:{uuid.uuid4().hex}",
            legs=[Leg(wallet.income, -points), Leg(hold, points)],
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
    payouts = platform_account(AccountKind.PAYOUTS)
    revenue = platform_account(AccountKind.REVENUE)
    wallet = member_wallet(withdrawal.user)
    with transaction.atomic():
        locked = accounts_lock([hold, payouts, revenue, *wallet.accounts])
        current = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
        if current.status != WithdrawalStatus.PENDING:
            raise WalletError(
                f"该提现申请已处理（{current.get_status_display()}） / "
                "This request was already decided",
                code="decided",
            )
        debt = seller_debt(user_id=current.user_id)
        # A refund the platform covered after this request leaves the member owing
        # more than the income they kept: that part of the hold is no longer theirs.
        uncovered = min(current.points, max(0, debt - locked[wallet.income.pk].balance))
        if approve and uncovered:
            covered = current.points - uncovered
            raise WalletError(
                f"不能批准：申请后发生了退款，平台为该会员垫付了 {debt} 积分，本次提现的"
                f" {current.points} 积分中只有 {covered} 积分仍有收入支撑。请驳回"
                "（积分退回其钱包并扣回垫付款） / Cannot approve: after this request "
                f"a refund left the member owing {debt} points; only {covered} of the "
                f"{current.points} points are still covered. Reject it instead.",
                code="not_covered",
            )
        kind = (
            TransferKind.WITHDRAWAL_PAID
            if approve
            else TransferKind.WITHDRAWAL_RELEASED
        )
        target = payouts if approve else wallet.income
        transfer = transfer_post(
            kind=kind,
            idempotency_key=f"{kind}:{current.pk}",
            legs=[Leg(hold, -current.points), Leg(target, current.points)],
            locked=locked,
            memo=note,
            created_by=by,
        )
        if not approve and debt:
            _recover_debt(
                wallet=wallet, locked=locked, debt=debt, by=by, key=current.pk
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


def _recover_debt(*, wallet: Any, locked: dict, debt: int, by: Any, key: Any) -> None:
    """Take back what the platform covered in refunds from the points just returned
    (income first, then the rest of the wallet), as far as the wallet holds them."""
    taken: dict[int, int] = {}
    legs = draw(
        [wallet.income, wallet.held, wallet.paid, wallet.bonus], debt, locked, taken
    )
    amount = sum(taken.values())
    if not amount:
        return
    revenue = platform_account(AccountKind.REVENUE)
    transfer = transfer_post(
        kind=TransferKind.DEBT_RECOVERY,
        idempotency_key=f"debt_recovery:withdrawal:{key}",
        legs=[*legs, Leg(revenue, amount)],
        locked=locked,
        created_by=by,
    )
    audit_write(
        action="debt_recovery",
        actor=by,
        subject_user=wallet.bonus.user,
        transfer=transfer,
        points=amount,
        owed=debt,
    )


def withdrawal_approve(
    *, withdrawal: Withdrawal, by: Any, note: str = ""
) -> Withdrawal:
    """Mark a withdrawal paid out: the held points leave for the payouts account."""
    return _decide(withdrawal=withdrawal, by=by, note=note, approve=True)


def withdrawal_reject(*, withdrawal: Withdrawal, by: Any, note: str = "") -> Withdrawal:
    """Reject a withdrawal: the held points go back to the member."""
    return _decide(withdrawal=withdrawal, by=by, note=note, approve=False)
