"""Backups of the embedded shape (and of PostgreSQL with local files).

`backup_create` writes one tar archive: the database snapshot (SQLite's online backup
API, or pg_dump on an exported snapshot), the embedded queue, the media folder, the
secret key, checksums and a manifest. `backup_restore` checks an archive against its
manifest, puts it back and checks the result. S3 buckets are not copied; see
docs/deployment.md (Backups).
"""

from wenku.core.backup.create import BackupResult, backup_create
from wenku.core.backup.errors import BackupError
from wenku.core.backup.restore import backup_restore, restored_checks

__all__ = [
    "BackupError",
    "BackupResult",
    "backup_create",
    "backup_restore",
    "restored_checks",
]
