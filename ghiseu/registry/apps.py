from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "ghiseu.registry"
    label = "registry"
    verbose_name = _("Registratură")

    def ready(self) -> None:
        from ghiseu.registry.indexing import register_search_provider

        register_search_provider()
