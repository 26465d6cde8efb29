"""`wenku restore`: put a backup into this site's database and data folder, then
check what came back.

Nothing is written before the whole archive has been checked against its manifest, so
a damaged backup never half-replaces a site. Files go in before the database, so the
restored rows never point at a file that is not there yet.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from wenku.checkup import Verdict
from wenku.core.backup import archive, databases
from wenku.core.backup.errors import BackupError


def backup_restore(*, source: Path, force: bool = False) -> list[Verdict]:
    """Restore the archive at `source` into the configured database, media folder
    and data folder; refuses to overwrite data unless `force`. Returns the checks
    of the restored copy (row counts, referenced files, secret key)."""
    reader = archive.ArchiveReader(source)
    try:
        manifest = reader.manifest
        _refuse_if_incompatible(manifest)
        reader.verify()
        _refuse_if_occupied(force=force)
        if manifest["media"] is not None:
            _restore_media(reader)
        data_dir = Path(settings.DATA_DIR)
        with tempfile.TemporaryDirectory(dir=data_dir, prefix=".wenku-restore-") as tmp:
            database = manifest["database"]
            snapshot = Path(tmp) / database["member"]
            reader.extract(database["member"], snapshot, sha256=database["sha256"])
            databases.restore(snapshot, force=force)
            queue, queue_file = manifest["broker"], databases.broker_path()
            if queue and queue_file is not None:
                copy = Path(tmp) / archive.BROKER
                reader.extract(archive.BROKER, copy, sha256=queue["sha256"])
                databases.sqlite_restore(snapshot=copy, target=queue_file)
        secret = manifest["secret_key"]
        if isinstance(secret, dict):
            key_file = data_dir / archive.KEY_MEMBER
            reader.extract(archive.KEY_MEMBER, key_file, sha256=secret["sha256"])
            key_file.chmod(0o600)
    finally:
        reader.close()
    return restored_checks(manifest)


def _refuse_if_incompatible(manifest: dict[str, Any]) -> None:
    held, configured = manifest["database"]["engine"], databases.engine()
    if held != configured:
        raise BackupError(
            f"this backup holds a {held} database and this site is configured for "
            f"{configured}: set WENKU_DATABASE_URL to a {held} database"
        )
    if manifest["media"] is not None and settings.STORAGE_BACKEND != "local":
        raise BackupError(
            "this backup holds local files and this site keeps files in S3: restore "
            "with WENKU_STORAGE=local, then copy the media folder into the bucket"
        )


def _refuse_if_occupied(*, force: bool) -> None:
    found = [what for what in (databases.occupied(), _media_occupied()) if what]
    if found and not force:
        verb = "holds" if len(found) == 1 else "hold"
        raise BackupError(
            f"{' and '.join(found)} already {verb} data: restore into an empty data "
            "folder and database, or pass --force to overwrite"
        )


def _media_occupied() -> str:
    root = Path(settings.MEDIA_ROOT)
    local = settings.STORAGE_BACKEND == "local" and root.is_dir()
    if local and any(path.is_file() for path in root.rglob("*")):
        return f"media folder {root}"
    return ""


def _restore_media(reader: archive.ArchiveReader) -> None:
    root = Path(settings.MEDIA_ROOT)
    checksums = reader.checksums()
    for name in reader.media_members():
        target = root / archive.media_relative(name)
        reader.extract(name, target, sha256=checksums[name])


def restored_checks(manifest: dict[str, Any]) -> list[Verdict]:
    """Does the configured database hold what the manifest says, with its files?"""
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        tables, referenced = databases.describe(cursor, existing)
    verdicts = [_tables_verdict(manifest["tables"], tables)]
    verdicts.append(_files_verdict(referenced))
    verdicts.append(_secret_key_verdict(manifest["secret_key"]))
    return verdicts


def _tables_verdict(expected: dict[str, int], found: dict[str, int]) -> Verdict:
    differences = [
        f"{table} {found.get(table)} (backup {count})"
        for table, count in sorted(expected.items())
        if found.get(table) != count
    ]
    if differences:
        return Verdict("tables", False, "rows differ: " + ", ".join(differences[:5]))
    rows = sum(expected.values())
    return Verdict("tables", True, f"{len(expected)} tables, {rows} rows as backed up")


def _files_verdict(referenced: frozenset[str]) -> Verdict:
    if settings.STORAGE_BACKEND != "local":
        return Verdict("files", True, "in the S3 bucket (not part of the backup)")
    root = Path(settings.MEDIA_ROOT)
    missing = sorted(name for name in referenced if not (root / name).is_file())
    if missing:
        return Verdict(
            "files",
            False,
            f"{len(missing)} referenced files missing, e.g. {missing[0]}",
        )
    return Verdict("files", True, f"all {len(referenced)} referenced files present")


def _secret_key_verdict(secret: Any) -> Verdict:
    if secret == archive.KEY_IN_ENVIRONMENT:
        ok = bool(settings.SECRET_KEY_FROM_ENV)
        return Verdict(
            "secret key",
            ok,
            "from WENKU_SECRET_KEY, as when the backup was taken"
            if ok
            else "the backed-up site took WENKU_SECRET_KEY from its environment: "
            "set the same value here (sessions, download links)",
        )
    if secret is None:
        return Verdict("secret key", False, "not in the backup: a new one was made")
    return Verdict("secret key", True, "restored into the data folder")
