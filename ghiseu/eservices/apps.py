from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EservicesConfig(AppConfig):
    name = "ghiseu.eservices"
    label = "eservices"
    verbose_name = _("Servicii electronice")

    def ready(self) -> None:
        from ghiseu.eservices.indexing import register_search_provider

        register_search_provider()
        from ghiseu.eservices.mydata import register_my_data_provider  # "my data" (accounts)

        register_my_data_provider()
        from ghiseu.eservices.signals import connect_catalogue_signals

        connect_catalogue_signals()
