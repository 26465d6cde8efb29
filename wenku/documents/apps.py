from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "wenku.documents"
    label = "documents"
    verbose_name = "文档"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from wenku.core import pagecache
        from wenku.documents.models import Document, Favorite, Page, Rating
        from wenku.documents.services import document_record_view_id
        from wenku.notifications.models import Notification
        from wenku.notifications.signals import unread_changed
        from wenku.wallet.models import DownloadRecord, Purchase

        pagecache.connect(
            Document,
            lambda row: (
                *((pagecache.DOCUMENTS,) if row.listed_change else ()),
                pagecache.document_tag(row.pk),
            ),
        )
        for model in (Page, Rating, Favorite):
            pagecache.connect(
                model, lambda row: (pagecache.document_tag(row.document_id),)
            )
        # A document page served from memory still counts as a view.
        pagecache.HIT_HOOKS["view"] = document_record_view_id

        # What a member holds and their own parts of a cached page (access with
        # remembered=True, documents.views._member_fragments) are remembered per
        # process until one of these rows changes.
        for model, member_of in (
            (Favorite, "user_id"),
            (Rating, "user_id"),
            (Notification, "user_id"),
            (Purchase, "buyer_id"),
            (DownloadRecord, "user_id"),
        ):

            def member_changed(
                sender: type,
                instance: object,
                *,
                _field: str = member_of,
                **kwargs: object,
            ) -> None:
                pagecache.memo.forget(pagecache.member_tag(getattr(instance, _field)))

            post_save.connect(member_changed, sender=model, weak=False)
            post_delete.connect(member_changed, sender=model, weak=False)
        unread_changed.connect(
            lambda sender, user_pk, **kwargs: pagecache.memo.forget(
                pagecache.member_tag(user_pk)
            ),
            weak=False,
        )
