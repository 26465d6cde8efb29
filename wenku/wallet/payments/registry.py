"""Which providers exist, and which one recharges use (WENKU_PAYMENT_PROVIDER)."""

from __future__ import annotations

from django.conf import settings

from wenku.wallet.payments.base import PaymentProvider
from wenku.wallet.payments.sandbox import SandboxProvider

PROVIDERS: dict[str, type] = {"sandbox": SandboxProvider}


def provider_get(name: str) -> PaymentProvider | None:
    """The provider registered under this name, or None."""
    cls = PROVIDERS.get(name)
    return cls() if cls is not None else None


def provider_active() -> PaymentProvider | None:
    """The provider new recharges go through; None when recharging is off."""
    return provider_get(getattr(settings, "WALLET_PAYMENT_PROVIDER", ""))
