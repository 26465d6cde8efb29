"""Backups that restore: `wenku backup` while members buy and upload, `wenku restore`
into a fresh data folder (and, on PostgreSQL, a fresh database), then the restored copy
compared row by row and byte by byte with what the backup's snapshot held.

The writers run in threads of this process, the backup and the restore as `wenku`
processes, as they would on a machine: only committed data crosses between them.
Runs on SQLite and on PostgreSQL (whichever the test run uses).
"""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections

from conftest import _database_url_for_subprocess
from wenku.core.backup import BackupError, backup_create, backup_restore, databases
from wenku.core.tests.backup_probe import site_state
from wenku.documents.models import Document, Page
from wenku.wallet.models import Purchase, PurchaseStatus, Transfer
from wenku.wallet.services import purchase_create, wallet_grant

pytestmark = pytest.mark.django_db(transaction=True)

WENKU = [sys.executable, "-m", "wenku.cli"]
DEADLINE = 120.0


def _poll(predicate: Callable[[], bool], what: str, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def _wenku(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*WENKU, *args], env=env, capture_output=True, text=True, timeout=600
    )


def _live_env() -> dict[str, str]:
    return dict(
        os.environ,
        WENKU_DATABASE_URL=_database_url_for_subprocess(),
        WENKU_DATA_DIR=str(settings.DATA_DIR),
    )


@pytest.fixture
def restored_env(tmp_path) -> Iterator[dict[str, str]]:
    """Settings of a fresh site: an empty data folder and, on PostgreSQL, a new
    database on the same server."""
    data_dir = tmp_path / "restored"
    if connection.vendor == "sqlite":
        yield dict(
            os.environ,
            WENKU_DATA_DIR=str(data_dir),
            WENKU_DATABASE_URL=f"sqlite:///{data_dir / 'wenku.sqlite3'}",
        )
        return
    live = connection.settings_dict
    name = f"{live['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    admin = {
        "host": live["HOST"] or "127.0.0.1",
        "port": live["PORT"] or 5432,
        "user": live["USER"],
        "password": live["PASSWORD"],
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    url = _database_url_for_subprocess().rsplit("/", 1)[0] + f"/{name}"
    try:
        yield dict(os.environ, WENKU_DATA_DIR=str(data_dir), WENKU_DATABASE_URL=url)
    finally:
        with psycopg.connect(**admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Writers:
    """Two threads writing as members do: one uploads priced documents, one buys
    them (and, when nothing is left to buy, is given points). Each thread is the only
    writer of its tables, so ids are in commit order and a consistent snapshot holds
    a prefix of each table."""

    def __init__(self, *, make_document, sellers, buyers) -> None:
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.uploads = self.writes = 0
        self._make_document, self._sellers, self._buyers = (
            make_document,
            sellers,
            buyers,
        )
        self._threads = [
            threading.Thread(target=self._run, args=(self._upload,)),
            threading.Thread(target=self._run, args=(self._buy,)),
        ]

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=DEADLINE)
        assert not any(thread.is_alive() for thread in self._threads), "a writer hung"
        assert self.errors == []

    def _run(self, step: Callable[[int], None]) -> None:
        try:
            for turn in itertools.count():
                if self.stop.is_set():
                    break
                step(turn)
        except BaseException as exc:  # reported by __exit__
            self.errors.append(exc)
            self.stop.set()
        finally:
            connections.close_all()

    def _upload(self, turn: int) -> None:
        self._make_document(
            title=f"并发上传{turn}",
            uploader=self._sellers[turn % len(self._sellers)],
            price=3,
            pages=[f"第{turn}份第一页", f"第{turn}份第二页"],
            original=f"original bytes {turn}".encode(),
        )
        self.uploads += 1

    def _buy(self, turn: int) -> None:
        buyer = self._buyers[turn % len(self._buyers)]
        document = (
            Document.objects.filter(price__gt=0)
            .exclude(purchases__buyer=buyer)
            .order_by("pk")
            .first()
        )
        if document is None:
            wallet_grant(user=buyer, amount=1, reason="演练")
        else:
            purchase_create(
                buyer=buyer, document=document, idempotency_key=f"drill-{document.pk}"
            )
        self.writes += 1


