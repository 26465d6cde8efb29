"""Points the platform gives and takes: sign-up bonus, check-in, upload rewards,
admin grants."""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wenku.wallet.ledger import (
    Leg,
    WalletError,
    accounts_lock,
    member_account,
    platform_account,
    transfer_find,
    transfer_post,
)
from wenku.wallet.models import AccountKind, Transfer, TransferKind
from wenku.wallet.selectors import rules_get, wallet_balance
from wenku.wallet.services.audit import audit_write

logger = logging.getLogger(__name__)

GRANT_MAX = 10_000_000


def _give(
    *,
    user: Any,
    amount: int,
    kind: str,
    key: str,
    memo: str = "",
    document: Any = None,
    by: Any = None,
) -> tuple[Transfer, bool]:
    """Move points from the promotions account to a member; (transfer, created)."""
    wallet = member_account(user)
    promotions = platform_account(AccountKind.PROMOTIONS)
    with transaction.atomic():
        locked = accounts_lock([wallet, promotions])
        earlier = transfer_find(key)
        if earlier is not None:
            return earlier, False
        transfer = transfer_post(
            kind=kind,
            idempotency_key=key,
            legs=[Leg(promotions, -amount), Leg(wallet, amount)],
            locked=locked,
            memo=memo,
            document=document,
            created_by=by,
        )
        return transfer, True


def _ip_tag(ip: str | None) -> str:
    """What the ledger keeps of a sign-up address: a keyed hash, never the address."""
    if not ip:
        return ""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"signup-ip:{ip}".encode(), hashlib.sha256
    ).hexdigest()
    return f"ip:{digest[:20]}"


def _given_today(*, kind: str, **filters: Any) -> int:
    """Transfers of this kind since local midnight (read under the promotions lock,
    which every gift takes, so concurrent gifts count each other)."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Transfer.objects.filter(
        kind=kind, created_at__gte=midnight, **filters
    ).count()


def wallet_signup_bonus(user: Any, *, ip: str | None = None) -> None:
    """Sign-up hook: credit the bonus from the rules (runs in the sign-up transaction),
    at most the rules' number of times per IP address and day."""
    rules = rules_get()
    if not rules.signup_bonus:
        return
    tag = _ip_tag(ip)
    promotions = platform_account(AccountKind.PROMOTIONS)
    with transaction.atomic():
        accounts_lock([promotions])
        if tag and (
            _given_today(kind=TransferKind.SIGNUP_BONUS, memo=tag)
            >= rules.signup_bonus_per_ip_per_day
        ):
            logger.info("no sign-up bonus for %s: daily cap of its IP", user.pk)
            return
        _give(
            user=user,
            amount=rules.signup_bonus,
            kind=TransferKind.SIGNUP_BONUS,
            key=f"signup:{user.pk}",
            memo=tag,
        )


@dataclass(frozen=True)
class CheckinResult:
    points: int
    already: bool
    balance: int


def wallet_checkin(*, user: Any) -> CheckinResult:
    """Daily check-in (签到): once per local calendar day."""
    day = timezone.localdate().isoformat()
    key = f"checkin:{user.pk}:{day}"
    amount = rules_get().checkin_points
    if transfer_find(key) is not None:
        return CheckinResult(points=0, already=True, balance=wallet_balance(user=user))
    if amount == 0:
        raise WalletError("签到奖励暂未开放 / Check-in rewards are off", code="off")
    _transfer, created = _give(
        user=user, amount=amount, kind=TransferKind.CHECKIN, key=key, memo=day
    )
    return CheckinResult(
        points=amount if created else 0,
        already=not created,
        balance=wallet_balance(user=user),
    )


def wallet_reward_upload(*, document: Any) -> Transfer | None:
    """Credit the uploader's reward once the document is published (once per
    document, at most the rules' number of rewards per member and day)."""
    rules = rules_get()
    if rules.upload_reward == 0:
        return None
    key = f"upload_reward:{document.pk}"
    promotions = platform_account(AccountKind.PROMOTIONS)
    with transaction.atomic():
        accounts_lock([promotions])
        earlier = transfer_find(key)
        if earlier is not None:
            return earlier
        given = _given_today(
            kind=TransferKind.UPLOAD_REWARD,
            entries__account__user_id=document.uploader_id,
        )
        if given >= rules.upload_rewards_per_day:
            logger.info("no upload reward for %s: daily cap", document.pk)
            return None
        transfer, _created = _give(
            user=document.uploader,
            amount=rules.upload_reward,
            kind=TransferKind.UPLOAD_REWARD,
            key=key,
            document=document,
        )
    return transfer


def wallet_reverse_upload_reward(
    *, document: Any, taken_down: bool = False
) -> Transfer | None:
    """Take back the upload reward when the uploader unlists the document within the
    rules' window, or whenever a moderator takes it down. Takes what the bonus
    account holds, up to the reward (never negative)."""
    reward = transfer_find(f"upload_reward:{document.pk}")
    if reward is None:
        return None
    window = timedelta(days=rules_get().upload_reward_reversal_days)
    if not taken_down and timezone.now() - reward.created_at > window:
        return None
    key = f"upload_reward_reversal:{document.pk}"
    wallet = member_account(document.uploader)
    promotions = platform_account(AccountKind.PROMOTIONS)
    granted = reward.entries.get(account=wallet).amount
    with transaction.atomic():
        locked = accounts_lock([wallet, promotions])
        earlier = transfer_find(key)
        if earlier is not None:
            return earlier
        amount = min(granted, locked[wallet.pk].balance)
        if amount <= 0:
            logger.info("upload reward of %s not reversed: wallet empty", document.pk)
            return None
        return transfer_post(
            kind=TransferKind.UPLOAD_REWARD_REVERSAL,
            idempotency_key=key,
            legs=[Leg(wallet, -amount), Leg(promotions, amount)],
            locked=locked,
            document=document,
            memo="" if amount == granted else f"部分收回 {amount}/{granted}",
        )


def wallet_grant(
    *,
    user: Any,
    amount: int,
    reason: str,
    by: Any = None,
    idempotency_key: str | None = None,
) -> Transfer:
    """Admin credit (positive) or debit (negative) with a reason; never overdraws."""
    if type(amount) is not int or amount == 0 or abs(amount) > GRANT_MAX:
        raise WalletError(
            f"调整积分必须是非零整数，且绝对值不超过 {GRANT_MAX} / "
            "Amount must be a non-zero whole number",
            code="bad_amount",
        )
    reason = (reason or "").strip()
    if not reason:
        raise WalletError("请填写调整原因 / A reason is required", code="no_reason")
    key = f"grant:{idempotency_key or uuid.uuid4().hex}"
    wallet = member_account(user)
    promotions = platform_account(AccountKind.PROMOTIONS)
    with transaction.atomic():
        locked = accounts_lock([wallet, promotions])
        earlier = transfer_find(key)
        if earlier is not None:
            return earlier
        transfer = transfer_post(
            kind=TransferKind.GRANT,
            idempotency_key=key,
            legs=[Leg(promotions, -amount), Leg(wallet, amount)],
            locked=locked,
            memo=reason,
            created_by=by,
        )
        audit_write(
            action="grant",
            actor=by,
            subject_user=user,
            transfer=transfer,
            amount=amount,
            reason=reason,
            balance_after=locked[wallet.pk].balance,
        )
    return transfer
