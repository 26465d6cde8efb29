"""Database snapshots for backups, and putting one back.

SQLite is copied through the online backup API, never as a file: a file copy of a
live WAL database can miss committed pages still in the -wal file or catch a page
half-written. PostgreSQL is dumped by pg_dump --format=custom on a snapshot this module
exports, so the row counts and file references it records are those of the dump.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.models import FileField

from wenku import broker
from wenku.core.backup.errors import BackupError

SQLITE_MEMBER = "database.sqlite3"
POSTGRESQL_MEMBER = "database.pgdump"


@dataclass(frozen=True)
class Snapshot:
    """One consistent database state written to `path`, with what it holds."""

    engine: str
    path: Path
    tables: dict[str, int]
    referenced: frozenset[str]


def engine() -> str:
    """The database this site is configured with: sqlite or postgresql."""
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"wenku backup does not know the {vendor} database")
    return vendor


def member_name(engine_name: str) -> str:
    return SQLITE_MEMBER if engine_name == "sqlite" else POSTGRESQL_MEMBER


def sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"])


def broker_path() -> Path | None:
    """The embedded broker's queue file; None with Redis or RabbitMQ."""
    if not settings.EMBEDDED_BROKER:
        return None
    # settings.py builds wenku-sqlite+sqlite:///<path>.
    return Path(broker.database_path(settings.CELERY_BROKER_URL.split("+", 1)[1]))


def model_tables() -> list[str]:
    """Every table Django models keep rows in, with the migration history."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted({*tables, "django_migrations"})


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every file field: the storage names rows point at."""
    return sorted(
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
        for field in model._meta.concrete_fields
        if isinstance(field, FileField) and field.column
    )


def describe(cursor: Any, existing: set[str]) -> tuple[dict[str, int], frozenset[str]]:
    """Row counts of the model tables and the file names rows reference.

    Takes any DB-API cursor (sqlite3's, Django's), so a snapshot file, an exported
    PostgreSQL snapshot and a restored database are described by the same queries.
    Table and column names come from model metadata, never from input.
    """
    tables: dict[str, int] = {}
    for table in model_tables():
        if table in existing:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
            tables[table] = int(cursor.fetchone()[0])
    referenced: set[str] = set()
    for table, column in file_columns():
        if table in existing:
            cursor.execute(
                f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\''  # noqa: S608
            )
            referenced.update(row[0] for row in cursor.fetchall())
    return tables, frozenset(referenced)


def sqlite_copy(*, source: Path, target: Path) -> None:
    """Copy a live SQLite database into a new single file through the backup API."""
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    live = sqlite3.connect(source, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # pages=-1 copies everything in one step, inside one read transaction: the
        # copy is a single point in time, and in WAL mode writers carry on meanwhile.
        live.backup(copy, pages=-1)
        # A self-contained file: no -wal beside it in the archive.
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        copy.close()
        live.close()
    if verdict != "ok":
        raise BackupError(f"the snapshot of {source} fails quick_check: {verdict}")


def sqlite_snapshot(target: Path) -> Snapshot:
    sqlite_copy(source=sqlite_path(), target=target)
    copy = sqlite3.connect(target)
    try:
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        existing = {row[0] for row in cursor.fetchall()}
        tables, referenced = describe(cursor, existing)
    finally:
        copy.close()
    return Snapshot("sqlite", target, tables, referenced)


def _pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for pg_dump/pg_restore, from the Django database settings."""
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    for key, value in (settings_dict.get("OPTIONS") or {}).items():
        if key.startswith("ssl"):  # sslmode, sslrootcert, ... from the URL's query
            environment[f"PG{key.upper()}"] = str(value)
    return environment


def _pg_run(program: str, arguments: list[str], settings_dict: dict[str, Any]) -> None:
    found = shutil.which(program)
    if found is None:
        raise BackupError(
            f"{program} is not installed (Debian: apt-get install postgresql-client)"
        )
    done = subprocess.run(
        [found, *arguments],
        env=_pg_environment(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()}")


def postgresql_snapshot(target: Path) -> Snapshot:
    # A connection of its own: the exported snapshot lives as long as its transaction,
    # which must stay open while pg_dump reads and while the counts are taken.
    wrapper = connections.create_connection("default")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            _pg_run(
                "pg_dump",
                [
                    "--format=custom",
                    f"--snapshot={snapshot_id}",
                    f"--file={target}",
                    f"--dbname={wrapper.settings_dict['NAME']}",
                ],
                wrapper.settings_dict,
            )
            existing = set(wrapper.introspection.table_names(cursor))
            tables, referenced = describe(cursor, existing)
            cursor.execute("COMMIT")
    finally:
        wrapper.close()
    return Snapshot("postgresql", target, tables, referenced)


def take_snapshot(folder: Path) -> Snapshot:
    """A consistent snapshot of the site's database, written into `folder`."""
    engine_name = engine()
    target = folder / member_name(engine_name)
    target.unlink(missing_ok=True)
    if engine_name == "sqlite":
        return sqlite_snapshot(target)
    return postgresql_snapshot(target)


def occupied() -> str:
    """What already holds data in the configured database ("" when empty)."""
    if engine() == "sqlite":
        path = sqlite_path()
        if not path.is_file() or path.stat().st_size == 0:
            return ""
        with connection.cursor() as cursor:
            count = len(connection.introspection.table_names(cursor))
        return f"database {path} ({count} tables)" if count else ""
    with connection.cursor() as cursor:
        count = len(connection.introspection.table_names(cursor))
    name = connection.settings_dict["NAME"]
    return f"database {name} ({count} tables)" if count else ""


def restore(snapshot: Path, *, force: bool) -> None:
    """Put a verified snapshot into the configured database."""
    connections.close_all()
    if engine() == "sqlite":
        sqlite_restore(snapshot=snapshot, target=sqlite_path())
        return
    settings_dict = connection.settings_dict
    arguments = [
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={settings_dict['NAME']}",
    ]
    if force:
        arguments += ["--clean", "--if-exists"]
    _pg_run("pg_restore", [*arguments, str(snapshot)], settings_dict)


def sqlite_restore(*, snapshot: Path, target: Path) -> None:
    """Copy a snapshot into `target` through the backup API (also over a database
    that exists: SQLite then replaces its pages under its own locks, -wal included)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(snapshot)
    destination = sqlite3.connect(target, timeout=30)
    try:
        source.backup(destination, pages=-1)
        destination.execute("PRAGMA journal_mode=WAL")  # as the site runs it
    except sqlite3.Error as exc:
        raise BackupError(
            f"could not restore the database into {target}: {exc}"
        ) from exc
    finally:
        destination.close()
        source.close()
