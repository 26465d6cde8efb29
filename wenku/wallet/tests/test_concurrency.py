"""Money under real concurrency: PostgreSQL, real threads, one connection each.

SQLite serialises writers with a database-level lock (transaction_mode IMMEDIATE) and
ignores select_for_update, so these tests only mean something on PostgreSQL.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from wenku.wallet.ledger import WalletError
from wenku.wallet.models import Purchase, TransferKind
from wenku.wallet.selectors import ledger_problems, wallet_balance
from wenku.wallet.services import purchase_create, wallet_grant

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks and concurrent transactions need PostgreSQL "
            "(SQLite ignores select_for_update); run with WENKU_DATABASE_URL=postgres://…"
        )


def _run_threads(jobs):
    """Start every job at the same moment; return (results, errors) by index."""
    barrier = threading.Barrier(len(jobs))
    results: dict[int, object] = {}
    errors: dict[int, BaseException] = {}

    def _worker(index, job):
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except BaseException as exc:  # reported to the test
            errors[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=_worker, args=(i, job)) for i, job in enumerate(jobs)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    print(f"{len(jobs)} threads in {time.monotonic() - started:.2f}s")
    return results, errors


def test_balance_covers_one_of_twenty_concurrent_purchases(make_user, quick_document):
    buyer = make_user()
    sellers = [make_user() for _ in range(4)]
    documents = [quick_document(uploader=sellers[i % 4], price=10) for i in range(20)]
    wallet_grant(user=buyer, amount=10, reason="测试")
    stop = threading.Event()
    seen: list[int] = []

    def _watch():
        while not stop.is_set():
            seen.append(wallet_balance(user=buyer))
        connections.close_all()

    watcher = threading.Thread(target=_watch)
    watcher.start()
    jobs = [
        (
            lambda d=d, i=i: purchase_create(
                buyer=buyer, document=d, idempotency_key=f"k{i}"
            )
        )
        for i, d in enumerate(documents)
    ]
    try:
        results, errors = _run_threads(jobs)
    finally:
        stop.set()
        watcher.join()
    assert len(results) == 1
    assert len(errors) == 19
    assert all(isinstance(exc, WalletError) for exc in errors.values())
    assert all("积分不足" in exc.message for exc in errors.values())
    assert wallet_balance(user=buyer) == 0
    assert min(seen) >= 0
    assert Purchase.objects.count() == 1
    assert sum(wallet_balance(user=s) for s in sellers) == 10
    assert ledger_problems() == []


def test_same_document_bought_twice_concurrently_charges_once(
    make_user, quick_document
):
    buyer = make_user()
    document = quick_document(uploader=make_user(), price=7)
    wallet_grant(user=buyer, amount=100, reason="测试")
    jobs = [
        (
            lambda i=i: purchase_create(
                buyer=buyer, document=document, idempotency_key=f"tab{i}"
            )
        )
        for i in range(8)
    ]
    results, errors = _run_threads(jobs)
    assert errors == {}
    assert sum(1 for r in results.values() if r.charged) == 1
    assert len({r.purchase.pk for r in results.values()}) == 1
    assert Purchase.objects.count() == 1
    assert wallet_balance(user=buyer) == 93
    assert ledger_problems() == []


def test_replayed_key_concurrently_runs_once(make_user, quick_document):
    buyer = make_user()
    document = quick_document(uploader=make_user(), price=7)
    wallet_grant(user=buyer, amount=100, reason="测试")
    jobs = [
        (
            lambda: purchase_create(
                buyer=buyer, document=document, idempotency_key="same"
            )
        )
        for _ in range(8)
    ]
    results, errors = _run_threads(jobs)
    assert errors == {}
    assert sum(1 for r in results.values() if r.charged) == 1
    assert {r.balance for r in results.values()} == {93}
    assert wallet_balance(user=buyer) == 93
    assert ledger_problems() == []


def test_cross_purchases_do_not_deadlock(make_user, quick_document):
    alice, bob = make_user(), make_user()
    rounds = 25
    alice_docs = [quick_document(uploader=alice, price=3) for _ in range(rounds)]
    bob_docs = [quick_document(uploader=bob, price=3) for _ in range(rounds)]
    wallet_grant(user=alice, amount=3 * rounds, reason="测试")
    wallet_grant(user=bob, amount=3 * rounds, reason="测试")

    def _buy_all(buyer, docs):
        done = 0
        for i, document in enumerate(docs):
            purchase_create(buyer=buyer, document=document, idempotency_key=f"x{i}")
            done += 1
        return done

    def _alice():
        return _buy_all(alice, bob_docs)

    def _bob():
        return _buy_all(bob, alice_docs)

    results, errors = _run_threads([_alice, _bob])
    assert errors == {}, errors
    assert results == {0: rounds, 1: rounds}
    assert Purchase.objects.count() == 2 * rounds
    assert wallet_balance(user=alice) == wallet_balance(user=bob) == 3 * rounds
    assert ledger_problems() == []


def test_concurrent_grants_and_purchases_conserve_points(make_user, quick_document):
    members = [make_user() for _ in range(6)]
    for member in members:
        wallet_grant(user=member, amount=20, reason="测试")
    documents = [quick_document(uploader=m, price=5) for m in members for _ in range(2)]

    def _shop(index):
        member = members[index]
        bought = 0
        for j, document in enumerate(documents):
            if document.uploader_id == member.pk:
                continue
            try:
                purchase_create(
                    buyer=member, document=document, idempotency_key=f"s{j}"
                )
                bought += 1
            except WalletError:
                pass
        return bought

    results, errors = _run_threads([lambda i=i: _shop(i) for i in range(6)])
    assert errors == {}
    total = sum(wallet_balance(user=m) for m in members)
    assert total == 120
    assert Purchase.objects.count() == sum(results.values())
    assert ledger_problems() == []
    assert not Purchase.objects.filter(transfer__kind=TransferKind.REFUND).exists()
