from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "wenku.community"
    label = "community"
    verbose_name = "会员社区"
