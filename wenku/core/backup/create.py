"""`wenku backup`: a consistent copy of a running site in one archive.

The order makes it consistent: the database snapshot first, then the files. Files are
written once, under fresh names, and saved before the row that names them commits, so
every file the snapshot references was complete before the copy began. The one way a
referenced file can go missing is a delete in between (a re-render deletes the old
page images once the new ones are published); then the attempt starts again from a new
snapshot, up to ATTEMPTS times. Files written after the snapshot come along harmlessly.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from wenku.core.backup import archive, databases
from wenku.core.backup.errors import BackupError

logger = logging.getLogger(__name__)

ATTEMPTS = 3
BUCKET_PROCEDURE = (
    "files are in the S3 bucket, which wenku backup does not copy: version or sync "
    "the bucket as docs/deployment.md (Backups) describes, and run "
    "`wenku backup --database-only DEST`"
)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    seconds: float


def backup_create(*, destination: Path, include_media: bool = True) -> BackupResult:
    """Write a consistent backup of the running site to a new archive at
    `destination` (a .tar path, or a folder to put wenku-<UTC time>.tar in)."""
    if include_media and settings.STORAGE_BACKEND != "local":
        raise BackupError(BUCKET_PROCEDURE)
    started = time.monotonic()
    path = _archive_path(destination)
    partial = path.with_name(f".{path.name}.partial")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".wenku-backup-") as tmp:
        try:
            for attempt in range(1, ATTEMPTS + 1):
                manifest = _attempt(partial, Path(tmp), include_media, attempt)
                if manifest is not None:
                    partial.replace(path)
                    return BackupResult(path, manifest, time.monotonic() - started)
        finally:
            partial.unlink(missing_ok=True)
    raise BackupError(
        f"files referenced by the database were deleted during {ATTEMPTS} attempts "
        "in a row (documents being re-rendered?): run wenku backup again"
    )


def _archive_path(destination: Path) -> Path:
    if destination.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        destination = destination / f"wenku-{stamp}.tar"
    if destination.exists():
        raise BackupError(f"{destination} exists: a backup never overwrites a file")
    if not destination.parent.is_dir():
        raise BackupError(f"no folder {destination.parent}")
    return destination.resolve()


def _attempt(
    partial: Path, scratch: Path, include_media: bool, attempt: int
) -> dict[str, Any] | None:
    """Write one archive; None when files the snapshot references were deleted."""
    partial.unlink(missing_ok=True)  # an earlier attempt's
    snapshot_at = datetime.now(UTC)
    snapshot = databases.take_snapshot(scratch)
    writer = archive.ArchiveWriter(partial)
    try:
        database = _add(writer, snapshot.path, databases.member_name(snapshot.engine))
        queue = _add_broker(writer, scratch)
        media = _add_media(writer, snapshot.referenced) if include_media else None
        if media is not None and media["missing"]:
            logger.warning(
                "backup: %d files the snapshot references were deleted before they "
                "were copied; starting again (attempt %d)",
                media["missing"],
                attempt,
            )
            return None
        manifest = {
            "format": archive.FORMAT,
            "version": archive.VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "snapshot_at": snapshot_at.isoformat(),
            "attempts": attempt,
            "database": {"engine": snapshot.engine, **database},
            "tables": snapshot.tables,
            "referenced_files": len(snapshot.referenced),
            "broker": queue,
            "storage": settings.STORAGE_BACKEND,
            "media": media and {k: v for k, v in media.items() if k != "missing"},
            "secret_key": _add_secret_key(writer),
        }
        writer.add_bytes(
            archive.MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode()
        )
    finally:
        writer.close()
    return manifest


def _add(writer: archive.ArchiveWriter, source: Path, name: str) -> dict[str, Any]:
    added = writer.add_file(source, name)
    if added is None:
        raise BackupError(f"{source} vanished while it was archived")
    return {"member": name, "bytes": added[0], "sha256": added[1]}


def _add_broker(writer: archive.ArchiveWriter, scratch: Path) -> dict[str, Any] | None:
    """The embedded queue (jobs waiting for a worker), copied like the database."""
    source = databases.broker_path()
    if source is None or not source.is_file():
        return None
    copy = scratch / archive.BROKER
    copy.unlink(missing_ok=True)
    databases.sqlite_copy(source=source, target=copy)
    return _add(writer, copy, archive.BROKER)


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        for name in sorted(files):
            path = Path(folder, name)
            yield path, path.relative_to(root).as_posix()


def _add_media(writer: archive.ArchiveWriter, referenced: frozenset[str]) -> dict:
    root = Path(settings.MEDIA_ROOT)
    lines: list[str] = []
    archived: set[str] = set()
    total = 0
    for path, name in _media_files(root):
        member = archive.MEDIA_PREFIX + name
        added = writer.add_file(path, member)
        if added is None:  # deleted since the walk listed it
            continue
        total += added[0]
        archived.add(name)
        lines.append(f"{added[1]}  {member}\n")
    checksums = "".join(lines).encode()
    writer.add_bytes(archive.CHECKSUMS, checksums)
    return {
        "files": len(archived),
        "bytes": total,
        "checksums_sha256": hashlib.sha256(checksums).hexdigest(),
        "missing": len(referenced - archived),
    }


def _add_secret_key(writer: archive.ArchiveWriter) -> dict[str, Any] | str | None:
    if settings.SECRET_KEY_FROM_ENV:
        return archive.KEY_IN_ENVIRONMENT
    key_file = Path(settings.DATA_DIR) / archive.KEY_MEMBER
    return _add(writer, key_file, archive.KEY_MEMBER) if key_file.is_file() else None
