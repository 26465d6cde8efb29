from datetime import timedelta

import pytest
from django.utils import timezone

from wenku.accounts.services import user_create
from wenku.wallet.models import Transfer, TransferKind, WalletRules
from wenku.wallet.selectors import (
    checked_in_today,
    entry_description,
    member_entries,
    price_bounds,
    rules_get,
    wallet_balance,
)
from wenku.wallet.services import (
    WalletError,
    wallet_checkin,
    wallet_reverse_upload_reward,
    wallet_reward_upload,
)

pytestmark = pytest.mark.django_db


def _rules(**values):
    WalletRules.objects.filter(pk=rules_get().pk).update(**values)


def test_signup_bonus_is_credited_by_the_signup_hook(ledger_ok):
    _rules(signup_bonus=15)
    user = user_create(username="xiaoming", password="Lan-tian-2024!")
    assert wallet_balance(user=user) == 15
    assert [entry_description(e) for e in member_entries(user=user)] == ["注册奖励"]
    ledger_ok()


def test_no_signup_bonus_when_rule_is_zero():
    _rules(signup_bonus=0)
    user = user_create(username="xiaohong", password="Lan-tian-2024!")
    assert wallet_balance(user=user) == 0


def test_checkin_once_per_day(make_user, ledger_ok):
    _rules(checkin_points=3)
    user = make_user()
    assert not checked_in_today(user=user)
    first = wallet_checkin(user=user)
    second = wallet_checkin(user=user)
    assert (first.points, first.already, first.balance) == (3, False, 3)
    assert (second.points, second.already, second.balance) == (0, True, 3)
    assert checked_in_today(user=user)
    assert entry_description(member_entries(user=user).first()) == "每日签到"
    ledger_ok()


def test_checkin_refused_when_rule_is_zero(make_user):
    _rules(checkin_points=0)
    with pytest.raises(WalletError, match="签到奖励暂未开放"):
        wallet_checkin(user=make_user())


def test_upload_reward_is_paid_once_per_document(make_user, priced_document, ledger_ok):
    _rules(upload_reward=5)
    uploader = make_user()
    document = priced_document(uploader=uploader)
    wallet_reward_upload(document=document)
    wallet_reward_upload(document=document)
    assert wallet_balance(user=uploader) == 5
    text = entry_description(member_entries(user=uploader).first())
    assert text == f"上传奖励《{document.display_title}》"
    ledger_ok()


def test_upload_reward_reversed_when_deleted_within_window(
    make_user, priced_document, ledger_ok
):
    _rules(upload_reward=5, upload_reward_reversal_days=30)
    uploader = make_user()
    document = priced_document(uploader=uploader)
    wallet_reward_upload(document=document)
    wallet_reverse_upload_reward(document=document)
    wallet_reverse_upload_reward(document=document)
    assert wallet_balance(user=uploader) == 0
    assert (
        Transfer.objects.filter(kind=TransferKind.UPLOAD_REWARD_REVERSAL).count() == 1
    )
    ledger_ok()


def test_upload_reward_kept_after_the_window(make_user, priced_document, monkeypatch):
    _rules(upload_reward=5, upload_reward_reversal_days=30)
    uploader = make_user()
    document = priced_document(uploader=uploader)
    wallet_reward_upload(document=document)
    later = timezone.now() + timedelta(days=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert wallet_reverse_upload_reward(document=document) is None
    assert wallet_balance(user=uploader) == 5


def test_upload_reward_reversal_never_overdraws(
    make_user, fund, priced_document, ledger_ok
):
    from wenku.wallet.services import purchase_create

    _rules(upload_reward=5)
    uploader = make_user()
    document = priced_document(uploader=uploader)
    wallet_reward_upload(document=document)
    purchase_create(
        buyer=uploader, document=priced_document(price=3), idempotency_key="x"
    )
    wallet_reverse_upload_reward(document=document)
    assert wallet_balance(user=uploader) == 0
    ledger_ok()


def test_no_reward_no_reversal(make_user, priced_document):
    _rules(upload_reward=0)
    document = priced_document()
    assert wallet_reward_upload(document=document) is None
    assert wallet_reverse_upload_reward(document=document) is None


def test_price_bounds_from_rules():
    _rules(price_min=2, price_max=300)
    bounds = price_bounds()
    assert (bounds.minimum, bounds.maximum) == (2, 300)
    assert bounds.allows(0) and bounds.allows(2) and bounds.allows(300)
    assert not bounds.allows(1) and not bounds.allows(301)
