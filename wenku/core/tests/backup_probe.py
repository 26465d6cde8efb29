"""What the restore drill compares, read from whichever site this process is set up for.

`site_state()` gives the rows of the tables the drill compares in primary-key order,
with the sha256 of every file a document or page points at, the balances and the
entitlements as the wallet's selector sees them. The drill calls it on the live site;
`python -m wenku.core.tests.backup_probe` prints it as JSON for the restored copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from typing import Any


def _rows(model: Any, *, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    names = [
        field.attname
        for field in model._meta.concrete_fields
        if field.attname not in exclude
    ]
    return list(model.objects.order_by("pk").values(*names))


def _sha256(name: str) -> str:
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def site_state() -> dict[str, Any]:
    """The drill's view of a site, JSON-ready (the same shape in both processes)."""
    from wenku.accounts.models import User
    from wenku.documents.models import Document, Page
    from wenku.wallet.models import Account, AuditLog, Entry, Purchase, Transfer
    from wenku.wallet.selectors import entitled_document_ids

    documents = _rows(Document)
    for row in documents:
        row["original_sha256"] = _sha256(row["original"])
        row["cover_sha256"] = row["cover"] and _sha256(row["cover"])
    pages = _rows(Page)
    for row in pages:
        row["image_sha256"] = row["image"] and _sha256(row["image"])
    document_ids = [row["id"] for row in documents]
    state = {
        "users": _rows(User),
        "documents": documents,
        "pages": pages,
        "accounts": _rows(Account, exclude=("balance",)),
        "balances": dict(Account.objects.order_by("pk").values_list("pk", "balance")),
        "transfers": _rows(Transfer),
        "entries": _rows(Entry),
        "purchases": _rows(Purchase),
        "audit": _rows(AuditLog),
        "entitlements": {
            user.pk: sorted(entitled_document_ids(user=user, document_ids=document_ids))
            for user in User.objects.order_by("pk")
        },
    }
    # Through JSON in both processes, so dates, keys and lists compare alike.
    return json.loads(json.dumps(state, default=str))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenku.settings")
    import django

    django.setup()
    json.dump(site_state(), sys.stdout)
