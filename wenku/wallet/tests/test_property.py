"""Randomised ledger run: after every step the books balance (pgledger-style)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenku.wallet.ledger import WalletError
from wenku.wallet.models import Account, AccountKind, Purchase, WalletRules, Withdrawal
from wenku.wallet.selectors import ledger_problems, rules_get
from wenku.wallet.services import (
    purchase_create,
    purchase_refund,
    wallet_grant,
    withdrawal_approve,
    withdrawal_reject,
    withdrawal_request,
)

MEMBERS = 3

step = st.one_of(
    st.tuples(st.just("grant"), st.integers(0, MEMBERS - 1), st.integers(-60, 60)),
    st.tuples(
        st.just("buy"), st.integers(0, MEMBERS - 1), st.integers(0, 2 * MEMBERS - 1)
    ),
    st.tuples(st.just("refund"), st.integers(0, 20), st.booleans()),
    st.tuples(st.just("withdraw"), st.integers(0, MEMBERS - 1), st.integers(1, 40)),
    st.tuples(st.just("decide"), st.integers(0, 10), st.booleans()),
)

_run = itertools.count()


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_ledger_balances_after_every_step(make_user, quick_document, steps):
    WalletRules.objects.filter(pk=rules_get().pk).update(
        withdrawal_min_points=1, commission_percent=10
    )
    run = next(_run)
    members = [make_user(f"p{run}_{i}") for i in range(MEMBERS)]
    documents = [
        quick_document(uploader=members[i % MEMBERS], price=5 + 3 * i)
        for i in range(2 * MEMBERS)
    ]
    for index, (kind, a, b) in enumerate(steps):
        try:
            if kind == "grant" and b != 0:
                wallet_grant(user=members[a], amount=b, reason="property")
            elif kind == "buy":
                purchase_create(
                    buyer=members[a], document=documents[b], idempotency_key=f"{index}"
                )
            elif kind == "refund":
                purchases = list(
                    Purchase.objects.filter(buyer__in=members).order_by("pk")
                )
                if purchases:
                    purchase_refund(
                        purchase=purchases[a % len(purchases)],
                        by=None,
                        reason="property",
                        platform_covers_shortfall=b,
                    )
            elif kind == "withdraw":
                withdrawal_request(user=members[a], points=b, payee="支付宝")
            elif kind == "decide":
                pending = list(
                    Withdrawal.objects.filter(user__in=members, status="pending")
                )
                if pending:
                    chosen = pending[a % len(pending)]
                    if b:
                        withdrawal_approve(withdrawal=chosen, by=None)
                    else:
                        withdrawal_reject(withdrawal=chosen, by=None)
        except WalletError:
            pass  # a refusal (overdraft, own document, …) must leave the books intact
        assert ledger_problems() == [], (index, kind, a, b)
        assert not Account.objects.filter(
            kind__in=[AccountKind.MEMBER, AccountKind.WITHDRAWAL_HOLD], balance__lt=0
        ).exists()
