from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "ghiseu.archive"
    label = "archive"
    verbose_name = _("Arhivă")

    def ready(self) -> None:
        from ghiseu.archive.services.indexing import register_search_provider

        register_search_provider()

        from ghiseu.archive.services.filing import on_entry_closed
        from ghiseu.registry.signals import entry_closed

        entry_closed.connect(on_entry_closed, dispatch_uid="archive_file_closed_entry")
