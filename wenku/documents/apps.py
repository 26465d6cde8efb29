from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "wenku.documents"
    label = "documents"
    verbose_name = "文档"

    def ready(self) -> None:
        from wenku.core import pagecache
        from wenku.documents.models import Document, Favorite, Page, Rating
        from wenku.documents.services import document_record_view_id

        pagecache.connect(
            Document,
            lambda row: (pagecache.DOCUMENTS, pagecache.document_tag(row.pk)),
        )
        for model in (Page, Rating, Favorite):
            pagecache.connect(
                model, lambda row: (pagecache.document_tag(row.document_id),)
            )
        # A document page served from memory still counts as a view.
        pagecache.HIT_HOOKS["view"] = document_record_view_id
