from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wenku.core"
    label = "core"
    verbose_name = "站点"

    def ready(self) -> None:
        # Importing the module registers its system checks; Django's documented place
        # for that is ready(), once every app is loaded.
        from wenku.core import checks  # noqa: F401