def _counts() -> dict[str, int]:
    return {
        "documents_document": Document.objects.count(),
        "wallet_transfer": Transfer.objects.count(),
        "wallet_purchase": Purchase.objects.count(),
    }


def _manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return json.loads(member.read())


def _snapshot_of(live: dict[str, Any], tables: dict[str, int]) -> dict[str, Any]:
    """The live site cut where the snapshot was taken: a prefix of every table."""
    cut = {
        "users": tables["accounts_user"],
        "documents": tables["documents_document"],
        "pages": tables["documents_page"],
        "accounts": tables["wallet_account"],
        "transfers": tables["wallet_transfer"],
        "entries": tables["wallet_entry"],
        "purchases": tables["wallet_purchase"],
        "audit": tables["wallet_auditlog"],
    }
    expected = {key: live[key][:count] for key, count in cut.items()}
    balances = {str(account["id"]): 0 for account in expected["accounts"]}
    for entry in expected["entries"]:
        balances[str(entry["account_id"])] = entry["balance_after"]
    expected["balances"] = balances
    entitled: dict[str, list[int]] = {str(u["id"]): [] for u in expected["users"]}
    for purchase in expected["purchases"]:
        if purchase["status"] == PurchaseStatus.PAID:
            entitled[str(purchase["buyer_id"])].append(purchase["document_id"])
    expected["entitlements"] = {user: sorted(ids) for user, ids in entitled.items()}
    return expected


