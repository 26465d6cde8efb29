"""`wenku import` (bulk upload from disk) and `wenku reconvert` (re-render).

Loaded by wenku/cli.py after Django is set up, so models import at module level.

`wenku import PATH...` uploads through the same service as the web form. By default it
only queues: a running `wenku serve` or `wenku worker` converts. `--wait` then polls
the database until every file reaches published, in_review or failed. `--inline`
converts in this process instead (its own warm LibreOffice pool, no worker needed),
which is what tests and benchmarks use.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from tqdm import tqdm

from wenku.accounts.models import User
from wenku.celery import app
from wenku.core.models import Category
from wenku.documents.models import Document
from wenku.documents.services import (
    UploadRejected,
    document_reconvert,
    document_reconvert_all,
    document_upload,
)

TERMINAL = ("published", "in_review", "failed")


def add_subcommand(sub: Any) -> None:
    p = sub.add_parser("import", help="upload files and folders from disk")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--category", default="", help="category slug")
    p.add_argument(
        "--user", default="", help="uploader's username (default: first admin)"
    )
    p.add_argument("--price", type=int, default=0, help="price in points")
    p.add_argument("--free-pages", type=int, default=None)
    p.add_argument("--wait", action="store_true", help="wait until each is converted")
    p.add_argument(
        "--inline", action="store_true", help="convert here, without a worker"
    )
    p.add_argument("--timeout", type=float, default=0, help="--wait deadline (s)")
    p.add_argument("--json", action="store_true", help="one JSON line per file")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("reconvert", help="re-render documents (admin)")
    p.add_argument("numbers", nargs="*", type=int, metavar="NUMBER")
    p.add_argument("--all", action="store_true", help="every published/failed document")
    p.add_argument(
        "--inline", action="store_true", help="convert here, without a worker"
    )
    p.set_defaults(func=cmd_reconvert)


def _setup(inline: bool) -> None:
    if inline:
        app.conf.task_always_eager = True
        app.conf.task_eager_propagates = False


def iter_files(paths: list[Path]) -> list[Path]:
    """Files named, and files under folders named (recursively, sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            print(f"wenku import: {path}: no such file or folder", file=sys.stderr)
    return found


def cmd_import(ns: argparse.Namespace) -> int:
    _setup(ns.inline)
    uploader = (
        User.objects.get(username=ns.user)
        if ns.user
        else User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    if uploader is None:
        print("wenku import: no --user given and no admin exists", file=sys.stderr)
        return 2
    category = Category.objects.get(slug=ns.category) if ns.category else None
    files = iter_files(ns.paths)
    rows: list[dict[str, Any]] = []
    accepted: dict[int, float] = {}
    for path in tqdm(files, desc="上传 upload", unit="file", file=sys.stderr):
        row: dict[str, Any] = {"file": str(path), "number": None, "url": None}
        started = time.monotonic()
        try:
            document = document_upload(
                uploader=uploader,
                file_name=path.name,
                path=path,
                category=category,
                price=ns.price,
                free_pages=ns.free_pages,
                # The operator importing files from disk vouches for them.
                copyright_declared=True,
                enforce_quota=False,
            )
        except UploadRejected as exc:
            row.update(status="failed", reason=exc.message, pages=0, seconds=0.0)
        else:
            row.update(number=document.number, url=document.get_absolute_url())
            accepted[document.pk] = started
            row["_pk"] = document.pk
            if ns.inline:  # converted during the upload call, on commit
                document.refresh_from_db()
                if document.status in TERMINAL:
                    row.update(
                        status=document.status,
                        reason=document.failure_reason,
                        pages=document.page_count,
                        seconds=round(time.monotonic() - started, 3),
                    )
        rows.append(row)
    if ns.wait or ns.inline:
        timeout = ns.timeout or settings.CELERY_TASK_TIME_LIMIT * max(1, len(accepted))
        _wait(rows, accepted, deadline=time.monotonic() + timeout)
    failed = 0
    for row in rows:
        pk = row.pop("_pk", None)
        if pk is not None and "status" not in row:
            document = Document.objects.get(pk=pk)
            row.update(
                status=document.status,
                reason=document.failure_reason,
                pages=document.page_count,
                seconds=None,
            )
        failed += row["status"] == "failed"
        if ns.json:
            print(json.dumps(row, ensure_ascii=False), flush=True)
        else:
            line = f"{row['status']:<10} {row['number'] or '-':<9} {row['file']}"
            print(
                line + (f"  {row['reason']}" if row.get("reason") else ""), flush=True
            )
    return 1 if failed else 0


def _wait(
    rows: list[dict[str, Any]], accepted: dict[int, float], *, deadline: float
) -> None:
    """Poll until every accepted document is terminal or the deadline passes."""
    by_pk = {row["_pk"]: row for row in rows if "_pk" in row and "status" not in row}
    waiting = set(by_pk)
    with tqdm(
        total=len(waiting), desc="转换 convert", unit="doc", file=sys.stderr
    ) as bar:
        while waiting and time.monotonic() < deadline:
            for document in Document.objects.filter(pk__in=waiting):
                if document.status in TERMINAL:
                    by_pk[document.pk].update(
                        status=document.status,
                        reason=document.failure_reason,
                        pages=document.page_count,
                        seconds=round(time.monotonic() - accepted[document.pk], 3),
                    )
                    waiting.discard(document.pk)
                    bar.update(1)
            if waiting:
                time.sleep(0.2)


def cmd_reconvert(ns: argparse.Namespace) -> int:
    _setup(ns.inline)
    if ns.all:
        count = document_reconvert_all()
    else:
        count = 0
        for document in Document.objects.filter(number__in=ns.numbers):
            document_reconvert(document=document)
            count += 1
    print(f"queued {count} documents for re-rendering", flush=True)
    return 0
