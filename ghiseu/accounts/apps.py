from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ghiseu.accounts"
    label = "accounts"
    verbose_name = _("Organizație și conturi")

    def ready(self) -> None:
        from ghiseu.accounts.mydata import register_data_provider
        from ghiseu.accounts.selectors import account_data

        register_data_provider("account", account_data)
