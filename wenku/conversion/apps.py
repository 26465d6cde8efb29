from django.apps import AppConfig


class ConversionConfig(AppConfig):
    name = "wenku.conversion"
    label = "conversion"
    verbose_name = "转换"
