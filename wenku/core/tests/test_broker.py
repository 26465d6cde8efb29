"""The embedded broker (wenku/broker.py): claims, acks, rejects, lost workers, bursts."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from kombu import Connection, Exchange, Queue

import wenku.celery  # noqa: F401 — registers the wenku-sqlite transport alias

EXCHANGE = Exchange("jobs", type="direct")
QUEUE = Queue("jobs", EXCHANGE, routing_key="jobs")


def _connection(path: Path, **options: object) -> Connection:
    return Connection(
        f"wenku-sqlite+sqlite://{path}",
        transport_options={"polling_interval": 0.01, **options},
    )


def _publish(path: Path, bodies: list[str]) -> None:
    with _connection(path) as conn:
        producer = conn.Producer()
        for body in bodies:
            producer.publish(
                body, exchange=EXCHANGE, routing_key="jobs", declare=[QUEUE]
            )


def _rows(path: Path) -> list[tuple[str, float]]:
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT payload, visible_at FROM message ORDER BY id"
        ).fetchall()


def test_ack_deletes_and_order_is_kept(tmp_path):
    path = tmp_path / "broker.sqlite3"
    _publish(path, ["一", "二", "三"])
    with _connection(path) as conn:
        queue = QUEUE(conn.default_channel)
        first = queue.get(no_ack=False)
        second = queue.get(no_ack=False)
        assert (first.decode(), second.decode()) == ("一", "二")
        assert len(_rows(path)) == 3  # claimed, not gone
        first.ack()
        second.ack()
        assert queue.get(no_ack=False).decode() == "三"
    assert len(_rows(path)) == 1


def test_reject_with_requeue_delivers_again_at_once(tmp_path):
    path = tmp_path / "broker.sqlite3"
    _publish(path, ["任务"])
    with _connection(path) as conn:
        queue = QUEUE(conn.default_channel)
        message = queue.get(no_ack=False)
        assert queue.get(no_ack=False) is None  # claimed by us
        message.reject(requeue=True)
        again = queue.get(no_ack=False)
        assert again.decode() == "任务"
        again.reject(requeue=False)
    assert _rows(path) == []


def test_a_lost_consumer_s_claim_runs_out(tmp_path):
    """A worker killed outright never acks: its message comes back after the timeout."""
    path = tmp_path / "broker.sqlite3"
    _publish(path, ["转换文档 42"])
    lost = _connection(path, visibility_timeout=1)
    QUEUE(lost.default_channel).get(no_ack=False)  # claimed, then "killed"
    with _connection(path, visibility_timeout=1) as conn:
        queue = QUEUE(conn.default_channel)
        assert queue.get(no_ack=False) is None
        deadline = time.monotonic() + 10
        message = None
        while message is None and time.monotonic() < deadline:
            time.sleep(0.2)
            message = queue.get(no_ack=False)
        assert message is not None and message.decode() == "转换文档 42"
        message.ack()
    lost.default_channel.do_restore = False  # it is dead: nothing to hand back
    lost.release()
    assert _rows(path) == []


def test_graceful_close_releases_unacked_messages(tmp_path):
    path = tmp_path / "broker.sqlite3"
    _publish(path, ["甲"])
    conn = _connection(path)
    QUEUE(conn.default_channel).get(no_ack=False)
    conn.close()  # restores what this connection had not acknowledged
    assert [visible for _, visible in _rows(path)] == [0]


def test_concurrent_producers_and_consumers_deliver_each_message_once(tmp_path):
    path = tmp_path / "broker.sqlite3"
    _publish(path, [])  # declares the queue, creates the file
    sent = [f"{p}-{i}" for p in range(8) for i in range(50)]
    received: list[str] = []
    lock = threading.Lock()
    producers_done = threading.Event()

    def produce(p: int) -> None:
        _publish(path, [f"{p}-{i}" for i in range(50)])

    def consume() -> None:
        with _connection(path) as conn:
            queue = QUEUE(conn.default_channel)
            while True:
                message = queue.get(no_ack=False)
                if message is None:
                    if producers_done.is_set():
                        return
                    time.sleep(0.005)
                    continue
                with lock:
                    received.append(message.decode())
                message.ack()

    consumers = [threading.Thread(target=consume) for _ in range(3)]
    producers = [threading.Thread(target=produce, args=(p,)) for p in range(8)]
    for thread in consumers + producers:
        thread.start()
    for thread in producers:
        thread.join()
    producers_done.set()
    for thread in consumers:
        thread.join(timeout=60)
    assert sorted(received) == sorted(sent)
    assert _rows(path) == []
