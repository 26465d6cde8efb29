"""Same text, different bytes: a copy re-saved, converted (docx ↔ pdf) or padded is
refused at publication like identical bytes are at upload (docs/moderation.md)."""

from __future__ import annotations

from wenku.conversion.base import ConversionError
from wenku.documents.access import document_access
from wenku.documents.models import Document, DocumentStatus
from wenku.moderation.selectors import content_banned
from wenku.search.tokenize import content_fingerprint


def text_fingerprint_unique(document: Document, text: str) -> str:
    """The text's fingerprint, or ConversionError when a live document holds the same
    text (a re-saved, converted or padded copy) or it was taken down."""
    fingerprint = content_fingerprint(text)
    if not fingerprint:
        return ""
    if content_banned(fingerprint):
        raise ConversionError("banned")
    original = (
        Document.objects.filter(text_sha256=fingerprint)
        .exclude(pk=document.pk)
        .exclude(status__in=[DocumentStatus.DELETED, DocumentStatus.FAILED])
        .first()
    )
    if original is None:
        return fingerprint
    if original.status == DocumentStatus.TAKEN_DOWN:
        raise ConversionError("banned")
    visible = document_access(user=document.uploader, document=original).view
    raise ConversionError("duplicate", original.get_absolute_url() if visible else "")
