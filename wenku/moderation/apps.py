from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "wenku.moderation"
    label = "moderation"
    verbose_name = "审核与举报"
