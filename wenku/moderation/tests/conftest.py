from wenku.wallet.tests.conftest import (  # noqa: F401  (fixtures)
    fund,
    fund_paid,
    ledger_ok,
    quick_document,
)
