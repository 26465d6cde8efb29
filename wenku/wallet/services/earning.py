"""Points the platform gives and takes: sign-up bonus, check-in, upload rewards,
admin grants."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

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
from wenku.wallet.selectors import rules_get
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


def wallet_signup_bonus(user: Any) -> None:
    """Sign-up hook: credit the bonus from the rules (runs in the sign-up transaction)."""
    amount = rules_get().signup_bonus
    if amount:
        _give(
            user=user,
            amount=amount,
            kind=TransferKind.SIGNUP_BONUS,
            key=f"signup:{user.pk}",
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
        return CheckinResult(
            points=0, already=True, balance=member_account(user).balance
        )
    if amount == 0:
        raise WalletError("签到奖励暂未开放 / Check-in rewards are off", code="off")
    _transfer, created = _give(
        user=user, amount=amount, kind=TransferKind.CHECKIN, key=key, memo=day
    )
    return CheckinResult(
        points=amount if created else 0,
        already=not created,
        balance=member_account(user).balance,
    )


def wallet_reward_upload(*, document: Any) -> Transfer | None:
    """Credit the uploader's reward once the document is published (once per document)."""
    amount = rules_get().upload_reward
    if amount == 0:
        return None
    transfer, _created = _give(
        user=document.uploader,
        amount=amount,
        kind=TransferKind.UPLOAD_REWARD,
        key=f"upload_reward:{document.pk}",
        document=document,
    )
    return transfer


def wallet_reverse_upload_reward(*, document: Any) -> Transfer | None:
    """Take back the upload reward when the uploader deletes the document within the
    rules' window. Takes what the wallet holds, up to the reward (never negative)."""
    reward = transfer_find(f"upload_reward:{document.pk}")
    if reward is None:
        return None
    window = timedelta(days=rules_get().upload_reward_reversal_days)
    if timezone.now() - reward.created_at > window:
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
    import uuid

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
