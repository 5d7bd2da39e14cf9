from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The Lupeni demo: organization, staff logins and a year of registry history (no models)."""

    name = "ghiseu.demo"
    label = "demo"
    verbose_name = _("Date demonstrative")
