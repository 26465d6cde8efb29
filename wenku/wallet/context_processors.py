"""Template context from the wallet: whether recharges run on a test provider."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from wenku.wallet.payments import provider_active


def payment_mode(request: HttpRequest) -> dict[str, Any]:
    """``test_payments``: a provider no real money stands behind takes recharges,
    so every page shows the 沙箱/测试 marker."""
    provider = provider_active()
    return {"test_payments": provider is not None and not provider.real_money}
