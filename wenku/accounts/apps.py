from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wenku.accounts"
    label = "accounts"
    verbose_name = "会员"