def test_restore_drill_while_members_buy_and_upload(
    make_user, make_document, tmp_path, restored_env
):
    sellers = [make_user(), make_user()]
    buyers = [make_user() for _ in range(3)]
    for buyer in buyers:
        wallet_grant(user=buyer, amount=100_000, reason="演练")
    for seller in sellers:  # every wallet exists before the backup
        document = make_document(uploader=seller, price=5)
        purchase_create(
            buyer=buyers[0], document=document, idempotency_key=f"drill-{document.pk}"
        )
    archive = tmp_path / "site.tar"

    with Writers(make_document=make_document, sellers=sellers, buyers=buyers) as w:
        _poll(lambda: (w.uploads >= 3 and w.writes >= 10) or bool(w.errors), "writers")
        before = _counts()
        started = time.monotonic()
        done = _wenku(_live_env(), "backup", str(archive))
        backup_seconds = time.monotonic() - started
        assert done.returncode == 0, done.stderr
        tables = _manifest(archive)["tables"]
        # Let the writers commit past the snapshot before they stop.
        _poll(
            lambda: (
                all(count > tables[name] for name, count in _counts().items())
                or bool(w.errors)
            ),
            "writes after the snapshot",
        )
    # The snapshot was taken with writes in flight on both sides of it.
    for name, count in before.items():
        assert count < tables[name] < _counts()[name], name

    started = time.monotonic()
    done = _wenku(restored_env, "restore", str(archive))
    restore_seconds = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr
    assert [line.split()[:2] for line in done.stdout.splitlines()] == [
        ["ok", "tables"],
        ["ok", "files"],
        ["ok", "secret"],
        ["ok", "database"],
        ["ok", "ledger"],
    ]
    checked = _wenku(restored_env, "points", "check")
    assert (checked.returncode, checked.stdout) == (0, "ledger OK\n")
    probe = subprocess.run(
        [sys.executable, "-m", "wenku.core.tests.backup_probe"],
        env=restored_env,
        capture_output=True,
        text=True,
        check=True,
    )
    restored = json.loads(probe.stdout)
    expected = _snapshot_of(site_state(), tables)
    assert len(restored["documents"]) == tables["documents_document"]
    assert len(restored["purchases"]) == tables["wallet_purchase"]
    for key in ("users", "documents", "pages", "accounts", "transfers", "entries"):
        assert restored[key] == expected[key], key
    for key in ("purchases", "audit", "balances", "entitlements"):
        assert restored[key] == expected[key], key
    key_file = Path(restored_env["WENKU_DATA_DIR"]) / "secret_key"
    assert key_file.read_text() == (settings.DATA_DIR / "secret_key").read_text()

    # The restored copy is a working site: it takes a new movement and still balances.
    granted = _wenku(
        restored_env, "points", "grant", buyers[0].username, "7", "--reason", "演练"
    )
    assert granted.returncode == 0, granted.stderr
    assert _wenku(restored_env, "points", "check").stdout == "ledger OK\n"
    # Restoring over it needs --force, and then gives back the backup exactly.
    again = _wenku(restored_env, "restore", str(archive))
    assert again.returncode == 1
    assert "already hold" in again.stderr  # database and media folder
    forced = _wenku(restored_env, "restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stdout + forced.stderr
    probe = subprocess.run(
        [sys.executable, "-m", "wenku.core.tests.backup_probe"],
        env=restored_env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(probe.stdout) == restored
    print(
        f"{connection.vendor}: backup {backup_seconds:.2f} s, restore "
        f"{restore_seconds:.2f} s; snapshot of {tables['documents_document']} "
        f"documents, {tables['documents_page']} pages, {tables['wallet_transfer']} "
        f"transfers, {tables['wallet_purchase']} purchases"
    )


def test_backup_starts_again_when_a_re_render_deletes_referenced_files(
    make_document, tmp_path, monkeypatch
):
    document = make_document(pages=["一", "二"])
    page = document.pages.get(number=1)
    old_name = page.image.name
    take_snapshot = databases.take_snapshot
    new_names: list[str] = []

    def snapshot_then_re_render(folder: Path) -> databases.Snapshot:
        snapshot = take_snapshot(folder)
        if not new_names:
            # What publishing a re-render does between the snapshot and the copy: new
            # file, the row points at it, the old file is deleted after the commit.
            name = f"pages/{document.number}/again/1.webp"
            new_names.append(default_storage.save(name, ContentFile(b"new page")))
            Page.objects.filter(pk=page.pk).update(image=new_names[0])
            default_storage.delete(old_name)
        return snapshot

    monkeypatch.setattr(databases, "take_snapshot", snapshot_then_re_render)
    result = backup_create(destination=tmp_path / "site.tar")

    assert result.manifest["attempts"] == 2
    with tarfile.open(result.path) as tar:
        names = set(tar.getnames())
    assert f"media/{new_names[0]}" in names
    assert f"media/{old_name}" not in names
    assert not list(tmp_path.glob(".*"))  # no partial archive, no scratch folder


def test_restore_refuses_a_site_that_holds_data(make_document, tmp_path):
    make_document()
    archive = backup_create(destination=tmp_path).path
    assert archive.parent == tmp_path
    assert archive.name.startswith("wenku-")

    with pytest.raises(BackupError, match=r"already holds? data.*--force"):
        backup_restore(source=archive)
    assert Document.objects.count() == 1


def test_restore_refuses_a_damaged_archive_before_writing(make_document, tmp_path):
    make_document()
    archive = backup_create(destination=tmp_path / "site.tar").path
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/pages/"):
                data = bytes([data[0] ^ 1]) + data[1:]
            out.addfile(member, io.BytesIO(data))

    with pytest.raises(BackupError, match=r"differs from media\.sha256"):
        backup_restore(source=damaged, force=True)
    assert Document.objects.count() == 1


def test_backup_refuses_bucket_storage_without_database_only(tmp_path, settings):
    settings.STORAGE_BACKEND = "s3"
    with pytest.raises(BackupError, match=r"docs/deployment.md \(Backups\)"):
        backup_create(destination=tmp_path / "site.tar")
    assert list(tmp_path.iterdir()) == []


def test_backup_never_overwrites(tmp_path):
    existing = tmp_path / "site.tar"
    existing.write_bytes(b"an older backup")
    with pytest.raises(BackupError, match="never overwrites"):
        backup_create(destination=existing)
    assert existing.read_bytes() == b"an older backup"
