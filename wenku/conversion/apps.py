from django.apps import AppConfig


class ConversionConfig(AppConfig):
    name = "wenku.conversion"
    label = "conversion"
    verbose_name = "转换"

    def ready(self) -> None:
        from wenku.conversion import signals  # noqa: F401 — connects Celery hooks
