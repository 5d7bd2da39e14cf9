from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "ghiseu.archive"
    label = "archive"
    verbose_name = _("Arhivă")

    def ready(self) -> None:
        from ghiseu.archive.services.indexing import register_search_provider

        register_search_provider()
