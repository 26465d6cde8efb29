"""The backup archive: one uncompressed tar whose manifest comes last.

Members, in the order they are written:

    database.sqlite3 | database.pgdump   the database snapshot
    broker.sqlite3                       the embedded queue (embedded broker only)
    media/<storage name>                 every file under the media folder
    secret_key                           unless the key comes from WENKU_SECRET_KEY
    media.sha256                         `sha256sum -c` lines for media/
    manifest.json                        what the archive holds, sha256 and row counts

Page images and most originals are compressed already, so the tar is not; pipe it
through zstd for the trip off the machine if the database is large.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
from pathlib import Path, PurePosixPath
from typing import IO, Any

from wenku.core.backup.errors import BackupError

FORMAT = "wenku-backup"
VERSION = 1
MANIFEST = "manifest.json"
CHECKSUMS = "media.sha256"
MEDIA_PREFIX = "media/"
KEY_MEMBER = "secret_key"
# The manifest's "secret_key" when the key came from WENKU_SECRET_KEY.
KEY_IN_ENVIRONMENT = "environment"
BROKER = "broker.sqlite3"
CHUNK = 1024 * 1024


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.sha256.update(data)
        return data


def _sha256_stream(handle: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


class ArchiveWriter:
    """Writes members one by one, hashing each file as it goes in."""

    def __init__(self, path: Path) -> None:
        # Owner-only from the first byte: the archive holds the secret key and every
        # member's password hash.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._file = os.fdopen(descriptor, "wb")
        self._tar = tarfile.TarFile(
            fileobj=self._file, mode="w", format=tarfile.PAX_FORMAT
        )

    def add_file(self, source: Path, name: str) -> tuple[int, str] | None:
        """(bytes, sha256) of the file as archived; None when it vanished first."""
        try:
            handle = source.open("rb")
        except FileNotFoundError:
            return None
        with handle:
            info = self._tar.gettarinfo(arcname=name, fileobj=handle)
            hashing = _Hashing(handle)
            self._tar.addfile(info, hashing)  # type: ignore[arg-type]
        return info.size, hashing.sha256.hexdigest()

    def add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mode = 0o600
        info.mtime = int(time.time())
        self._tar.addfile(info, io.BytesIO(data))

    def close(self) -> None:
        self._tar.close()
        self._file.close()


def media_relative(name: str) -> PurePosixPath:
    """The storage name of a media/ member; refuses anything that could escape."""
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"refusing archive member {name!r}")
    return relative


class ArchiveReader:
    """Reads a backup archive and checks every member against its manifest."""

    def __init__(self, path: Path) -> None:
        try:
            self._tar = tarfile.open(path, "r:")  # noqa: SIM115
            self._members = {member.name: member for member in self._tar.getmembers()}
        except (OSError, tarfile.TarError) as exc:
            raise BackupError(f"{path} is not a Wenku backup: {exc}") from exc
        if MANIFEST not in self._members:
            raise BackupError(f"{path} is not a Wenku backup: no {MANIFEST}")
        manifest = json.loads(self.read_bytes(MANIFEST))
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupError(
                f"{path}: unknown backup format {manifest.get('format')!r} "
                f"version {manifest.get('version')!r}"
            )
        self.manifest: dict[str, Any] = manifest

    def close(self) -> None:
        self._tar.close()

    def _open(self, name: str) -> IO[bytes]:
        member = self._members.get(name)
        handle = self._tar.extractfile(member) if member and member.isreg() else None
        if handle is None:
            raise BackupError(f"the archive has no file {name!r}: it is damaged")
        return handle

    def read_bytes(self, name: str) -> bytes:
        with self._open(name) as handle:
            return handle.read()

    def media_members(self) -> list[str]:
        return sorted(
            name
            for name, member in self._members.items()
            if name.startswith(MEDIA_PREFIX) and member.isreg()
        )

    def checksums(self) -> dict[str, str]:
        """media/ member name → sha256, from media.sha256."""
        lines = self.read_bytes(CHECKSUMS).decode().splitlines()
        return {
            name: digest for digest, name in (line.split("  ", 1) for line in lines)
        }

    def verify(self) -> None:
        """Hash every member the manifest lists; raise at the first difference."""
        for listed in self._listed_files():
            with self._open(listed["member"]) as handle:
                size, digest = _sha256_stream(handle)
            if (size, digest) != (listed["bytes"], listed["sha256"]):
                raise BackupError(
                    f"{listed['member']} differs from the manifest: the archive is damaged"
                )
        media = self.manifest["media"]
        if media is None:
            return
        with self._open(CHECKSUMS) as handle:
            if _sha256_stream(handle)[1] != media["checksums_sha256"]:
                raise BackupError(
                    f"{CHECKSUMS} differs from the manifest: the archive is damaged"
                )
        expected = self.checksums()
        found = self.media_members()
        if sorted(expected) != found or len(found) != media["files"]:
            raise BackupError(
                f"media/ holds {len(found)} files, the manifest {media['files']}: "
                "the archive is damaged"
            )
        total = 0
        for name in found:
            media_relative(name)
            with self._open(name) as handle:
                size, digest = _sha256_stream(handle)
            total += size
            if digest != expected[name]:
                raise BackupError(
                    f"{name} differs from {CHECKSUMS}: the archive is damaged"
                )
        if total != media["bytes"]:
            raise BackupError(
                "media/ size differs from the manifest: the archive is damaged"
            )

    def _listed_files(self) -> list[dict[str, Any]]:
        candidates = [
            self.manifest[key] for key in ("database", "broker", "secret_key")
        ]
        return [entry for entry in candidates if isinstance(entry, dict)]

    def extract(self, name: str, target: Path, *, sha256: str) -> None:
        """Write a member to `target` if it hashes to `sha256`, through a temporary
        name so that nobody sees half a file."""
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        with self._open(name) as source, partial.open("wb") as out:
            hashing = _Hashing(source)
            while chunk := hashing.read(CHUNK):
                out.write(chunk)
        if hashing.sha256.hexdigest() != sha256:
            partial.unlink()
            raise BackupError(f"{name} changed while it was restored")
        partial.replace(target)
