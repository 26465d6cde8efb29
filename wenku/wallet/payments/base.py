"""What a payment provider must do: send the payer somewhere, verify its notices."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from django.http import HttpRequest

    from wenku.wallet.models import RechargeOrder


@dataclass(frozen=True)
class VerifiedNotice:
    """A payment notice whose signature checked out."""

    notify_id: str
    out_trade_no: str
    provider_trade_no: str
    amount_fen: int
    paid: bool


class NoticeRejected(Exception):
    """A notice we refuse; `outcome` is a NotificationOutcome value."""

    def __init__(self, outcome: str, detail: str, *, out_trade_no: str = "") -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail
        self.out_trade_no = out_trade_no


class PaymentProvider(Protocol):
    name: str
    label: str  # a message id: shown with {% translate %} in the reader's language
    # Body the provider expects back once a notice is accepted (Alipay: "success").
    ack_body: str
    # True when a payer's real money stands behind a paid notice: its points are
    # paid points. A test provider's are bonus points (never withdrawable).
    real_money: bool

    def pay_url(self, order: RechargeOrder, *, request: HttpRequest) -> str:
        """Where to send the payer to pay this order."""
        ...

    def verify(self, data: Mapping[str, str]) -> VerifiedNotice:
        """Check a notice's signature and freshness; raise NoticeRejected if bad."""
        ...
