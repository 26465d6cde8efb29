from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wenku.core"
    label = "core"
    verbose_name = "站点"

    def ready(self) -> None:
        # Importing the module registers its system checks; Django's documented place
        # for that is ready(), once every app is loaded.
        from wenku.core import (
            checks,  # noqa: F401
            pagecache,
        )
        from wenku.core.models import Category, SiteSettings

        # The site's name, settings and category tree show on every page.
        for model in (SiteSettings, Category):
            pagecache.connect(model, lambda _row: (pagecache.SITE,))
