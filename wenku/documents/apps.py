from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "wenku.documents"
    label = "documents"
    verbose_name = "文档"
