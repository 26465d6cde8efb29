from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "wenku.community"
    label = "community"
    verbose_name = "会员社区"

    def ready(self) -> None:
        from wenku.community.models import Comment
        from wenku.core import pagecache

        # Comments show on their document's page: posting, deleting or hiding
        # one invalidates it (and the comments pages under the same tag).
        pagecache.connect(
            Comment, lambda row: (pagecache.document_tag(row.document_id),)
        )
