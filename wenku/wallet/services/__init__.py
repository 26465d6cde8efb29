"""Every write of the wallet app. Import services from here."""

from wenku.wallet.ledger import (
    IdempotencyConflict,
    InsufficientBalance,
    WalletError,
)
from wenku.wallet.services.downloads import (
    document_download_count,
    download_record,
)
from wenku.wallet.services.earning import (
    CheckinResult,
    wallet_checkin,
    wallet_grant,
    wallet_reverse_upload_reward,
    wallet_reward_upload,
    wallet_signup_bonus,
)
from wenku.wallet.services.income import income_release_due
from wenku.wallet.services.purchases import (
    PurchaseResult,
    purchase_create,
    purchase_refund,
)
from wenku.wallet.services.recharge import (
    payment_notice_handle,
    recharge_order_cancel,
    recharge_order_create,
    recharge_points,
)
from wenku.wallet.services.withdrawals import (
    withdrawal_approve,
    withdrawal_reject,
    withdrawal_request,
)

__all__ = [
    "CheckinResult",
    "IdempotencyConflict",
    "InsufficientBalance",
    "PurchaseResult",
    "WalletError",
    "document_download_count",
    "download_record",
    "income_release_due",
    "payment_notice_handle",
    "purchase_create",
    "purchase_refund",
    "recharge_order_cancel",
    "recharge_order_create",
    "recharge_points",
    "wallet_checkin",
    "wallet_grant",
    "wallet_reverse_upload_reward",
    "wallet_reward_upload",
    "wallet_signup_bonus",
    "withdrawal_approve",
    "withdrawal_reject",
    "withdrawal_request",
]
