"""Payment providers: the interface, the registry, and the development sandbox."""

from wenku.wallet.payments.base import NoticeRejected, PaymentProvider, VerifiedNotice
from wenku.wallet.payments.registry import provider_active, provider_get

__all__ = [
    "NoticeRejected",
    "PaymentProvider",
    "VerifiedNotice",
    "provider_active",
    "provider_get",
]
