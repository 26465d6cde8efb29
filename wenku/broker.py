"""The embedded broker: a kombu transport on one SQLite file beside the database.

kombu's filesystem transport let a consumer read a message file while its producer
was still writing it (the worker died on a JSONDecodeError under an upload burst),
and it forgets a message the moment it is read. This transport keeps messages in a
table instead: a put is one INSERT, a get claims the oldest visible row for
`visibility_timeout` seconds in an IMMEDIATE transaction, an ack deletes the row, a
reject or a graceful shutdown makes it visible again, and a worker killed outright
leaves its rows to reappear when their claim runs out — as Redis does.

Broker URL (settings.py builds it): ``wenku-sqlite+sqlite:///<path>``; wenku/celery.py
registers the ``wenku-sqlite`` alias with kombu.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from queue import Empty
from typing import Any
from urllib.parse import urlparse

from kombu.transport import virtual

SCHEMA = """
CREATE TABLE IF NOT EXISTS message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    tag TEXT NOT NULL,
    payload TEXT NOT NULL,
    visible_at REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS message_ready ON message (queue, visible_at, id);
CREATE UNIQUE INDEX IF NOT EXISTS message_tag ON message (tag);
"""

DEFAULT_VISIBILITY_TIMEOUT = 3600.0
BUSY_TIMEOUT = 30.0


def database_path(url: str) -> str:
    """The file of a ``sqlite:///<path>`` URL."""
    parsed = urlparse(url)
    if parsed.scheme != "sqlite" or not parsed.path:
        raise ValueError(f"not a sqlite:/// broker URL: {url!r}")
    return parsed.path


def connect(path: str) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, schema made."""
    db = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
    )
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    return db


class QoS(virtual.QoS):
    """Unacked messages live in the table: ack deletes, reject/restore releases."""

    channel: Channel

    def ack(self, delivery_tag: str) -> None:
        self.channel.forget(delivery_tag)
        super().ack(delivery_tag)

    def reject(self, delivery_tag: str, requeue: bool = False) -> None:
        if requeue:
            self.channel.release(delivery_tag)
        else:
            self.channel.forget(delivery_tag)
        self._quick_ack(delivery_tag)

    def restore_unacked(self) -> list[tuple[BaseException, Any]]:
        self._flush()
        errors: list[tuple[BaseException, Any]] = []
        delivered: dict[str, Any] = self._delivered  # type: ignore[assignment]
        for delivery_tag, message in list(delivered.items()):
            try:
                self.channel.release(delivery_tag)
            except sqlite3.Error as exc:
                errors.append((exc, message))
        delivered.clear()
        return errors


class Channel(virtual.Channel):
    """Queues as rows of one SQLite table."""

    QoS = QoS
    supports_fanout = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # one connection, used by one thread at a time
        options = self.connection.client.transport_options
        self.visibility_timeout = float(
            options.get("visibility_timeout", DEFAULT_VISIBILITY_TIMEOUT)
        )

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = connect(database_path(self.connection.client.hostname))
        return self._db

    def _put(self, queue: str, message: dict[str, Any], **kwargs: Any) -> None:
        tag = message["properties"]["delivery_tag"]
        with self._lock:
            self.db.execute(
                "INSERT INTO message (queue, tag, payload, visible_at) VALUES (?, ?, ?, 0)",
                (queue, tag, json.dumps(message)),
            )

    def _get(self, queue: str, timeout: float | None = None) -> dict[str, Any]:
        now = time.time()
        with self._lock:
            db = self.db
            # A plain read first: polling an empty queue takes no write lock.
            if (
                db.execute(
                    "SELECT 1 FROM message WHERE queue = ? AND visible_at <= ? LIMIT 1",
                    (queue, now),
                ).fetchone()
                is None
            ):
                raise Empty()
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT id, payload FROM message WHERE queue = ? AND visible_at <= ?"
                    " ORDER BY id LIMIT 1",
                    (queue, time.time()),
                ).fetchone()
                if row is not None:
                    db.execute(
                        "UPDATE message SET visible_at = ? WHERE id = ?",
                        (time.time() + self.visibility_timeout, row[0]),
                    )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        if row is None:
            raise Empty()
        payload: dict[str, Any] = json.loads(row[1])
        return payload

    def forget(self, delivery_tag: str) -> None:
        """The message was handled: delete it."""
        with self._lock:
            self.db.execute("DELETE FROM message WHERE tag = ?", (delivery_tag,))

    def release(self, delivery_tag: str) -> None:
        """Deliver the message again, now."""
        with self._lock:
            self.db.execute(
                "UPDATE message SET visible_at = 0 WHERE tag = ?", (delivery_tag,)
            )

    def _size(self, queue: str) -> int:
        with self._lock:
            (count,) = self.db.execute(
                "SELECT count(*) FROM message WHERE queue = ? AND visible_at <= ?",
                (queue, time.time()),
            ).fetchone()
        return int(count)

    def _purge(self, queue: str) -> int:
        with self._lock:
            cursor = self.db.execute(
                "DELETE FROM message WHERE queue = ? AND visible_at <= ?",
                (queue, time.time()),
            )
        return int(cursor.rowcount)

    def _delete(self, queue: str, *args: Any, **kwargs: Any) -> None:
        super()._delete(queue, *args, **kwargs)
        with self._lock:
            self.db.execute("DELETE FROM message WHERE queue = ?", (queue,))

    def close(self) -> None:
        super().close()
        if self._db is not None:
            self._db.close()
            self._db = None


class Transport(virtual.Transport):
    """kombu transport for ``wenku-sqlite+sqlite:///<path>``."""

    Channel = Channel
    can_parse_url = True
    default_port = 0  # type: ignore[assignment]  # kombu's stub says None
    driver_type = "sqlite"
    driver_name = "sqlite3"
    polling_interval = 0.1
    connection_errors = (sqlite3.OperationalError,)
    channel_errors = (sqlite3.DatabaseError,)

    def driver_version(self) -> str:
        return sqlite3.sqlite_version
