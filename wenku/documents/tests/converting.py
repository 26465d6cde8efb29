"""A conversion run in another thread, as a worker would run it, and a wait for
the moment its first pages are public (shared by the progressive-publishing tests)."""

from __future__ import annotations

import threading
import time

from django.db import connection

from wenku.documents import services
from wenku.documents.models import Document


class Converting(threading.Thread):
    """document_convert in another thread, as a worker would run it."""

    def __init__(self, document: Document) -> None:
        super().__init__(daemon=True)
        self.document_id = document.pk
        self.result = ""

    def run(self) -> None:
        try:
            self.result = services.document_convert(document_id=self.document_id)
        finally:
            connection.close()


def wait_until_rendering(document: Document, deadline: float = 60) -> Document:
    """The document as readers see it while its later pages are still rendered."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        seen = Document.objects.get(pk=document.pk)
        if seen.rendering:
            return seen
        time.sleep(0.005)
    raise AssertionError("the document was never published early")
