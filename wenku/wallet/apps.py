from django.apps import AppConfig


class WalletConfig(AppConfig):
    name = "wenku.wallet"
    label = "wallet"
    verbose_name = "积分"
