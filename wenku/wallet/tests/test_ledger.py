import pytest
from django.db import IntegrityError, connection, transaction

from wenku.wallet.ledger import (
    InsufficientBalance,
    Leg,
    WalletError,
    accounts_lock,
    member_account,
    platform_account,
    transfer_post,
)
from wenku.wallet.models import Account, AccountKind, AuditLog, Entry, Transfer
from wenku.wallet.selectors import ledger_problems, wallet_balance
from wenku.wallet.services import wallet_grant

pytestmark = pytest.mark.django_db


def _post(wallet, promotions, amount, key="k1"):
    with transaction.atomic():
        locked = accounts_lock([wallet, promotions])
        return transfer_post(
            kind="grant",
            idempotency_key=key,
            legs=[Leg(promotions, -amount), Leg(wallet, amount)],
            locked=locked,
        )


def test_transfer_entries_sum_to_zero_and_move_balances(make_user):
    user = make_user()
    wallet = member_account(user)
    promotions = platform_account(AccountKind.PROMOTIONS)
    transfer = _post(wallet, promotions, 25)
    amounts = sorted(transfer.entries.values_list("amount", flat=True))
    assert amounts == [-25, 25]
    assert wallet_balance(user=user) == 25
    assert Account.objects.get(pk=promotions.pk).balance == -25
    assert Entry.objects.get(account=wallet).balance_after == 25
    assert ledger_problems() == []


def test_unbalanced_transfer_is_refused(make_user):
    wallet = member_account(make_user())
    promotions = platform_account(AccountKind.PROMOTIONS)
    with pytest.raises(ValueError, match="unbalanced"), transaction.atomic():
        locked = accounts_lock([wallet, promotions])
        transfer_post(
            kind="grant",
            idempotency_key="bad",
            legs=[Leg(promotions, -5), Leg(wallet, 6)],
            locked=locked,
        )
    assert Transfer.objects.count() == 0


@pytest.mark.parametrize("amount", [1.5, float("nan"), float("inf"), "3", True, 1e30])
def test_non_integer_amounts_are_refused(make_user, amount):
    wallet = member_account(make_user())
    promotions = platform_account(AccountKind.PROMOTIONS)
    with pytest.raises(WalletError), transaction.atomic():
        locked = accounts_lock([wallet, promotions])
        transfer_post(
            kind="grant",
            idempotency_key="bad",
            legs=[Leg(promotions, amount), Leg(wallet, amount)],
            locked=locked,
        )


@pytest.mark.parametrize("amount", [0, 1.0, 10**8, "5"])
def test_grant_refuses_zero_float_huge_and_text(make_user, amount):
    with pytest.raises(WalletError):
        wallet_grant(user=make_user(), amount=amount, reason="x")


def test_transfer_needs_locked_accounts_and_atomic_block(make_user):
    wallet = member_account(make_user())
    promotions = platform_account(AccountKind.PROMOTIONS)
    with pytest.raises(RuntimeError, match="not locked"), transaction.atomic():
        transfer_post(
            kind="grant",
            idempotency_key="x",
            legs=[Leg(promotions, -1), Leg(wallet, 1)],
            locked={},
        )


def test_member_wallet_cannot_go_negative_in_service(make_user):
    wallet = member_account(make_user())
    promotions = platform_account(AccountKind.PROMOTIONS)
    _post(wallet, promotions, 5)
    with pytest.raises(InsufficientBalance, match="积分不足"):
        _post(wallet, promotions, -6, key="k2")
    assert Account.objects.get(pk=wallet.pk).balance == 5


def test_member_wallet_cannot_go_negative_in_database(make_user):
    wallet = member_account(make_user())
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=wallet.pk).update(balance=-1)


def test_idempotency_key_is_unique(make_user):
    wallet = member_account(make_user())
    promotions = platform_account(AccountKind.PROMOTIONS)
    _post(wallet, promotions, 5, key="same")
    with pytest.raises(IntegrityError):
        _post(wallet, promotions, 5, key="same")


def test_entries_and_transfers_are_append_only(make_user):
    wallet = member_account(make_user())
    promotions = platform_account(AccountKind.PROMOTIONS)
    transfer = _post(wallet, promotions, 5)
    entry = transfer.entries.first()
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(amount=500)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        Transfer.objects.filter(pk=transfer.pk).update(memo="edited")
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            Entry.objects.filter(pk=entry.pk).delete()
    assert Entry.objects.get(pk=entry.pk).amount == entry.amount


def test_grant_and_debit_write_audit_rows(make_user):
    admin = make_user(is_staff=True)
    user = make_user()
    wallet_grant(user=user, amount=30, reason="活动奖励", by=admin)
    wallet_grant(user=user, amount=-10, reason="违规扣除", by=admin)
    assert wallet_balance(user=user) == 20
    rows = list(AuditLog.objects.order_by("id").values_list("action", "actor_id"))
    assert rows == [("grant", admin.pk), ("grant", admin.pk)]
    assert AuditLog.objects.order_by("id").last().details["amount"] == -10


def test_grant_debit_refuses_to_overdraw(make_user):
    user = make_user()
    wallet_grant(user=user, amount=5, reason="x")
    with pytest.raises(InsufficientBalance):
        wallet_grant(user=user, amount=-6, reason="扣除")
    assert wallet_balance(user=user) == 5
    assert AuditLog.objects.count() == 1
    assert ledger_problems() == []


def test_grant_replay_with_same_key_moves_once(make_user):
    user = make_user()
    first = wallet_grant(user=user, amount=5, reason="x", idempotency_key="g1")
    second = wallet_grant(user=user, amount=5, reason="x", idempotency_key="g1")
    assert first.pk == second.pk
    assert wallet_balance(user=user) == 5
