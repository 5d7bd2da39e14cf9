from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "ghiseu.petitions"
    label = "petitions"
    verbose_name = _("Petiții și informații de interes public")

    def ready(self) -> None:
        from ghiseu.petitions.indexing import register_search_provider

        register_search_provider()
        from ghiseu.petitions.mydata import register_my_data_provider  # "my data" (accounts)

        register_my_data_provider()
