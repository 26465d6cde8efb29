"""Celery tasks of the wallet app (thin wrappers)."""

from __future__ import annotations

import logging
import urllib.parse
import urllib.request

from celery import shared_task

from wenku.wallet.payments.sandbox import notice_build
from wenku.wallet.services import income_release_due

logger = logging.getLogger(__name__)


class NoticeNotAcknowledged(Exception):
    pass


@shared_task(
    name="wenku.wallet.sandbox_send_notice",
    acks_late=True,
    autoretry_for=(OSError, NoticeNotAcknowledged),
    retry_backoff=2,
    max_retries=8,
    time_limit=60,
    soft_time_limit=45,
)
def sandbox_send_notice(*, out_trade_no: str, amount_fen: int, notify_url: str) -> None:
    """Play the sandbox provider: POST a signed paid-notice until it is acknowledged.

    Idempotent on our side: the notify endpoint credits an order at most once.
    """
    if not notify_url.startswith(("http://", "https://")):
        raise ValueError("notify_url must be http(s)")
    body = urllib.parse.urlencode(
        notice_build(out_trade_no=out_trade_no, amount_fen=amount_fen)
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        notify_url,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            answer = response.read(100).decode("utf-8", "replace").strip()
    except urllib.error.HTTPError as exc:
        answer = f"HTTP {exc.code}"
    if answer != "success":
        logger.warning(
            "sandbox notice for %s not acknowledged: %s", out_trade_no, answer
        )
        raise NoticeNotAcknowledged(answer)


@shared_task(
    name="wenku.wallet.release_held_income",
    acks_late=True,
    max_retries=0,
    time_limit=600,
    soft_time_limit=540,
)
def release_held_income() -> int:
    """Hourly: sales income past its hold becomes withdrawable (idempotent)."""
    return income_release_due()
