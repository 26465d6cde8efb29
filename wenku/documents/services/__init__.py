"""Every write on a document, by stage of its life (each function owns its
transaction):

- details.py: the rules for title, description, tags, price and free pages (upload
  and edit share them) and `DocumentRejected`, the error every refusal raises.
- upload.py: `document_upload` — validate, store the original, create, queue.
- conversion_job.py: `document_convert` — claim, convert, publish or fail.
- lifecycle.py: queue/re-queue, re-render, take down, restore, unlist.
- edits.py: metadata edits, favorites, ratings.
- views_counter.py: view counts, tallied in memory and written in batches.
"""

from wenku.documents.services.conversion_job import document_convert
from wenku.documents.services.details import TITLE_MAX, DocumentRejected
from wenku.documents.services.edits import (
    document_favorite_toggle,
    document_rate,
    document_update,
)
from wenku.documents.services.lifecycle import (
    document_reconvert,
    document_reconvert_all,
    document_relist,
    document_set_status,
    document_unlist,
    queue_conversion,
    requeue_stuck_documents,
)
from wenku.documents.services.upload import UploadRejected, document_upload
from wenku.documents.services.views_counter import (
    document_record_view,
    document_record_view_id,
    views_flush,
)

__all__ = [
    "TITLE_MAX",
    "DocumentRejected",
    "UploadRejected",
    "document_convert",
    "document_favorite_toggle",
    "document_rate",
    "document_reconvert",
    "document_reconvert_all",
    "document_record_view",
    "document_record_view_id",
    "document_relist",
    "document_set_status",
    "document_unlist",
    "document_update",
    "document_upload",
    "queue_conversion",
    "requeue_stuck_documents",
    "views_flush",
]
