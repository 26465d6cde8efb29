from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "wenku.search"
    label = "search"
    verbose_name = "搜索"

    def ready(self) -> None:
        from wenku.core import pagecache
        from wenku.search.services import query_log_hit

        # A results page served from memory still counts in the query log.
        pagecache.HIT_HOOKS["search"] = query_log_hit
