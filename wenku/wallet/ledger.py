"""The one place points move: post a balanced transfer under row locks.

Every service that changes a balance calls `transfer_post` inside its own
`transaction.atomic()` after locking the accounts it touches with `accounts_lock`.
Locks are always taken in primary-key order, so two transfers over the same accounts
(A pays B while B pays A) queue instead of deadlocking.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from wenku.wallet.models import (
    MEMBER_KINDS,
    NON_NEGATIVE_KINDS,
    Account,
    AccountKind,
    Entry,
    Transfer,
)


class WalletError(Exception):
    """A refusal with a message a member can read (Chinese first, then English)."""

    code = "wallet_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InsufficientBalance(WalletError):
    code = "insufficient_balance"


class IdempotencyConflict(WalletError):
    code = "idempotency_conflict"


@dataclass(frozen=True)
class Leg:
    account: Account
    amount: int


def _check_amount(amount: Any) -> int:
    # bool is an int subclass; floats, Decimals and strings are refused outright.
    if type(amount) is not int:
        raise WalletError(
            "积分必须是整数 / Points must be a whole number", code="bad_amount"
        )
    return amount


def _member_kind_account(user: Any, kind: str) -> Account:
    account = Account.objects.filter(user_id=user.pk, kind=kind).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(user_id=user.pk, kind=kind)
    except IntegrityError:
        return Account.objects.get(user_id=user.pk, kind=kind)


def member_account(user: Any) -> Account:
    """The member's bonus account (赠送积分), created on first use."""
    return _member_kind_account(user, AccountKind.MEMBER)


@dataclass(frozen=True)
class MemberWallet:
    """The four accounts of one member's wallet (see AccountKind)."""

    bonus: Account
    paid: Account
    held: Account
    income: Account

    @property
    def accounts(self) -> list[Account]:
        return [self.bonus, self.paid, self.held, self.income]

    def spending_order(self) -> list[Account]:
        """Bonus first, then recharged points, then income still on hold; income
        that could be withdrawn is spent last."""
        return [self.bonus, self.paid, self.held, self.income]


def member_wallet(user: Any) -> MemberWallet:
    """All accounts of the member's wallet, created on first use."""
    found = {
        account.kind: account
        for account in Account.objects.filter(user_id=user.pk, kind__in=MEMBER_KINDS)
    }
    for kind in MEMBER_KINDS:
        if kind not in found:
            found[kind] = _member_kind_account(user, kind)
    return MemberWallet(
        bonus=found[AccountKind.MEMBER],
        paid=found[AccountKind.MEMBER_PAID],
        held=found[AccountKind.MEMBER_HELD],
        income=found[AccountKind.MEMBER_INCOME],
    )


def wallet_total(wallet: MemberWallet, locked: dict[int, Account]) -> int:
    """The member's spendable balance under the caller's locks."""
    return sum(locked[account.pk].balance for account in wallet.accounts)


def draw(
    accounts: Sequence[Account],
    amount: int,
    locked: dict[int, Account],
    taken: dict[int, int],
) -> list[Leg]:
    """Debit legs taking up to ``amount`` from ``accounts`` in order.

    ``taken`` carries what earlier draws in the same transfer already took from
    each account, so two draws never spend the same points twice.
    """
    legs = []
    left = amount
    for account in accounts:
        if left <= 0:
            break
        available = locked[account.pk].balance - taken.get(account.pk, 0)
        part = min(left, max(0, available))
        if part:
            taken[account.pk] = taken.get(account.pk, 0) + part
            legs.append(Leg(account, -part))
            left -= part
    return legs


def platform_account(kind: str) -> Account:
    """A platform account (revenue, promotions, clearing, hold, payouts)."""
    if kind in MEMBER_KINDS:
        raise ValueError("member accounts belong to a user")
    account = Account.objects.filter(user__isnull=True, kind=kind).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(kind=kind)
    except IntegrityError:
        return Account.objects.get(user__isnull=True, kind=kind)


def accounts_lock(accounts: Iterable[Account]) -> dict[int, Account]:
    """Lock the accounts' rows in primary-key order; returns fresh rows by id.

    Must run inside transaction.atomic(). The fresh rows carry the balances as of
    the lock, which is what overdraft checks must read.
    """
    ids = sorted({account.pk for account in accounts})
    locked = Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    rows = {row.pk: row for row in locked}
    if len(rows) != len(ids):
        raise RuntimeError("an account vanished while locking")
    return rows


def transfer_find(idempotency_key: str) -> Transfer | None:
    return Transfer.objects.filter(idempotency_key=idempotency_key).first()


def transfer_post(
    *,
    kind: str,
    idempotency_key: str,
    legs: Sequence[Leg],
    locked: dict[int, Account],
    memo: str = "",
    document: Any = None,
    created_by: Any = None,
) -> Transfer:
    """Write one balanced transfer and move the balances.

    The caller holds `locked` (from `accounts_lock`) for every account in `legs`,
    has already checked for an earlier transfer with this key, and owns the atomic
    block. Zero legs are dropped; the rest must sum to zero. A member wallet that
    would go negative raises InsufficientBalance (and the DB constraint backs it).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transfer_post must run inside transaction.atomic()")
    merged: dict[int, int] = {}
    for leg in legs:
        amount = _check_amount(leg.amount)
        if leg.account.pk not in locked:
            raise RuntimeError("transfer_post on an account that is not locked")
        merged[leg.account.pk] = merged.get(leg.account.pk, 0) + amount
    moves = {pk: amount for pk, amount in merged.items() if amount != 0}
    if sum(moves.values()) != 0:
        raise ValueError(f"unbalanced transfer {idempotency_key}: {moves}")
    if not moves:
        raise ValueError("a transfer must move something")
    for pk, amount in moves.items():
        account = locked[pk]
        if account.kind in NON_NEGATIVE_KINDS and account.balance + amount < 0:
            raise InsufficientBalance(
                f"积分不足：余额 {account.balance}，需要 {-amount} / "
                f"Not enough points: balance {account.balance}, need {-amount}"
            )
    transfer = Transfer.objects.create(
        kind=kind,
        idempotency_key=idempotency_key,
        memo=memo[:300],
        document=document,
        created_by=created_by,
    )
    entries = []
    for pk in sorted(moves):
        amount = moves[pk]
        account = locked[pk]
        Account.objects.filter(pk=pk).update(balance=F("balance") + amount)
        account.balance += amount
        entries.append(
            Entry(
                transfer=transfer,
                account=account,
                amount=amount,
                balance_after=account.balance,
            )
        )
    Entry.objects.bulk_create(entries)
    return transfer
