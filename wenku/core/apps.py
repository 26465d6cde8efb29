from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wenku.core"
    label = "core"
    verbose_name = "站点"

    def ready(self) -> None:
        from wenku.core import checks  # noqa: F401  (registers system checks)
