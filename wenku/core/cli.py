"""`wenku backup DEST` and `wenku restore SRC`.

Loaded by wenku/cli.py after Django is set up, so models import at module level.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wenku.checkup import Verdict, check_database
from wenku.core.backup import BackupError, backup_create, backup_restore
from wenku.core.backup.archive import KEY_IN_ENVIRONMENT
from wenku.wallet.selectors import ledger_problems


def add_subcommand(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "backup", help="a consistent backup of the running site (database, files, key)"
    )
    p.add_argument(
        "destination",
        type=Path,
        metavar="DEST",
        help="a new .tar file, or a folder to write wenku-<UTC time>.tar into",
    )
    p.add_argument(
        "--database-only",
        action="store_true",
        help="leave the files out (S3 storage: back the bucket up as documented)",
    )
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser(
        "restore", help="restore a backup into this site's database and data folder"
    )
    p.add_argument(
        "source", type=Path, metavar="SRC", help="an archive of wenku backup"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="overwrite a database or files already there",
    )
    p.set_defaults(func=cmd_restore)


def cmd_backup(ns: argparse.Namespace) -> int:
    try:
        result = backup_create(
            destination=ns.destination, include_media=not ns.database_only
        )
    except BackupError as exc:
        print(f"wenku backup: {exc.message}", file=sys.stderr)
        return 1
    manifest = result.manifest
    media = manifest["media"]
    files = f"{media['files']} files" if media else "no files"
    print(
        f"{result.path}  {result.path.stat().st_size} bytes: "
        f"{manifest['database']['engine']} snapshot at {manifest['snapshot_at']}, "
        f"{files}, in {result.seconds:.1f} s",
        flush=True,
    )
    if manifest["secret_key"] == KEY_IN_ENVIRONMENT:
        print(
            "the secret key comes from WENKU_SECRET_KEY and is not in the backup: "
            "a restored site needs the same value",
            flush=True,
        )
    return 0


def cmd_restore(ns: argparse.Namespace) -> int:
    try:
        verdicts = backup_restore(source=ns.source, force=ns.force)
    except BackupError as exc:
        print(f"wenku restore: {exc.message}", file=sys.stderr)
        return 1
    problems = ledger_problems()
    verdicts += [
        check_database(),
        Verdict("ledger", not problems, "; ".join(problems) or "ledger OK"),
    ]
    for verdict in verdicts:
        print(verdict.line(), flush=True)
    return 0 if all(verdict.ok for verdict in verdicts) else 1
