"""A development payment provider with the real shape.

create order → pay page (on our own site, "确认支付") → the "provider" POSTs an
HMAC-signed asynchronous notice to our notify endpoint (a Celery task, retried until
we answer "success") → we verify and credit once.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_noop

from wenku.wallet.payments.base import NoticeRejected, VerifiedNotice

NOTICE_MAX_AGE = 24 * 3600
FIELDS = ("amount_fen", "notify_id", "notify_time", "out_trade_no", "trade_no")


def sandbox_secret() -> bytes:
    """WENKU_SANDBOX_PAY_SECRET, else a key derived from SECRET_KEY."""
    explicit = getattr(settings, "WALLET_SANDBOX_PAY_SECRET", "")
    if explicit:
        return explicit.encode()
    return hmac.new(
        settings.SECRET_KEY.encode(), b"wenku.wallet.sandbox-pay", hashlib.sha256
    ).digest()


def sign(fields: Mapping[str, str]) -> str:
    """HMAC-SHA256 over `k=v` pairs sorted by key, joined with '&'."""
    message = "&".join(f"{key}={fields[key]}" for key in sorted(fields))
    return hmac.new(sandbox_secret(), message.encode(), hashlib.sha256).hexdigest()


def notice_build(
    *, out_trade_no: str, amount_fen: int, now: float | None = None
) -> dict[str, str]:
    """The signed form body the sandbox sends for a paid order."""
    fields = {
        "amount_fen": str(amount_fen),
        "notify_id": uuid.uuid4().hex,
        "notify_time": str(int(now if now is not None else time.time())),
        "out_trade_no": out_trade_no,
        "trade_no": f"SBX{uuid.uuid4().hex[:20].upper()}",
        "trade_status": "TRADE_SUCCESS",
    }
    fields["sign"] = sign(fields)
    return fields


class SandboxProvider:
    name = "sandbox"
    label = gettext_noop("沙箱支付（开发测试）")  # translated where shown
    ack_body = "success"
    # Nobody pays: its points arrive as bonus points and never become withdrawable.
    real_money = False

    def pay_url(self, order, *, request: HttpRequest) -> str:  # type: ignore[no-untyped-def]
        return reverse(
            "wallet:sandbox_pay", kwargs={"out_trade_no": order.out_trade_no}
        )

    def verify(self, data: Mapping[str, str]) -> VerifiedNotice:
        out_trade_no = str(data.get("out_trade_no", ""))[:40]
        signature = str(data.get("sign", ""))
        fields = {key: str(value) for key, value in data.items() if key != "sign"}
        if any(key not in fields for key in FIELDS) or not signature:
            raise NoticeRejected(
                "malformed", "missing fields", out_trade_no=out_trade_no
            )
        if not hmac.compare_digest(sign(fields), signature):
            raise NoticeRejected(
                "bad_signature", "signature mismatch", out_trade_no=out_trade_no
            )
        try:
            amount_fen = int(fields["amount_fen"])
            sent_at = int(fields["notify_time"])
        except ValueError as exc:
            raise NoticeRejected(
                "malformed", "bad number", out_trade_no=out_trade_no
            ) from exc
        if abs(time.time() - sent_at) > NOTICE_MAX_AGE:
            raise NoticeRejected("stale", "notice too old", out_trade_no=out_trade_no)
        return VerifiedNotice(
            notify_id=fields["notify_id"][:80],
            out_trade_no=out_trade_no,
            provider_trade_no=fields["trade_no"][:64],
            amount_fen=amount_fen,
            paid=fields.get("trade_status") == "TRADE_SUCCESS",
        )
