from django.apps import AppConfig


class WalletConfig(AppConfig):
    name = "wenku.wallet"
    label = "wallet"
    verbose_name = "积分"

    def ready(self) -> None:
        from wenku.accounts.signup_hooks import register_signup_hook

        register_signup_hook("wenku.wallet.services.wallet_signup_bonus")
