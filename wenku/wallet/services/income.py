"""Sales income on hold: it becomes withdrawable when the refund window is over."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from wenku.wallet.ledger import Leg, accounts_lock, member_wallet, transfer_post
from wenku.wallet.models import Purchase, PurchaseStatus, TransferKind
from wenku.wallet.selectors import income_due, rules_get

logger = logging.getLogger(__name__)


def _release(purchase_id: int, *, now: Any) -> int:
    purchase = Purchase.objects.select_related("seller").get(pk=purchase_id)
    seller = member_wallet(purchase.seller)
    with transaction.atomic():
        locked = accounts_lock([seller.held, seller.income])
        current = Purchase.objects.select_for_update().get(pk=purchase_id)
        if current.status != PurchaseStatus.PAID or current.income_released_at:
            return 0
        # The seller may have spent held income already (it is spent after bonus
        # and recharged points); what is left of it is what becomes withdrawable.
        amount = min(current.seller_income, locked[seller.held.pk].balance)
        if amount:
            transfer_post(
                kind=TransferKind.INCOME_RELEASE,
                idempotency_key=f"income_release:{current.pk}",
                legs=[Leg(seller.held, -amount), Leg(seller.income, amount)],
                locked=locked,
                document=current.document,
            )
        current.income_released_at = now
        current.save(update_fields=["income_released_at"])
    return amount


def income_release_due(*, now: Any = None, user: Any = None) -> int:
    """Move the income of every purchase past its hold from held to withdrawable
    (only ``user``'s sales when given); returns the points released."""
    now = now or timezone.now()
    hold_days = rules_get().income_hold_days
    ids = list(
        income_due(
            now=now, hold_days=hold_days, user_id=user.pk if user else None
        ).values_list("pk", flat=True)[:1000]
    )
    released = sum(_release(pk, now=now) for pk in ids)
    if released:
        logger.info("released %s points of sales income (%s sales)", released, len(ids))
    return released
