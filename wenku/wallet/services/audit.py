"""The audit trail of money decisions (always inside the caller's transaction)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from wenku.wallet.models import AuditLog, Transfer


def audit_write(
    *,
    action: str,
    actor: Any = None,
    subject_user: Any = None,
    transfer: Transfer | None = None,
    **details: Any,
) -> AuditLog:
    """Record one money decision; must share the transaction of the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit rows are written inside the change's transaction")
    return AuditLog.objects.create(
        action=action,
        actor_id=getattr(actor, "pk", None),
        subject_user_id=getattr(subject_user, "pk", None),
        transfer=transfer,
        details=details,
    )
